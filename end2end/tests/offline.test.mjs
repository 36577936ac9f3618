// Offline-first: after one visit online the app starts, shows the barrio and takes marks with
// the network off; a new deployment is taken only when the person accepts it; nothing is lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, freePort, signedInContext } from '../support/server.mjs';
import { launch, waitForApp, waitForServiceWorker, collectPageErrors, tapMap, chooseCategory } from '../support/browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const phone = { viewport: { width: 360, height: 740 }, hasTouch: true };

async function serverMarks(server, barrioId) {
  const res = await server.fetch(`/api/v1/barrios/${barrioId}/marks`);
  return (await res.json()).features.map((f) => f.id);
}

/** The one online visit: the list, with the service worker in control, then a barrio. */
async function visitOnline(page, server, code) {
  await page.goto(server.url + '/');
  await waitForApp(page);
  await waitForServiceWorker(page);
  await page.click(`a.barrio-link[data-code=${code}]`);
  await page.waitForSelector('svg.map path.barrio-boundary');
}

async function markIds(page) {
  return page.$$eval('g.mark', (gs) => gs.map((g) => g.getAttribute('data-mark-id')).sort());
}

test('after one visit online, the app starts offline, shows the barrio and keeps new marks across reloads', async () => {
  const server = await startServer();
  const context = await signedInContext(browser, server, phone);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  try {
    await visitOnline(page, server, 'pescaito');
    const barrioPath = new URL(page.url()).pathname;
    const barrioId = Number(barrioPath.split('/').pop());
    // Let the worker finish storing the barrio's page in the background.
    await page.waitForFunction(async (p) => {
      const names = await caches.keys();
      for (const n of names.filter((n) => n.startsWith('cartobarrio-pages-'))) {
        if (await (await caches.open(n)).match(p)) return true;
      }
      return false;
    }, barrioPath);

    await context.setOffline(true);
    const started = Date.now();
    await page.goto(server.url + '/');
    await waitForApp(page);
    const listMs = Date.now() - started;
    await page.waitForSelector('[data-testid=online-status]:has-text("Sin conexión")');
    await page.click('a.barrio-link[data-code=pescaito]');
    await page.waitForSelector('svg.map path.barrio-boundary');

    await chooseCategory(page, 'rinas');
    await tapMap(page, 0.45, 0.5);
    await page.waitForSelector('g.mark[data-category=rinas]');
    await chooseCategory(page, 'lote_baldio');
    await tapMap(page, 0.55, 0.45);
    await page.waitForSelector('g.mark[data-category=lote_baldio]');
    await page.waitForSelector('[data-testid=pending-count][data-pending="2"]');
    const before = await markIds(page);
    assert.equal(before.length, 2);

    const reloadStarted = Date.now();
    await page.reload();
    await waitForApp(page);
    await page.waitForSelector('g.mark');
    const mapMs = Date.now() - reloadStarted;
    assert.deepEqual(await markIds(page), before, 'the marks are still there after an offline reload');
    assert.equal(await page.getAttribute('[data-testid=pending-count]', 'data-pending'), '2');
    assert.deepEqual(await serverMarks(server, barrioId), [], 'nothing was sent while offline');
    console.log(`# timing offline from cache: barrio list usable in ${listMs} ms, barrio map with its marks in ${mapMs} ms`);

    await context.setOffline(false);
    await page.waitForSelector('[data-testid=pending-count][data-pending="0"]');
    assert.deepEqual((await serverMarks(server, barrioId)).sort(), before);
    // The page keeps working online: another mark goes straight through.
    await chooseCategory(page, 'hurto_residencias');
    await tapMap(page, 0.5, 0.6);
    await page.waitForSelector('[data-testid=mark-count]:has-text("3 marcas")');
    await page.waitForSelector('[data-testid=pending-count][data-pending="0"]');
    assert.equal((await serverMarks(server, barrioId)).length, 3);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a barrio never opened before says plainly that it is not on the device', async () => {
  const server = await startServer();
  const context = await signedInContext(browser, server, phone);
  const page = await context.newPage();
  try {
    await page.goto(server.url + '/');
    await waitForApp(page);
    await waitForServiceWorker(page);
    await context.setOffline(true);
    const res = await page.goto(server.url + '/barrio/2');
    assert.equal(res.status(), 503);
    await page.waitForSelector('text=Sin conexión');
    await page.click('text=Ver los barrios');
    await waitForApp(page);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a new deployment waits for "Actualizar", replaces the old cache and loses no mark', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cartobarrio-e2e-update-'));
  const port = await freePort();
  let server = await startServer({ dir, port, buildId: 'antes' });
  const context = await signedInContext(browser, server, phone);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  try {
    await visitOnline(page, server, 'bastidas');
    await chooseCategory(page, 'hurto_personas');
    await tapMap(page);
    await page.waitForSelector('[data-testid=pending-count][data-pending="0"]');
    // One more mark made offline, still waiting when the update arrives.
    await context.setOffline(true);
    await tapMap(page, 0.6, 0.4);
    await page.waitForSelector('[data-testid=pending-count][data-pending="1"]');
    await context.setOffline(false);
    await page.waitForSelector('[data-testid=pending-count][data-pending="0"]');
    const marks = await markIds(page);
    assert.equal(marks.length, 2);
    const oldCaches = await page.evaluate(() => caches.keys());
    assert.ok(oldCaches.some((k) => k.endsWith('-antes')), JSON.stringify(oldCaches));
    // Another barrio opened before the update, and not after it.
    const list = await (await fetch(`${server.url}/api/v1/barrios`)).json();
    const otherUrl = `${server.url}/barrio/${list.find((b) => b.code === 'pescaito').id}`;
    const other = await context.newPage();
    await other.goto(otherUrl);
    await other.waitForSelector('svg.map path.barrio-boundary');
    await other.close();

    // Deploy: the same port and database, a new build.
    await server.stop();
    server = await startServer({ dir, port, buildId: 'despues' });
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await page.waitForSelector('[data-testid=update-banner]', { timeout: 30_000 });
    // The workshop goes on under the old version until the person chooses.
    assert.deepEqual(await markIds(page), marks);
    await chooseCategory(page, 'rinas');
    await tapMap(page, 0.4, 0.6);
    await page.waitForSelector('[data-testid=mark-count]:has-text("3 marcas")');

    await Promise.all([page.waitForEvent('load'), page.click('[data-testid=update-banner] button')]);
    await waitForApp(page);
    await page.waitForSelector('g.mark');
    assert.equal((await markIds(page)).length, 3, 'no mark lost in the update');
    const newCaches = await page.evaluate(() => caches.keys());
    const versioned = newCaches.filter((k) => !k.startsWith('cartobarrio-data-'));
    assert.ok(versioned.length > 0 && versioned.every((k) => k.endsWith('-despues')), JSON.stringify(newCaches));
    assert.equal(await page.locator('[data-testid=update-banner]').count(), 0);
    // The barrio opened under the old version still opens offline under the new one.
    await context.setOffline(true);
    const after = await context.newPage();
    const afterErrors = collectPageErrors(after);
    await after.goto(otherUrl);
    await after.waitForSelector('svg.map path.barrio-boundary');
    await waitForApp(after);
    await after.close();
    await context.setOffline(false);
    assert.deepEqual(afterErrors, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a database made by the first version of the app is upgraded with its marks kept', async () => {
  const server = await startServer();
  const context = await signedInContext(browser, server, phone);
  const page = await context.newPage();
  try {
    const list = await (await fetch(`${server.url}/api/v1/barrios`)).json();
    const barrio = list.find((b) => b.code === 'bastidas');
    const detail = await (await fetch(`${server.url}/api/v1/barrios/${barrio.id}`)).json();
    const ring = detail.boundary.type === 'Polygon' ? detail.boundary.coordinates[0] : detail.boundary.coordinates[0][0];
    const [lon, lat] = [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
    const id = '01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e1f';
    // A page of the same origin that does not open the database, to write it as version 1 did.
    await page.goto(server.url + '/healthz');
    await page.evaluate(({ id, barrioId, lon, lat }) => new Promise((resolve, reject) => {
      const open = indexedDB.open('cartobarrio', 1);
      open.onupgradeneeded = () => {
        const db = open.result;
        db.createObjectStore('marks', { keyPath: 'id' }).createIndex('barrio_id', 'barrio_id');
        db.createObjectStore('outbox', { keyPath: 'mark_id' });
      };
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction(['marks', 'outbox'], 'readwrite');
        tx.objectStore('marks').put({ id, barrio_id: barrioId, category: 'punto_basura', geometry: { type: 'Point', coordinates: [lon, lat] }, description: '', created_at_ms: 1764000000000 });
        tx.objectStore('outbox').put({ mark_id: id, queued_at_ms: 1764000000000, attempts: 0, rejected: null });
        tx.oncomplete = () => { db.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    }), { id, barrioId: barrio.id, lon, lat });

    await page.goto(`${server.url}/barrio/${barrio.id}`);
    await waitForApp(page);
    await page.waitForSelector(`g.mark[data-mark-id="${id}"]`);
    await page.waitForSelector('[data-testid=pending-count][data-pending="0"]');
    assert.deepEqual(await serverMarks(server, barrio.id), [id], 'the old unsent mark was sent after the upgrade');
    const info = await page.evaluate(() => new Promise((resolve) => {
      const open = indexedDB.open('cartobarrio');
      open.onsuccess = () => {
        const db = open.result;
        const out = { version: db.version, stores: [...db.objectStoreNames].sort() };
        db.transaction('meta').objectStore('meta').get('device').onsuccess = (e) => {
          out.device = e.target.result?.device_id;
          db.close();
          resolve(out);
        };
      };
    }));
    assert.equal(info.version, 6);
    assert.deepEqual(info.stores, ['causes', 'changes', 'marks', 'meta', 'outbox', 'packs', 'receipts', 'solutions', 'workshops']);
    assert.match(info.device, /^[0-9a-f-]{36}$/);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('without IndexedDB (private mode) the app says it cannot save instead of pretending', async () => {
  const server = await startServer();
  const context = await signedInContext(browser, server, phone);
  await context.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
  });
  const page = await context.newPage();
  try {
    await page.goto(server.url + '/');
    await page.waitForSelector('[data-testid=storage-status]:has-text("no permite guardar")');
    await page.waitForSelector('[data-testid=pending-count]:has-text("No se puede guardar")');
    await page.click('a.barrio-link[data-code=bastidas]');
    await page.waitForSelector('svg.map path.barrio-boundary');
    await chooseCategory(page, 'rinas');
    await tapMap(page);
    await page.waitForSelector('[data-testid=notice]:has-text("No se guardó en este dispositivo")');
    assert.equal(await page.locator('g.mark').count(), 0, 'no mark is shown as if saved');
  } finally {
    await context.close();
    await server.stop();
  }
});
