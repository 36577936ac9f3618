// Issue 19, "the facilitator cannot see the room": on the workshop's page the facilitator's
// tablet shows, without a reload, a phone joining and its mark arriving, with what waits on
// each device; says whether the barrio's map is on the tablet (or saves it); and projects the
// code, the QR and the counts across a room.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { prepareWorkshop } from '../support/workshop.mjs';
import { signedInContext } from '../support/server.mjs';
import { waitForApp, collectPageErrors, artifacts, chooseCategory } from '../support/browser.mjs';

const suite = serverAndBrowser();


const stat = (page, name) => page.textContent(`[data-testid=room-${name}] strong`).then((t) => t.trim());

/** Waits until the panel's number `name` reads `value` (it refreshes by itself). */
async function waitForStat(page, name, value) {
  await page.waitForFunction(
    ([n, v]) => document.querySelector(`[data-testid=room-${n}] strong`)?.textContent.trim() === v,
    [name, String(value)],
    { timeout: 20_000 },
  );
}

/** Removes the barrio's map from this device's IndexedDB, as "Quitar" would. */
const forgetPack = (page, barrioId) => page.evaluate((id) => new Promise((resolve, reject) => {
  const open = indexedDB.open('cartobarrio');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const tx = open.result.transaction('packs', 'readwrite');
    tx.objectStore('packs').delete(id);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  };
}), barrioId);

test('the facilitator sees a phone join and its mark arrive without reloading, and projects the code', async () => {
  const barrio = await suite.barrioByCode('pescaito');
  const tablet = await signedInContext(suite.browser, suite.server, { viewport: { width: 800, height: 1280 }, hasTouch: true });
  const page = await tablet.newPage();
  const errors = collectPageErrors(page);
  const shown = await prepareWorkshop(page, suite.server.url, barrio);
  const workshopUrl = page.url();

  // Preparing saved the map on the tablet, and the tablet is the room's first device.
  await page.waitForSelector('[data-testid=pack-saved]');
  assert.match(await page.textContent('[data-testid=pack-saved]'), /Mapa guardado en esta tableta ✓/);
  await page.waitForSelector('[data-testid=room-panel]');
  await waitForStat(page, 'devices', 1);
  assert.equal(await stat(page, 'marks'), '0');
  assert.match(await page.textContent('[data-testid=room-device]'), /Tableta de quien facilita/);

  // Without the map, the page offers to save it, and then says it is there.
  await forgetPack(page, barrio.id);
  await page.reload();
  await waitForApp(page);
  await page.waitForSelector('[data-testid=pack-save]');
  await page.click('[data-testid=pack-save]');
  await page.waitForSelector('[data-testid=pack-saved]', { timeout: 20_000 });

  // A phone joins by the QR's link and draws a theft, online.
  const phone = await suite.browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true });
  const pp = await phone.newPage();
  errors.push(...collectPageErrors(pp));
  await pp.goto(`${suite.server.url}/unirse/${shown.replace('-', '')}`);
  await pp.waitForURL(new RegExp(`/barrio/${barrio.id}$`), { timeout: 30_000 });
  await pp.waitForSelector('svg.map path.barrio-boundary');

  const reloads = [];
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) reloads.push(f.url()); });
  await waitForStat(page, 'devices', 2);
  // The phone reported its empty queue when it joined.
  await page.waitForSelector('[data-testid=room-device]:nth-child(2)[data-state=done]', { timeout: 20_000 });

  await chooseCategory(pp, 'hurto_personas');
  const box = await pp.locator('svg.map').boundingBox();
  await pp.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await pp.waitForSelector('[data-testid=pending-count][data-pending="0"]', { timeout: 30_000 });

  await waitForStat(page, 'marks', 1);
  assert.equal(await stat(page, 'participants'), '1');
  assert.equal((await page.textContent('.room-stages li[data-stage=problemas] strong')).trim(), '1');
  await page.waitForSelector('[data-testid=room-device]:nth-child(2):has-text("1 cambio recibido")', { timeout: 20_000 });
  assert.match(await page.textContent('[data-testid=room-device]:nth-child(2)'), /Todo enviado/);
  assert.deepEqual(reloads, [], 'the panel refreshed by itself');
  assert.equal(page.url(), workshopUrl);

  // Tablet and phone screenshots of the panel.
  // Full-page shots from the top, so the app bar is drawn where it stands.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${artifacts}/workshop-room-tablet.png`, fullPage: true });
  await page.setViewportSize({ width: 360, height: 640 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${artifacts}/workshop-room-phone.png`, fullPage: true });
  await page.locator('[data-testid=room-panel]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${artifacts}/workshop-room-phone-panel.png` });
  // The panel's words fit a phone: none is cut by its box.
  const cut = await page.$$eval('.room-stat span, .room-stages span', (els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
  assert.deepEqual(cut, []);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than a 360 px phone`);

  // The projector view: the code in huge type, the QR, the counts, and a way back.
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.click('[data-testid=open-projector]');
  await page.waitForURL(/\/proyectar$/);
  await page.waitForSelector('[data-testid=projector] [data-testid=join-qr] svg');
  assert.equal((await page.textContent('[data-testid=projector-code]')).trim(), shown);
  await waitForStat(page, 'marks', 1);
  const code = await page.locator('[data-testid=projector-code]').boundingBox();
  assert.ok(code.height >= 80, `the code is ${code.height} px tall: too small to read across a room`);
  const clipped = await page.$eval('[data-testid=projector-code]', (e) => e.scrollWidth > e.parentElement.clientWidth + 1);
  assert.ok(!clipped, 'the whole code shows');
  const fits = await page.evaluate(() => document.querySelector('[data-testid=projector]').scrollHeight <= window.innerHeight + 1);
  assert.ok(fits, 'the projector view fits the screen');
  await page.screenshot({ path: `${artifacts}/workshop-projector.png` });
  await page.click('[data-testid=projector-back]');
  await page.waitForURL(workshopUrl);
  await page.waitForSelector('[data-testid=room-panel]');

  // It asks every few seconds while the page is open, and stops once the page is left.
  const asked = [];
  page.on('request', (r) => { if (r.url().endsWith('/room')) asked.push(r.url()); });
  await page.waitForTimeout(11_000);
  assert.ok(asked.length >= 1 && asked.length <= 3, `${asked.length} reads of the room in 11 s`);
  await page.click('a[href="/talleres"]');
  await page.waitForURL(/\/talleres$/);
  asked.length = 0;
  await page.waitForTimeout(11_000);
  assert.equal(asked.length, 0, 'the panel stopped asking when the page was left');

  assert.deepEqual(errors, []);
  await phone.close();
  await tablet.close();
});
