// Frame times of the map while panning and pinch-zooming a heavy barrio: 5,000 base features
// (2,000 street segments, 2,500 blocks, 500 landmarks) and 1,000 marks, on a desktop-class CPU
// and with 4× CPU throttling (a mid-range phone). Prints the median and 95th percentile and
// keeps them in artifacts/map-performance.json; it measures, it does not assert a speed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { startServer } from '../support/server.mjs';
import { launch, waitForApp, collectPageErrors, artifacts, storeMarksOnDevice } from '../support/browser.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// A 1.5 km square barrio east of Santa Marta's centre, on a 50 × 50 grid of 30 m blocks.
const [X0, Y0, SIZE, N] = [-74.2, 11.2, 0.0136, 50];
const step = SIZE / N;
const feature = (properties, geometry) => ({ type: 'Feature', properties, geometry });

function heavyCity() {
  const streets = [];
  for (let i = 0; i < 20; i++) {
    for (let j = 0; j < N; j++) {
      // 20 streets each way, cut at every block: 2 × 20 × 50 = 2,000 segments.
      const y = Y0 + (i + 0.5) * (SIZE / 20);
      const x = X0 + (i + 0.5) * (SIZE / 20);
      streets.push(feature({ name: `Calle ${i + 1}` }, { type: 'LineString', coordinates: [[X0 + j * step, y], [X0 + (j + 1) * step, y]] }));
      streets.push(feature({ name: `Carrera ${i + 1}` }, { type: 'LineString', coordinates: [[x, Y0 + j * step], [x, Y0 + (j + 1) * step]] }));
    }
  }
  const blocks = [];
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const [a, b, c, d] = [X0 + i * step + step * 0.1, Y0 + j * step + step * 0.1, X0 + (i + 0.9) * step, Y0 + (j + 0.9) * step];
      blocks.push(feature({}, { type: 'Polygon', coordinates: [[[a, b], [c, b], [c, d], [a, d], [a, b]]] }));
    }
  }
  const kinds = ['parque', 'colegio', 'iglesia', 'salon_comunal', 'cai'];
  const landmarks = [];
  for (let k = 0; k < 500; k++) {
    const [i, j] = [(k * 7) % N, Math.floor((k * 7) / N) % N];
    landmarks.push(feature({ kind: kinds[k % 5], name: `Lugar ${k + 1}` }, { type: 'Point', coordinates: [X0 + (i + 0.5) * step, Y0 + (j + 0.5) * step] }));
  }
  const fc = (features) => ({ type: 'FeatureCollection', features });
  const boundary = [[[X0, Y0], [X0 + SIZE, Y0], [X0 + SIZE, Y0 + SIZE], [X0, Y0 + SIZE], [X0, Y0]]];
  return {
    barrios: fc([feature({ name: 'Barrio de prueba de rendimiento', code: 'rendimiento' }, { type: 'Polygon', coordinates: boundary })]),
    streets: fc(streets),
    blocks: fc(blocks),
    landmarks: fc(landmarks),
    options: { code_property: 'code', margin_m: 0, demo_for_missing: false, layer_source: 'Capas sintéticas para medir' },
  };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Pans, then pinches in and out, one pointer move per frame; returns the frame intervals. */
async function gestureFrameTimes(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const svg = document.querySelector('svg.map');
    const r = svg.getBoundingClientRect();
    const [cx, cy] = [r.left + r.width / 2, r.top + r.height / 2];
    const fire = (type, id, x, y) =>
      svg.dispatchEvent(new PointerEvent(type, { pointerId: id, pointerType: 'touch', clientX: x, clientY: y, bubbles: true, isPrimary: id === 1 }));
    const frames = [];
    const script = [];
    // 60 frames of one-finger pan in a circle.
    script.push(() => fire('pointerdown', 1, cx, cy));
    for (let i = 1; i <= 60; i++) script.push(() => fire('pointermove', 1, cx + 80 * Math.sin(i / 10), cy + 60 * (1 - Math.cos(i / 10))));
    script.push(() => fire('pointerup', 1, cx, cy));
    // 60 frames of pinch in, 60 out.
    script.push(() => { fire('pointerdown', 1, cx - 40, cy); fire('pointerdown', 2, cx + 40, cy); });
    for (let i = 1; i <= 60; i++) script.push(() => { fire('pointermove', 1, cx - 40 - i * 2, cy); fire('pointermove', 2, cx + 40 + i * 2, cy); });
    for (let i = 59; i >= 0; i--) script.push(() => { fire('pointermove', 1, cx - 40 - i * 2, cy); fire('pointermove', 2, cx + 40 + i * 2, cy); });
    script.push(() => { fire('pointerup', 1, cx - 40, cy); fire('pointerup', 2, cx + 40, cy); });
    let last = null;
    let k = 0;
    const tick = (t) => {
      if (last !== null) frames.push(t - last);
      last = t;
      if (k < script.length) {
        script[k++]();
        requestAnimationFrame(tick);
      } else {
        resolve(frames);
      }
    };
    requestAnimationFrame(tick);
  }));
}

test('frame times while panning and pinching 5,000 base features and 1,000 marks', async () => {
  const res = await server.fetch('/api/v1/admin/import', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(heavyCity()),
  });
  const report = await res.json();
  assert.equal(res.status, 201, JSON.stringify(report));
  const list = await (await fetch(`${server.url}/api/v1/barrios`)).json();
  const barrio = list.find((b) => b.code === 'rendimiento');
  const pack = await (await fetch(`${server.url}/api/v1/barrios/${barrio.id}/pack`)).json();
  const features = pack.layers.streets.features.length + pack.layers.blocks.features.length + pack.layers.landmarks.features.length;
  assert.equal(features, 5000);

  const results = {};
  for (const [label, throttle] of [['desktop', 1], ['phone (4× CPU throttling)', 4]]) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(server.url + '/');
    await waitForApp(page);
    // 1,000 marks made on this device, written as the app writes them.
    await storeMarksOnDevice(page, { barrioId: barrio.id, x0: X0, y0: Y0, size: SIZE });

    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    const started = Date.now();
    await page.goto(`${server.url}/barrio/${barrio.id}`);
    await page.waitForSelector('svg.map [data-testid=base-layers][data-features="5000"]', { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelectorAll('svg.map g.mark').length === 1000, null, { timeout: 60_000 });
    const openMs = Date.now() - started;

    await gestureFrameTimes(page); // warm-up
    const frames = (await gestureFrameTimes(page)).sort((a, b) => a - b);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    assert.ok(frames.length > 150, `frames recorded: ${frames.length}`);
    const median = percentile(frames, 50);
    const p95 = percentile(frames, 95);
    // The slowest frames are the redraws when a gesture ends (two per run).
    const redraw = frames[frames.length - 1];
    results[label] = { frames: frames.length, median_ms: +median.toFixed(1), p95_ms: +p95.toFixed(1), max_ms: +redraw.toFixed(1), open_map_ms: openMs };
    console.log(`# map ${label}: median frame ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, slowest ${redraw.toFixed(1)} ms (redraw at gesture end) over ${frames.length} frames; barrio opened with layers and marks in ${openMs} ms`);
    if (throttle === 1) await page.screenshot({ path: `${artifacts}/map-performance-tablet.png` });
    assert.deepEqual(errors, []);
    await context.close();
  }
  writeFileSync(`${artifacts}/map-performance.json`, JSON.stringify({ base_features: 5000, marks: 1000, viewport: '1280x800', results }, null, 2) + '\n');
});
