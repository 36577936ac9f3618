// La ruta del barrio as staff and facilitators live it (issue 21): /ruta lists every barrio by
// its step; staff open a ciclo, keep a registro by choosing a file, move on with a reason for
// what is missing, and see it on the timeline; a facilitator of the barrio reads the steps
// without the files. Phone first, then tablet and desktop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { signedInContext, createUser } from '../support/server.mjs';
import { waitForApp, collectPageErrors, artifacts } from '../support/browser.mjs';
import { overflowing } from '../support/checks.mjs';

const suite = serverAndBrowser();

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

test('staff walk a barrio through its first steps, keeping a registro on the way', async () => {
  const barrio = await suite.barrioByCode('pescaito');
  const context = await signedInContext(suite.browser, suite.server, { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors = collectPageErrors(page);

  // Every barrio starts without a ciclo.
  await page.goto(`${suite.server.url}/ruta`);
  await waitForApp(page);
  await page.waitForSelector('[data-testid=ruta-count][data-shown="327"]');
  assert.equal(await page.locator('.ruta-row[data-paso="0"]').count(), 327);
  await page.waitForSelector('[data-testid=city-map] path');
  assert.deepEqual(await overflowing(page), [], 'the step chips scroll within their row, the page does not');
  await page.fill('input[name=ruta-search]', 'pescai');
  await page.waitForSelector('[data-testid=ruta-count][data-shown="1"]');
  await page.click(`.ruta-row[data-code=pescaito]`);
  await page.waitForURL(`**/ruta/${barrio.id}`);

  // Open a ciclo: the timeline shows the nine steps, the first one current.
  await page.click('[data-testid=open-ciclo]');
  await page.waitForSelector('[data-testid=ciclo][data-paso="1"]');
  assert.equal(await page.locator('.ruta-step').count(), 9);
  assert.equal(await page.getAttribute('.ruta-step[data-paso="1"]', 'data-state'), 'current');
  assert.equal(await page.locator('.ruta-step[data-state=ahead]').count(), 8);
  assert.equal(await page.getAttribute('.ruta-step[data-paso="1"] .registro-checks li', 'data-kept'), 'false');
  await page.screenshot({ path: `${artifacts}/ruta-barrio-phone-open.png`, fullPage: true });

  // Step 1's informe: chosen as a file, kept, listed with a download link.
  await page.click('.ruta-step[data-paso="1"] .add-registro summary');
  const form = page.locator('[data-testid=upload-1]');
  await form.locator('select[name=tipo]').selectOption('informe');
  await form.locator('input[name=fecha]').fill('2026-11-30');
  await form.locator('textarea[name=descripcion]').fill('Balance de seguridad <b>2026</b>');
  await form.locator('input[type=file]').setInputFiles({ name: 'informe año.pdf', mimeType: 'application/pdf', buffer: PDF });
  await form.locator('button[type=submit]').click();
  await page.waitForSelector('.ruta-step[data-paso="1"] .registro-checks li[data-kept=true]');
  const file = page.locator('.ruta-step[data-paso="1"] [data-testid=registro-files] li');
  assert.match(await file.innerText(), /informe año\.pdf/);
  assert.match(await file.innerText(), /Balance de seguridad <b>2026<\/b>/, 'the description is shown as typed, never as markup');
  const href = await file.locator('a[download]').getAttribute('href');
  const download = await context.request.get(`${suite.server.url}${href}`);
  assert.equal(download.status(), 200);
  assert.deepEqual(Buffer.from(await download.body()), PDF, 'the file comes back byte for byte');

  // A file that is not a document is refused with the server's words.
  await page.click('.ruta-step[data-paso="1"] .add-registro summary');
  await form.locator('input[type=file]').setInputFiles({ name: 'foto.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><script>alert(1)</script>') });
  await form.locator('button[type=submit]').click();
  await page.waitForSelector('[data-testid=ruta-error]');
  assert.match(await page.textContent('[data-testid=ruta-error]'), /no es un PDF/);

  // Step 1 is complete: on to step 2 without a reason; step 2 misses its three registros,
  // and moving on asks why.
  await page.click('[data-testid=step-forward] button[type=submit]');
  await page.waitForSelector('[data-testid=ciclo][data-paso="2"]');
  assert.equal(await page.locator('[data-testid=step-forward] textarea[name=reason]').count(), 1, 'registros missing: a reason is asked');
  assert.match(await page.textContent('[data-testid=step-forward]'), /Presentación, Informe, Oficio de convocatoria/);
  await page.fill('[data-testid=step-forward] textarea[name=reason]', 'La presentación se hizo de palabra en la JAC');
  await page.click('[data-testid=step-forward] button[type=submit]');
  await page.waitForSelector('[data-testid=ciclo][data-paso="3"]');
  assert.equal(await page.getAttribute('.ruta-step[data-paso="1"]', 'data-state'), 'done');
  assert.equal(await page.getAttribute('.ruta-step[data-paso="3"]', 'data-state'), 'current');
  await page.waitForSelector('[data-testid=trail-3] .muted');
  assert.match(await page.textContent('[data-testid=trail-3]'), /Aún no se ha generado el diagnóstico/);
  await page.click('.ruta-history summary');
  assert.match(await page.textContent('.ruta-history'), /sin Presentación, Informe, Oficio de convocatoria: «La presentación se hizo de palabra en la JAC»/);
  assert.deepEqual(await overflowing(page), [], 'nothing wider than the phone');
  await page.screenshot({ path: `${artifacts}/ruta-barrio-phone.png`, fullPage: true });

  // The list says where the barrio is and that step 3 misses its registros.
  await page.goto(`${suite.server.url}/ruta`);
  await waitForApp(page);
  await page.click('.paso-filter:has(.paso-3)');
  await page.waitForSelector('[data-testid=ruta-count][data-shown="1"]');
  assert.match(await page.textContent('.ruta-row[data-code=pescaito]'), /Diagnóstico barrial.*2 registros pendientes/s);
  await page.screenshot({ path: `${artifacts}/ruta-list-phone.png`, fullPage: false });

  // The city map colours each barrio by its step; the filter fades the others; a tap opens it.
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(`${suite.server.url}/ruta`);
  await waitForApp(page);
  await page.waitForSelector('[data-testid=city-map] path');
  assert.equal(await page.locator('[data-testid=city-map] path').count(), 327);
  assert.equal(await page.locator('[data-testid=city-map] path.paso-3').count(), 1);
  await page.click('.paso-filter:has(.paso-3)');
  await page.waitForSelector('[data-testid=ruta-count][data-shown="1"]');
  assert.equal(await page.locator('[data-testid=city-map] path.dim').count(), 326, 'the others fade');
  assert.deepEqual(await overflowing(page), []);
  await page.screenshot({ path: `${artifacts}/ruta-list-desktop.png` });
  await page.click(`[data-testid=city-map] path[data-barrio="${barrio.id}"]`, { force: true });
  await page.waitForURL(`**/ruta/${barrio.id}`);

  for (const [name, viewport] of [['tablet', { width: 1024, height: 768 }], ['desktop', { width: 1366, height: 900 }]]) {
    await page.setViewportSize(viewport);
    await page.goto(`${suite.server.url}/ruta/${barrio.id}`);
    await waitForApp(page);
    await page.waitForSelector('[data-testid=ciclo]');
    assert.deepEqual(await overflowing(page), [], `nothing wider than the ${name}`);
    await page.screenshot({ path: `${artifacts}/ruta-barrio-${name}.png`, fullPage: true });
  }
  // The committee, recorded by staff; its names are for staff only.
  await page.click('.cbsc-edit summary');
  const cbsc = page.locator('[data-testid=cbsc-form]');
  await cbsc.locator('select[name=estado]').selectOption('Activo');
  await cbsc.locator('input[name=fecha_conformacion]').fill('2026-03-14');
  await cbsc.locator('input[name=miembros]').fill('9');
  await cbsc.locator('input[name=rol][value=Presidencia]').check();
  await cbsc.locator('textarea[name=nombres]').fill('Ana Pérez — Presidencia');
  await cbsc.locator('button[type=submit]').click();
  await page.waitForSelector('.cbsc-facts');
  assert.match(await page.textContent('[data-testid=cbsc]'), /Activo.*14\/03\/2026.*9.*Presidencia/s);
  assert.match(await page.textContent('.cbsc-names'), /solo para el equipo/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a facilitator of the barrio reads its route without the files', async () => {
  const barrio = await suite.barrioByCode('bastidas');
  const open = await suite.server.fetch(`/api/v1/barrios/${barrio.id}/ciclos`, { method: 'POST' });
  assert.equal(open.status, 201);
  const { id: ciclo } = await open.json();
  const kept = await suite.server.fetch(`/api/v1/ciclos/${ciclo}/registros?paso=1&tipo=informe&fecha=2026-11-30`, {
    method: 'POST', headers: { 'content-type': 'application/pdf' }, body: PDF,
  });
  assert.equal(kept.status, 201);
  const committee = await suite.server.fetch(`/api/v1/barrios/${barrio.id}/cbsc`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fecha_conformacion: '2026-02-01', miembros: 7, roles: ['presidente'], estado: 'activo', nombres: [{ nombre: 'Rosa Díaz', rol: 'presidente' }] }),
  });
  assert.equal(committee.status, 201, await committee.text());
  await createUser(suite.server, { username: 'facilita_ruta', role: 'facilitator', barrios: [barrio.id] });
  const context = await signedInContext(suite.browser, suite.server, { viewport: { width: 360, height: 640 } }, { username: 'facilita_ruta', password: 'clave de prueba e2e' });
  const page = await context.newPage();
  await page.goto(`${suite.server.url}/ruta/${barrio.id}`);
  await waitForApp(page);
  await page.waitForSelector('.ruta-step[data-paso="1"] .registro-checks li[data-kept=true]');
  assert.equal(await page.locator('[data-testid=registro-files]').count(), 0, 'no files for facilitators');
  await page.waitForSelector('.cbsc-facts');
  assert.match(await page.textContent('[data-testid=cbsc]'), /Activo/);
  assert.ok(!(await page.content()).includes('Rosa Díaz'), 'the committee\'s names never reach a facilitator');
  assert.equal(await page.locator('.add-registro, [data-testid=step-forward], .close-ciclo, .cbsc-edit').count(), 0, 'nor staff forms');
  await page.goto(`${suite.server.url}/ruta`);
  await waitForApp(page);
  await page.waitForSelector('[data-testid=ruta-count][data-shown="1"]');
  assert.match(await page.textContent('.ruta-row'), /Bastidas/i);
  await context.close();
});

