// The pages only staff use live in wasm chunks of their own (lazy routes, `--split`): a
// participant's phone never downloads them; a staff page loads its chunks when opened — also
// as a deep link — and, once opened, opens again offline. The facilitator's pages, "Envío de
// datos" and a workshop's page are chunks too, out of the first load, which the worker
// precaches so they open offline without a visit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, signedInContext, freePort } from '../support/server.mjs';
import { launch, waitForApp, waitForServiceWorker } from '../support/browser.mjs';
import { collectPanics } from '../support/checks.mjs';

let browser;
let server;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const isChunk = (url) => /\/pkg\/(split_|chunk_)[^/]*\.wasm$/.test(new URL(url).pathname);

/** The paths the service worker precaches (its PRECACHE list). */
async function precached() {
  const sw = await (await fetch(`${server.url}/sw.js`)).text();
  return JSON.parse(sw.match(/const PRECACHE = (\[.*?\]);/s)[1]);
}

test("a participant's pages load no staff chunk, and the map none at all", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true });
  const page = await context.newPage();
  const chunks = [];
  page.on('request', (r) => { if (isChunk(r.url())) chunks.push(r.url()); });
  const panics = collectPanics(page);
  try {
    await page.goto(server.url + '/');
    await waitForApp(page);
    await page.click('a.barrio-link[data-code=pescaito]');
    await page.waitForSelector('svg.map path.barrio-boundary');
    assert.deepEqual(chunks, [], 'the barrio list and map load no chunk');
    await page.goto(server.url + '/unirse');
    await waitForApp(page);
    await page.goto(server.url + '/envios');
    await waitForApp(page);
    // "Envío de datos" is a page of its own, precached by the worker: no staff chunk.
    const worker = new Set(await precached());
    const staff = chunks.map((u) => new URL(u).pathname).filter((p) => !worker.has(p));
    assert.deepEqual(staff, [], 'only chunks the worker precaches');
    assert.deepEqual(panics, []);
  } finally {
    await context.close();
  }
});

test("a facilitator's pages are out of the first load but open offline without a visit", async () => {
  const context = await signedInContext(browser, server, { viewport: { width: 1024, height: 768 }, hasTouch: true });
  const page = await context.newPage();
  const chunks = [];
  page.on('request', (r) => { if (isChunk(r.url())) chunks.push(new URL(r.url()).pathname); });
  const panics = collectPanics(page);
  try {
    await page.goto(server.url + '/');
    await waitForApp(page);
    assert.deepEqual(chunks, [], 'the barrio list loads no chunk');
    await waitForServiceWorker(page);
    // The worker fetched the room pages' chunks on install: never opened here, they open with
    // no signal, hydrated (the app's bar answers) and without a panic.
    await context.setOffline(true);
    const pages = { '/talleres': '[data-testid=workshop-form]', '/acerca-de-los-datos': 'h1', '/envios': '[data-testid=sync-now]' };
    for (const [path, shown] of Object.entries(pages)) {
      await page.goto(server.url + path);
      await waitForApp(page);
      await page.waitForSelector(shown);
      assert.equal(await page.locator('h1', { hasText: 'Sin conexión' }).count(), 0, `${path} opened offline, not the worker's "Sin conexión" page`);
    }
    assert.deepEqual(panics, []);
  } finally {
    await context.setOffline(false);
    await context.close();
  }
});

test('a staff page opens as a deep link, and once opened, opens again offline', async () => {
  const context = await signedInContext(browser, server, { viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const chunks = [];
  page.on('request', (r) => { if (isChunk(r.url())) chunks.push(new URL(r.url()).pathname); });
  const panics = collectPanics(page);
  try {
    await page.goto(server.url + '/');
    await waitForApp(page);
    await waitForServiceWorker(page);
    assert.deepEqual(chunks, []);

    await page.goto(server.url + '/equipo');
    await waitForApp(page);
    await page.waitForSelector('h1:has-text("Diagnósticos por barrio")');
    await page.waitForSelector('[data-testid=status-list]');
    assert.ok(chunks.some((c) => c.includes('split_staff_pages')), `the staff pages' chunk was loaded: ${chunks}`);
    // The worker keeps the page and, the first time they are used, its chunks.
    await page.waitForFunction(async (wanted) => {
      const names = await caches.keys();
      const has = async (prefix, path) => {
        for (const n of names.filter((n) => n.startsWith(prefix))) {
          if (await (await caches.open(n)).match(path)) return true;
        }
        return false;
      };
      if (!(await has('cartobarrio-pages-', '/equipo'))) return false;
      for (const c of wanted) if (!(await has('cartobarrio-shell-', c))) return false;
      return true;
    }, [...new Set(chunks)]);

    await context.setOffline(true);
    await page.goto(server.url + '/equipo');
    await waitForApp(page);
    await page.waitForSelector('[data-testid=online-status]:has-text("Sin conexión")');
    await page.waitForSelector('h1:has-text("Diagnósticos por barrio")');
    // Hydrated: the page answers (its city picker or filters are live widgets of the chunk).
    assert.deepEqual(panics, []);
  } finally {
    await context.setOffline(false);
    await context.close();
  }
});

test('after "Actualizar", a staff page opened under the old version still opens offline', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cartobarrio-e2e-lazy-update-'));
  const port = await freePort();
  let deployed = await startServer({ dir, port, buildId: 'antes' });
  const context = await signedInContext(browser, deployed, { viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const panics = collectPanics(page);
  try {
    await page.goto(deployed.url + '/');
    await waitForApp(page);
    await waitForServiceWorker(page);
    await page.goto(deployed.url + '/equipo');
    await waitForApp(page);
    await page.waitForSelector('[data-testid=status-list]');

    // Deploy: the same port and database, a new build; the person accepts it on the list.
    await deployed.stop();
    deployed = await startServer({ dir, port, buildId: 'despues' });
    await page.goto(deployed.url + '/');
    await waitForApp(page);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await page.waitForSelector('[data-testid=update-banner]', { timeout: 30_000 });
    await Promise.all([page.waitForEvent('load'), page.click('[data-testid=update-banner] button')]);
    await waitForApp(page);
    const names = await page.evaluate(() => caches.keys());
    assert.ok(names.filter((k) => !k.startsWith('cartobarrio-data-')).every((k) => k.endsWith('-despues')), JSON.stringify(names));

    // The staff page was never opened under the new version: its page and chunks were kept
    // when the new version took over.
    await context.setOffline(true);
    await page.goto(deployed.url + '/equipo');
    await waitForApp(page);
    await page.waitForSelector('[data-testid=online-status]:has-text("Sin conexión")');
    await page.waitForSelector('h1:has-text("Diagnósticos por barrio")');
    assert.deepEqual(panics, []);
  } finally {
    await context.setOffline(false);
    await context.close();
    await deployed.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
