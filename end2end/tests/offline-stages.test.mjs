// Every participant page hydrates with no panic, online and offline, and the stage in the
// address (`?etapa=`) survives an offline reload even though the service worker keeps one
// copy of a barrio's page, rendered for whichever stage it was opened on last.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serverAndBrowser } from '../support/suite.mjs';
import { signedInContext } from '../support/server.mjs';
import { waitForServiceWorker, tapMap, artifacts } from '../support/browser.mjs';
import { collectPanics, overflowing } from '../support/checks.mjs';

const suite = serverAndBrowser();
const STAGES = ['barrio', 'problemas', 'arbol', 'actores', 'soluciones'];
// What each stage puts under the map: the palette where people draw, the tree's forms elsewhere.
const TRAY = { arbol: '[data-testid=causes-panel]', soluciones: '[data-testid=solutions-panel]' };
const phone = (width) => ({ viewport: { width, height: 640 }, hasTouch: true, deviceScaleFactor: 1 });

/** Waits until the app has hydrated and read the device's queue, failing at once on a panic. */
async function ready(page, panics) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    assert.deepEqual(panics, [], 'the app panicked');
    if (await page.locator('[data-testid=pending-count][data-pending]:not([data-pending=""])').count()) return;
    if (Date.now() > deadline) throw new Error(`the app did not start on ${page.url()}`);
    await page.waitForTimeout(100);
  }
}

async function expectStage(page, code) {
  await page.waitForSelector(`section.workspace[data-current-stage=${code}]`, { timeout: 10_000 });
  assert.equal(await page.getAttribute('a.stage[aria-current=step]', 'data-stage'), code, 'the stepper marks the stage');
  // On a phone the palette and the panels are sheets over the map, at rest until pulled up.
  await page.waitForSelector(TRAY[code] ?? '[data-testid=palette]', { timeout: 10_000, state: 'attached' });
  for (const [other, selector] of Object.entries(TRAY)) {
    if (other !== code) assert.equal(await page.locator(selector).count(), 0, `${other}'s panel is not on ${code}`);
  }
}

async function assertFits(page, what) {
  assert.deepEqual(await overflowing(page), [], `${what} fits ${page.viewportSize().width} px`);
}

/** Until the service worker has stored the barrio's page rendered for `stage`. */
async function cachedFor(page, path, stage) {
  await page.waitForFunction(async ({ path, stage }) => {
    for (const name of (await caches.keys()).filter((n) => n.startsWith('cartobarrio-pages-'))) {
      const res = await (await caches.open(name)).match(path);
      if (res && (await res.text()).includes(`data-current-stage="${stage}"`)) return true;
    }
    return false;
  }, { path, stage }, { timeout: 15_000 });
}

