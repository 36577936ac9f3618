// "¿Quién está dibujando?" on a shared tablet with no signal: each mark keeps the alias of who
// drew it, switching back to an earlier alias is one tap, an alias is always shown as text,
// and everything survives a reload and reaches the server when the network returns.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedInContext } from '../support/server.mjs';
import { launch, waitForApp, collectPageErrors, waitForServiceWorker, tapMap, artifacts, chooseCategory } from '../support/browser.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const storedAliases = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const open = indexedDB.open('cartobarrio');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const req = open.result.transaction('marks').objectStore('marks').getAll();
    req.onsuccess = () => resolve(req.result.sort((a, b) => a.created_at_ms - b.created_at_ms).map((m) => m.alias));
  };
}));

async function chooseNewAlias(page, alias) {
  await page.click('[data-testid=who]');
  await page.fill('[data-testid=who-input]', alias);
  await page.click('[data-testid=who-save]');
  await page.waitForSelector('[data-testid=who-sheet]', { state: 'detached' });
}

test('each mark keeps the alias of who drew it, offline, across a reload, up to the server', async () => {
  const context = await signedInContext(browser, server, { viewport: { width: 360, height: 740 }, hasTouch: true });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  try {
    await page.goto(server.url + '/');
    await waitForApp(page);
    await waitForServiceWorker(page);
    await page.click('a.barrio-link[data-code=bastidas]');
    await page.waitForSelector('svg.map path.barrio-boundary');
    const barrioId = Number(page.url().match(/\/barrio\/(\d+)$/)[1]);
    await context.setOffline(true);

    assert.equal((await page.textContent('[data-testid=who] .who-name')).trim(), '¿Quién dibuja?');
    await page.click('[data-testid=who]');
    await page.waitForSelector('[data-testid=who-sheet]');
    await page.screenshot({ path: `${artifacts}/phone-who.png` });
    await page.fill('[data-testid=who-input]', 'Vecina de la 5');
    await page.click('[data-testid=who-save]');
    await page.waitForSelector('[data-testid=who-sheet]', { state: 'detached' });
    assert.equal((await page.textContent('[data-testid=who] .who-name')).trim(), 'Vecina de la 5');

    await chooseCategory(page, 'alumbrado_deficiente');
    await tapMap(page, 0.45, 0.5);
    await page.waitForSelector('[data-testid=notice]:has-text("de Vecina de la 5, guardada")');

    // A script in an alias is only text.
    const payload = '<img src=x onerror="window.pwned=1">';
    await chooseNewAlias(page, payload);
    assert.equal((await page.textContent('[data-testid=who] .who-name')).trim(), payload);
    assert.equal(await page.locator('img').count(), 0);
    await tapMap(page, 0.55, 0.5);
    await page.locator('[data-testid=notice]', { hasText: `de ${payload}, guardada` }).waitFor();

    // Back to the first participant with one tap.
    await page.click('[data-testid=who]');
    await page.click('[data-testid=who-recent]:has-text("Vecina de la 5")');
    await page.waitForSelector('[data-testid=who-sheet]', { state: 'detached' });
    await tapMap(page, 0.5, 0.4);
    await page.waitForFunction(() => document.querySelectorAll('g.mark').length === 3);
    assert.deepEqual(await storedAliases(page), ['Vecina de la 5', payload, 'Vecina de la 5']);

    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('g.mark').length === 3);
    await page.waitForSelector('[data-testid=who]:has-text("Vecina de la 5")');
    assert.deepEqual(await storedAliases(page), ['Vecina de la 5', payload, 'Vecina de la 5']);

    await context.setOffline(false);
    await page.waitForSelector('[data-testid=pending-count][data-pending="0"]', { timeout: 40_000 });
    const res = await server.fetch(`/api/v1/barrios/${barrioId}/marks`);
    const aliases = (await res.json()).features.map((f) => f.properties.alias);
    assert.deepEqual(aliases, ['Vecina de la 5', payload, 'Vecina de la 5']);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
