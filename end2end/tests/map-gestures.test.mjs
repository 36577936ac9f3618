// The map moves like a map: buttons, mouse wheel, one-finger pan and two-finger pinch; a drag
// never places a mark, and a tap after zooming lands exactly where the finger was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { launch, waitForApp, collectPageErrors, chooseCategory, closeSheet } from '../support/browser.mjs';
import { pinch } from '../support/gestures.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function viewBox(page) {
  return (await page.getAttribute('svg.map', 'viewBox')).split(' ').map(Number);
}

test('zoom, pan and pinch move the map; drags place nothing; taps land under the finger', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(server.url + '/');
  await waitForApp(page);
  await page.click('a.barrio-link[data-code=bastidas]');
  await page.waitForSelector('svg.map path.barrio-boundary');
  // The barrio opens close in; "Barrio" shows all of it, where this test starts.
  await page.waitForFunction(() => document.querySelector('[data-testid=scale-bar]')?.textContent.includes(' m'));
  await page.click('[data-testid=map-home]');
  const home = await viewBox(page);
  const scaleBefore = await page.textContent('[data-testid=scale-bar]');

  await page.click('button[aria-label=Acercar]');
  const zoomed = await viewBox(page);
  assert.ok(zoomed[2] < home[2] * 0.7, `zoom in narrows the view: ${zoomed} vs ${home}`);
  assert.notEqual(await page.textContent('[data-testid=scale-bar]'), scaleBefore, 'the scale bar follows the zoom');

  const box = await page.locator('svg.map').boundingBox();
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  await chooseCategory(page, 'rinas');
  // A drag pans and places nothing.
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx + 60, cy + 30, { steps: 6 });
  await page.mouse.up();
  const panned = await viewBox(page);
  assert.ok(panned[0] < zoomed[0] && panned[1] < zoomed[1], `dragging right and down shows what was left and up: ${panned}`);
  assert.equal(await page.locator('g.mark').count(), 0, 'a drag is not a tap');

  // The wheel zooms about the cursor.
  await page.mouse.move(cx, cy);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction((w) => Number(document.querySelector('svg.map').getAttribute('viewBox').split(' ')[2]) < w, panned[2]);

  // Two fingers spreading apart zoom in.
  const beforePinch = await viewBox(page);
  await pinch(page, cx, cy, 40, 100, 5);
  const pinched = await viewBox(page);
  assert.ok(pinched[2] < beforePinch[2] * 0.6, `pinch zooms in: ${pinched[2]} vs ${beforePinch[2]}`);

  // A tap on the zoomed map puts the mark under the finger.
  await page.mouse.click(cx - 40, cy + 20);
  const mark = page.locator('g.mark[data-category=rinas] .mark-shape');
  await mark.waitFor();
  const m = await mark.boundingBox();
  assert.ok(Math.abs(m.x + m.width / 2 - (cx - 40)) < 3 && Math.abs(m.y + m.height / 2 - (cy + 20)) < 3, `mark at ${JSON.stringify(m)}`);
  assert.ok(m.width > 30 && m.width < 42, 'markers keep their size on screen whatever the zoom');

  await closeSheet(page);
  await page.click('[data-testid=map-home]');
  assert.deepEqual(await viewBox(page), home, '"Ver todo el barrio" goes back to the whole barrio');
  assert.deepEqual(errors, []);
  await context.close();
});

async function barrioCentre(code) {
  const list = await (await fetch(`${server.url}/api/v1/barrios`)).json();
  const b = list.find((x) => x.code === code);
  const detail = await (await fetch(`${server.url}/api/v1/barrios/${b.id}`)).json();
  const coords = JSON.stringify(detail.boundary.coordinates).match(/-?\d+\.\d+/g).map(Number);
  const lons = coords.filter((_, i) => i % 2 === 0);
  const lats = coords.filter((_, i) => i % 2 === 1);
  return { longitude: (Math.min(...lons) + Math.max(...lons)) / 2, latitude: (Math.min(...lats) + Math.max(...lats)) / 2 };
}

test('"¿Dónde estoy?" shows the device on the map, centred, when the person allows it', async () => {
  const here = await barrioCentre('bastidas');
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, geolocation: { ...here, accuracy: 20 }, permissions: ['geolocation'] });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(server.url + '/');
  await waitForApp(page);
  await page.click('a.barrio-link[data-code=bastidas]');
  await page.waitForSelector('svg.map path.barrio-boundary');
  await page.click('button[aria-label=Acercar]');
  await page.click('button[aria-label=Acercar]');
  await page.click('[data-testid=locate]');
  const dot = page.locator('[data-testid=here] .here-dot');
  await dot.waitFor();
  const d = await dot.boundingBox();
  const map = await page.locator('svg.map').boundingBox();
  assert.ok(Math.abs(d.x + d.width / 2 - (map.x + map.width / 2)) < 3, 'centred horizontally');
  assert.ok(Math.abs(d.y + d.height / 2 - (map.y + map.height / 2)) < 3, 'centred vertically');
  assert.equal(await page.locator('[data-testid=locate-message]').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('"¿Dónde estoy?" without permission says so', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto(server.url + '/');
  await waitForApp(page);
  await page.click('a.barrio-link[data-code=bastidas]');
  await page.waitForSelector('svg.map path.barrio-boundary');
  await page.click('[data-testid=locate]');
  await page.waitForSelector('[data-testid=locate-message]:has-text("permiso")');
  assert.equal(await page.locator('[data-testid=here]').count(), 0);
  await context.close();
});
