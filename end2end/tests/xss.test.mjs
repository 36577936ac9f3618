// Script payloads in every text field people type — workshop place, committee and
// facilitator; a mark's alias and description; a cause's and a solution's text and alias; a
// review's reason, a correction's reason, a note; an account's display name — are shown as
// text wherever they appear: the workshop page, the participant's map and list, the staff's
// diagnóstico, the printable report and the administration page. No payload ever runs, and
// no element of it reaches the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { createUser, fetchAs, signIn } from '../support/server.mjs';
import { artifacts, collectPageErrors, waitForApp } from '../support/browser.mjs';
import { staffApi } from '../support/staff-api.mjs';

const suite = serverAndBrowser();
const { api, centreOf } = staffApi(suite);
// Short enough for an alias (40 characters); `__xss` is set if any of it ever runs.
const SHORT = '<img src=x onerror=__xss=1>';
const LONG = `${SHORT}<script>__xss=2</script>"'&amp;`;
const PASSWORD = 'clave de prueba e2e';

async function page(context, path) {
  const p = await context.newPage();
  const errors = collectPageErrors(p);
  await p.goto(`${suite.server.url}${path}`);
  await waitForApp(p);
  return { p, errors };
}

/** Nothing of the payloads ran or became an element, and the text is there as typed. */
async function assertInert(p, expected) {
  assert.equal(await p.evaluate(() => window.__xss), undefined, 'a payload ran');
  assert.equal(await p.locator('main img[src=x], main script').count(), 0, 'a payload became an element');
  const text = await p.evaluate(() => document.body.innerText);
  for (const e of expected) assert.ok(text.includes(e), `${e} not shown as text`);
}

test('script payloads in every text field are shown as text and never run', async () => {
  const barrio = await suite.barrioByCode('pescaito');
  const [lon, lat] = await centreOf(barrio.id);
  await createUser(suite.server, { username: 'marta', role: 'staff', display_name: `Marta ${SHORT}` });
  const marta = await signIn(suite.server.url, 'marta', PASSWORD);
  const asMarta = async (path, body) => {
    const res = await fetchAs(suite.server.url, marta, `/api/v1${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };

  const { status, body: w } = await api('/workshops', { barrio_id: barrio.id, date: '2099-12-01', place: LONG, cbsc: `CBSC ${SHORT}`, facilitator: `Ana ${SHORT}` });
  assert.equal(status, 201, JSON.stringify(w));
  // Two marks of one device, a cause and a solution, all with payloads.
  const device = crypto.randomUUID();
  const now = Date.now();
  const hlc = (i) => `${String(now).padStart(13, '0')}-${String(i).padStart(5, '0')}-${device}`;
  const markIds = [crypto.randomUUID(), crypto.randomUUID()];
  const causeId = crypto.randomUUID();
  const changes = [
    ...markIds.map((id, i) => ({ kind: 'mark', record: { type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon + i * 0.00005, lat] }, properties: {
      barrio_id: barrio.id, category: 'hurto_personas', description: `${LONG} descripción ${i}`, created_at_ms: now - 1000, alias: SHORT,
      times: ['noche'], version: 1, workshop_id: w.id, hlc: hlc(i) } } })),
    { kind: 'cause', record: { id: causeId, barrio_id: barrio.id, category: 'falta_iluminacion', text: `Causa ${LONG}`, problem_ids: markIds,
      alias: SHORT, created_at_ms: now - 500, version: 1, updated_at_ms: 0, deleted: false, workshop_id: w.id, hlc: hlc(5) } },
    { kind: 'solution', record: { id: crypto.randomUUID(), barrio_id: barrio.id, text: `Solución ${LONG}`, institution: 'essmar', cause_ids: [causeId],
      alias: SHORT, created_at_ms: now - 400, version: 1, updated_at_ms: 0, deleted: false, workshop_id: w.id, hlc: hlc(6) } },
  ];
  const sent = await api('/sync', { protocol: 2, submission_id: crypto.randomUUID(), device_id: device, workshop_id: w.id, changes });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  assert.ok(sent.body.results.every((r) => r.status === 'created'), JSON.stringify(sent.body.results));

  // Staff work with payloads: a version, a rejection's reason, a note.
  const first = await asMarta(`/barrios/${barrio.id}/diagnosticos`, {});
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal((await asMarta(`/marks/${markIds[1]}/reviews`, { action: 'reject', reason: `Repetida ${LONG}` })).status, 201);
  const hotspot = first.body.diagnostico.hotspots[0];
  assert.equal((await asMarta(`/barrios/${barrio.id}/notes`, { diagnostico: 1, hotspot_id: hotspot.id, text: `Nota ${LONG}` })).status, 201);

  // A participant joins: the workshop, the map and the list on the phone.
  const phone = await suite.browser.newContext({ viewport: { width: 360, height: 740 } });
  try {
    const join = await phone.newPage();
    const joinErrors = collectPageErrors(join);
    await join.goto(`${suite.server.url}/unirse/${w.join_code}`);
    await join.waitForURL(new RegExp(`/barrio/${barrio.id}$`));
    await waitForApp(join);
    // The marks pulled from the workshop, on the map, then in the list.
    await join.waitForSelector('[data-testid=mark-count]:has-text("2 marcas")');
    await join.click('[data-testid=view-toggle]');
    await join.waitForSelector('[data-testid=item-list]');
    await assertInert(join, [`${LONG} descripción 0`, SHORT]);
    await join.screenshot({ path: `${artifacts}/xss-participant-list.png`, fullPage: true });
    assert.deepEqual(joinErrors, []);
    const { p: card, errors } = await page(phone, `/talleres/${w.id}`);
    await card.waitForSelector('[data-testid=join-code]');
    await assertInert(card, [LONG, `CBSC ${SHORT}`, `Facilita: Ana ${SHORT}`]);
    assert.deepEqual(errors, []);
  } finally {
    await phone.close();
  }

  // The staff's diagnóstico and the report, signed in as the account with a payload name.
  const desk = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    await desk.request.post(`${suite.server.url}/api/v1/auth/login`, { data: { username: 'marta', password: PASSWORD } });
    const { p: staff, errors } = await page(desk, `/diagnostico/${barrio.id}`);
    await staff.waitForSelector('.hotspot');
    await staff.locator('.hotspot summary').first().click();
    await staff.waitForSelector('.note-text');
    await assertInert(staff, [`Marta ${SHORT}`, `${LONG} descripción 0`, `Repetida ${LONG}`, `Nota ${LONG}`]);
    await staff.screenshot({ path: `${artifacts}/xss-staff.png`, fullPage: true });
    assert.deepEqual(errors, []);
    const { p: report, errors: reportErrors } = await page(desk, `/diagnostico/${barrio.id}/informe/1`);
    await report.waitForSelector('.report h1');
    await assertInert(report, [`Causa ${LONG}`, `Solución ${LONG}`, `Marta ${SHORT}`]);
    assert.deepEqual(reportErrors, []);
  } finally {
    await desk.close();
  }

  // The administration page lists the account by its name, as text.
  const adminDesk = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    await adminDesk.request.post(`${suite.server.url}/api/v1/auth/login`, { data: { username: 'admin', password: PASSWORD } });
    const { p: admin, errors } = await page(adminDesk, '/admin');
    await admin.waitForSelector('[data-testid=user-table] tr[data-username=marta]');
    await assertInert(admin, [`Marta ${SHORT}`]);
    assert.deepEqual(errors, []);
  } finally {
    await adminDesk.close();
  }
});
