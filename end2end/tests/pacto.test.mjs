// Paso 4 as the Secretaría lives it (issue 24): a diagnóstico becomes a pacto draft; the
// community's solutions become compromisos, with a place, a date and an indicator each; the
// printed pacto reads right on A4 and Letter (compromisos by institution, a signature for each
// institution and for the CBSC); the signed scan is kept as paso 4's registro and the pacto no
// longer changes; a compromiso's status is followed up with its evidence. A facilitator of the
// barrio reads it all on a phone, with nothing to edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { signedInContext, createUser } from '../support/server.mjs';
import { staffApi } from '../support/staff-api.mjs';
import { waitForApp, collectPageErrors, artifacts } from '../support/browser.mjs';
import { overflowing } from '../support/checks.mjs';
import { pdfText } from '../support/documents.mjs';

const suite = serverAndBrowser();
const { api, centreOf, sendMarks, postTree, workshop } = staffApi(suite);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const point = (lon, lat) => ({ type: 'Point', coordinates: [lon, lat] });

test('from a diagnóstico to a signed pacto: drafted, printed, signed, kept and followed up', async () => {
  const barrio = await suite.barrioByCode('pescaito');
  const [lon, lat] = await centreOf(barrio.id);
  const w = await workshop(barrio.id, '2026-11-21');
  const [hurtoA, hurtoB, oscuro] = await sendMarks(barrio.id, w, [
    ['hurto_personas', point(lon, lat), 'VecinaRosa7'],
    ['hurto_personas', point(lon + 0.0001, lat), 'PedroMoto'],
    ['alumbrado_deficiente', point(lon + 0.001, lat), 'VecinaRosa7'],
    ['expendio_sustancias', point(lon - 0.0012, lat + 0.0003), 'ChepeX'],
  ]);
  const luz = await postTree('causes', {
    barrio_id: barrio.id, category: 'falta_iluminacion', text: 'Los postes no sirven', problem_ids: [hurtoA, hurtoB, oscuro], alias: 'VecinaRosa7',
  });
  await postTree('solutions', { barrio_id: barrio.id, text: 'Reparar el alumbrado de la calle 8', institution: 'essmar', cause_ids: [luz], alias: 'PedroMoto' });
  await postTree('solutions', { barrio_id: barrio.id, text: 'Patrullaje del cuadrante en la noche', institution: 'policia', cause_ids: [luz], alias: 'ChepeX' });
  const generated = await api(`/barrios/${barrio.id}/diagnosticos`, { created_by: 'Marta Gómez (Secretaría)' });
  assert.equal(generated.status, 201, JSON.stringify(generated.body));
  const ciclo = await suite.server.fetch(`/api/v1/barrios/${barrio.id}/ciclos`, { method: 'POST' });
  assert.equal(ciclo.status, 201);
  const acta = await api('/actas', {
    id: crypto.randomUUID(), barrio_id: barrio.id, version: 1, kind: 'socializacion', fecha: '2026-12-10', lugar: 'Salón comunal',
    asistencia: { comunidad: 24, policia: 2, secretarias: 3, otras: 1 }, agenda: 'Socialización del diagnóstico',
    desarrollo: '', decisiones: '', compromisos: [], updated_at_ms: Date.now(), deleted: false,
  });
  assert.equal(acta.status, 201, JSON.stringify(acta.body));

  // A tablet: the barrio has no pacto; a new one is drafted from the diagnóstico.
  const context = await signedInContext(suite.browser, suite.server, { viewport: { width: 800, height: 1280 }, hasTouch: true });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${suite.server.url}/ruta/${barrio.id}/pacto`);
  await waitForApp(page);
  await page.waitForSelector('[data-testid=no-pactos]');
  await page.click('[data-testid=crear-pacto]');
  await page.waitForURL(/\/pacto\/[0-9a-f-]{36}$/);
  const pactoId = page.url().split('/').pop();
  await page.waitForSelector('[data-testid=pacto-editor]');
  const draftText = await page.textContent('main');
  assert.match(draftText, /Hurto a personas/, 'the diagnóstico\'s problems are carried over');
  assert.match(draftText, /Falta de iluminación/, 'with the causes tied to them');

  // The community's two solutions become compromisos of the institutions they name; staff
  // add the CBSC's own.
  const convert = page.locator('[data-testid=convertir]');
  assert.equal(await convert.count(), 2);
  await convert.nth(0).click();
  await convert.nth(1).click();
  await page.click('[data-testid=agregar-compromiso]');
  const cards = page.locator('[data-testid=compromisos] .pacto-card');
  assert.equal(await cards.count(), 3);
  for (let i = 0; i < 3; i += 1) {
    await cards.nth(i).locator('input[name=fecha_limite]').fill('2027-03-31');
    await cards.nth(i).locator('input[name=indicador]').fill('Verificado en la visita de seguimiento');
  }
  const places = await cards.nth(0).locator('select[name=hotspot] option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(places.length >= 3, 'the diagnóstico\'s places are offered');
  await cards.nth(0).locator('select[name=hotspot]').selectOption(places[0]);
  await cards.nth(0).locator('input[name=lugar]').fill('Calle 8 con carrera 3');
  await cards.nth(2).locator('select[name=responsable]').selectOption('cbsc');
  await cards.nth(2).locator('textarea[name=que]').fill('Convocar a los vecinos a la jornada de limpieza del lote');
  await page.fill('.pacto-editor input[name=fecha]', '2026-12-12');
  await page.fill('.pacto-editor input[name=lugar] >> nth=0', 'Salón comunal de Pescaíto');
  await page.selectOption('select[name=acta]', acta.body.id);
  await page.waitForSelector('[data-testid=sin-guardar]');
  await page.click('[data-testid=guardar-pacto]');
  await page.waitForSelector('[data-testid=sin-guardar]', { state: 'detached' });
  let { body: detalle } = await api(`/pactos/${pactoId}`);
  assert.equal(detalle.pacto.revision, 2);
  assert.deepEqual(detalle.pacto.contenido.compromisos.map((c) => c.responsable).sort(), ['cbsc', 'essmar', 'policia']);
  assert.equal(detalle.pacto.contenido.acta_id, acta.body.id);
  await page.screenshot({ path: `${artifacts}/pacto-tablet-draft.png`, fullPage: true });

  // The printed draft: marked as a draft, compromisos under their institution, a signature for
  // each institution and the CBSC.
  const print = await context.newPage();
  const printErrors = collectPageErrors(print);
  await print.goto(`${suite.server.url}/ruta/${barrio.id}/pacto/${pactoId}/imprimir`);
  await waitForApp(print);
  await print.waitForSelector('[data-testid=pacto-doc][data-estado=borrador]');
  const draftPdf = await pdfText(print, 'pacto-borrador');
  for (const format of ['A4', 'Letter']) {
    const text = draftPdf[format];
    assert.match(text, /BORRADOR/, `${format}: a draft says so`);
    assert.match(text, /Pacto de seguridad y convivencia/);
    assert.match(text, /Pescaíto/);
    const essmar = text.indexOf('ESSMAR');
    const policia = text.indexOf('Policía Nacional');
    assert.ok(essmar >= 0 && policia >= 0, `${format}: both institutions are named`);
    const alumbrado = text.indexOf('Reparar el alumbrado');
    const patrullaje = text.indexOf('Patrullaje del cuadrante');
    assert.ok(alumbrado > essmar, `${format}: ESSMAR's compromiso is under ESSMAR`);
    assert.ok(patrullaje > policia, `${format}: the police's compromiso is under the police`);
    assert.match(text, /Calle 8 con carrera\s+3/);
    assert.match(text, /Comité Barrial de Seguridad y Convivencia/);
    assert.ok(!/VecinaRosa7|PedroMoto|ChepeX/.test(text), `${format}: no participant's alias is printed`);
  }

  // Signed: the scan is kept as paso 4's registro, and the pacto is read-only from then on.
  await page.click('[data-testid=firma] summary');
  await page.fill('input[name=fecha_firma]', '2026-12-12');
  await page.setInputFiles('input[name=scan]', { name: 'pacto firmado.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.click('[data-testid=marcar-firmado]');
  await page.waitForSelector('[data-testid=pacto-head][data-estado=vigente]');
  await page.waitForSelector('[data-testid=seguimiento]');
  assert.equal(await page.locator('[data-testid=pacto-editor]').count(), 0, 'a signed pacto has no editor');
  ({ body: detalle } = await api(`/pactos/${pactoId}`));
  assert.equal(detalle.pacto.estado, 'firmado');
  const registro = await (await suite.server.fetch(`/api/v1/registros/${detalle.pacto.firma.registro_id}/archivo`)).arrayBuffer();
  assert.deepEqual(Buffer.from(registro), PDF, 'the signed scan comes back byte for byte');
  const save = await suite.server.fetch(`/api/v1/pactos/${pactoId}`, {
    method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ revision: 2, contenido: detalle.pacto.contenido }),
  });
  assert.equal(save.status, 409, 'a signed pacto refuses a change');

  // Follow-up: ESSMAR's compromiso is under way, with its evidence in the history.
  const first = page.locator('[data-testid=seguimiento] > li').first();
  await first.locator('.pacto-cambio summary').click();
  await first.locator('select[name=estado]').selectOption('en_curso');
  await first.locator('textarea[name=evidencia]').fill('Oficio con la orden de trabajo 2031');
  await first.locator('form button[type=submit]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=seguimiento] > li')?.textContent.includes('Oficio con la orden de trabajo 2031'));
  ({ body: detalle } = await api(`/pactos/${pactoId}`));
  assert.deepEqual(detalle.estados.map((e) => [e.estado, e.evidencia]), [['en_curso', 'Oficio con la orden de trabajo 2031']]);
  await page.screenshot({ path: `${artifacts}/pacto-tablet-signed.png`, fullPage: true });

  // Published, "editado por seguridad": the compromisos staff approve, in their words, show on
  // the barrio's public page with their status; an anonymous visitor reads them.
  await page.click('.pacto-publicar-form summary');
  const approve = page.locator('.pacto-publicar-form input[name=aprobado]');
  for (let i = 0; i < await approve.count(); i += 1) await approve.nth(i).check();
  await page.click('[data-testid=vista-previa]');
  await page.waitForSelector('[data-testid=vista-previa-pacto]');
  await page.click('[data-testid=publicar]');
  await page.waitForSelector('[data-testid=publicacion-vigente]');
  const visitor = await suite.browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
  const publicPage = await visitor.newPage();
  const publicErrors = collectPageErrors(publicPage);
  await publicPage.goto(`${suite.server.url}/publico/${barrio.id}`);
  await waitForApp(publicPage);
  await publicPage.waitForSelector('[data-testid=compromisos-publicos]');
  const published = await publicPage.textContent('[data-testid=compromisos-publicos]');
  assert.match(published, /Patrullaje del cuadrante en la noche/);
  assert.match(published, /En curso/, 'the status is shown as it is now');
  assert.ok(!/VecinaRosa7|PedroMoto|ChepeX/.test(published));
  assert.deepEqual(await overflowing(publicPage), []);
  await publicPage.screenshot({ path: `${artifacts}/pacto-public-phone.png`, fullPage: true });
  assert.deepEqual(publicErrors, []);
  await visitor.close();

  // The police's page lists its compromiso in Pescaíto, and its CSV downloads.
  await page.goto(`${suite.server.url}/instituciones/policia`);
  await waitForApp(page);
  await page.waitForSelector('[data-testid=institucion-compromisos]');
  assert.match(await page.textContent('[data-testid=institucion-compromisos]'), /Pescaíto[\s\S]*Patrullaje del cuadrante/);
  const csv = await context.request.get(`${suite.server.url}${await page.getAttribute('[data-testid=institucion-csv]', 'href')}`);
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /Patrullaje del cuadrante en la noche/);

  // The signed pacto prints without the draft's mark.
  await print.reload();
  await waitForApp(print);
  await print.waitForSelector('[data-testid=pacto-doc][data-estado=firmado]');
  const signedPdf = await pdfText(print, 'pacto-firmado');
  assert.ok(!/BORRADOR/.test(signedPdf.A4), 'the signed pacto is not marked as a draft');
  assert.match(signedPdf.A4, /Convocar a los vecinos a la jornada de limpieza/);

  // The barrio's facilitator, on a phone: reads the pacto and its follow-up, edits nothing.
  await createUser(suite.server, { username: 'facilita-pacto', role: 'facilitator', barrios: [barrio.id] });
  const phone = await signedInContext(suite.browser, suite.server, { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true },
    { username: 'facilita-pacto', password: 'clave de prueba e2e' });
  const reader = await phone.newPage();
  const readerErrors = collectPageErrors(reader);
  await reader.goto(`${suite.server.url}/ruta/${barrio.id}/pacto/${pactoId}`);
  await waitForApp(reader);
  await reader.waitForSelector('[data-testid=seguimiento]');
  assert.match(await reader.textContent('[data-testid=seguimiento]'), /Oficio con la orden de trabajo 2031/);
  assert.equal(await reader.locator('.pacto-cambio, [data-testid=otrosi], [data-testid=pacto-editor]').count(), 0, 'nothing to edit');
  assert.deepEqual(await overflowing(reader), [], 'nothing wider than the phone');
  await reader.screenshot({ path: `${artifacts}/pacto-phone-facilitator.png`, fullPage: true });

  assert.ok(!/\b1 (talleres|marcas|causas|soluciones)\b/.test(draftPdf.A4), 'the context counts in good Spanish');
  assert.deepEqual(errors, [], 'no page errors (hydration included)');
  assert.deepEqual(printErrors, []);
  assert.deepEqual(readerErrors, []);
  await Promise.all([context.close(), phone.close()]);
});
