// A facilitator's steps shared by the workshop tests.
import { waitForApp } from './browser.mjs';

/** The facilitator's device prepares a workshop of `barrio` on `url`; returns its join code as shown. */
export async function prepareWorkshop(page, url, barrio) {
  await page.goto(url + '/talleres');
  await waitForApp(page);
  await page.waitForSelector(`select[name=barrio] option[value="${barrio.id}"]`, { state: 'attached' });
  await page.selectOption('select[name=barrio]', String(barrio.id));
  await page.fill('input[name=place]', 'Salón comunal');
  await page.fill('input[name=cbsc]', 'CBSC Pescaíto');
  await page.fill('input[name=facilitator]', 'Ana Facilitadora');
  await page.click('[data-testid=workshop-form] button[type=submit]');
  await page.waitForURL(/\/talleres\/[0-9a-f-]{36}$/);
  await page.waitForSelector('[data-testid=join-qr] svg');
  return (await page.textContent('[data-testid=join-code]')).trim();
}
