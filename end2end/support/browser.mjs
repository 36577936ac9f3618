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

export async function tapMap(page, fx = 0.5, fy = 0.5) {
  const box = await page.locator('svg.map').boundingBox();
  await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
}
