// Issue 7 as staff live it: marks from two workshops of a barrio become one consolidated
// diagnóstico in which the staff page shows the hotspot with the right counts; a mark rejected
// with a reason leaves the next version, and the comparison says what changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { createUser, signedInContext } from '../support/server.mjs';
import { staffApi } from '../support/staff-api.mjs';
import { waitForApp, collectPageErrors, artifacts } from '../support/browser.mjs';

const suite = serverAndBrowser();
const { centreOf, sendMarks, workshop } = staffApi(suite);

test('two workshops make one diagnóstico; staff see the hotspot, reject a mark, and the next version drops it', async () => {
  const barrio = await suite.barrioByCode('pescaito');
  const [lon, lat] = await centreOf(barrio.id);
  const [w1, w2] = [await workshop(barrio.id, '2026-11-21'), await workshop(barrio.id, '2026-11-28')];
  // About 11 m apart: one hotspot of three thefts, told by three people in two workshops.
  const first = await sendMarks(barrio.id, w1, [['hurto_personas', [lon, lat], 'Rosa'], ['hurto_personas', [lon + 0.0001, lat], 'Pedro']]);
  await sendMarks(barrio.id, w2, [['hurto_personas', [lon, lat + 0.0001], 'Luz'], ['alumbrado_deficiente', [lon + 0.002, lat], 'Luz']]);

  await createUser(suite.server, { username: 'marta', role: 'staff', display_name: 'Marta (Secretaría)' });
  const context = await signedInContext(suite.browser, suite.server, { viewport: { width: 1024, height: 768 } }, { username: 'marta', password: 'clave de prueba e2e' });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(suite.server.url + '/equipo');
  await waitForApp(page);
  await page.fill('input[name=staff-search]', 'pescai');
  await page.click(`a.staff-barrio[data-code=pescaito]`);
  await page.waitForURL(new RegExp(`/diagnostico/${barrio.id}$`));
  await page.waitForSelector('text=aún no tiene diagnóstico');
  // Who acts is the signed-in account, shown above the form; the server writes it on each change.
  await page.waitForSelector('[data-testid=reviewer-name]:has-text("Marta (Secretaría)")');
  await page.click('[data-testid=generate-form] button[type=submit]');
  const hotspot = page.locator('.hotspot[data-category=hurto_personas]');
  await hotspot.waitFor();
  assert.deepEqual(
    await hotspot.evaluate((h) => [h.dataset.count, h.dataset.participants, h.dataset.workshops]),
    ['3', '3', '2'],
    'three marks, three people, two workshops',
  );
  assert.equal(await page.getAttribute('[data-testid=totals]', 'data-marks'), '4');
  await page.screenshot({ path: `${artifacts}/diagnostico-tablet.png`, fullPage: true });

  // Reject Pedro's mark, with the reason.
  await hotspot.locator('summary').click();
  const pedro = hotspot.locator(`.source[data-mark-id="${first[1]}"]`);
  await pedro.locator('text=Pedro').waitFor();
  await pedro.locator('button:has-text("Rechazar")').click();
  await pedro.locator('input[name=reason]').fill('Marcó el mismo hurto dos veces');
  await pedro.locator('button:has-text("Confirmar rechazo")').click();
  await page.waitForSelector(`.source[data-mark-id="${first[1]}"][data-rejected=true]`);
  await page.screenshot({ path: `${artifacts}/diagnostico-rejected-tablet.png`, fullPage: true });

  await page.click('[data-testid=generate-form] button[type=submit]');
  await page.waitForSelector('.version[data-number="2"].on');
  await page.waitForSelector('.hotspot[data-category=hurto_personas][data-count="2"]');
  assert.match(await page.textContent('[data-testid=changes]'), /Bajó: Hurto a personas \(3 → 2 marcas\)/);
  // The first version is kept as it was.
  await page.click('.version[data-number="1"]');
  await page.waitForSelector('.hotspot[data-category=hurto_personas][data-count="3"]');

  // The CSV the page offers opens in a spreadsheet: UTF-8 with BOM, a row per hotspot.
  const href = await page.getAttribute('a:has-text("Descargar CSV")', 'href');
  // Exports are staff's: without a session the file is refused.
  assert.equal((await fetch(suite.server.url + href)).status, 401);
  const csv = Buffer.from(await (await suite.server.fetch(href)).arrayBuffer());
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = csv.toString('utf8').slice(1).trim().split(/\r?\n/);
  assert.equal(lines.length, 1 + 2);
  assert.match(lines.join('\n'), /Hurto a personas/);

  await page.setViewportSize({ width: 360, height: 740 });
  await page.screenshot({ path: `${artifacts}/diagnostico-phone.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
