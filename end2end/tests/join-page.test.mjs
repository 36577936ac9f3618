// The join page is the first screen every participant sees: it must fit the narrowest phone,
// and typing the code must not slide the page sideways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serverAndBrowser } from '../support/suite.mjs';
import { waitForApp, artifacts } from '../support/browser.mjs';
import { collectPanics, overflowing } from '../support/checks.mjs';

const suite = serverAndBrowser();

const SIZES = [
  ['phone320', { width: 320, height: 640 }],
  ['phone360', { width: 360, height: 640 }],
  ['phone412', { width: 412, height: 915 }],
  ['tablet800', { width: 800, height: 1280 }],
];

async function assertInside(page, selector, viewport) {
  const box = await page.locator(selector).boundingBox();
  assert.ok(box, `${selector} is shown`);
  assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, `${selector} is inside ${viewport.width} px: ${JSON.stringify(box)}`);
  assert.ok(box.height >= 44, `${selector} is a touch target: ${box.height} px high`);
  return box;
}

for (const [name, viewport] of SIZES) {
  test(`the join page fits a ${viewport.width}×${viewport.height} screen, before and after typing`, async () => {
    const { server, browser } = suite;
    const context = await browser.newContext({ viewport, hasTouch: true, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const panics = collectPanics(page);
    try {
      await page.goto(server.url + '/unirse');
      await waitForApp(page);
      assert.deepEqual(await overflowing(page), []);
      const input = await assertInside(page, 'input.code-input', viewport);
      const button = await assertInside(page, '.join-form button[type=submit]', viewport);
      assert.ok(button.y > input.y, '"Unirme" is under the code box');
      if (name === 'phone360') await page.screenshot({ path: join(artifacts, 'phone360-unirse.png') });

      await page.click('input.code-input');
      await page.keyboard.type('abc-234');
      assert.equal(await page.evaluate(() => window.scrollX), 0, 'typing does not slide the page');
      assert.deepEqual(await overflowing(page), []);
      await assertInside(page, 'input.code-input', viewport);

      // An unknown code: the message shows under the box, and the page still fits.
      await page.click('.join-form button[type=submit]');
      await page.waitForSelector('[data-testid=join-error]');
      assert.deepEqual(await overflowing(page), []);
      assert.equal(await page.evaluate(() => window.scrollX), 0);
      await page.screenshot({ path: join(artifacts, `${name}-unirse-error.png`) });
      assert.deepEqual(panics, []);
    } finally {
      await context.close();
    }
  });
}

test('a join link from the QR fits a 320 px phone', async () => {
  const { server, browser } = suite;
  const context = await browser.newContext({ viewport: { width: 320, height: 640 }, hasTouch: true, deviceScaleFactor: 1 });
  const page = await context.newPage();
  try {
    await page.goto(server.url + '/unirse/ABC234');
    await page.waitForSelector('[data-testid=join-error]');
    assert.deepEqual(await overflowing(page), []);
  } finally {
    await context.close();
  }
});
