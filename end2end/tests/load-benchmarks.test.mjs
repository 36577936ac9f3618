// Two benchmarks of how fast a participant gets a usable map (issue 20). They print `# timing`
// lines and keep artifacts/load-benchmarks.json; they measure, they do not assert a speed.
//  - a cold first visit over an emulated Fast 3G link (150 ms, 1.6 Mbit/s down, 750 kbit/s up):
//    bytes transferred and seconds until the barrio map is usable (the app hydrated and read
//    the device's outbox), median of 5;
//  - an offline warm start, 4× CPU throttling, 360×740: seconds until the map of a barrio
//    holding 1,000 marks shows them all, median of 5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { serverAndBrowser } from '../support/suite.mjs';
import { waitForApp, waitForServiceWorker, collectPageErrors, artifacts, storeMarksOnDevice } from '../support/browser.mjs';

const suite = serverAndBrowser();
const RUNS = 5;
const phone = { viewport: { width: 360, height: 740 }, hasTouch: true };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};

test('cold first visit over Fast 3G to a usable barrio map', async () => {
  const { server, browser } = suite;
  const barrio = await suite.barrioByCode('pescaito');
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8),
    });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
    const started = Date.now();
    await page.goto(`${server.url}/barrio/${barrio.id}`, { timeout: 60_000 });
    await page.waitForSelector('svg.map path.barrio-boundary', { timeout: 60_000 });
    await waitForApp(page);
    const ms = Date.now() - started;
    runs.push({ ms, bytes });
    assert.deepEqual(errors, []);
    await context.close();
  }
  const ms = median(runs.map((r) => r.ms));
  const bytes = median(runs.map((r) => r.bytes));
  results.cold_fast3g = { median_ms: ms, median_bytes: bytes, runs };
  console.log(`# timing cold first visit over Fast 3G: usable barrio map in ${(ms / 1000).toFixed(2)} s after ${(bytes / 1000).toFixed(0)} KB transferred (median of ${RUNS})`);
  writeFileSync(`${artifacts}/load-benchmarks.json`, JSON.stringify(results, null, 2) + '\n');
});

test('offline warm start with 4× CPU throttling to the map of a barrio holding 1,000 marks', async () => {
  const { server, browser } = suite;
  const barrio = await suite.barrioByCode('pescaito');
  const detail = await (await fetch(`${server.url}/api/v1/barrios/${barrio.id}`)).json();
  const ring = JSON.stringify(detail.geometry ?? detail.boundary ?? detail).match(/-?\d+\.\d+,-?\d+\.\d+/g).map((p) => p.split(',').map(Number));
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  const [cx, cy] = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
  const size = Math.min(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) / 3;

  const context = await browser.newContext(phone);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  try {
    await page.goto(server.url + '/');
    await waitForApp(page);
    await waitForServiceWorker(page);
    // 1,000 marks made on this device, written as the app writes them.
    await storeMarksOnDevice(page, { barrioId: barrio.id, x0: cx - size / 2, y0: cy - size / 2, size });
    // The barrio opened once online: its page and pack are kept.
    await page.click(`a.barrio-link[data-code=pescaito]`);
    await page.waitForFunction(() => document.querySelectorAll('svg.map g.mark').length === 1000, null, { timeout: 60_000 });
    const path = `/barrio/${barrio.id}`;
    await page.waitForFunction(async (p) => {
      for (const n of (await caches.keys()).filter((n) => n.startsWith('cartobarrio-pages-'))) {
        if (await (await caches.open(n)).match(p)) return true;
      }
      return false;
    }, path);

    await context.setOffline(true);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const started = Date.now();
      await page.goto(server.url + path);
      await waitForApp(page);
      await page.waitForFunction(() => document.querySelectorAll('svg.map g.mark').length === 1000, null, { timeout: 60_000 });
      runs.push(Date.now() - started);
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    const ms = median(runs);
    results.offline_warm_4x = { median_ms: ms, runs };
    console.log(`# timing offline warm start, 4× CPU throttling: map with 1,000 marks in ${(ms / 1000).toFixed(2)} s (median of ${RUNS}: ${runs.join(', ')} ms)`);
    writeFileSync(`${artifacts}/load-benchmarks.json`, JSON.stringify(results, null, 2) + '\n');
    assert.deepEqual(errors.filter((e) => !/net::ERR|Failed to fetch|NetworkError/i.test(e)), []);
  } finally {
    await context.setOffline(false);
    await context.close();
  }
});
