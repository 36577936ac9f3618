// Nothing typed is lost while the app loads: on a weak link the page shows seconds before its
// wasm has arrived and hydrated, and people type meanwhile. The wasm is held back here until
// they have typed, as a slow link would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { waitForApp } from '../support/browser.mjs';
import { collectPanics } from '../support/checks.mjs';

const suite = serverAndBrowser();
const phone = { viewport: { width: 360, height: 740 }, hasTouch: true };

/** A page whose wasm is held back until `release()` is called. */
async function pageWithHeldWasm(context) {
  const page = await context.newPage();
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(/\/pkg\/cartobarrio\.[\w-]+\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  return { page, release };
}

/** True once the app has hydrated (the connection chip reads the device's outbox). */
const hydrated = (page) => page.evaluate(() => document.querySelector('[data-testid=pending-count][data-pending]:not([data-pending=""])') !== null);

async function prepareWorkshop(server, barrio) {
  const date = new Date().toISOString().slice(0, 10);
  const res = await server.fetch('/api/v1/workshops', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ barrio_id: barrio.id, date, place: 'Salón comunal', cbsc: 'CBSC', facilitator: 'Ana' }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

test('a barrio search typed before the app answers is kept and applied', async () => {
  const { server, browser } = suite;
  const context = await browser.newContext(phone);
  const { page, release } = await pageWithHeldWasm(context);
  const panics = collectPanics(page);
  try {
    await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('[data-testid=barrio-search]');
    assert.equal(await hydrated(page), false, 'the app has not answered yet');
    await page.click('[data-testid=barrio-search]');
    await page.keyboard.type('pescai');
    release();
    await waitForApp(page);
    assert.equal(await page.inputValue('[data-testid=barrio-search]'), 'pescai', 'the text is still in the box');
    await page.waitForSelector('[data-testid=barrio-count]:has-text(" de ")');
    const names = await page.$$eval('.barrio-link .barrio-name', (els) => els.map((e) => e.textContent));
    assert.ok(names.length >= 1 && names.every((n) => /pesca[ií]to/i.test(n)), `only what matches is listed: ${names}`);
    // Typing on works as usual.
    await page.fill('[data-testid=barrio-search]', '');
    await page.waitForSelector('[data-testid=barrio-count]:not(:has-text(" de "))');
    assert.deepEqual(panics, []);
  } finally {
    await context.close();
  }
});

test('a join code typed before the app answers is kept, and "Unirme" then joins with it', async () => {
  const { server, browser } = suite;
  const barrio = await suite.barrioByCode('pescaito');
  const workshop = await prepareWorkshop(server, barrio);
  const context = await browser.newContext(phone);
  const { page, release } = await pageWithHeldWasm(context);
  const panics = collectPanics(page);
  try {
    await page.goto(server.url + '/unirse', { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('input.code-input');
    assert.equal(await hydrated(page), false, 'the app has not answered yet');
    await page.click('input.code-input');
    await page.keyboard.type(workshop.join_code.toLowerCase());
    release();
    await waitForApp(page);
    assert.equal(await page.inputValue('input.code-input'), workshop.join_code.toLowerCase());
    await page.click('.join-form button[type=submit]');
    await page.waitForURL(new RegExp(`/barrio/${barrio.id}`));
    assert.deepEqual(panics, []);
  } finally {
    await context.close();
  }
});

test('a join form sent before the app answers joins once it does', async () => {
  const { server, browser } = suite;
  const barrio = await suite.barrioByCode('pescaito');
  const workshop = await prepareWorkshop(server, barrio);
  const context = await browser.newContext(phone);
  const { page, release } = await pageWithHeldWasm(context);
  const panics = collectPanics(page);
  try {
    await page.goto(server.url + '/unirse', { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('input.code-input');
    await page.click('input.code-input');
    await page.keyboard.type(workshop.join_code);
    // Enter with no app yet: the browser sends the form itself (GET /unirse?code=…).
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/unirse\?code=/);
    release();
    await page.waitForURL(new RegExp(`/barrio/${barrio.id}`), { timeout: 30_000 });
    assert.deepEqual(panics, []);
  } finally {
    await context.close();
  }
});
