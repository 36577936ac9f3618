// The staff's /equipo page as they live it: a barrio whose workshop sent marks comes first,
// "Sin diagnóstico" with its counts; once a version is generated it is "Al día"; a new mark
// makes it "Marcas nuevas sin consolidar" again; the filter hides barrios without marks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { signedInContext } from '../support/server.mjs';
import { staffApi } from '../support/staff-api.mjs';
import { waitForApp, collectPageErrors, artifacts } from '../support/browser.mjs';

const suite = serverAndBrowser();
const { api, centreOf, sendMarks, workshop } = staffApi(suite);

/** The rows on the page with their data attributes and visible text, in their order. */
async function rows(page) {
  return page.$$eval('.status-row', (list) => list.map((r) => ({
    code: r.dataset.code, status: r.dataset.status, marks: r.dataset.marks,
    people: r.dataset.participants, workshops: r.dataset.workshops, text: r.innerText.replace(/\s+/g, ' '),
  })));
}

/** Reloads /equipo and waits until the list is drawn with `code` in the state `status`. */
async function reload(page, code, status) {
  await page.reload();
  await waitForApp(page);
  await page.waitForSelector(`.status-row[data-code="${code}"][data-status="${status}"]`);
}

test('staff see the barrio with new marks first, then up to date, then with marks to consolidate', async () => {
  const barrio = await suite.barrioByCode('pescaito');
  const [lon, lat] = await centreOf(barrio.id);
  const [w1, w2] = [await workshop(barrio.id, '2026-11-21'), await workshop(barrio.id, '2026-11-28')];
  await sendMarks(barrio.id, w1, [['hurto_personas', [lon, lat], 'Rosa'], ['hurto_personas', [lon + 0.0001, lat], 'Pedro']]);
  await sendMarks(barrio.id, w2, [['alumbrado_deficiente', [lon + 0.002, lat], 'Luz']]);

  const context = await signedInContext(suite.browser, suite.server, { viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(suite.server.url + '/equipo');
  await waitForApp(page);
  await page.waitForSelector('.status-row[data-code=pescaito]');

  // With marks somewhere, only barrios with marks show, and this one first.
  assert.equal(await page.isChecked('input[name=only-marked]'), true, 'on by default when a barrio has marks');
  let list = await rows(page);
  assert.equal(list.length, 1, 'barrios without marks are hidden');
  assert.deepEqual([list[0].code, list[0].status, list[0].marks], ['pescaito', 'sin_diagnostico', '3']);
  assert.match(list[0].text, /Sin diagnóstico/);
  assert.deepEqual([list[0].people, list[0].workshops], ['3', '2'], 'Rosa, Pedro and Luz in two workshops');
  assert.match(list[0].text, /\d\d\/\d\d\/\d{4} \d\d:\d\d/, 'the last mark, as a Colombian date');
  assert.match(await page.textContent('.status-filter[data-status=sin_diagnostico]'), /1 sin diagnóstico/);
  assert.match(await page.textContent('.status-filter[data-status=sin_marcas]'), /326 sin marcas/);
  await page.screenshot({ path: `${artifacts}/staff-status-desktop.png`, fullPage: true });

  // Every barrio comes back with the filter off, the one with work still first.
  await page.uncheck('input[name=only-marked]');
  await page.waitForSelector('[data-testid=status-count][data-shown="327"]');
  list = await rows(page);
  assert.equal(list[0].code, 'pescaito');
  assert.ok(list.slice(1).every((r) => r.status === 'sin_marcas' && r.marks === '0'));
  // The search still finds a barrio by name, without accents.
  await page.fill('input[name=staff-search]', 'pescai');
  await page.waitForSelector('[data-testid=status-count][data-shown="1"]');

  // A version generated: up to date, with its number.
  const generated = await api(`/barrios/${barrio.id}/diagnosticos`, { created_by: 'Marta (Secretaría)' });
  assert.equal(generated.status, 201);
  await reload(page, 'pescaito', 'al_dia');
  assert.match((await rows(page))[0].text, /Al día — versión 1/);
  assert.match(await page.textContent('.status-filter[data-status=al_dia]'), /1 al día/);

  // A new mark afterwards: there is work again.
  await new Promise((r) => setTimeout(r, 5));
  await sendMarks(barrio.id, w2, [['hurto_personas', [lon, lat + 0.0001], 'Luz']]);
  await reload(page, 'pescaito', 'desactualizado');
  list = await rows(page);
  assert.deepEqual([list[0].code, list[0].marks], ['pescaito', '4']);
  assert.match(list[0].text, /Marcas nuevas sin consolidar/);
  assert.match(await page.textContent('.status-filter[data-status=desactualizado]'), /1 por consolidar/);

  // The status chips filter: nothing is up to date now.
  await page.click('.status-filter[data-status=al_dia]');
  await page.waitForSelector('[data-testid=status-count][data-shown="0"]');
  await page.click('.status-filter[data-status=al_dia]');
  await page.waitForSelector('[data-testid=status-count][data-shown="1"]');

  // Each row opens the barrio's diagnóstico.
  await page.click('.status-row[data-code=pescaito]');
  await page.waitForURL(new RegExp(`/diagnostico/${barrio.id}$`));
  await page.waitForSelector('.version[data-number="1"]');

  await page.goto(suite.server.url + '/equipo');
  await waitForApp(page);
  await page.waitForSelector('.status-row[data-code=pescaito][data-status=desactualizado]');
  await page.screenshot({ path: `${artifacts}/staff-status-desktop-stale.png`, fullPage: true });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.screenshot({ path: `${artifacts}/staff-status-phone.png`, fullPage: true });
  await page.uncheck('input[name=only-marked]');
  await page.screenshot({ path: `${artifacts}/staff-status-phone-all.png` });
  await page.setViewportSize({ width: 800, height: 1280 });
  await page.screenshot({ path: `${artifacts}/staff-status-tablet.png` });
  // Touch targets of at least 44 px on the phone.
  await page.setViewportSize({ width: 360, height: 740 });
  for (const selector of ['.status-row', '.status-filter', 'input[name=staff-search]', 'label.toggle']) {
    const box = await page.locator(selector).first().boundingBox();
    assert.ok(box.height >= 44, `${selector} is ${box.height} px high`);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px on a phone`);
  assert.deepEqual(errors, []);
  await context.close();
});