test('every participant page hydrates online and offline, and an offline reload keeps every stage', async () => {
  const { server, browser } = suite;
  const barrio = await suite.barrioByCode('pescaito');
  const path = `/barrio/${barrio.id}`;
  const context = await browser.newContext(phone(360));
  const page = await context.newPage();
  const panics = collectPanics(page);
  try {
    const pages = ['/', '/unirse', '/envios'];
    for (const p of pages) {
      await page.goto(server.url + p);
      await ready(page, panics);
      await assertFits(page, p);
      await page.screenshot({ path: join(artifacts, `phone360-page-${p === '/' ? 'barrios' : p.slice(1)}.png`) });
    }
    await waitForServiceWorker(page);
    await page.goto(server.url + path);
    await ready(page, panics);
    await expectStage(page, 'problemas');
    for (const [i, code] of STAGES.entries()) {
      await page.goto(`${server.url}${path}?etapa=${code}`);
      await ready(page, panics);
      await expectStage(page, code);
      await assertFits(page, `stage ${code}`);
      await page.screenshot({ path: join(artifacts, `phone360-stage-${i + 1}-${code}.png`) });
    }
    // Moving between stages in the page (no reload) works too.
    await page.click('a.stage[data-stage=arbol]');
    await expectStage(page, 'arbol');
    await page.click('a.stage[data-stage=actores]');
    await expectStage(page, 'actores');
    await page.click('[data-testid=view-toggle]');
    await page.waitForSelector('.list-wrap');
    await assertFits(page, 'the list');
    await page.screenshot({ path: join(artifacts, 'phone360-lista.png') });

    // The worker keeps one copy per page: whichever stage it was rendered for, every stage
    // must open from it, by address and by reload, with the network off.
    for (const kept of STAGES) {
      await page.goto(`${server.url}${path}?etapa=${kept}`);
      await ready(page, panics);
      await cachedFor(page, path, kept);
      await context.setOffline(true);
      for (const code of STAGES) {
        await page.goto(`${server.url}${path}?etapa=${code}`);
        await ready(page, panics);
        await page.waitForSelector('[data-testid=online-status].offline');
        await expectStage(page, code);
        await page.reload();
        await ready(page, panics);
        await expectStage(page, code);
      }
      await context.setOffline(false);
    }

    // Offline, the page opened from another stage's copy works, not only shows: a mark drawn
    // in the stage the address names is saved.
    await context.setOffline(true);
    await page.goto(`${server.url}${path}?etapa=barrio`);
    await ready(page, panics);
    await expectStage(page, 'barrio');
    await assertFits(page, 'stage barrio offline');
    await page.click('[data-testid=choose-category]');
    await page.click('[data-testid=palette] button.cat >> nth=0');
    await tapMap(page, 0.5, 0.5);
    await page.waitForSelector('g.mark');
    await page.waitForSelector('[data-testid=pending-count][data-pending="1"]');
    await page.screenshot({ path: join(artifacts, 'phone360-offline-stage-1-barrio.png') });

    for (const p of pages) {
      await page.goto(server.url + p);
      await ready(page, panics);
      await page.reload();
      await ready(page, panics);
      await assertFits(page, `${p} offline`);
    }
    await context.setOffline(false);
    assert.deepEqual(panics, []);
  } finally {
    await context.close();
  }
});

test('no participant page is wider than a 320 px phone', async () => {
  const { server, browser } = suite;
  const barrio = await suite.barrioByCode('pescaito');
  const context = await browser.newContext(phone(320));
  const page = await context.newPage();
  const panics = collectPanics(page);
  try {
    for (const p of ['/', '/unirse', '/envios', ...STAGES.map((s) => `/barrio/${barrio.id}?etapa=${s}`)]) {
      await page.goto(server.url + p);
      await ready(page, panics);
      await assertFits(page, p);
    }
    await page.click('[data-testid=view-toggle]');
    await page.waitForSelector('.list-wrap');
    await assertFits(page, 'the list');
  } finally {
    await context.close();
  }
});

test('no other page panics while hydrating, online or reloaded offline', async () => {
  const { server, browser } = suite;
  const barrio = await suite.barrioByCode('pescaito');
  const context = await signedInContext(browser, server, phone(360));
  const page = await context.newPage();
  const panics = collectPanics(page);
  const pages = [
    '/entrar', '/cuenta', '/admin', '/equipo', '/talleres', '/publico', `/publico/${barrio.id}`,
    `/diagnostico/${barrio.id}`, `/diagnostico/${barrio.id}/publicar`, `/diagnostico/${barrio.id}/informe/1`, '/no-existe',
  ];
  try {
    await page.goto(server.url + '/');
    await ready(page, panics);
    await waitForServiceWorker(page);
    for (const p of pages) {
      await page.goto(server.url + p);
      await ready(page, panics);
    }
    await context.setOffline(true);
    for (const p of pages) {
      await page.goto(server.url + p);
      if (new URL(page.url()).pathname !== p) continue;
      // A page the worker did not keep answers with its plain offline note, which has no app.
      if (await page.locator('[data-testid=pending-count]').count() === 0) continue;
      await ready(page, panics);
      await page.reload();
      await ready(page, panics);
    }
    await context.setOffline(false);
    assert.deepEqual(panics, []);
  } finally {
    await context.close();
  }
});
