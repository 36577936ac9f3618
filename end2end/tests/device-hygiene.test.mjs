// Issue 9's device hygiene: a participant's phone and a facilitator's shared tablet are wiped
// only once the server holds everything. With a mark unsent, both "Borrar mis datos de este
// dispositivo" and "Terminar taller en este dispositivo" refuse and keep it; after the sync,
// the wipe leaves no record, workshop, token, receipt or alias in IndexedDB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { staffApi } from '../support/staff-api.mjs';
import { waitForApp, collectPageErrors, artifacts, waitForServiceWorker, chooseCategory } from '../support/browser.mjs';

const suite = serverAndBrowser();
const { api } = staffApi(suite);

/** Every object store of the app's database, with what it holds. */
const everything = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const open = indexedDB.open('cartobarrio');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    const names = [...db.objectStoreNames];
    const tx = db.transaction(names);
    const out = {};
    let left = names.length;
    for (const name of names) {
      const req = tx.objectStore(name).getAll();
      req.onsuccess = () => {
        out[name] = req.result;
        if (--left === 0) { db.close(); resolve(out); }
      };
    }
  };
}));

async function tapMap(page, dx = 0, dy = 0) {
  const box = await page.locator('svg.map').boundingBox();
  await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
}

async function wipe(page, which) {
  await page.click(`[data-testid=${which}] >> nth=0 >> button.danger`);
  await page.click(`[data-testid=${which}] >> nth=0 >> [data-testid=wipe-confirm]`);
}

test('wiping a device is refused while a mark is unsent, and after the sync leaves no workshop data in IndexedDB', async () => {
  const barrio = await suite.barrioByCode('pescaito');
  const { body: workshop } = await api('/workshops', { barrio_id: barrio.id, date: '2099-12-01', place: 'Salón', cbsc: 'CBSC', facilitator: 'Ana' });
  const context = await suite.browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${suite.server.url}/unirse/${workshop.join_code}`);
  await page.waitForURL(new RegExp(`/barrio/${barrio.id}$`), { timeout: 30_000 });
  await page.waitForSelector('svg.map path.barrio-boundary');
  await waitForServiceWorker(page);
  // The participant says who is drawing (an alias, never a name), then draws offline.
  await page.click('[data-testid=who]');
  await page.fill('[data-testid=who-input]', 'Gaviota');
  await page.click('[data-testid=who-save]');
  await context.setOffline(true);
  await chooseCategory(page, 'alumbrado_deficiente');
  await tapMap(page, 20, 10);
  await page.waitForSelector('[data-testid=pending-count][data-pending="1"]');
  const markId = await page.getAttribute('g.mark[data-category=alumbrado_deficiente]', 'data-mark-id');

  // Offline, with the mark unsent: both wipes refuse and say why; the mark stays.
  await page.goto(`${suite.server.url}/envios`);
  await waitForApp(page);
  await page.waitForSelector(`[data-testid=device-hygiene] li[data-workshop-id="${workshop.id}"]`);
  await wipe(page, 'wipe-workshop');
  const refused = await page.textContent('[data-testid=wipe-workshop] [data-testid=wipe-refused]');
  assert.match(refused, /No se borró nada\. Hay 1 cambio sin enviar/);
  await wipe(page, 'wipe-everything');
  await page.waitForSelector('[data-testid=wipe-everything] [data-testid=wipe-refused]');
  await page.screenshot({ path: `${artifacts}/wipe-refused-phone.png`, fullPage: true });
  let db = await everything(page);
  assert.deepEqual(db.marks.map((m) => m.id), [markId], 'the unsent mark is still on the device');
  assert.equal(db.changes.length, 1);
  assert.equal(db.workshops.length, 1);

  // Back online, the mark goes; then the workshop's data can leave the phone.
  await context.setOffline(false);
  await page.click('[data-testid=sync-now]');
  await page.waitForSelector('[data-testid=sync-pending]:has-text("0 cambios")', { timeout: 30_000 });
  const onServer = (await (await suite.server.fetch(`/api/v1/barrios/${barrio.id}/marks`)).json()).features.map((f) => f.id);
  assert.ok(onServer.includes(markId), 'the server holds the mark before the device lets it go');
  await wipe(page, 'wipe-workshop');
  await page.waitForSelector('[data-testid=wipe-workshop-done]');
  assert.match(await page.textContent('[data-testid=wipe-workshop-done]'), /Taller de .* borrado de este dispositivo \(1 registro\)/);
  // The list is read again after the wipe answers: wait for the workshop's line to go.
  await page.waitForSelector(`[data-testid=device-hygiene] li[data-workshop-id="${workshop.id}"]`, { state: 'detached', timeout: 10_000 });
  db = await everything(page);
  for (const store of ['marks', 'causes', 'solutions', 'changes', 'receipts', 'workshops']) {
    assert.deepEqual(db[store], [], `${store} is empty after the wipe`);
  }
  const keys = db.meta.map((m) => m.key).sort();
  assert.ok(!keys.includes('participant') && !keys.includes('active-workshops'), `no alias and no workshop left in meta: ${keys}`);
  const left = JSON.stringify(db);
  for (const trace of ['Gaviota', markId, workshop.id, workshop.join_code]) {
    assert.ok(!left.includes(trace), `${trace} is still in IndexedDB`);
  }
  // On a workshop's own page, "Terminar taller en este dispositivo" does the same.
  const { body: second } = await api('/workshops', { barrio_id: barrio.id, date: '2099-12-02', place: 'Cancha', cbsc: 'CBSC', facilitator: 'Ana' });
  await page.goto(`${suite.server.url}/unirse/${second.join_code}`);
  await page.waitForURL(new RegExp(`/barrio/${barrio.id}$`), { timeout: 30_000 });
  await page.goto(`${suite.server.url}/talleres/${second.id}`);
  await waitForApp(page);
  await page.waitForSelector('[data-testid=join-code]');
  await wipe(page, 'wipe-workshop');
  await page.waitForSelector('[data-testid=workshop-wiped]');
  assert.equal(await page.locator('[data-testid=join-code]').count(), 0, 'the code is gone from the page');
  db = await everything(page);
  assert.deepEqual(db.workshops, [], 'the second workshop is gone from the device too');
  // "Borrar mis datos" now has nothing waiting either, and works.
  await page.goto(`${suite.server.url}/envios`);
  await waitForApp(page);
  await wipe(page, 'wipe-everything');
  await page.waitForSelector('[data-testid=wipe-everything] [data-testid=wipe-done]');
  await page.screenshot({ path: `${artifacts}/wipe-done-phone.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
