// The drawing screen as a participant holds it: a phone of 320, 360 or 412 px and the 10"
// tablet both ways. The map keeps at least 60 % of the screen in every stage with nothing over
// its centre, nothing is wider than the screen, the controls sit at the bottom edge, the map
// does not move under the finger while a route is drawn, and the sheets come and go over it.
// Screenshots of every participant screen go to end2end/artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serverAndBrowser } from '../support/suite.mjs';
import { artifacts, chooseCategory, waitForApp } from '../support/browser.mjs';
import { collectPanics, overflowing } from '../support/checks.mjs';

const suite = serverAndBrowser();
const SIZES = [
  ['phone320', { width: 320, height: 568 }],
  ['phone360', { width: 360, height: 640 }],
  ['phone412', { width: 412, height: 915 }],
  ['tablet-portrait', { width: 800, height: 1280 }],
  ['tablet-landscape', { width: 1280, height: 800 }],
];

/** The map's box, and what is on top at its centre. */
async function mapArea(page) {
  return page.evaluate(() => {
    const map = document.querySelector('svg.map');
    const r = map.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { y: r.top, height: r.height, width: r.width, centreIsMap: !!top && (top === map || map.contains(top)) };
  });
}

async function assertMapTakesTheScreen(page, viewport, what) {
  const area = await mapArea(page);
  assert.ok(area.height >= viewport.height * 0.6, `${what}: the map is ${Math.round(area.height)} of ${viewport.height} px`);
  assert.ok(area.centreIsMap, `${what}: nothing covers the map's centre`);
  assert.deepEqual(await overflowing(page), [], `${what} fits ${viewport.width} px`);
  return area;
}

async function assertInThumbReach(page, selector, viewport, what) {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box, `${selector} is shown`);
  assert.ok(box.y >= viewport.height * 0.6 && box.y + box.height <= viewport.height + 1, `${what}: ${selector} is at the bottom edge (${JSON.stringify(box)})`);
  assert.ok(box.height >= 44 && box.width >= 44, `${what}: ${selector} is a 44 px target (${box.width}×${box.height})`);
}

