// What a device does when the server will not take its changes: a date set days ahead gets
// its versions refused with the reason, and once the date is right «Reintentar» sends them
// with new clocks; a server that finds the app too old says so, and nothing waiting is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { signedInContext } from '../support/server.mjs';
import { waitForApp, collectPageErrors, artifacts, tapMap, chooseCategory } from '../support/browser.mjs';

const suite = serverAndBrowser();

const phone = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DAY = 24 * 3600 * 1000;

async function serverMark(barrioId, id) {
  const marks = (await (await suite.server.fetch(`/api/v1/barrios/${barrioId}/marks`)).json()).features;
  return marks.find((f) => f.id === id);
}

async function drawPoint(page, category) {
  await chooseCategory(page, category);
  await tapMap(page);
  const mark = page.locator('g.mark').last();
  await mark.waitFor();
  return mark.getAttribute('data-mark-id');
}

test('a device dated days ahead has its change refused with the reason; once the date is right, «Reintentar» sends it', async () => {
  const barrio = await suite.barrioByCode('bastidas');
  const context = await signedInContext(suite.browser, suite.server, phone);
  // The device's date: three days ahead until the person corrects it (kept across reloads).
  await context.addInitScript((day) => {
    const realNow = Date.now.bind(Date);
    const offset = () => {
      try { return Number(localStorage.getItem('test-date-offset') ?? 3 * day); } catch { return 3 * day; }
    };
    Date.now = () => realNow() + offset();
  }, DAY);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${suite.server.url}/barrio/${barrio.id}`);
  await waitForApp(page);
  await page.waitForSelector('svg.map path.barrio-boundary');
  const id = await drawPoint(page, 'alumbrado_deficiente');
  await page.waitForSelector('[data-testid=rejected-count][data-rejected="1"]');
  // Refused is not sent: the bar must not claim everything went.
  const label = await page.textContent('[data-testid=pending-count]');
  assert.ok(!label.includes('Todo enviado'), `pending chip says «${label}»`);
  assert.equal(await serverMark(barrio.id, id), undefined, 'nothing of it was stored');

  await page.click('[data-testid=rejected-count]');
  await page.waitForURL(/\/envios$/);
  const refused = await page.waitForSelector('[data-testid=refused-list] li');
  assert.match(await refused.textContent(), /Alumbrado deficiente.*adelantada más de un día/);
  await page.screenshot({ path: `${artifacts}/sync-refused-phone.png`, fullPage: true });

  // The person corrects the date, then asks to try again.
  await page.evaluate(() => localStorage.setItem('test-date-offset', '0'));
  await page.reload();
  await waitForApp(page);
  await page.click('[data-testid=retry-refused]');
  await page.waitForSelector('[data-testid=mark-receipts][data-confirmed="1"][data-waiting="0"]');
  await page.waitForSelector('[data-testid=refused-list]', { state: 'detached' });
  await page.waitForSelector('[data-testid=pending-count]:has-text("Todo enviado")');
  const stored = await serverMark(barrio.id, id);
  assert.ok(stored, 'the mark reached the server');
  const ms = Number(stored.properties.hlc.split('-')[0]);
  assert.ok(Math.abs(ms - Date.now()) < 10 * 60 * 1000, `stored with a clock of today, not ${new Date(ms).toISOString()}`);
  assert.ok(stored.properties.created_at_ms <= Date.now(), 'and no date ahead');
  // The map shows the version the server holds.
  await page.goto(`${suite.server.url}/barrio/${barrio.id}`);
  await waitForApp(page);
  await page.waitForSelector(`g.mark[data-mark-id="${id}"]`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a server that finds the app too old says so on the device, and the waiting change is kept and sent after updating', async () => {
  const barrio = await suite.barrioByCode('bastidas');
  // What this server answers a device of a protocol it no longer takes.
  const old = await fetch(`${suite.server.url}/api/v1/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ protocol: 0, submission_id: crypto.randomUUID(), device_id: crypto.randomUUID(), changes: [] }),
  });
  assert.equal(old.status, 426);
  const refusal = await old.text();
  assert.match(refusal, /client_too_old/);

  const context = await signedInContext(suite.browser, suite.server, phone);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  // Until "updated", every batch of this device gets that answer.
  await page.route('**/api/v1/sync', (route) => route.fulfill({ status: 426, contentType: 'application/json', body: refusal }));
  await page.goto(`${suite.server.url}/barrio/${barrio.id}`);
  await waitForApp(page);
  await page.waitForSelector('svg.map path.barrio-boundary');
  const id = await drawPoint(page, 'punto_basura');
  await page.waitForSelector('[data-testid=too-old][aria-label^="Actualice la app"]');
  await page.waitForSelector('[data-testid=pending-count][data-pending="1"]');
  await page.screenshot({ path: `${artifacts}/sync-too-old-bar-phone.png` });
  await page.click('[data-testid=too-old]');
  await page.waitForSelector('.sync-page [role=alert]:has-text("actualícela")');
  await page.screenshot({ path: `${artifacts}/sync-too-old-phone.png`, fullPage: true });
  assert.equal(await serverMark(barrio.id, id), undefined);

  // The app is updated (the server takes its protocol again): the kept change goes.
  await page.unroute('**/api/v1/sync');
  await page.click('[data-testid=sync-now]');
  await page.waitForSelector('[data-testid=pending-count][data-pending="0"]');
  await page.waitForSelector('[data-testid=too-old]', { state: 'detached' });
  assert.ok(await serverMark(barrio.id, id), 'the mark drawn while too old reached the server');
  // The refused requests were the routed ones: no page errors beyond them.
  assert.deepEqual(errors.filter((e) => !/426/.test(e)), []);
  await context.close();
});