test('an acta typed on a tablet without signal is kept, sent when the signal comes back, and printed', async () => {
  const all = await (await fetch(`${suite.server.url}/api/v1/barrios`)).json();
  const barrio = all.find((b) => !['pescaito', 'bastidas'].includes(b.code));
  const context = await signedInContext(suite.browser, suite.server, { viewport: { width: 800, height: 1280 }, hasTouch: true });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${suite.server.url}/ruta/${barrio.id}`);
  await waitForApp(page);
  await page.waitForSelector('[data-testid=actas] .empty');
  await page.click('[data-testid=new-acta]');
  await page.waitForSelector('[data-testid=acta-form]');

  // The meeting has no signal: everything typed is kept on the tablet.
  await context.setOffline(true);
  await page.selectOption('select[name=kind]', 'comite_barrial');
  await page.fill('input[name=fecha]', '2026-12-05');
  await page.fill('input[name=lugar]', 'Caseta comunal de Gaira');
  await page.fill('input[name=comunidad]', '18');
  await page.fill('input[name=policia]', '2');
  await page.fill('input[name=secretarias]', '1');
  await page.fill('textarea[name=agenda]', '1. Saludo\n2. Socialización del diagnóstico');
  await page.fill('textarea[name=decisiones]', 'Pedir el cambio de luminarias <script>alert(1)</script>');
  await page.click('[data-testid=add-compromiso]');
  const row = page.locator('.compromiso').first();
  await row.locator('input[name=responsable]').fill('ESSMAR');
  await row.locator('input[name=que]').fill('Cambiar las luminarias de la calle 8');
  await row.locator('input[name=fecha_limite]').fill('2027-01-31');
  await row.locator('input[name=fecha_limite]').dispatchEvent('change');
  await page.click('[data-testid=save-acta]');
  await page.waitForSelector('[data-testid=acta-status]:has-text("Sin conexión")');
  await page.screenshot({ path: `${artifacts}/acta-tablet.png`, fullPage: true });

  // Back on the route page, still offline: the acta is listed as waiting.
  await page.click('.crumbs a');
  await page.waitForSelector('[data-testid=actas] li[data-waiting=true]');
  assert.match(await page.textContent('[data-testid=actas] li'), /Acta de comité barrial — 05\/12\/2026.*21 asistentes · 1 compromisos/s);
  let stored = await (await suite.server.fetch(`/api/v1/barrios/${barrio.id}/actas`)).json();
  assert.deepEqual(stored, [], 'nothing reached the server yet');

  // The signal comes back: opening the route sends it.
  await context.setOffline(false);
  await page.reload();
  await waitForApp(page);
  await page.waitForSelector('[data-testid=actas] li[data-waiting=false]');
  stored = await (await suite.server.fetch(`/api/v1/barrios/${barrio.id}/actas`)).json();
  assert.equal(stored.length, 1);
  assert.deepEqual([stored[0].asistencia.comunidad, stored[0].compromisos[0].responsable], [18, 'ESSMAR']);

  // Printed on A4 and Letter: the acta, its signatures and a blank attendance sheet.
  await page.click('[data-testid=actas] li a:has-text("Imprimir")');
  await page.waitForSelector('[data-testid=acta-doc]');
  const { execFileSync } = await import('node:child_process');
  for (const format of ['A4', 'Letter']) {
    const file = `${artifacts}/acta-${format}.pdf`;
    await page.pdf({ path: file, format, printBackground: true });
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    assert.match(text, /Acta de comité barrial — 05\/12\/2026/, `${format}: the title`);
    assert.match(text, /Caseta comunal de Gaira/);
    assert.match(text, /Cambiar las luminarias de la calle 8/);
    assert.match(text, /<script>alert\(1\)<\/script>/, `${format}: what was typed is printed as text`);
    assert.match(text, /Presidente\(a\) del CBSC/i);
    assert.match(text, /Hoja de asistencia/);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    assert.ok(Number(/Pages:\s+(\d+)/.exec(info)[1]) >= 2, `${format}: the attendance sheet on a page of its own`);
  }

  // Signed on paper, its scan is kept as a registro of the open ciclo that names the acta.
  const ciclo = await suite.server.fetch(`/api/v1/barrios/${barrio.id}/ciclos`, { method: 'POST' });
  assert.equal(ciclo.status, 201);
  await page.goto(`${suite.server.url}/ruta/${barrio.id}`);
  await waitForApp(page);
  await page.click('[data-testid=actas] .signed-scan summary');
  await page.setInputFiles('[data-testid=actas] .signed-scan input[type=file]', { name: 'acta firmada.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.click('[data-testid=actas] .signed-scan button[type=submit]');
  await page.waitForSelector('[data-testid=acta-signed]');
  const ruta = await (await suite.server.fetch(`/api/v1/barrios/${barrio.id}/ruta`)).json();
  assert.equal(ruta.ciclos[0].registros[0].acta_id, stored[0].id);
  assert.deepEqual(errors.filter((e) => !/Failed to fetch|net::ERR_INTERNET_DISCONNECTED|NetworkError/.test(e)), []);
  await context.close();
});