for (const [name, viewport] of SIZES) {
  test(`the drawing screen works on a ${name} (${viewport.width}×${viewport.height})`, async () => {
    const { server, browser } = suite;
    const phone = viewport.width < 900;
    const barrio = await suite.barrioByCode('pescaito');
    const context = await browser.newContext({ viewport, hasTouch: true, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const panics = collectPanics(page);
    const shot = (what) => page.screenshot({ path: join(artifacts, `${name}-${what}.png`) });
    try {
      await page.goto(`${server.url}/barrio/${barrio.id}?etapa=problemas`);
      await waitForApp(page);
      await page.waitForSelector('[data-testid=base-layers]');
      // The barrio opens close in: a 44 px fingertip covers about 20 m, a house or two.
      const scale = await page.evaluate(() => {
        const bar = document.querySelector('[data-testid=scale-bar]');
        return { px: bar.querySelector('.scale-line').getBoundingClientRect().width, label: bar.textContent.trim() };
      });
      const metres = Number.parseFloat(scale.label.replace(',', '.')) * (scale.label.includes('km') ? 1000 : 1);
      const fingertip = (44 * metres) / scale.px;
      assert.ok(fingertip >= 12 && fingertip <= 32, `a fingertip covers ${fingertip.toFixed(1)} m at the opening zoom (${scale.label} in ${scale.px} px)`);
      await assertMapTakesTheScreen(page, viewport, 'stage 2 as it opens');
      await shot('1-open');

      // The category sheet comes up over the map and goes away with the choice.
      if (phone) {
        await assertInThumbReach(page, '[data-testid=choose-category]', viewport, 'the category button');
        await page.click('[data-testid=choose-category]');
        await page.waitForSelector('nav.palette.open');
        await shot('2-categories');
      }
      await chooseCategory(page, 'hurto_personas');
      if (phone) await page.waitForSelector('nav.palette:not(.open)', { state: 'attached' });
      assert.equal(await page.textContent('[data-testid=choose-category] strong').catch(() => null) ?? 'Hurto a personas', 'Hurto a personas');
      for (const selector of ['button.tool[data-tool=ruta]', '[data-testid=undo]', '[data-testid=map-home]']) {
        if (phone) await assertInThumbReach(page, selector, viewport, 'drawing');
      }
      const before = await assertMapTakesTheScreen(page, viewport, 'drawing a point');

      // A mark opens its sheet: it is kept, and more can be said; "Listo" closes it.
      const map = await page.locator('svg.map').boundingBox();
      await page.mouse.click(map.x + map.width * 0.5, map.y + map.height * 0.3);
      await page.waitForSelector('[data-testid=mark-sheet] [data-testid=fresh-note]');
      assert.match(await page.textContent('[data-testid=fresh-note]'), /Guardada en este dispositivo/);
      await shot('3-mark-sheet');
      await page.click('[data-testid=mark-sheet] [data-choice=noche]');
      await page.click('[data-testid=save-mark]');
      await page.waitForSelector('[data-testid=mark-sheet]', { state: 'detached' });
      await page.waitForSelector('g.mark[data-category=hurto_personas]');

      // A route: the map stays exactly where it was while the points go down.
      await page.click('button.tool[data-tool=ruta]');
      const taps = [[0.3, 0.45], [0.45, 0.55], [0.6, 0.5]];
      for (const [i, [fx, fy]] of taps.entries()) {
        await page.mouse.click(map.x + map.width * fx, map.y + map.height * fy);
        await page.waitForSelector(`[data-testid=draft-count][data-vertices="${i + 1}"]`);
        const now = await mapArea(page);
        assert.deepEqual([now.y, now.height, now.width], [before.y, before.height, before.width], `the map did not move after point ${i + 1}`);
        assert.deepEqual(await overflowing(page), [], `drawing a route fits ${viewport.width} px`);
      }
      await assertMapTakesTheScreen(page, viewport, 'drawing a route');
      if (phone) await assertInThumbReach(page, '[data-testid=draft-finish]', viewport, 'drawing a route');
      await shot('4-route');
      await page.click('[data-testid=draft-finish]');
      await page.waitForSelector('[data-testid=mark-sheet] [data-testid=fresh-note]');
      await page.click('[data-testid=save-mark]');
      await page.waitForSelector('g.mark[data-category=hurto_personas] .route');

      // The hint is one line, and can be put away.
      const strip = await page.locator('.hint-strip').boundingBox();
      assert.ok(strip.height <= 46, `the hint is one line (${strip.height} px)`);
      // The cross clears a message first, then the hints: the map's top is then clear.
      for (let i = 0; i < 2 && (await page.locator('[data-testid=hint-close]').count()); i++) {
        await page.click('[data-testid=hint-close]');
      }
      assert.equal(await page.locator('.hint-strip').count(), 0, 'the hint strip is put away');

      // Every other stage keeps the map; stages 3 and 5 pull their panel up over it.
      for (const stage of ['barrio', 'actores', 'arbol', 'soluciones']) {
        await page.click(`a.stage[data-stage=${stage}]`);
        await page.waitForSelector(`section.workspace[data-current-stage=${stage}]`);
        await assertMapTakesTheScreen(page, viewport, `stage ${stage}`);
        if (stage === 'arbol' || stage === 'soluciones') {
          const panel = stage === 'arbol' ? '[data-testid=causes-panel]' : '[data-testid=solutions-panel]';
          if (phone) {
            await assertInThumbReach(page, '[data-testid=pull-handle]', viewport, `stage ${stage}`);
            assert.equal(await page.locator(panel).isVisible(), false, 'at rest only the handle shows');
            await page.click('[data-testid=pull-handle]');
            await page.waitForSelector(`[data-testid=tree-sheet][data-height=half] ${panel}`, { state: 'visible' });
            const sheet = await page.locator('[data-testid=tree-sheet]').boundingBox();
            const still = await mapArea(page);
            assert.equal(still.height, before.height, 'the map keeps its size under the sheet');
            assert.ok(sheet.y > viewport.height * 0.3, 'half up, the map shows above the sheet');
            assert.deepEqual(await overflowing(page), [], `stage ${stage} with its sheet up fits`);
          } else {
            await page.waitForSelector(panel, { state: 'visible' });
          }
          await shot(`5-${stage}`);
          if (phone) {
            await page.click('[data-testid=pull-handle]');
            await page.waitForSelector('[data-testid=tree-sheet][data-height=peek]');
          }
        } else {
          await shot(`5-${stage}`);
        }
      }

      // The list: where the map was, whole, without the tools under it.
      await page.click('a.stage[data-stage=problemas]');
      await page.click('[data-testid=view-toggle]');
      await page.waitForSelector('.list-wrap');
      const list = await page.locator('.list-wrap').boundingBox();
      if (phone) {
        assert.ok(list.y + list.height >= viewport.height - 2, `the list reaches the bottom (${JSON.stringify(list)})`);
        assert.equal(await page.locator('[data-testid=dock]').isVisible(), false, 'no tools under the list');
      }
      assert.deepEqual(await overflowing(page), [], `the list fits ${viewport.width} px`);
      await shot('6-list');
      assert.deepEqual(panics, []);
    } finally {
      await context.close();
    }
  });
}
