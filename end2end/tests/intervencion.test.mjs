// Paso 5 in the barrio (issue 25): a facilitator's tablet opens the barrio's route once with
// signal, then, with none, fills a ficha de intervención — what was done, by whom, where (a
// place of the diagnóstico and the tablet's position) and the compromiso it fulfils. The ficha
// is kept on the tablet through a reload and reaches the server when the signal comes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { signedInContext } from '../support/server.mjs';
import { staffApi } from '../support/staff-api.mjs';
import { waitForApp, collectPageErrors, artifacts, waitForServiceWorker, waitForKeptPages } from '../support/browser.mjs';
import { overflowing } from '../support/checks.mjs';

const suite = serverAndBrowser();
const { centreOf, sendMarks, workshop, pactoFirmado } = staffApi(suite);

test('a ficha de intervención filled offline on a tablet is kept through a reload and sent when the signal returns', async () => {
  const barrio = await suite.barrioByCode('pescaito');
  const [lon, lat] = await centreOf(barrio.id);
  const w = await workshop(barrio.id, '2026-11-21');
  await sendMarks(barrio.id, w, [
    ['alumbrado_deficiente', [lon, lat], 'Rosa'],
    ['alumbrado_deficiente', [lon + 0.00005, lat], 'Pedro'],
  ]);
  const luces = { id: crypto.randomUUID(), responsable: 'essmar', que: 'Reponer las luminarias del parque', lugar: 'Parque', fecha_limite: '2027-06-30', indicador: 'Luminarias encendidas' };
  await pactoFirmado(barrio.id, [luces]);

  const context = await signedInContext(suite.browser, suite.server, {
    viewport: { width: 800, height: 1280 }, hasTouch: true, geolocation: { longitude: lon, latitude: lat }, permissions: ['geolocation'],
  });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  // With signal, once: the route page keeps the barrio's institutions, places and compromisos.
  await page.goto(`${suite.server.url}/ruta/${barrio.id}`);
  await waitForApp(page);
  await page.waitForSelector('[data-testid=fichas] .empty');
  await waitForServiceWorker(page);
  // The page asks the worker to keep the route and its forms (this visit began before it).
  await waitForKeptPages(page, [`/ruta/${barrio.id}`, `/ruta/${barrio.id}/intervencion`]);
  await page.click('[data-testid=new-ficha]');
  await page.waitForSelector('[data-testid=ficha-form]');

  // In the barrio, no signal.
  await context.setOffline(true);
  await page.selectOption('select[name=accion]', 'alumbrado');
  await page.selectOption('select[name=institucion]', 'essmar');
  await page.fill('input[name=fecha]', '2027-03-02');
  const place = await page.$eval('select[name=hotspot] option:nth-child(2)', (o) => o.value);
  await page.selectOption('select[name=hotspot]', place);
  await page.click('[data-testid=ficha-ubicacion]');
  await page.waitForSelector('[data-testid=ficha-punto]');
  await page.fill('input[name=lugar]', 'La esquina del parque');
  await page.check(`[data-testid=ficha-compromisos] label[data-compromiso="${luces.id}"] input`);
  await page.fill('textarea[name=descripcion]', 'Seis luminarias nuevas <img src=x onerror=alert(1)>');
  await page.screenshot({ path: `${artifacts}/ficha-tablet.png`, fullPage: true });
  assert.deepEqual(await overflowing(page), []);
  await page.click('[data-testid=save-ficha]');
  await page.waitForSelector('[data-testid=ficha-status]:has-text("Sin conexión")');

  // Back on the route, reloaded, still offline: the ficha waits on the tablet.
  await page.click('.crumbs a');
  await page.waitForSelector('[data-testid=fichas] li[data-waiting=true]');
  await page.reload();
  await waitForApp(page);
  await page.waitForSelector('[data-testid=fichas] li[data-waiting=true]');
  assert.match(await page.textContent('[data-testid=fichas] li'), /Alumbrado — 02\/03\/2027.*ESSMAR.*La esquina del parque · 1 compromiso/s);
  let stored = await (await suite.server.fetch(`/api/v1/barrios/${barrio.id}/intervenciones`)).json();
  assert.deepEqual(stored, [], 'nothing reached the server yet');

  // The signal comes back: opening the route sends it, as it was typed.
  await context.setOffline(false);
  await page.reload();
  await waitForApp(page);
  await page.waitForSelector('[data-testid=fichas] li[data-waiting=false]');
  stored = await (await suite.server.fetch(`/api/v1/barrios/${barrio.id}/intervenciones`)).json();
  assert.equal(stored.length, 1);
  const [ficha] = stored;
  assert.deepEqual([ficha.accion, ficha.institucion, ficha.fecha, ficha.compromisos], ['alumbrado', 'essmar', '2027-03-02', [luces.id]]);
  assert.equal(ficha.lugar.hotspot_id, place);
  assert.ok(Math.abs(ficha.lugar.punto[0] - lon) < 1e-6 && Math.abs(ficha.lugar.punto[1] - lat) < 1e-6, JSON.stringify(ficha.lugar));
  assert.equal(ficha.descripcion, 'Seis luminarias nuevas <img src=x onerror=alert(1)>');

  // Opened again, its text is shown as text; withdrawn, it leaves the list and keeps its versions.
  await page.click('[data-testid=fichas] li a:has-text("Abrir")');
  await page.waitForSelector('[data-testid=ficha-form]');
  assert.equal(await page.inputValue('textarea[name=descripcion]'), 'Seis luminarias nuevas <img src=x onerror=alert(1)>');
  await page.click('[data-testid=withdraw-ficha]');
  await page.waitForSelector('[data-testid=ficha-status]:has-text("enviada")');
  stored = await (await suite.server.fetch(`/api/v1/barrios/${barrio.id}/intervenciones`)).json();
  assert.deepEqual([stored[0].version, stored[0].deleted], [2, true]);
  await page.click('.crumbs a');
  await page.waitForSelector('[data-testid=fichas] .empty');
  // A facilitator may fill one on a phone too: nothing spills sideways at 360 px.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.click('[data-testid=new-ficha]');
  await page.waitForSelector('[data-testid=ficha-form] select[name=hotspot] option:nth-child(2)', { state: 'attached' });
  assert.deepEqual(await overflowing(page), []);
  await page.screenshot({ path: `${artifacts}/ficha-phone.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
