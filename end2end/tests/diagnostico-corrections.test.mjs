// Issue 7, the staff's hand work on a diagnóstico: filters by workshop and time of day change
// what the list counts; two hotspots the rules kept apart are joined by hand, a mark is
// separated again, a note is kept (shown as text, never as markup), and undoing a correction
// gives back what the rules alone make — each step a new version, the old ones untouched. The
// comparison reads a join as a join. Issue 19: every file of a version downloads from the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serverAndBrowser } from '../support/suite.mjs';
import { createUser, signedInContext } from '../support/server.mjs';
import { staffApi } from '../support/staff-api.mjs';
import { waitForApp, collectPageErrors, artifacts } from '../support/browser.mjs';

const suite = serverAndBrowser();
const { api, centreOf, sendMarks, workshop } = staffApi(suite);

const hurto = (page) => page.locator('.hotspot[data-category=hurto_personas]');
const counts = async (page) => (await hurto(page).evaluateAll((all) => all.map((h) => Number(h.dataset.count)))).sort();

async function generateVersion(page, number) {
  await page.click('[data-testid=generate-form] button[type=submit]');
  await page.waitForSelector(`.version[data-number="${number}"].on`);
}

test('staff filter, join, separate, annotate and undo, each in the next version', async () => {
  const barrio = await suite.barrioByCode('pescaito');
  const [lon, lat] = await centreOf(barrio.id);
  const w1 = await workshop(barrio.id, '2026-11-21', 'Salón comunal');
  const w2 = await workshop(barrio.id, '2026-11-28', 'Parque');
  // Two thefts 11 m apart at night and in the morning; a third 330 m away, at night.
  const [rosa] = await sendMarks(barrio.id, w1, [['hurto_personas', [lon, lat], 'Rosa', ['noche']], ['hurto_personas', [lon + 0.0001, lat], 'Pedro', ['manana']]]);
  const [luz] = await sendMarks(barrio.id, w2, [['hurto_personas', [lon + 0.003, lat], 'Luz', ['noche']]]);

  await createUser(suite.server, { username: 'marta', role: 'staff', display_name: 'Marta (Secretaría)' });
  const context = await signedInContext(suite.browser, suite.server, { viewport: { width: 1280, height: 800 } }, { username: 'marta', password: 'clave de prueba e2e' });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${suite.server.url}/diagnostico/${barrio.id}`);
  await waitForApp(page);
  // Who acts is the signed-in account, shown above the form; the server writes it on each change.
  await page.waitForSelector('[data-testid=reviewer-name]:has-text("Marta (Secretaría)")');
  await generateVersion(page, 1);
  assert.deepEqual(await counts(page), [1, 2]);
  // Opened by its address, the page still names its barrio once hydrated.
  assert.equal(await page.textContent('h1'), `Diagnóstico temprano — ${barrio.name}`);

  // Filters: the second workshop alone shows Luz's theft; mornings alone, Pedro's.
  await page.selectOption('select[name=filter-workshop]', w2);
  await page.waitForFunction(() => document.querySelectorAll('.hotspot').length === 1);
  assert.deepEqual(await counts(page), [1]);
  assert.match(await page.textContent('[data-testid=shown]'), /Mostrando 1 de 2 puntos críticos/);
  await page.selectOption('select[name=filter-workshop]', '');
  await page.click('.filters .choice[data-time=manana]');
  await page.waitForFunction(() => document.querySelectorAll('.hotspot').length === 1);
  assert.deepEqual(await hurto(page).evaluate((h) => [h.dataset.count, h.dataset.participants]), ['1', '1']);
  await page.click('button:has-text("Quitar filtros")');
  await page.waitForFunction(() => document.querySelectorAll('.hotspot').length === 2);

  // Join the two theft hotspots by hand: it waits for the next version, then they are one.
  for (const item of await hurto(page).all()) await item.locator('input[name=join]').check();
  await page.fill('input[name=join-reason]', 'Es la misma cuadra');
  await page.click('[data-testid=join-bar] button:has-text("Unir en un punto crítico")');
  await page.waitForSelector('.correction[data-action=join] >> text=Pendiente');
  await generateVersion(page, 2);
  await page.waitForSelector('.hotspot[data-category=hurto_personas][data-count="3"]');
  assert.match(await hurto(page).textContent(), /Unido a mano/);
  await page.waitForSelector('.correction[data-action=join] >> text=En esta versión');
  // The comparison says where Luz's theft went: into the joined hotspot, which it names; nothing is gone.
  const changes = page.locator('[data-testid=changes]');
  await changes.locator('li[data-change=joined]').waitFor();
  assert.equal(await changes.locator('li[data-change=disappeared]').count(), 0, await changes.textContent());
  assert.match(await changes.textContent(), /Se unió a otro: Hurto a personas \(1 marca\) → ahora en el punto crítico de 3 marcas/);
  assert.match(await changes.textContent(), /Creció: Hurto a personas \(2 → 3 marcas\) · reúne otro punto crítico/);
  await changes.locator('li[data-change=joined] button:has-text("Ver ese punto crítico")').click();
  await page.waitForSelector('.hotspot.selected[data-category=hurto_personas][data-count="3"]');

  // A note with markup in it is kept and shown as text (the hotspot is open: the comparison opened it).
  const joined = hurto(page);
  await joined.locator('textarea[name=note]').fill('<img src=x onerror=alert(1)> Verificado en el recorrido');
  await joined.locator('button:has-text("Guardar nota")').click();
  await joined.locator('.note-text').waitFor();
  assert.equal(await joined.locator('.note-text').textContent(), '<img src=x onerror=alert(1)> Verificado en el recorrido');
  assert.equal(await page.locator('.notes img').count(), 0);
  await page.screenshot({ path: `${artifacts}/diagnostico-corrections-desktop.png`, fullPage: true });

  // Separate Luz's mark out again.
  await joined.locator(`.source[data-mark-id="${luz}"] input[name=separate]`).check();
  await joined.locator('[data-testid=separate-bar] button:has-text("Separar 1 marca")').click();
  await page.waitForSelector('.correction[data-action=separate]');
  await generateVersion(page, 3);
  await page.waitForFunction(() => document.querySelectorAll('.hotspot[data-category=hurto_personas]').length === 2);
  assert.deepEqual(await counts(page), [1, 2]);
  // The note follows Rosa's mark to the hotspot that still holds it.
  const withRosa = page.locator(`.hotspot:has(.source[data-mark-id="${rosa}"])`);
  assert.match(await withRosa.locator('summary').textContent(), /1 nota/);

  // Undo the separation: back to one hotspot of three in the next version; version 1 stays as made.
  await page.click('.correction[data-action=separate] button:has-text("Deshacer")');
  await page.waitForSelector('.correction[data-action=separate][data-in-force=false]');
  await generateVersion(page, 4);
  await page.waitForSelector('.hotspot[data-category=hurto_personas][data-count="3"]');
  await page.click('.version[data-number="1"]');
  await page.waitForFunction(() => document.querySelectorAll('.hotspot[data-category=hurto_personas]').length === 2);

  const { body: list } = await api(`/barrios/${barrio.id}/adjustments`);
  assert.deepEqual(list.map((a) => [a.action, a.reviewer, a.cancelled?.reviewer ?? null]), [
    ['join', 'Marta (Secretaría)', null],
    ['separate', 'Marta (Secretaría)', 'Marta (Secretaría)'],
  ]);
  await page.setViewportSize({ width: 360, height: 740 });
  await page.click('.version[data-number="4"]');
  await page.waitForSelector('.hotspot[data-category=hurto_personas][data-count="3"]');
  await page.screenshot({ path: `${artifacts}/diagnostico-corrections-phone.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('every file of a version downloads from the staff page, with its type, and is in the audit log', async () => {
  const barrio = await suite.barrioByCode('bastidas');
  const [lon, lat] = await centreOf(barrio.id);
  const w = await workshop(barrio.id, '2026-11-21');
  await sendMarks(barrio.id, w, [['hurto_personas', [lon, lat], 'Rosa'], ['rinas', [lon + 0.001, lat], 'Pedro']]);
  assert.equal((await api(`/barrios/${barrio.id}/diagnosticos`, {})).status, 201);

  const context = await signedInContext(suite.browser, suite.server, { viewport: { width: 360, height: 640 }, hasTouch: true, acceptDownloads: true });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${suite.server.url}/diagnostico/${barrio.id}`);
  await waitForApp(page);
  const panel = page.locator('[data-testid=downloads]');
  await panel.waitFor();
  assert.match(await panel.textContent(), /alias/);
  assert.match(await panel.textContent(), /registro de auditoría/);
  const files = [
    ['download-hotspots-csv', 'text/csv; charset=utf-8', /-v1\.csv$/],
    ['download-hotspots-geojson', 'application/geo+json', /-v1\.geojson$/],
    ['download-marks-csv', 'text/csv; charset=utf-8', /-v1-marcas\.csv$/],
    ['download-marks-geojson', 'application/geo+json', /-v1-marcas\.geojson$/],
    ['download-gpkg', 'application/geopackage+sqlite3', /-v1\.gpkg$/],
  ];
  for (const [testid, type, name] of files) {
    const link = panel.locator(`[data-testid=${testid}]`);
    await link.scrollIntoViewIfNeeded();
    const box = await link.boundingBox();
    assert.ok(box.height >= 44 && box.x >= 0 && box.x + box.width <= 360, `${testid} fits a 360 px phone and takes a thumb: ${JSON.stringify(box)}`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), name);
    const body = readFileSync(await download.path());
    const res = await context.request.get(suite.server.url + (await link.getAttribute('href')));
    assert.equal(res.status(), 200, testid);
    assert.equal(res.headers()['content-type'], type, testid);
    if (type.startsWith('text/csv')) {
      assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${testid}: UTF-8 with BOM for spreadsheets`);
    } else if (type === 'application/geo+json') {
      assert.ok(JSON.parse(body.toString('utf8')).features.length >= 2, testid);
    } else {
      assert.equal(body.subarray(0, 16).toString('latin1'), 'SQLite format 3\0', 'a GeoPackage is an SQLite database');
    }
    if (testid.startsWith('download-marks')) assert.match(body.toString('utf8'), /Rosa/, 'the source marks carry their aliases');
  }
  // No element wider than the phone.
  const widest = await page.evaluate(() => Math.max(...[...document.querySelectorAll('[data-testid=downloads] *')].map((e) => e.getBoundingClientRect().right)));
  assert.ok(widest <= 360, `the downloads fit in 360 px: ${widest}`);
  await panel.screenshot({ path: `${artifacts}/diagnostico-downloads-phone.png` });
  await page.screenshot({ path: `${artifacts}/diagnostico-downloads-phone-page.png`, fullPage: true });
  await page.setViewportSize({ width: 800, height: 1280 });
  await panel.screenshot({ path: `${artifacts}/diagnostico-downloads-tablet.png` });
  await page.screenshot({ path: `${artifacts}/diagnostico-downloads-tablet-page.png`, fullPage: true });

  const { body: log } = await api('/admin/audit');
  const exported = new Set(log.filter((e) => e.action === 'export' && e.target === `barrio ${barrio.id} versión 1`).map((e) => e.detail));
  assert.deepEqual([...exported].sort(), ['GeoPackage', 'marcas CSV', 'marcas GeoJSON', 'puntos críticos CSV', 'puntos críticos GeoJSON']);
  assert.deepEqual(errors, []);
  await context.close();
});
