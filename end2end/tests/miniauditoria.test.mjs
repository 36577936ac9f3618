// Paso 6 in the barrio (issue 25): a facilitator's tablet opens the barrio's route once with
// signal, then, with none, runs a whole miniauditoría — the walk of the diagnóstico's hotspots
// ("¿Sigue el problema?"), the pacto's compromisos, an immediate measure, the attendance — is
// reloaded midway and loses nothing, and closes it. With signal back it reaches the server,
// feeds the follow-up, and staff print its informe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { signedInContext } from '../support/server.mjs';
import { staffApi } from '../support/staff-api.mjs';
import { waitForApp, collectPageErrors, artifacts, waitForServiceWorker, waitForKeptPages } from '../support/browser.mjs';
import { overflowing } from '../support/checks.mjs';
import { pdfText } from '../support/documents.mjs';

const suite = serverAndBrowser();
const { centreOf, sendMarks, workshop, pactoFirmado } = staffApi(suite);

test('a miniauditoría run offline on a tablet survives a reload, closes, and reaches the follow-up and its informe', async () => {
  const barrio = await suite.barrioByCode('pescaito');
  const [lon, lat] = await centreOf(barrio.id);
  const w = await workshop(barrio.id, '2026-11-21');
  // Two places: dark corner (two marks) and, 300 m east, a lot full of rubbish.
  await sendMarks(barrio.id, w, [
    ['alumbrado_deficiente', [lon, lat], 'Rosa'],
    ['alumbrado_deficiente', [lon + 0.00005, lat], 'Pedro'],
    ['punto_basura', [lon + 0.003, lat], 'Luz'],
  ]);
  const luces = { id: crypto.randomUUID(), responsable: 'essmar', que: 'Reponer las luminarias del parque', lugar: 'Parque', fecha_limite: '2027-06-30', indicador: 'Luminarias encendidas' };
  await pactoFirmado(barrio.id, [luces]);

  const context = await signedInContext(suite.browser, suite.server, {
    viewport: { width: 800, height: 1280 }, hasTouch: true, geolocation: { longitude: lon, latitude: lat }, permissions: ['geolocation'],
  });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  // With signal, once: the route page keeps the session's page and the barrio's context.
  await page.goto(`${suite.server.url}/ruta/${barrio.id}`);
  await waitForApp(page);
  await page.waitForSelector('[data-testid=miniauditorias] .empty');
  await waitForServiceWorker(page);
  await waitForKeptPages(page, [`/ruta/${barrio.id}`, `/ruta/${barrio.id}/miniauditoria`]);
  await page.click('[data-testid=new-miniauditoria]');
  await page.waitForSelector('[data-testid=mini-recorrido]');

  // In the barrio, no signal. The walk starts where the group stands: the dark corner.
  await context.setOffline(true);
  await page.click('[data-testid=mini-desde-aqui]');
  await page.waitForSelector('[data-testid=mini-punto] h2:has-text("Alumbrado")');
  assert.match(await page.textContent('[data-testid=mini-punto]'), /Lugar 1 de 2 · 2 marcas/);
  await page.click('.mini-answer[data-sigue=menos]');
  await page.waitForSelector('[data-testid=mini-status]:has-text("Sin conexión")');
  await page.locator('[data-testid=mini-nota]').fill('Pusieron dos lámparas <b>nuevas</b>');
  await page.locator('[data-testid=mini-nota]').blur();
  await page.click('[data-testid=mini-siguiente]');
  await page.waitForSelector('[data-testid=mini-punto] h2:has-text("basuras")');
  await page.click('.mini-answer[data-sigue=si]');
  await page.waitForSelector('[data-testid=mini-progress]:has-text("2 de 2")');
  await page.waitForSelector('.hotspot-glyph[data-tint=si]', { state: 'attached' });
  await page.screenshot({ path: `${artifacts}/miniauditoria-tablet.png`, fullPage: true });
  assert.deepEqual(await overflowing(page), []);
  assert.match(page.url(), /\/miniauditoria\?m=[0-9a-f-]{36}$/, 'the address names the session, so a reload reopens it');

  // Midway, the tablet reloads (still offline): every answer is there.
  await page.reload();
  await waitForApp(page);
  await page.waitForSelector('[data-testid=mini-progress]:has-text("2 de 2")');
  assert.equal(await page.locator('.hotspot-glyph[data-tint=menos]').count(), 1);

  // The pacto's compromiso, as the group finds it.
  await page.click('.mini-tab[data-parte=compromisos]');
  const k = page.locator(`[data-testid=mini-compromisos] li[data-compromiso="${luces.id}"]`);
  await k.locator('select').selectOption('cumplido');
  await k.locator('input').fill('Seis luminarias encendidas');
  await k.locator('input').blur();
  // An immediate measure.
  await page.click('.mini-tab[data-parte=medidas]');
  await page.fill('[data-testid=mini-medida-form] input[name=que]', 'Ronda a la salida del colegio');
  await page.selectOption('[data-testid=mini-medida-form] select[name=responsable]', 'policia');
  await page.fill('[data-testid=mini-medida-form] input[name=fecha_limite]', '2027-07-15');
  await page.click('[data-testid=mini-add-medida]');
  await page.waitForSelector('[data-testid=mini-medidas] li:has-text("Ronda a la salida del colegio")');
  // Who came, and closing.
  await page.click('.mini-tab[data-parte=asistencia]');
  for (const [name, n] of [['comunidad', '14'], ['policia', '1'], ['secretarias', '2']]) {
    await page.fill(`[data-testid=mini-asistencia] input[name=${name}]`, n);
    await page.locator(`[data-testid=mini-asistencia] input[name=${name}]`).blur();
  }
  await page.fill('[data-testid=mini-asistencia] input[name=lugar]', 'Caseta comunal');
  await page.locator('[data-testid=mini-asistencia] input[name=lugar]').blur();
  await page.waitForSelector('[data-testid=mini-asistencia] :text("Total: 17")');
  await page.click('[data-testid=mini-cerrar]');
  await page.click('[data-testid=mini-cerrar]');
  await page.waitForSelector('[data-testid=mini-cerrada]');
  await page.waitForSelector('[data-testid=mini-status]:has-text("Sin conexión")');

  // Back on the route, still offline: closed, waiting on the tablet; the server has nothing.
  await page.click('.crumbs a');
  await page.waitForSelector('[data-testid=miniauditorias] li[data-cerrada=true][data-waiting=true]');
  let stored = await (await suite.server.fetch(`/api/v1/barrios/${barrio.id}/miniauditorias`)).json();
  assert.deepEqual(stored, [], 'nothing reached the server yet');

  // The signal comes back: opening the route sends it.
  await context.setOffline(false);
  await page.reload();
  await waitForApp(page);
  await page.waitForSelector('[data-testid=miniauditorias] li[data-waiting=false]');
  stored = await (await suite.server.fetch(`/api/v1/barrios/${barrio.id}/miniauditorias`)).json();
  assert.equal(stored.length, 1);
  const [m] = stored;
  assert.equal(m.cerrada, true);
  assert.deepEqual(m.recorrido.map((p) => p.sigue), ['menos', 'si']);
  assert.equal(m.recorrido[0].nota, 'Pusieron dos lámparas <b>nuevas</b>');
  assert.deepEqual(m.compromisos, [{ compromiso_id: luces.id, estado: 'cumplido', evidencia: 'Seis luminarias encendidas' }]);
  assert.deepEqual([m.asistencia.comunidad, m.asistencia.policia, m.asistencia.secretarias, m.lugar], [14, 1, 2, 'Caseta comunal']);
  // The follow-up has the status found and the new measure.
  const board = await (await suite.server.fetch('/api/v1/seguimiento')).json();
  const line = (pred) => board.lineas.find((l) => l.barrio_id === barrio.id && pred(l.compromiso));
  assert.equal(line((c) => c.id === luces.id).estado, 'cumplido');
  assert.equal(line((c) => c.que === 'Ronda a la salida del colegio').compromiso.responsable, 'policia');

  // Staff print the informe: then and now, the compromiso, the measure, signatures.
  await page.click('[data-testid=miniauditorias] li a:has-text("Ver informe")');
  await page.waitForSelector('[data-testid=mini-informe]');
  assert.equal(await page.locator('[data-testid=mini-informe] .hotspot-map').count(), 2, 'the map then and now');
  assert.equal(await page.locator('[data-testid=mini-informe] .hotspot-glyph[data-tint]').count(), 2);
  assert.equal(await page.locator('[data-testid=mini-informe] td b').count(), 0, 'typed text stays text');
  await page.screenshot({ path: `${artifacts}/miniauditoria-informe.png`, fullPage: true });
  const pdf = await pdfText(page, 'informe-miniauditoria');
  for (const [format, text] of Object.entries(pdf)) {
    assert.match(text, /Informe de miniauditoría — Pescaíto/, format);
    assert.match(text, /paso 6:\s+miniauditorías/, format);
    assert.match(text, /Sigue: 1 · Menos: 1 · Ya no: 0 · No sé: 0 · Sin visitar: 0/, format);
    assert.match(text, /Pusieron dos lámparas <b>nuevas<\/b>/, `${format}: the note as typed`);
    assert.match(text, /ESSMAR[^\n]*Reponer las[^\n]*Cumplido/, `${format}: the compromiso as found:\n${text}`);
    assert.match(text, /Ronda a la salida del colegio/, format);
    assert.match(text, /14\s+1\s+2\s+0\s+17/, `${format}: attendance by sector`);
    assert.match(text, /Firmas/, format);
  }

  // A facilitator may start one on a phone too: nothing spills sideways at 360 px.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${suite.server.url}/ruta/${barrio.id}/miniauditoria`);
  await waitForApp(page);
  await page.waitForSelector('[data-testid=mini-recorrido]');
  assert.deepEqual(await overflowing(page), []);
  await page.screenshot({ path: `${artifacts}/miniauditoria-phone.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
