// Paso 7 as the Secretaría lives it (issue 25): the follow-up board shows every compromiso of
// the barrios' pactos in force, overdue first, counted by institution and barrio; staff filter
// it down to what a committee will review, record the committee's session with each
// compromiso's new status, and print its acta; back on the board, what the committee changed
// and what changed after it is marked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { signedInContext } from '../support/server.mjs';
import { staffApi } from '../support/staff-api.mjs';
import { waitForApp, collectPageErrors, artifacts } from '../support/browser.mjs';
import { overflowing } from '../support/checks.mjs';
import { pdfText } from '../support/documents.mjs';

const suite = serverAndBrowser();
const { api, pactoFirmado } = staffApi(suite);
const compromiso = (responsable, que, fecha) => ({
  id: crypto.randomUUID(), responsable, que, lugar: 'Parque central', fecha_limite: fecha, indicador: 'Verificado en la visita',
});

test('the follow-up board, a committee recorded on it, and its printed acta', async () => {
  const pescaito = await suite.barrioByCode('pescaito');
  const bastidas = await suite.barrioByCode('bastidas');
  const luces = compromiso('essmar', 'Reponer las luminarias del parque', '2020-01-31');
  const patrulla = compromiso('policia', 'Patrullaje nocturno del cuadrante', '2099-12-31');
  const poda = compromiso('essmar', 'Podar los árboles de la cancha', '2099-06-30');
  const p1 = await pactoFirmado(pescaito.id, [luces, patrulla]);
  await pactoFirmado(bastidas.id, [poda]);

  const context = await signedInContext(suite.browser, suite.server, { viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${suite.server.url}/equipo`);
  await waitForApp(page);
  await page.click('[data-testid=seguimiento-link]');
  await page.waitForURL(/\/seguimiento$/);
  await page.waitForSelector('[data-testid=seguimiento-lineas] tbody tr');
  // Overdue first, and counted.
  const rows = () => page.$$eval('[data-testid=seguimiento-lineas] tbody tr', (trs) => trs.map((tr) => tr.dataset.compromiso));
  assert.deepEqual((await rows()).length, 3);
  assert.equal((await rows())[0], luces.id, 'the overdue one first');
  assert.equal(await page.textContent('[data-testid=cifra-vencidos]'), '1');
  const essmar = await page.$$eval('[data-testid=por-institucion] tbody tr[data-clave=essmar] td', (tds) => tds.map((t) => t.textContent.trim()));
  assert.deepEqual(essmar.slice(0, 2), ['2', '1'], 'ESSMAR: two compromisos, one overdue');

  // Filtered to ESSMAR: the committee reviews those two.
  await page.selectOption('[data-testid=filtro-institucion]', 'essmar');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=seguimiento-lineas] tbody tr').length === 2);
  await page.screenshot({ path: `${artifacts}/seguimiento-desktop.png`, fullPage: true });
  await page.click('[data-testid=registrar-comite]');
  await page.waitForSelector('[data-testid=comite-form]');
  assert.equal(await page.locator('[data-testid=comite-revisiones] li').count(), 2);
  await page.fill('[data-testid=comite-form] input[name=fecha]', '2027-03-02');
  await page.fill('[data-testid=comite-form] input[name=lugar]', 'Alcaldía, sala 2');
  await page.fill('[data-testid=comite-form] textarea[name=asistentes]', 'ESSMAR, Policía, JAC de Pescaíto, <b>CBSC</b>');
  const revision = (id) => page.locator(`[data-testid=comite-revisiones] li[data-compromiso="${id}"]`);
  await revision(luces.id).locator('select[name=estado]').selectOption('cumplido');
  await revision(luces.id).locator('input[name=nota]').fill('Luminarias repuestas el 1 de marzo');
  await revision(poda.id).locator('input[name=nota]').fill('Sigue en trámite');
  // Narrowing the list and widening it again redraws the rows: what was chosen stays.
  await page.selectOption('[data-testid=filtro-barrio]', String(pescaito.id));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=comite-revisiones] li').length === 1);
  await page.selectOption('[data-testid=filtro-barrio]', '');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=comite-revisiones] li').length === 2);
  assert.equal(await revision(luces.id).locator('select[name=estado]').inputValue(), 'cumplido');
  assert.equal(await revision(poda.id).locator('input[name=nota]').inputValue(), 'Sigue en trámite');
  await page.screenshot({ path: `${artifacts}/comite-form-desktop.png`, fullPage: true });
  await page.click('[data-testid=guardar-comite]');

  // The acta: what each compromiso was and is, the note, signatures; on A4 and Letter.
  await page.waitForURL(/\/seguimiento\/comites\/[0-9a-f-]{36}$/);
  await page.waitForSelector('[data-testid=comite-doc]');
  assert.match(await page.textContent('[data-testid=comite-resumen]'), /2 compromisos revisados · 1 cambio de estado/);
  assert.equal(await page.locator('[data-testid=comite-doc] b').count(), 0, 'typed text stays text');
  const pdf = await pdfText(page, 'acta-comite');
  for (const [format, text] of Object.entries(pdf)) {
    assert.match(text, /Acta del comité interinstitucional n\.º 1/, format);
    // Columns wrap on paper: each row's start is on one line.
    assert.match(text, /Pescaíto\s+ESSMAR[^\n]*Reponer las[^\n]*Pendiente\s+Cumplido\s+Luminarias/, `${format}: before, after and the note:\n${text}`);
    assert.match(text, /Pendiente\s+Pendiente\s+Sigue en trámite/, format);
    assert.match(text, /<b>CBSC<\/b>/, `${format}: the attendance as typed`);
  }

  // Back on the board: the committee's change is kept, and a later change is marked.
  const later = await api(`/pactos/${p1}/compromisos/${patrulla.id}/estados`, { estado: 'en_curso', evidencia: 'Ronda del 5 de marzo' });
  assert.equal(later.status, 201, JSON.stringify(later.body));
  await page.goto(`${suite.server.url}/seguimiento`);
  await waitForApp(page);
  await page.waitForSelector('[data-testid=comites] a');
  assert.equal(await page.textContent('[data-testid=cifra-vencidos]'), '0', 'fulfilled is no longer overdue');
  assert.equal(await page.textContent('[data-testid=cifra-cambios]'), '1');
  await page.selectOption('[data-testid=filtro-estado]', 'cambio');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=seguimiento-lineas] tbody tr').length === 1);
  assert.deepEqual(await rows(), [patrulla.id]);
  assert.equal((await page.textContent('[data-testid=seguimiento-lineas] [data-testid=desde-comite]')).trim(), 'Pendiente → En curso');
  const history = await api(`/pactos/${p1}`);
  assert.ok(history.body.estados.some((e) => e.evidencia.startsWith('Comité interinstitucional n.º 1 del 2027-03-02')), JSON.stringify(history.body.estados));

  // A tablet held upright: nothing spills sideways.
  await page.setViewportSize({ width: 800, height: 1280 });
  await page.selectOption('[data-testid=filtro-estado]', '');
  assert.deepEqual(await overflowing(page), []);
  await page.screenshot({ path: `${artifacts}/seguimiento-tablet.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
