// Pasos 1–2 as the Secretaría lives them (issue 23): the balance of a cuatrimestre on the city
// map and in the ranking (desktop and tablet), a barrio's explanation, the barrios chosen for
// the next cycle entering the ruta with the balance as their registro, the printed informe
// (its PDF text), the projector, the oficio de convocatoria, and an admin's import through the
// page replacing the demo data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { signedInContext } from '../support/server.mjs';
import { waitForApp, collectPageErrors, artifacts } from '../support/browser.mjs';
import { overflowing } from '../support/checks.mjs';
import { pdfText } from '../support/documents.mjs';

const suite = serverAndBrowser();

/** A number as the pages write it: Colombian decimals. */
const es = (n, d = 1) => n.toFixed(d).replace('.', ',');

test('the balance shows the city by ISCB class and the ranking, at desktop, tablet and phone sizes', async () => {
  const balance = await (await suite.server.fetch('/api/v1/balance')).json();
  const ranked = balance.filas.filter((f) => f.puesto != null);
  assert.ok(ranked.length > 300, `the demo data ranks the seeded city (${ranked.length})`);
  assert.equal(balance.ejemplo, true);

  const sizes = [['desktop', { width: 1280, height: 800 }], ['tablet', { width: 800, height: 1280 }], ['phone', { width: 360, height: 640 }]];
  for (const [name, viewport] of sizes) {
    const context = await signedInContext(suite.browser, suite.server, { viewport, hasTouch: name !== 'desktop', isMobile: name === 'phone' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    try {
      const started = Date.now();
      await page.goto(`${suite.server.url}/balance`);
      await waitForApp(page);
      await page.waitForSelector('[data-testid=iscb-map] path[data-clase]');
      await page.waitForSelector('[data-testid=ranking] tbody tr');
      // A benchmark, not a pass/fail: the page with 327 barrios on the map and in the table.
      console.log(`# timing balance page (${name}, loopback, chunks not cached): map and ranking of ${ranked.length} barrios in ${Date.now() - started} ms`);
      assert.match(await page.textContent('[data-testid=datos-de-ejemplo]'), /Datos de ejemplo/, `${name}: generated data says so`);

      // The map: every barrio in the class the balance gives it; quantile classes of about
      // equal size; a legend with each class's range and the barrios without an index.
      const onMap = await page.$$eval('[data-testid=iscb-map] path', (ps) => ps.map((p) => [Number(p.dataset.barrio), p.dataset.clase ?? null]));
      assert.ok(onMap.length >= ranked.length, `${name}: every ranked barrio is on the map`);
      const want = new Map(balance.filas.map((f) => [f.barrio_id, f.clase == null ? null : String(f.clase)]));
      for (const [id, clase] of onMap) assert.equal(clase, want.get(id), `${name}: barrio ${id} in its class`);
      const classes = balance.cortes.length + 1;
      assert.equal(classes, 5, 'five quantile classes');
      for (let c = 0; c < classes; c++) {
        const n = onMap.filter(([, k]) => k === String(c)).length;
        assert.ok(n > (ranked.length / classes) * 0.6 && n < (ranked.length / classes) * 1.4, `${name}: class ${c} holds about a fifth (${n})`);
      }
      assert.equal(await page.locator('[data-testid=iscb-legend] li').count(), classes + 1);
      const first = ranked[0];
      const darkest = await page.$eval(`[data-testid=iscb-map] path[data-barrio="${first.barrio_id}"]`, (p) => getComputedStyle(p).fill);
      assert.equal(darkest, 'rgb(179, 0, 0)', `${name}: the barrio in most need is in the darkest class`);

      // The ranking: most need first, every barrio a row, the change and the trend beside it.
      const rows = page.locator('[data-testid=ranking] tbody tr');
      assert.equal(await rows.count(), balance.filas.length);
      assert.equal(await rows.first().getAttribute('data-puesto'), '1');
      assert.match(await rows.first().innerText(), new RegExp(first.name));
      assert.equal(await rows.first().locator('.sparkline polyline').count(), 1);

      // A barrio's explanation: what each indicator adds, summing to its index.
      await rows.first().locator('.link-button').click();
      await page.waitForSelector('[data-testid=explicacion]');
      const explained = await page.textContent('[data-testid=explicacion]');
      assert.match(explained, new RegExp(`ISCB ${es(first.indice)} · puesto 1 de ${ranked.length}`));
      assert.equal(await page.locator('[data-testid=explicacion] tbody tr').count(), balance.definicion.componentes.length);
      assert.match(await page.textContent('[data-testid=explicacion] tfoot'), new RegExp(es(first.indice)));
      assert.equal(await page.locator(`[data-testid=iscb-map] path.picked[data-barrio="${first.barrio_id}"]`).count(), 1, 'the map outlines it');

      // A comuna: the table keeps its barrios, the map fades the others.
      const comuna = balance.filas.find((f) => f.comuna)?.comuna;
      if (comuna) {
        await page.selectOption('[data-testid=comuna]', comuna);
        const inComuna = balance.filas.filter((f) => f.comuna === comuna).length;
        await page.waitForSelector(`[data-testid=ranking-count]:has-text("${inComuna} barrios")`);
        assert.equal(await page.locator('[data-testid=ranking] tbody tr:not(.hidden)').count(), inComuna);
        assert.ok((await page.locator('[data-testid=iscb-map] path.dim').count()) >= onMap.length - inComuna);
        await page.selectOption('[data-testid=comuna]', '');
      }
      assert.deepEqual(await overflowing(page), [], `${name}: the page fits its width`);
      if (name !== 'desktop') {
        const box = await page.locator('[data-testid=explicacion]').boundingBox();
        assert.ok(box && box.y < viewport.height && box.y + 40 > 0, `${name}: picking a row brings its explanation into view`);
      }
      await page.screenshot({ path: `${artifacts}/balance-${name}.png`, fullPage: false });
      assert.deepEqual(errors, [], `${name}: no errors`);
    } finally {
      await context.close();
    }
  }
});

test('barrios chosen from the ranking and an inscripción enter the ruta; the informe prints; the projector pages', async () => {
  const balance = await (await suite.server.fetch('/api/v1/balance')).json();
  const ranked = balance.filas.filter((f) => f.puesto != null);
  const [a, b] = ranked;
  const asked = ranked[ranked.length - 1];
  const sent = await fetch(`${suite.server.url}/api/v1/inscripciones`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ barrio_id: asked.barrio_id, organizacion: 'JAC del barrio', canal: 'telefono', contacto: '300 000 0000', motivo: 'Robos en la cancha de noche' }),
  });
  assert.equal(sent.status, 202);

  const context = await signedInContext(suite.browser, suite.server, { viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  try {
    await page.goto(`${suite.server.url}/balance`);
    await waitForApp(page);
    await page.waitForSelector('[data-testid=ranking] tbody tr');
    await page.check(`[data-testid=ranking] tr[data-barrio="${a.barrio_id}"] input[name=elegir]`);
    await page.check(`[data-testid=ranking] tr[data-barrio="${b.barrio_id}"] input[name=elegir]`);
    await page.fill('[data-testid=elegidos] li:nth-child(2) textarea', 'Hurtos al alza y la JAC pide <b>apoyo</b>');
    await page.click('.inscripciones-pendientes li:has-text("JAC del barrio") button');
    assert.equal(await page.locator('[data-testid=elegidos] li').count(), 3);
    await page.click('[data-testid=priorizar-confirmar]');
    await page.waitForSelector('[data-testid=priorizar-ok]');
    assert.match(await page.textContent('[data-testid=priorizar-ok]'), /3 barrios entraron en la ruta/);
    await page.waitForSelector('[data-testid=priorizados] li >> nth=2');

    // Each entered the ruta at step 1 with the balance kept as its informe.
    for (const f of [a, b, asked]) {
      const ruta = await (await suite.server.fetch(`/api/v1/barrios/${f.barrio_id}/ruta`)).json();
      assert.equal(ruta.ciclos.length, 1, `${f.name}: one ciclo`);
      assert.deepEqual(ruta.ciclos[0].ciclo.changes, [], `${f.name}: at step 1`);
      const [registro] = ruta.ciclos[0].registros;
      assert.deepEqual([registro.paso, registro.tipo, registro.formato], ['identificacion', 'informe', 'csv']);
      assert.match(registro.descripcion, /Balance de seguridad y convivencia/);
    }
    const inscripciones = await (await suite.server.fetch('/api/v1/inscripciones')).json();
    const answered = inscripciones.find((i) => i.barrio_id === asked.barrio_id);
    assert.equal(answered.decision?.veredicto, 'aceptada', 'the community’s request is answered by the choice');
    assert.equal(await page.locator(`[data-testid=ranking] tr[data-barrio="${a.barrio_id}"] input[name=elegir]:disabled`).count(), 1, 'a barrio in the ruta is not chosen twice');

    // The informe, on A4 and Letter.
    await page.click('[data-testid=print-link]');
    await page.waitForSelector('[data-testid=balance-doc] [data-testid=iscb-map] path');
    const texts = await pdfText(page, 'balance');
    const { periodo } = balance;
    const [anio, c] = periodo.split('-C');
    for (const [format, text] of Object.entries(texts)) {
      assert.match(text, new RegExp(`Balance de seguridad y convivencia — cuatrimestre ${c} de ${anio}`), `${format}: the title`);
      assert.match(text, /MM-GSC-P-003/, `${format}: the procedure's code`);
      assert.match(text, /Datos de ejemplo/, `${format}: generated data says so on paper too`);
      assert.match(text, /< 3/, `${format}: small counts are hidden`);
      assert.match(text, new RegExp(a.name), `${format}: the barrio in most need`);
      assert.match(text, /Hurtos al alza y la JAC pide <b>apoyo<\/b>/, `${format}: the reason, printed as typed`);
      assert.match(text, /Dirección Técnica/i, `${format}: signatures`);
      assert.match(text, new RegExp(`ISCB, versión ${balance.definicion.version}\\)`), `${format}: the definition's version`);
    }

    // The projector: ten barrios a page, the arrow keys move on.
    await page.goto(`${suite.server.url}/balance/proyectar`);
    await page.waitForSelector('[data-testid=projector-ranking] li');
    assert.equal(await page.locator('[data-testid=projector-ranking] li').count(), 10);
    assert.equal((await page.textContent('[data-testid=projector-ranking] li .p-puesto')).trim(), '1');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('[data-testid=projector-ranking] li .p-puesto:text-is("11")');
    await page.screenshot({ path: `${artifacts}/balance-projector.png` });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the oficio de convocatoria is written on a tablet and printed as a letter', async () => {
  const context = await signedInContext(suite.browser, suite.server, { viewport: { width: 800, height: 1280 }, hasTouch: true });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  try {
    await page.goto(`${suite.server.url}/balance/oficio`);
    await waitForApp(page);
    await page.waitForFunction(() => document.querySelector('textarea[name=agenda]')?.value.includes('Presentación del balance'));
    await page.fill('input[name=reunion_fecha]', '2026-12-15');
    await page.fill('input[name=reunion_hora]', '08:30');
    await page.fill('input[name=lugar]', 'Salón del Concejo Distrital');
    await page.uncheck('input[name=institucion][value="ICBF"]');
    await page.fill('textarea[name=otras]', 'Cámara de Comercio de Santa Marta');
    await page.fill('input[name=firmante]', 'Ana Pérez');
    assert.deepEqual(await overflowing(page), []);
    await page.screenshot({ path: `${artifacts}/oficio-tablet.png`, fullPage: true });
    await page.click('[data-testid=oficio-guardar]');
    await page.waitForSelector('[data-testid=oficio-doc]');
    const texts = await pdfText(page, 'oficio');
    for (const [format, text] of Object.entries(texts)) {
      assert.match(text, /Asunto: Convocatoria a la presentación del balance/, `${format}: the subject`);
      assert.match(text, /Salón del Concejo Distrital/);
      assert.match(text, /Cámara de Comercio de Santa Marta/);
      assert.match(text, /Defensoría del Pueblo/);
      assert.doesNotMatch(text, /ICBF/, `${format}: an institution unchecked is not called`);
      assert.match(text, /1\. Instalación/);
      assert.doesNotMatch(text, /1\. 1\./, `${format}: the agenda is numbered once`);
      assert.match(text, /Ana Pérez/);
    }
    const list = await (await suite.server.fetch('/api/v1/oficios')).json();
    assert.equal(list.length, 1);
    assert.equal(list[0].lugar, 'Salón del Concejo Distrital');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an admin imports the Observatorio’s file through the page: checked first, then it replaces the demo data', async () => {
  const barrios = await (await fetch(`${suite.server.url}/api/v1/barrios`)).json();
  const [x, y] = barrios;
  const csv = [
    'barrio;periodo;indicador;valor',
    `${x.name};2026;población;4000`,
    `${y.code};2026;poblacion;2500`,
    `${x.name};2026-C3;Homicidios;2`,
    `${y.name.toUpperCase()};2026-C3;hurto a personas;14`,
    'Barrio Que No Existe;2026-C3;homicidios;1',
    `${x.name};2026-C3;homicidios;dos`,
  ].join('\n');
  const context = await signedInContext(suite.browser, suite.server, { viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  try {
    await page.goto(`${suite.server.url}/admin/indicadores`);
    await waitForApp(page);
    await page.setInputFiles('input[name=archivo-indicadores]', { name: 'odsc.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('[data-testid=revisar]');
    await page.waitForSelector('[data-testid=import-report][data-stored=false]');
    const report = await page.textContent('[data-testid=import-report]');
    assert.match(report, /4 de 6 filas se toman; 2 filas no se toman/);
    assert.match(report, /Barrio Que No Existe — 1 fila/);
    assert.match(await page.textContent('[data-testid=import-problems]'), /«dos» no es un número/);
    let history = await (await suite.server.fetch('/api/v1/indicadores/importaciones')).json();
    assert.ok(history.every((i) => i.ejemplo), 'a check stores nothing');

    await page.click('[data-testid=confirmar-importacion]');
    await page.waitForSelector('[data-testid=import-report][data-stored=true]');
    await page.waitForSelector('[data-testid=historial] li:has-text("odsc.csv")');
    history = await (await suite.server.fetch('/api/v1/indicadores/importaciones')).json();
    assert.equal(history[0].archivo, 'odsc.csv');

    // The balance now comes from the real import only: no demo figure is mixed in.
    const balance = await (await suite.server.fetch('/api/v1/balance')).json();
    assert.equal(balance.ejemplo, false);
    assert.equal(balance.periodo, '2026-C3');
    await page.goto(`${suite.server.url}/balance`);
    await page.waitForSelector('[data-testid=ranking] tbody tr');
    assert.equal(await page.locator('[data-testid=datos-de-ejemplo]').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
