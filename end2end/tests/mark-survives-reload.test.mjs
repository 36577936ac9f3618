// The first slice, as a participant uses it: open a barrio, choose a category, tap the map;
// the mark is kept on the device (IndexedDB) across a reload and reaches the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedInContext } from '../support/server.mjs';
import { launch, waitForApp, collectPageErrors, chooseCategory } from '../support/browser.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function serverMarks(barrioId) {
  const res = await server.fetch(`/api/v1/barrios/${barrioId}/marks`);
  assert.equal(res.status, 200);
  return (await res.json()).features;
}

async function tapMapCentre(page) {
  const box = await page.locator('svg.map').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

test('a mark placed on the map is still there after a reload, and reaches the server', async () => {
  const context = await signedInContext(browser, server, { viewport: { width: 360, height: 740 }, hasTouch: true });
  const page = await context.newPage();
  const errors = collectPageErrors(page);

  await page.goto(server.url + '/');
  await waitForApp(page);
  await page.fill('input[type=search]', 'pescaito');
  await page.click('a.barrio-link[data-code=pescaito]');
  await page.waitForURL(/\/barrio\/\d+$/);
  const barrioId = Number(page.url().match(/\/barrio\/(\d+)$/)[1]);
  await page.waitForSelector('svg.map path.barrio-boundary');

  // Tapping before choosing a category explains what to do and stores nothing.
  await tapMapCentre(page);
  await page.waitForSelector('[data-testid=notice]:has-text("Primero elija una categoría")');
  assert.equal(await page.locator('g.mark').count(), 0);

  await chooseCategory(page, 'hurto_personas');
  assert.equal(await page.getAttribute('button.cat[data-category=hurto_personas]', 'aria-pressed'), 'true');
  await tapMapCentre(page);
  await page.waitForSelector('g.mark[data-category=hurto_personas]');
  await page.waitForSelector('[data-testid=notice]:has-text("guardada en este dispositivo")');
  const markId = await page.getAttribute('g.mark', 'data-mark-id');
  assert.match(markId, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/, 'a UUID v7 made on the device');
  assert.equal(await page.locator('g.mark text.mark-label').textContent(), 'Hurto a personas');

  // Online, it is sent at once and the server confirms it by id.
  await page.waitForSelector('[data-testid=pending-count][data-pending="0"]');
  const stored = await serverMarks(barrioId);
  assert.deepEqual(stored.map((f) => f.id), [markId]);
  assert.equal(stored[0].properties.category, 'hurto_personas');

  await page.reload();
  await waitForApp(page);
  await page.waitForSelector(`g.mark[data-mark-id="${markId}"]`);
  assert.equal(await page.locator('g.mark').count(), 1);
  assert.equal(await page.textContent('[data-testid=mark-count]'), '1 marca');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a mark made with the network off waits on the device and is sent when it returns', async () => {
  const context = await signedInContext(browser, server, { viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(server.url + '/');
  await waitForApp(page);
  await page.click('a.barrio-link[data-code=bastidas]');
  await page.waitForSelector('svg.map path.barrio-boundary');
  const barrioId = Number(page.url().match(/\/barrio\/(\d+)$/)[1]);

  await context.setOffline(true);
  await page.waitForSelector('[data-testid=online-status]:has-text("Sin conexión")');
  await chooseCategory(page, 'alumbrado_deficiente');
  await tapMapCentre(page);
  await page.waitForSelector('g.mark[data-category=alumbrado_deficiente]');
  await page.waitForSelector('[data-testid=pending-count][data-pending="1"]');
  assert.match(await page.textContent('[data-testid=pending-count]'), /1 cambio por enviar/);
  assert.equal((await serverMarks(barrioId)).length, 0, 'nothing reached the server while offline');

  await context.setOffline(false);
  await page.waitForSelector('[data-testid=pending-count][data-pending="0"]');
  assert.equal((await serverMarks(barrioId)).length, 1);
  assert.match(await page.textContent('[data-testid=pending-count]'), /Todo enviado/);
  assert.deepEqual(errors, []);
  await context.close();
});
