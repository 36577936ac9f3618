// Issue 9 as staff and the public live it: a staff member opens the publish page of a barrio's
// diagnóstico, approves one text (edited), publishes; an anonymous visitor on a phone finds the
// barrio under "Diagnósticos publicados", reads its page and downloads its CSV and GeoJSON —
// with no alias, no unapproved text and no sensitive place reported by fewer than 3 people.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serverAndBrowser } from '../support/suite.mjs';
import { signedInContext } from '../support/server.mjs';
import { staffApi } from '../support/staff-api.mjs';
import { waitForApp, collectPageErrors, artifacts } from '../support/browser.mjs';
import { pinch, drag } from '../support/gestures.mjs';

const suite = serverAndBrowser();
const { api, centreOf } = staffApi(suite);
const SECRET = 'Zqx';

/** Marks with telltale aliases and descriptions, sent as one device's batch. */
async function sendDescribed(barrioId, workshopId, marks) {
  const device = crypto.randomUUID();
  const now = Date.now();
  const changes = marks.map(([category, where, alias, description], i) => ({
    kind: 'mark',
    record: {
      type: 'Feature', id: crypto.randomUUID(), geometry: { type: 'Point', coordinates: where },
      properties: {
        barrio_id: barrioId, category, description, created_at_ms: now - 60_000 * (marks.length - i), alias, times: ['noche'],
        version: 1, workshop_id: workshopId, hlc: `${String(now).padStart(13, '0')}-${String(i).padStart(5, '0')}-${device}`,
      },
    },
  }));
  const { status, body } = await api('/sync', { protocol: 2, submission_id: crypto.randomUUID(), device_id: device, workshop_id: workshopId, changes });
  assert.equal(status, 200, JSON.stringify(body));
}

function assertNothingPrivate(text, where) {
  assert.ok(!text.includes(SECRET), `${where} holds an alias or an unapproved text`);
  assert.ok(!text.includes('Casa verde'), `${where} holds the lone report's words`);
}

