// Launches Debian's Chromium, headless, through playwright-core (no browser download).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const artifacts = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
mkdirSync(artifacts, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Waits until the app has hydrated and read this device's outbox from IndexedDB. */
export async function waitForApp(page) {
  await page.waitForSelector('[data-testid=pending-count][data-pending]:not([data-pending=""])', { timeout: 30_000 });
}

/** Fails the test on any error the page logs: a hydration mismatch or a panic shows up here. */
export function collectPageErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(m.text())) errors.push(m.text());
  });
  return errors;
}

/** Waits until the service worker controls the page (needed before going offline). */
export async function waitForServiceWorker(page) {
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
}

/** Waits until the worker keeps each of `paths` in one of its page caches (opens offline). */
export async function waitForKeptPages(page, paths) {
  await page.waitForFunction(async (paths) => {
    const names = (await caches.keys()).filter((n) => n.startsWith('cartobarrio-pages-'));
    for (const path of paths) {
      let kept = false;
      for (const n of names) kept = kept || Boolean(await (await caches.open(n)).match(path));
      if (!kept) return false;
    }
    return true;
  }, paths);
}

/**
 * Taps the map at a fraction of its box. A mark's sheet open over the map (each new mark opens
 * one) is first closed with "Listo", as a person would before tapping under it.
 */
export async function tapMap(page, fx = 0.5, fy = 0.5) {
  await closeSheet(page);
  const box = await page.locator('svg.map').boundingBox();
  await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
}

/**
 * Picks a category as a person does: on a phone the categories are a sheet opened by the
 * button at the bottom of the map; beside the map (900 px and up) they are always there.
 */
export async function chooseCategory(page, code) {
  const card = page.locator(`button.cat[data-category=${code}]`);
  if (!(await card.isVisible())) await page.click('[data-testid=choose-category]');
  await card.click();
}

/** Closes a mark's sheet with "Listo", if one is open. */
export async function closeSheet(page) {
  const sheet = page.locator('[data-testid=mark-sheet]');
  if (await sheet.count()) {
    if (await sheet.getAttribute('data-readonly')) await sheet.locator('[data-testid=close-sheet]').click();
    else await sheet.locator('[data-testid=save-mark]').click();
    await sheet.waitFor({ state: 'detached' });
  }
}

/** Pulls up the sheet of stages 3 and 5 on a phone (beside the map it is always open). */
export async function pullUp(page) {
  const handle = page.locator('[data-testid=pull-handle]');
  if ((await handle.isVisible()) && (await handle.getAttribute('aria-expanded')) === 'false') await handle.click();
}

/**
 * Writes `count` point marks into this device's IndexedDB as the app writes them, scattered
 * over the square of `size` degrees from (`x0`, `y0`): a barrio with many marks, for the
 * performance tests.
 */
export async function storeMarksOnDevice(page, { barrioId, x0, y0, size, count = 1000 }) {
  await page.evaluate(({ barrioId, x0, y0, size, count }) => new Promise((resolve, reject) => {
    const categories = ['hurto_personas', 'hurto_residencias', 'rinas', 'alumbrado_deficiente', 'lote_baldio', 'punto_basura'];
    const open = indexedDB.open('cartobarrio');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('marks', 'readwrite');
      const store = tx.objectStore('marks');
      for (let i = 0; i < count; i++) {
        store.put({
          id: `01937f3a-0000-7000-8000-${i.toString(16).padStart(12, '0')}`,
          barrio_id: barrioId,
          category: categories[i % categories.length],
          geometry: { type: 'Point', coordinates: [x0 + ((i * 37) % 1000) / 1000 * size, y0 + ((i * 91) % 1000) / 1000 * size] },
          description: '',
          created_at_ms: 1764000000000 + i,
        });
      }
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    };
  }), { barrioId, x0, y0, size, count });
}
