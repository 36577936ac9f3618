// A community asks to enrol its barrio in the route from a phone, with no account; staff accept
// it on /ruta/inscripciones from a computer, and the barrio then walks a ciclo at step 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { signedInContext } from '../support/server.mjs';
import { waitForApp, artifacts } from '../support/browser.mjs';
import { collectPanics, overflowing } from '../support/checks.mjs';

const suite = serverAndBrowser();
const barrioId = async (code) => (await suite.barrioByCode(code)).id;

/** Boxes shorter than a finger, among the form's controls. */
async function smallTargets(page) {
  return page.evaluate(() => [...document.querySelectorAll('.insc-form button, .insc-form input:not([name=sitio_web]), .insc-form textarea, .insc-channel')]
    .filter((el) => el.type !== 'radio')
    .map((el) => ({ el: el.outerHTML.slice(0, 60), h: el.getBoundingClientRect().height }))
    .filter(({ h }) => h > 0 && h < 44));
}

test('a community asks on a phone, staff accept on a computer, and the barrio walks a ciclo', async () => {
  const pescaito = await barrioId('pescaito');
  const phone = await suite.browser.newContext({ viewport: { width: 360, height: 640 }, hasTouch: true, isMobile: true });
  const page = await phone.newPage();
  const panics = collectPanics(page);
  try {
    // The public finds the form from the published diagnósticos.
    await page.goto(suite.server.url + '/publico');
    await waitForApp(page);
    await page.click('[data-testid=inscripcion-link] a');
    await page.waitForSelector('[data-testid=inscripcion-form]');
    await waitForApp(page);
    await page.screenshot({ path: `${artifacts}/inscripcion-phone.png` });

    // Sending with nothing chosen says what to do, in Spanish.
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=inscripcion-error]:has-text("Elija su barrio")');

    await page.fill('input[name=barrio-search]', 'pescai');
    await page.click(`[data-testid=barrio-matches] button[data-barrio="${pescaito}"]`);
    await page.waitForSelector('[data-testid=barrio-elegido]:has-text("Pescaíto")');
    await page.fill('input[name=organizacion]', 'JAC del barrio Pescaíto');
    await page.fill('input[name=contacto]', '300 12');
    await page.fill('textarea[name=motivo]', 'En el parque de la 7 hay peleas todas las noches.\nQueremos trabajar con la Secretaría.');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=inscripcion-error]:has-text("entre 7 y 15 números")');
    await page.fill('input[name=contacto]', '300 555 0142');
    assert.deepEqual(await smallTargets(page), [], 'every control at least 44 px high');
    assert.deepEqual(await overflowing(page), [], 'nothing wider than the phone');
    await page.screenshot({ path: `${artifacts}/inscripcion-phone-filled.png`, fullPage: true });
    await page.click('button[type=submit]');
    const done = await page.waitForSelector('[data-testid=inscripcion-recibida]');
    const text = await done.textContent();
    assert.match(text, /Recibimos su solicitud para inscribir el barrio Pescaíto/);
    assert.match(text, /300 555 0142/);
    await page.screenshot({ path: `${artifacts}/inscripcion-phone-sent.png` });
    assert.deepEqual(panics, []);
  } finally {
    await phone.close();
  }

  // The tablet only looks; the computer decides.
  for (const [width, height, name] of [[768, 1024, 'tablet'], [1024, 768, 'desktop']]) {
    const staff = await signedInContext(suite.browser, suite.server, { viewport: { width, height } });
    const page = await staff.newPage();
    const panics = collectPanics(page);
    try {
      await page.goto(suite.server.url + '/ruta/inscripciones');
      await waitForApp(page);
      const card = page.locator(`[data-testid=inscripcion-pendiente][data-barrio="${pescaito}"]`);
      await card.waitFor();
      assert.match(await card.textContent(), /JAC del barrio Pescaíto.*300 555 0142/s);
      await page.screenshot({ path: `${artifacts}/inscripciones-${name}.png`, fullPage: true });
      if (name === 'desktop') {
        // Declining needs a reason; accepting opens the ciclo.
        await card.locator('[data-testid=rechazar]').click();
        await page.waitForSelector('[data-testid=inscripciones-message]:has-text("escriba la razón")');
        await card.locator('[data-testid=aceptar]').click();
        await page.waitForSelector('[data-testid=inscripciones-message]:has-text("entró a la ruta")');
        await page.waitForSelector('[data-testid=sin-pendientes]');
        await page.waitForSelector('[data-testid=inscripciones-decididas] td:has-text("Aceptada")');
        await page.screenshot({ path: `${artifacts}/inscripciones-desktop-decided.png`, fullPage: true });
      }
      assert.deepEqual(panics, []);
    } finally {
      await staff.close();
    }
  }

  // The barrio now walks a ciclo at step 1, the one the decision names.
  const ruta = await (await suite.server.fetch(`/api/v1/barrios/${pescaito}/ruta`)).json();
  assert.equal(ruta.ciclos.length, 1);
  assert.equal(ruta.ciclos[0].ciclo.closed_at_ms, null);
  assert.deepEqual(ruta.ciclos[0].ciclo.changes, [], 'at step 1');
  const list = await (await suite.server.fetch('/api/v1/inscripciones')).json();
  assert.equal(list[0].decision.veredicto, 'aceptada');
  assert.equal(list[0].decision.ciclo_id, ruta.ciclos[0].ciclo.id);
});

test('a bot filling the hidden box is answered alike, and staff never see it', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 360, height: 640 } });
  try {
    await page.goto(suite.server.url + '/inscripcion');
    await waitForApp(page);
    const trap = page.locator('input[name=sitio_web]');
    assert.equal(await trap.isVisible(), true, 'in the page, for bots that read it');
    const box = await trap.boundingBox();
    assert.ok(box.x + box.width <= 0, 'but off the screen for people');
    await page.fill('input[name=barrio-search]', 'bastidas');
    await page.click('[data-testid=barrio-matches] button >> nth=0');
    await page.fill('input[name=organizacion]', 'Robot');
    await page.check('input[name=canal][value=correo]');
    await page.fill('input[name=contacto]', 'robot@spam.example');
    await page.fill('textarea[name=motivo]', 'Compre ya');
    await trap.fill('https://spam.example', { force: true });
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=inscripcion-recibida]');
    const list = await (await suite.server.fetch('/api/v1/inscripciones')).json();
    assert.ok(list.every((i) => i.organizacion !== 'Robot'), 'nothing kept');
  } finally {
    await page.close();
  }
});
