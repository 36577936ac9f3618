// Looks at the app as people will: a 360×740 phone and a 1280×800 tablet. Screenshots are kept
// in end2end/artifacts/; the main controls must be on screen without scrolling. (The drawing
// screen at every size is drawing-screen.test.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer } from '../support/server.mjs';
import { launch, waitForApp, collectPageErrors, artifacts, chooseCategory, closeSheet } from '../support/browser.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function assertOnScreen(page, selector, viewport) {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box, `${selector} is rendered`);
  assert.ok(box.y >= 0 && box.y + box.height <= viewport.height + 1, `${selector} is on screen: ${JSON.stringify(box)}`);
  assert.ok(box.x >= 0 && box.x + Math.min(box.width, 44) <= viewport.width + 1, `${selector} is inside the width`);
}

for (const [device, viewport] of [['phone', { width: 360, height: 740 }], ['tablet', { width: 1280, height: 800 }]]) {
  test(`the list and the map fit a ${device} (${viewport.width}×${viewport.height})`, async () => {
    const context = await browser.newContext({ viewport, hasTouch: device === 'phone', deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors = collectPageErrors(page);

    const started = Date.now();
    await page.goto(server.url + '/');
    await waitForApp(page);
    const listReadyMs = Date.now() - started;
    await page.screenshot({ path: join(artifacts, `${device}-barrios.png`) });
    await assertOnScreen(page, 'input[type=search]', viewport);

    const mapStarted = Date.now();
    await page.goto(server.url + '/');
    await page.click('a.barrio-link[data-code=pescaito]');
    await page.waitForSelector('svg.map path.barrio-boundary');
    const mapReadyMs = Date.now() - mapStarted;
    await chooseCategory(page, 'rinas');
    const box = await page.locator('svg.map').boundingBox();
    await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.3);
    await page.waitForSelector('g.mark[data-category=rinas]');
    await closeSheet(page);
    await chooseCategory(page, 'alumbrado_deficiente');
    await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.25);
    await page.waitForSelector('g.mark[data-category=alumbrado_deficiente]');
    await closeSheet(page);
    await page.screenshot({ path: join(artifacts, `${device}-map.png`) });

    // On a phone the category in hand is on the button at the bottom; beside the map, the palette.
    const chosen = device === 'phone' ? '[data-testid=choose-category]' : 'button.cat.selected';
    for (const selector of ['svg.map', chosen, '[data-testid=pending-count]', '[data-testid=online-status]', 'a.back']) {
      await assertOnScreen(page, selector, viewport);
    }
    // Touch targets of at least 44 px.
    for (const selector of [chosen, 'button.tool', 'a.back', '[data-testid=pending-count]']) {
      const b = await page.locator(selector).first().boundingBox();
      assert.ok(b.height >= 44 && b.width >= 44, `${selector} is ${b.width}×${b.height}`);
    }
    const mapBox = await page.locator('svg.map').boundingBox();
    assert.ok(mapBox.height >= viewport.height * 0.6, `the map takes most of the screen (${mapBox.height}px)`);
    console.log(`# timing ${device}: barrio list usable in ${listReadyMs} ms, barrio map drawn in ${mapReadyMs} ms (first visit, loopback)`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
