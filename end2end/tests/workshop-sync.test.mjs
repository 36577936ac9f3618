// Issue 6 as a workshop lives it: a facilitator prepares a taller and shows its code and QR;
// two participant devices join, draw offline, come back online, and both end up with every
// mark of the workshop. And one device with 7,000 unsent marks syncs them all quickly, its
// pending count reaching zero only when every receipt is in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { prepareWorkshop } from '../support/workshop.mjs';
import { signedInContext } from '../support/server.mjs';
import { waitForApp, collectPageErrors, artifacts, waitForServiceWorker, chooseCategory } from '../support/browser.mjs';

const suite = serverAndBrowser();

/** Taps the map `dx`, `dy` pixels off its centre. */
async function tapMap(page, dx = 0, dy = 0) {
  const box = await page.locator('svg.map').boundingBox();
  await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
}


test('a facilitator prepares a workshop; two devices join by code and link, draw offline, and both end with every mark', async () => {
  const barrio = await suite.barrioByCode('pescaito');
  const facilitator = await signedInContext(suite.browser, suite.server, { viewport: { width: 1280, height: 800 } });
  const fPage = await facilitator.newPage();
  const errors = collectPageErrors(fPage);
  const shown = await prepareWorkshop(fPage, suite.server.url, barrio);
  assert.match(shown, /^[2-9A-HJ-NP-Z]{3}-[2-9A-HJ-NP-Z]{3}$/);
  const code = shown.replace('-', '');
  assert.match(await fPage.textContent('.join-link'), new RegExp(`/unirse/${code}$`));
  await fPage.setViewportSize({ width: 1024, height: 768 });
  await fPage.screenshot({ path: `${artifacts}/workshop-code-tablet.png`, fullPage: true });
  // In the room there is no signal: the workshop's page, code and QR still open.
  await waitForServiceWorker(fPage);
  const workshopUrl = fPage.url();
  await facilitator.setOffline(true);
  for (const path of [workshopUrl, `${suite.server.url}/talleres`, `${suite.server.url}/unirse`, `${suite.server.url}/envios`]) {
    await fPage.goto(path);
    await waitForApp(fPage);
  }
  await fPage.goto(workshopUrl);
  await waitForApp(fPage);
  assert.equal((await fPage.textContent('[data-testid=join-code]')).trim(), shown);
  await fPage.waitForSelector('[data-testid=join-qr] svg');
  await facilitator.setOffline(false);

  // Device A types the code (lower case, as people do); device B opens the QR's link.
  const a = await suite.browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true });
  const b = await suite.browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true });
  const pa = await a.newPage();
  const pb = await b.newPage();
  errors.push(...collectPageErrors(pa), ...collectPageErrors(pb));
  await pa.goto(suite.server.url + '/');
  await waitForApp(pa);
  await pa.click('[data-testid=join-link]');
  await pa.waitForURL(/\/unirse$/);
  await pa.screenshot({ path: `${artifacts}/join-phone.png` });
  await pa.fill('input[name=code]', shown.toLowerCase());
  await pa.click('.join-form button[type=submit]');
  await pa.waitForURL(new RegExp(`/barrio/${barrio.id}$`));
  await pb.goto(`${suite.server.url}/unirse/${code}`);
  await pb.waitForURL(new RegExp(`/barrio/${barrio.id}$`), { timeout: 30_000 });
  for (const p of [pa, pb]) await p.waitForSelector('svg.map path.barrio-boundary');

  // Both offline: each draws its own mark.
  await a.setOffline(true);
  await b.setOffline(true);
  await chooseCategory(pa, 'hurto_personas');
  await tapMap(pa, -30, 0);
  await pa.waitForSelector('[data-testid=pending-count][data-pending="1"]');
  await chooseCategory(pb, 'alumbrado_deficiente');
  await tapMap(pb, 30, 20);
  await pb.waitForSelector('[data-testid=pending-count][data-pending="1"]');
  const idA = await pa.getAttribute('g.mark[data-category=hurto_personas]', 'data-mark-id');
  const idB = await pb.getAttribute('g.mark[data-category=alumbrado_deficiente]', 'data-mark-id');

  // Back online: each sends its own and brings the other's.
  await a.setOffline(false);
  await b.setOffline(false);
  await pa.waitForSelector('[data-testid=pending-count][data-pending="0"]', { timeout: 30_000 });
  await pb.waitForSelector('[data-testid=pending-count][data-pending="0"]', { timeout: 30_000 });
  // A synced first, so it learns of B's mark on its next sync: ask for one, as a person would.
  for (const p of [pa, pb]) {
    await p.goto(suite.server.url + '/envios');
    // A tap before the page's code has arrived does nothing, as on a phone: the counts are
    // read from the device, so once they show, the button answers.
    await p.waitForSelector('[data-testid=mark-receipts]');
    await p.waitForSelector('[data-testid=sync-now]:not([disabled])');
    await p.click('[data-testid=sync-now]');
    await p.waitForSelector('[data-testid=mark-receipts][data-confirmed="1"][data-waiting="0"]', { timeout: 30_000 });
    assert.match(await p.textContent('[data-testid=mark-receipts]'), /1 recibidas de otros dispositivos/);
    // The receipts may already be counted before the sync asked for ends: wait for its answer.
    await p.waitForFunction(() => document.querySelector('[data-testid=last-sync]')?.textContent !== 'Nunca', null, { timeout: 30_000 });
  }
  await pa.screenshot({ path: `${artifacts}/sync-page-phone.png`, fullPage: true });
  for (const p of [pa, pb]) {
    await p.goto(`${suite.server.url}/barrio/${barrio.id}`);
    await p.waitForSelector(`g.mark[data-mark-id="${idA}"]`);
    await p.waitForSelector(`g.mark[data-mark-id="${idB}"]`);
  }
  // The session on the facilitator's tablet ends (its cookie is gone); offline, the
  // facilitator draws too, and the tablet's own token for the workshop sends it later.
  await fPage.goto(`${suite.server.url}/barrio/${barrio.id}`);
  await waitForApp(fPage);
  await fPage.waitForSelector('svg.map path.barrio-boundary');
  // The tablet pulled both devices' marks with its own token.
  await fPage.waitForSelector(`g.mark[data-mark-id="${idA}"]`);
  await fPage.waitForSelector(`g.mark[data-mark-id="${idB}"]`);
  await facilitator.clearCookies();
  await facilitator.setOffline(true);
  const before = await fPage.$$eval('g.mark', (ms) => ms.map((m) => m.dataset.markId));
  await chooseCategory(fPage, 'hurto_personas');
  await tapMap(fPage, 0, -60);
  await fPage.waitForSelector('[data-testid=pending-count][data-pending="1"]');
  const idF = (await fPage.$$eval('g.mark', (ms) => ms.map((m) => m.dataset.markId))).find((id) => id && !before.includes(id));
  assert.ok(idF, 'the facilitator\'s new mark is on the map');
  await facilitator.setOffline(false);
  await fPage.waitForSelector('[data-testid=pending-count][data-pending="0"]', { timeout: 30_000 });
  assert.equal(await facilitator.cookies().then((c) => c.length), 0, 'sent with no session at all');

  const marks = (await (await suite.server.fetch(`/api/v1/barrios/${barrio.id}/marks`)).json()).features;
  const workshopIds = new Set(marks.filter((f) => [idA, idB, idF].includes(f.id)).map((f) => f.properties.workshop_id));
  assert.equal(marks.filter((f) => [idA, idB, idF].includes(f.id)).length, 3, 'the three devices\' marks are on the server');
  assert.equal(workshopIds.size, 1, 'both marks belong to the workshop');
  assert.ok([...workshopIds][0]);
  assert.deepEqual(errors, []);
  for (const c of [facilitator, a, b]) await c.close();
});

