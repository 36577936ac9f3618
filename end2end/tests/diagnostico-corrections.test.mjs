// Issue 7, the staff's hand work on a diagnóstico: filters by workshop and time of day change
// what the list counts; two hotspots the rules kept apart are joined by hand, a mark is
// separated again, a note is kept (shown as text, never as markup), and undoing a correction
// gives back what the rules alone make — each step a new version, the old ones untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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

  // A note with markup in it is kept and shown as text.
  const joined = hurto(page);
  await joined.locator('summary').click();
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
