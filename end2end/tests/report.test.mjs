// The printable report as a Secretaría gets it: marks (points, a route, a zone) from two
// workshops, causes and solutions, one generated version, and its report — ranked problems,
// causes, solutions under their institution, a map with one symbol per hotspot, no alias
// anywhere — printed to PDF on A4 and Letter and looked at as images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { serverAndBrowser } from '../support/suite.mjs';
import { signedInContext } from '../support/server.mjs';
import { staffApi } from '../support/staff-api.mjs';
import { waitForApp, collectPageErrors, artifacts } from '../support/browser.mjs';

const suite = serverAndBrowser();
const { api, centreOf, sendMarks, postTree, workshop } = staffApi(suite);
const ALIASES = ['VecinaRosa7', 'PedroMoto', 'LuzDeLa5', 'ChepeX'];

const point = (lon, lat) => ({ type: 'Point', coordinates: [lon, lat] });
const line = (...ps) => ({ type: 'LineString', coordinates: ps });
const square = (lon, lat, d) => ({
  type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

/** Pages of a PDF, by poppler's pdfinfo. */
function pdfPages(file) {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(info.match(/^Pages:\s+(\d+)/m)[1]);
}

test('the report of a diagnóstico reads as a signed document, prints on A4 and Letter, and names no participant', async () => {
  const barrio = await suite.barrioByCode('pescaito');
  const [lon, lat] = await centreOf(barrio.id);
  const [w1, w2] = [await workshop(barrio.id, '2026-11-21'), await workshop(barrio.id, '2026-11-28')];
  const [rosa, pedro, luz, chepe] = ALIASES;
  // Thefts: three marks ~11 m apart by three people in two workshops. Fights: two, told in
  // both workshops. A dark alley walked twice as a route in the first; a rubbish zone; a
  // sensitive drug-selling point; and a park (a protective factor, not a problem).
  const first = await sendMarks(barrio.id, w1, [
    ['hurto_personas', point(lon, lat), rosa, ['noche']],
    ['hurto_personas', point(lon + 0.0001, lat), pedro, ['noche', 'madrugada']],
    ['rinas', point(lon + 0.0012, lat - 0.0002), rosa, ['noche']],
    ['callejon_oscuro', line([lon - 0.001, lat + 0.0008], [lon, lat + 0.0009], [lon + 0.001, lat + 0.0008]), pedro, ['noche']],
    ['callejon_oscuro', line([lon - 0.001, lat + 0.00085], [lon, lat + 0.00095], [lon + 0.001, lat + 0.00085]), rosa, []],
    ['punto_basura', square(lon - 0.001, lat - 0.001, 0.0004), rosa, ['manana']],
  ]);
  const second = await sendMarks(barrio.id, w2, [
    ['hurto_personas', point(lon, lat + 0.0001), luz, ['tarde']],
    ['rinas', point(lon + 0.00125, lat - 0.0002), luz, ['madrugada']],
    ['expendio_sustancias', point(lon - 0.0012, lat + 0.0003), chepe, ['noche']],
    ['parque', point(lon + 0.0005, lat - 0.001), luz, []],
  ]);
  const [hurtoA, hurtoB, rinaA, alleyA, alleyB] = first;
  const [hurtoC, rinaB] = second;
  const lighting = await postTree('causes', {
    barrio_id: barrio.id, category: 'falta_iluminacion', text: 'El poste de la esquina lleva meses dañado',
    problem_ids: [hurtoA, hurtoB, hurtoC, alleyA, alleyB], alias: rosa,
  });
  const liquor = await postTree('causes', {
    barrio_id: barrio.id, category: 'consumo_alcohol', text: 'Venden licor hasta la madrugada', problem_ids: [rinaA, rinaB], alias: pedro,
  });
  await postTree('solutions', { barrio_id: barrio.id, text: 'Reparar el alumbrado de la calle del callejón', institution: 'essmar', cause_ids: [lighting], alias: luz });
  await postTree('solutions', { barrio_id: barrio.id, text: 'Patrullaje del cuadrante en la noche', institution: 'policia', cause_ids: [lighting, liquor], alias: luz });
  await postTree('solutions', { barrio_id: barrio.id, text: 'Escuela de fútbol para los jóvenes', institution: 'deporte_cultura', cause_ids: [liquor], alias: chepe });
  const generated = await api(`/barrios/${barrio.id}/diagnosticos`, { created_by: 'Marta Gómez (Secretaría)' });
  assert.equal(generated.status, 201, JSON.stringify(generated.body));
  const { number, diagnostico } = generated.body;
  assert.equal(diagnostico.hotspots.length, 6, 'five problems and a park');
  const reportPath = `/diagnostico/${barrio.id}/informe/${number}`;

  // The server sends only the empty shell: nothing anybody said is in cacheable HTML.
  const shell = await (await fetch(suite.server.url + reportPath)).text();
  for (const secret of [...ALIASES, 'poste de la esquina', 'Patrullaje']) assert.ok(!shell.includes(secret), `${secret} in the server's HTML`);

  const context = await signedInContext(suite.browser, suite.server, { viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  // The staff page links to the report beside its downloads.
  await page.goto(`${suite.server.url}/diagnostico/${barrio.id}`);
  await waitForApp(page);
  await page.click('[data-testid=report-link]');
  await page.waitForURL(new RegExp(`${reportPath}$`));
  await page.waitForSelector('[data-testid=report] [data-testid=problems]');

  const text = await page.innerText('[data-testid=report]');
  assert.match(text, new RegExp(`Diagnóstico temprano — Barrio ${barrio.name}`));
  assert.match(text, /Alcaldía Distrital de Santa Marta · Secretaría de Seguridad y Convivencia/i);
  assert.match(text, /MM-GSC-P-003/);
  // The account that generated the version, not a name typed in the request.
  assert.match(text, /Administración \(pruebas\)/);
  assert.doesNotMatch(text, /Marta Gómez/);
  assert.match(text, /Documento de uso interno: contiene la ubicación de reportes sensibles; no publicar sin editar por seguridad/);
  for (const role of ['Elaboró', 'Revisó', 'Aprobó']) assert.match(text, new RegExp(role, 'i'));
  assert.equal(await page.textContent('[data-testid=report-version]'), String(number));
  assert.equal(await page.textContent('[data-testid=report-radius]'), '50 m');
  assert.equal(await page.textContent('[data-testid=participants]'), '4', 'four aliases, counted once each');
  assert.equal(await page.getAttribute('[data-testid=summary]', 'data-marks'), '10');
  assert.equal(await page.getAttribute('[data-testid=summary]', 'data-workshops'), '2');

  // Problems ranked by marks, then people, then workshops; the park apart.
  const rows = await page.$$eval('[data-testid=problems] tbody tr', (trs) => trs.map((tr) => [tr.dataset.category, tr.dataset.count, tr.dataset.participants, tr.dataset.workshops]));
  assert.deepEqual(rows.slice(0, 3), [['hurto_personas', '3', '3', '2'], ['rinas', '2', '2', '2'], ['callejon_oscuro', '2', '2', '1']]);
  assert.deepEqual(rows.slice(3).map((r) => r[0]).sort(), ['expendio_sustancias', 'punto_basura']);
  const problemsText = await page.innerText('[data-testid=problems]');
  assert.match(problemsText, /Hurto a personas/);
  assert.match(problemsText, /Ruta/);
  assert.match(problemsText, /Zona/);
  assert.match(problemsText, /Noche \(2\)/, 'the time-of-day profile of the thefts');
  assert.deepEqual(await page.$$eval('[data-testid=others] tbody tr', (trs) => trs.map((tr) => tr.dataset.category)), ['parque']);

  // Causes ranked, with the community's words.
  const causes = await page.$$eval('[data-testid=causes] tbody tr', (trs) => trs.map((tr) => [tr.dataset.category, tr.dataset.problems]));
  assert.deepEqual(causes, [['falta_iluminacion', '5'], ['consumo_alcohol', '2']]);
  const causesText = await page.innerText('[data-testid=causes]');
  assert.match(causesText, /Falta de iluminación/);
  assert.match(causesText, /«El poste de la esquina lleva meses dañado»/);
  assert.match(causesText, /Explica: Hurto a personas \(3\), Callejón/);

  // Solutions under the institution responsible, the one reaching most problems first.
  const institutions = await page.$$eval('[data-testid=solutions] .report-institution', (els) => els.map((el) => el.dataset.institution));
  assert.deepEqual(institutions, ['policia', 'essmar', 'deporte_cultura']);
  const under = async (code) => page.innerText(`.report-institution[data-institution=${code}]`);
  assert.match(await under('policia'), /Policía Nacional[\s\S]*Patrullaje del cuadrante en la noche/);
  assert.match(await under('essmar'), /ESSMAR[\s\S]*Reparar el alumbrado/);
  assert.match(await under('deporte_cultura'), /Escuela de fútbol para los jóvenes/);

  // The map: one symbol per hotspot, with its count; the theft spot (3 marks) wider than the
  // drug-selling one (1 mark) by √3, and that one locked as sensitive. No handlers in print.
  const glyphs = await page.$$eval('[data-testid=hotspot-map] [data-hotspot-id]', (gs) => gs.map((g) => [g.dataset.hotspotId, g.dataset.count, g.getAttribute('tabindex')]));
  assert.equal(glyphs.length, diagnostico.hotspots.length);
  assert.deepEqual(glyphs.map((g) => g[0]).sort(), diagnostico.hotspots.map((h) => h.id).sort());
  for (const h of diagnostico.hotspots) assert.equal(glyphs.find((g) => g[0] === h.id)[1], String(h.count));
  assert.ok(glyphs.every((g) => g[2] === null), 'not focusable in the report');
  const width = async (category) => page.$eval(`[data-testid=hotspot-map] [data-category=${category}] .hotspot-marker`, (m) => m.getBoundingClientRect().width);
  const ratio = (await width('hurto_personas')) / (await width('expendio_sustancias'));
  assert.ok(ratio > 1.6 && ratio < 1.85, `3 marks look √3 as wide as 1 (got ${ratio.toFixed(2)})`);
  assert.equal(await page.locator('[data-testid=hotspot-map] [data-category=expendio_sustancias] .hotspot-lock').count(), 1);
  assert.equal(await page.locator('[data-testid=hotspot-map] [data-category=hurto_personas] .hotspot-lock').count(), 0);
  const legend = await page.$$eval('[data-testid=hotspot-legend] .legend-categories li', (lis) => lis.map((li) => li.dataset.category));
  assert.equal(new Set(legend).size, 6, 'one legend line per category present');

  // Participants only as counts: no alias in the page, visible or not.
  const html = await page.content();
  for (const alias of ALIASES) assert.ok(!html.includes(alias), `${alias} appears in the report`);
  await page.screenshot({ path: `${artifacts}/report-1024.png`, fullPage: true });

  // Paper: A4 and Letter, a sane number of pages, the title in the text, pages as images.
  for (const format of ['A4', 'Letter']) {
    const file = join(artifacts, `report-${format}.pdf`);
    await page.pdf({ path: file, format, printBackground: true });
    const pages = pdfPages(file);
    assert.ok(pages >= 1 && pages <= 4, `${format}: ${pages} pages`);
    const pdfText = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    assert.match(pdfText, new RegExp(`Diagnóstico temprano — Barrio ${barrio.name}`), `${format}: the title`);
    assert.match(pdfText, /Página 1 de \d/, `${format}: page numbers`);
    for (const alias of ALIASES) assert.ok(!pdfText.includes(alias), `${format}: ${alias} printed`);
    const isPage = (f) => f.startsWith(`report-${format}-page`) && f.endsWith('.png');
    for (const old of readdirSync(artifacts).filter(isPage)) rmSync(join(artifacts, old));
    execFileSync('pdftoppm', ['-r', '60', '-png', file, join(artifacts, `report-${format}-page`)]);
    const images = readdirSync(artifacts).filter(isPage);
    assert.equal(images.length, pages, `${format}: one image per page`);
    console.log(`# ${format}: ${pages} pages`);
  }

  await page.setViewportSize({ width: 360, height: 740 });
  await page.screenshot({ path: `${artifacts}/report-360.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
