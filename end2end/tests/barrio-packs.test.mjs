// Barrio packs: a facilitator saves the maps of the barrios of a workshop while online, sees
// them on the device with their size, and opens them with the network off — streets, blocks
// and landmarks included — then pans, pinches and marks a place to within a metre.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { launch, waitForApp, collectPageErrors, waitForServiceWorker, artifacts, chooseCategory } from '../support/browser.mjs';
import { pinch, drag } from '../support/gestures.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function barrioByCode(code) {
  const list = await (await fetch(`${server.url}/api/v1/barrios`)).json();
  return list.find((b) => b.code === code);
}

/** Web Mercator, written here independently of the app's Rust projection. */
const R = 6378137;
const merc = (lon, lat) => [R * (lon * Math.PI) / 180, R * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))];

function bboxOf(geometry) {
  const nums = JSON.stringify(geometry.coordinates).match(/-?\d+(\.\d+)?(e-?\d+)?/g).map(Number);
  const lons = nums.filter((_, i) => i % 2 === 0);
  const lats = nums.filter((_, i) => i % 2 === 1);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

/** Where on screen a longitude/latitude is drawn, from the SVG's view box and layout. */
async function screenPoint(page, bbox, lon, lat) {
  const [ox, oy] = merc((bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2);
  const [mx, my] = merc(lon, lat);
  const [x, y] = [mx - ox, oy - my];
  const [vx, vy, vw, vh] = (await page.getAttribute('svg.map', 'viewBox')).split(' ').map(Number);
  const box = await page.locator('svg.map').boundingBox();
  const scale = Math.min(box.width / vw, box.height / vh);
  return [box.x + (box.width - vw * scale) / 2 + (x - vx) * scale, box.y + (box.height - vh * scale) / 2 + (y - vy) * scale];
}

/** The longitude/latitude drawn at a screen point: the inverse of `screenPoint`. */
async function lonLatAt(page, bbox, sx, sy) {
  const [ox, oy] = merc((bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2);
  const [vx, vy, vw, vh] = (await page.getAttribute('svg.map', 'viewBox')).split(' ').map(Number);
  const box = await page.locator('svg.map').boundingBox();
  const scale = Math.min(box.width / vw, box.height / vh);
  const x = vx + (sx - box.x - (box.width - vw * scale) / 2) / scale;
  const y = vy + (sy - box.y - (box.height - vh * scale) / 2) / scale;
  const [mx, my] = [x + ox, oy - y];
  return [((mx / R) * 180) / Math.PI, ((2 * Math.atan(Math.exp(my / R)) - Math.PI / 2) * 180) / Math.PI];
}

function metresBetween([lon1, lat1], [lon2, lat2]) {
  const k = Math.PI / 180;
  const dx = (lon2 - lon1) * k * Math.cos(((lat1 + lat2) / 2) * k) * 6371000;
  const dy = (lat2 - lat1) * k * 6371000;
  return Math.hypot(dx, dy);
}

test('a saved barrio opens offline with its base layers, and a mark lands within a metre after pan and pinch', async () => {
  const target = await barrioByCode('bastidas');
  const other = await barrioByCode('pescaito');
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  try {
    await page.goto(server.url + '/');
    await waitForApp(page);
    await waitForServiceWorker(page);
    await page.waitForSelector('[data-testid=shelf-summary]:has-text("Ningún mapa")');
    // The size of each pack is known before downloading it.
    await page.waitForSelector(`[data-testid=pack-${target.id}] .pack-size:has-text("kB")`);

    for (const b of [target, other]) {
      await page.click(`[data-testid=pack-${b.id}]`);
      await page.waitForSelector(`[data-testid=pack-${b.id}][data-state=saved]`);
    }
    await page.click('[data-testid=pack-shelf] summary');
    await page.waitForSelector('[data-testid=shelf-item] >> nth=1');
    assert.match(await page.textContent('[data-testid=shelf-summary]'), /2 mapas en este dispositivo \(\d+ kB\)/);

    // Remove one: the other stays.
    await page.click(`[data-testid=shelf-item][data-barrio-id="${other.id}"] button:has-text("Quitar")`);
    await page.waitForSelector(`[data-testid=pack-${other.id}][data-state=missing]`);
    assert.match(await page.textContent('[data-testid=shelf-summary]'), /^1 mapa en este dispositivo/);

    const pack = await (await fetch(`${server.url}/api/v1/barrios/${target.id}/pack`)).json();
    const bbox = bboxOf(pack.barrio.boundary);
    const park = pack.layers.landmarks.features.find((f) => f.properties.kind === 'parque');
    assert.ok(park, 'the demo pack has a park to aim at');

    // No network from here on. The barrio was never opened: only its saved pack can show it.
    await context.setOffline(true);
    await page.click(`a.barrio-link[data-code=${target.code}]`);
    await page.waitForSelector('svg.map [data-testid=base-layers][data-demo=true]');
    await page.waitForSelector('[data-testid=demo-badge]');
    assert.ok((await page.locator('svg.map .landmark').count()) >= 2, 'landmarks drawn');
    assert.ok((await page.locator('svg.map .street-label').count()) >= 1, 'street names drawn');
    assert.equal(await page.getAttribute('[data-testid=about-data-link]', 'href'), `/acerca-de-los-datos?barrio=${target.id}`);

    // Pan with one finger, pinch with two.
    const box = await page.locator('svg.map').boundingBox();
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    const before = await page.getAttribute('svg.map', 'viewBox');
    await drag(page, cx, cy, -40, 25);
    await pinch(page, cx, cy, 30, 90);
    assert.notEqual(await page.getAttribute('svg.map', 'viewBox'), before);

    // Bring the park on screen if the gestures moved it off, then tap exactly on it.
    let [px, py] = await screenPoint(page, bbox, ...park.geometry.coordinates);
    if (px < box.x + 20 || px > box.x + box.width - 70 || py < box.y + 40 || py > box.y + box.height - 50) {
      await drag(page, px, py, cx - px, cy - py);
      [px, py] = await screenPoint(page, bbox, ...park.geometry.coordinates);
    }
    // Mouse events carry whole pixels: aim at the pixel, and expect the place drawn there.
    [px, py] = [Math.round(px), Math.round(py)];
    const expected = await lonLatAt(page, bbox, px, py);
    await chooseCategory(page, 'alumbrado_deficiente');
    await page.mouse.click(px, py);
    await page.waitForSelector('[data-testid=notice].ok');
    const stored = await page.evaluate(() => new Promise((resolve, reject) => {
      const open = indexedDB.open('cartobarrio');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const req = open.result.transaction('marks').objectStore('marks').getAll();
        req.onsuccess = () => resolve(req.result.map((m) => m.geometry.coordinates));
      };
    }));
    assert.equal(stored.length, 1);
    const error = metresBetween(stored[0], expected);
    const fromPark = metresBetween(stored[0], park.geometry.coordinates);
    console.log(`# tap stored ${error.toFixed(3)} m from the expected place (${fromPark.toFixed(2)} m from the park's centre)`);
    assert.ok(error < 1, `stored ${stored[0]} is ${error.toFixed(2)} m from ${expected}`);
    assert.ok(fromPark < 5, `the tap aimed at the park: ${fromPark.toFixed(2)} m`);

    // A reload with no network opens the saved barrio too (its page was kept with the pack).
    await page.reload();
    await page.waitForSelector('svg.map [data-testid=base-layers]');
    await page.waitForSelector('g.mark[data-category=alumbrado_deficiente]');
    await page.screenshot({ path: `${artifacts}/pack-offline-phone.png` });

    await context.setOffline(false);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('opening a barrio online keeps its pack, and a newer server version replaces the old copy', async () => {
  const adminServer = await startServer();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  try {
    const list = await (await fetch(`${adminServer.url}/api/v1/barrios`)).json();
    const b = list.find((x) => x.code === 'los-alcazares');
    await page.goto(`${adminServer.url}/barrio/${b.id}`);
    await waitForApp(page);
    await page.waitForSelector('svg.map [data-testid=base-layers][data-demo=true]');
    const versionOnDevice = () => page.evaluate((id) => new Promise((resolve) => {
      const open = indexedDB.open('cartobarrio');
      open.onsuccess = () => {
        const req = open.result.transaction('packs').objectStore('packs').get(id);
        req.onsuccess = () => resolve(req.result?.version ?? null);
      };
    }), b.id);
    assert.equal(await versionOnDevice(), 1);

    // The administration imports real streets for the city: the pack gets version 2.
    const bbox = bboxOf((await (await fetch(`${adminServer.url}/api/v1/barrios/${b.id}`)).json()).boundary);
    const midLat = (bbox[1] + bbox[3]) / 2;
    const res = await adminServer.fetch('/api/v1/admin/import', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        streets: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Calle <b>7</b>' },
          geometry: { type: 'LineString', coordinates: [[bbox[0] - 0.01, midLat], [bbox[2] + 0.01, midLat]] } }] },
        options: { layer_source: 'Vías: prueba de importación', demo_for_missing: false },
      }),
    });
    assert.equal(res.status, 201, await res.text());

    await page.reload();
    await waitForApp(page);
    await page.waitForSelector('svg.map [data-testid=base-layers][data-demo=false]', { state: 'attached' });
    assert.equal(await versionOnDevice(), 2);
    assert.equal(await page.locator('[data-testid=demo-badge]').count(), 0, 'real layers carry no demo label');
    await page.click('[data-testid=map-home]');
    const label = page.locator('.street-label').first();
    await label.waitFor();
    assert.equal(await label.textContent(), 'Calle <b>7</b>', 'a street name is text, never markup');
    assert.equal(await page.locator('svg.map b').count(), 0);
    // The layers' credit is on the page about the data, one tap from the map.
    await page.click('[data-testid=about-data-link]');
    await page.waitForSelector('[data-testid=about-barrio]');
    assert.match(await page.textContent('[data-testid=about-barrio]'), /Vías: prueba de importación/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await adminServer.stop();
  }
});