test('staff publish a diagnóstico editado por seguridad; an anonymous visitor reads its page and downloads', async () => {
  const barrio = await suite.barrioByCode('pescaito');
  const [lon, lat] = await centreOf(barrio.id);
  const { body: workshop } = await api('/workshops', { barrio_id: barrio.id, date: '2099-11-20', place: 'Salón', cbsc: 'CBSC', facilitator: 'Ana' });
  await sendDescribed(barrio.id, workshop.id, [
    ['expendio_sustancias', [lon, lat], `Rosa${SECRET}`, `Venden en la esquina de ${SECRET}1`],
    ['expendio_sustancias', [lon + 0.00002, lat], `Pedro${SECRET}`, ''],
    ['expendio_sustancias', [lon, lat + 0.00002], `Luz${SECRET}`, ''],
    ['expendio_sustancias', [lon + 0.004, lat + 0.004], `Solo${SECRET}`, 'Casa verde del fondo'],
    ['alumbrado_deficiente', [lon - 0.001, lat], `Rosa${SECRET}`, `Poste dañado frente a donde ${SECRET}2`],
  ]);
  const { status } = await api(`/barrios/${barrio.id}/diagnosticos`, {});
  assert.equal(status, 201);

  // Staff: the publish page, from the diagnóstico page's link.
  const staff = await signedInContext(suite.browser, suite.server, { viewport: { width: 1024, height: 768 } });
  const sPage = await staff.newPage();
  const errors = collectPageErrors(sPage);
  await sPage.goto(`${suite.server.url}/diagnostico/${barrio.id}`);
  await waitForApp(sPage);
  await sPage.click('[data-testid=publish-link]');
  await sPage.waitForURL(new RegExp(`/diagnostico/${barrio.id}/publicar\\?version=1$`));
  await sPage.waitForSelector('[data-testid=publish-preview-view] [data-testid=publication]');
  // The lone report is left out, and its words are not even offered.
  assert.match(await sPage.textContent('[data-testid=publish-preview-view] [data-testid=suppressed]'), /1 marca de problemas sensibles no aparece/);
  const offered = await sPage.$$eval('[data-testid=text-choices] textarea', (ts) => ts.map((t) => t.value));
  assert.equal(offered.length, 2, JSON.stringify(offered));
  assert.ok(offered.every((t) => !t.includes('Casa verde')));
  // Approve the lighting text, with the name taken out.
  const lighting = sPage.locator('[data-testid=text-choices] li', { hasText: 'Alumbrado' });
  await lighting.locator('textarea').fill('Poste dañado frente a la tienda');
  await lighting.locator('input[type=checkbox]').check();
  await sPage.click('[data-testid=publish-preview]');
  await sPage.waitForSelector('[data-testid=publish-preview-view] [data-testid=public-texts]:has-text("Poste dañado frente a la tienda")');
  await sPage.screenshot({ path: `${artifacts}/publish-tablet.png`, fullPage: true });
  await sPage.click('[data-testid=publish]');
  await sPage.waitForSelector('[data-testid=publish-notice]:has-text("Publicado")');
  await sPage.waitForSelector('[data-testid=publications] li[data-number="1"][data-withdrawn="false"]');

  // An anonymous visitor on a phone.
  const visitor = await suite.browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, acceptDownloads: true });
  const vPage = await visitor.newPage();
  errors.push(...collectPageErrors(vPage));
  await vPage.goto(`${suite.server.url}/`);
  await waitForApp(vPage);
  await vPage.click('[data-testid=public-link]');
  await vPage.waitForURL(/\/publico$/);
  await vPage.click(`[data-testid=public-barrios] a[href="/publico/${barrio.id}"]`);
  await vPage.waitForSelector('[data-testid=publication]');
  assert.match(await vPage.textContent("[data-testid=publication-title]"), new RegExp(`Barrio ${barrio.name}`));
  const totals = vPage.locator('[data-testid=public-totals]');
  assert.equal(await totals.getAttribute('data-marks'), '4');
  assert.equal(await totals.getAttribute('data-suppressed'), '1');
  // The map draws the cells: the corner three people reported, and the lighting one.
  await vPage.waitForSelector('[data-testid=hotspot-map][data-hotspots="2"]');
  assert.match(await vPage.textContent('[data-testid=public-texts]'), /Poste dañado frente a la tienda/);
  assert.match(await vPage.textContent('[data-testid=public-rules]'), /al menos 3 personas distintas/);
  assertNothingPrivate(await vPage.content(), 'the public page');
  await vPage.screenshot({ path: `${artifacts}/public-phone.png`, fullPage: true });

  // On a 360×640 phone the map zooms: + and −, a pinch, a drag, and back to the whole barrio.
  // The words say what it draws: markers at the centres of the cells.
  await vPage.setViewportSize({ width: 360, height: 640 });
  assert.match(await vPage.textContent('[data-testid=public-map-help]'), /Cada marcador cuenta las marcas de una categoría dentro de un cuadro de 50 m de lado/);
  assert.match(await vPage.textContent('.public-map [data-testid=hotspot-legend] [data-key=cell]'), /Cuadro: cuenta las marcas/);
  assert.doesNotMatch(await vPage.textContent('.public-map [data-testid=hotspot-legend]'), /crece con el número|área señalada/, 'the legend speaks of the cells it draws');
  const mapSvg = '.public-map svg.hotspot-svg';
  const viewBox = async () => (await vPage.getAttribute(mapSvg, 'viewBox')).split(' ').map(Number);
  await vPage.locator('.public-map').scrollIntoViewIfNeeded();
  const home = await viewBox();
  await vPage.click('.public-map [data-testid=zoom-in]');
  const zoomed = await viewBox();
  assert.ok(zoomed[2] < home[2] * 0.7, `+ zooms in: ${zoomed} vs ${home}`);
  await vPage.click('.public-map [data-testid=zoom-out]');
  assert.ok(Math.abs((await viewBox())[2] - home[2]) < home[2] * 0.01, '− zooms back out');
  const box = await vPage.locator(mapSvg).boundingBox();
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  await pinch(vPage, cx, cy, 30, 90, 5, mapSvg);
  const pinched = await viewBox();
  assert.ok(pinched[2] < home[2] * 0.6, `two fingers spreading zoom in: ${pinched[2]} vs ${home[2]}`);
  await drag(vPage, cx, cy, 60, 30, 8, mapSvg);
  const dragged = await viewBox();
  assert.ok(dragged[0] < pinched[0] && dragged[1] < pinched[1], `a finger dragging right and down pans: ${dragged} vs ${pinched}`);
  assert.equal(await vPage.getAttribute('.public-map [data-testid=hotspot-map]', 'data-hotspots'), '2', 'the markers stay');
  // Markers keep their size on screen: zooming spreads them, it does not blow them up.
  const markerWidth = async () => (await vPage.locator('.public-map .hotspot-glyph .hotspot-marker').first().boundingBox()).width;
  const zoomedMarker = await markerWidth();
  await vPage.locator(mapSvg).screenshot({ path: `${artifacts}/public-map-zoomed-phone.png` });
  await vPage.click('.public-map [data-testid=map-home]');
  assert.deepEqual(await viewBox(), home, '"Ver todo el barrio" shows the whole barrio again');
  assert.ok(Math.abs((await markerWidth()) - zoomedMarker) < 2, 'a marker is as wide zoomed in as not');
  const pageWidth = await vPage.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(pageWidth <= 360, `nothing wider than the phone: ${pageWidth}`);
  await vPage.screenshot({ path: `${artifacts}/public-phone-360x640.png`, fullPage: true });
  await vPage.setViewportSize({ width: 800, height: 1280 });
  await vPage.screenshot({ path: `${artifacts}/public-tablet-800x1280.png`, fullPage: true });
  await vPage.setViewportSize({ width: 1280, height: 800 });
  await vPage.screenshot({ path: `${artifacts}/public-tablet.png`, fullPage: true });

  for (const [testid, name] of [['public-csv', /\.csv$/], ['public-geojson', /\.geojson$/]]) {
    const [download] = await Promise.all([vPage.waitForEvent('download'), vPage.click(`[data-testid=${testid}]`)]);
    assert.match(download.suggestedFilename(), name);
    const text = readFileSync(await download.path(), 'utf8');
    assertNothingPrivate(text, testid);
    if (testid === 'public-csv') {
      assert.match(text, /expendio_sustancias,Expendio de drogas,true,3,3,150/);
    } else {
      const fc = JSON.parse(text);
      assert.equal(fc.features.length, 2);
      assert.ok(fc.textos.some((t) => t.texto === 'Poste dañado frente a la tienda'));
    }
  }
  assert.equal((await visitor.cookies()).length, 0, 'read with no session');

  // Withdrawn by staff, the page is gone for the visitor.
  await sPage.click('[data-testid=publications] li[data-number="1"] [data-testid=withdraw]');
  await sPage.waitForSelector('[data-testid=publications] li[data-number="1"][data-withdrawn="true"]');
  await vPage.reload();
  await vPage.waitForSelector('[data-testid=not-published]');
  assert.deepEqual(errors, []);
  await staff.close();
  await visitor.close();
});