test('7,000 unsent marks on one device all reach the server in under 10 s; pending reaches 0 only with every receipt', async () => {
  const barrio = await suite.barrioByCode('bastidas');
  const context = await signedInContext(suite.browser, suite.server, { viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${suite.server.url}/barrio/${barrio.id}`);
  await waitForApp(page);
  await page.waitForSelector('svg.map path.barrio-boundary');
  // One real mark drawn offline is the template for the rest, so the queue holds exactly
  // what the app itself writes.
  await context.setOffline(true);
  await chooseCategory(page, 'alumbrado_deficiente');
  await tapMap(page);
  await page.waitForSelector('[data-testid=pending-count][data-pending="1"]');
  const total = 7000;
  await page.evaluate((total) => new Promise((resolve, reject) => {
    const open = indexedDB.open('cartobarrio');
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(['marks', 'changes'], 'readwrite');
      const changes = tx.objectStore('changes');
      const marks = tx.objectStore('marks');
      changes.getAll().onsuccess = (e) => {
        const [template] = e.target.result;
        const [ms, , node] = template.record.record.hlc.split('-');
        for (let i = 1; i < total; i++) {
          const hex = (template.record.record.id.slice(0, 24) + i.toString(16).padStart(12, '0'));
          const hlc = `${ms}-${String(i).padStart(5, '0')}-${template.record.record.hlc.split('-').slice(2).join('-')}`;
          const record = { ...template.record.record, id: hex, hlc };
          marks.put(record);
          changes.put({ ...template, key: `mark:${hex}:1:${hlc}`, seq: template.seq + i, record: { kind: 'mark', record } });
        }
        void node;
      };
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }), total);
  // The app starts syncing as soon as it opens online: the clock runs from when it is ready.
  await context.setOffline(false);
  await page.reload();
  await waitForApp(page);
  const start = Date.now();
  // Every count on the way down is backed by receipts: sample them.
  const samples = [];
  for (;;) {
    const pending = Number(await page.getAttribute('[data-testid=pending-count]', 'data-pending'));
    const receipts = await page.evaluate(() => new Promise((resolve) => {
      const open = indexedDB.open('cartobarrio');
      open.onsuccess = () => {
        const r = open.result.transaction('receipts').objectStore('receipts').count();
        r.onsuccess = () => { open.result.close(); resolve(r.result); };
      };
    }));
    samples.push([pending, receipts]);
    if (pending === 0) break;
    assert.ok(Date.now() - start < 60_000, `still ${pending} pending after a minute`);
    await page.waitForTimeout(250);
  }
  const seconds = (Date.now() - start) / 1000;
  console.log(`# 7000 marks synced in ${seconds.toFixed(2)} s (${samples.length} samples)`);
  for (const [pending, receipts] of samples) assert.ok(pending + receipts >= total, `pending ${pending} + receipts ${receipts} < ${total}`);
  assert.equal(samples.at(-1)[1], total, 'a receipt for every mark');
  assert.ok(seconds < 10, `took ${seconds} s`);
  const onServer = (await (await suite.server.fetch(`/api/v1/barrios/${barrio.id}/marks`)).json()).features;
  assert.equal(onServer.length, total);
  assert.deepEqual(errors, []);
  await context.close();
});
