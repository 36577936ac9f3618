// Issue 19, "names and words", on a 360×640 phone: barrio names as Santa Marta writes them,
// Spanish tooltips, counts that agree with their number, drawn icons instead of emoji, and the
// data credits on their own page rather than under the participant's map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { signedInContext } from '../support/server.mjs';
import { staffApi } from '../support/staff-api.mjs';
import { waitForApp, collectPageErrors, artifacts, tapMap, chooseCategory } from '../support/browser.mjs';

const suite = serverAndBrowser();
const { centreOf, sendMarks, workshop } = staffApi(suite);
const phone = { viewport: { width: 360, height: 640 }, hasTouch: true, deviceScaleFactor: 1 };
// Emoji need an emoji font, which many phones and every server lack: they show as boxes.
const EMOJI = /\p{Extended_Pictographic}/u;

test('the barrio list shows the reviewed names and links to the data credits', async () => {
  const context = await suite.browser.newContext(phone);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(suite.server.url + '/');
  await waitForApp(page);
  const names = await page.locator('a.barrio-link').allTextContents();
  for (const name of ['Pescaíto', 'Cañaveral', 'Centro Histórico', 'Divino Niño', 'Universidad Antonio Nariño', 'María Eugenia']) {
    assert.ok(names.some((n) => n.includes(name)), `${name} is listed`);
  }
  assert.ok(!names.some((n) => /[├Ã]/.test(n)), 'no garbled name');
  assert.equal(await page.getAttribute('a.barrio-link:has-text("Pescaíto")', 'data-code'), 'pescaito', 'the code devices know stays');
  await page.fill('input[type=search]', 'cañav');
  await page.waitForSelector('a.barrio-link[data-code=ca-averal]');
  await page.screenshot({ path: `${artifacts}/words-barrios-phone.png` });
  await page.fill('input[type=search]', '');
  const link = page.locator('[data-testid=about-data-link]');
  const box = await link.boundingBox();
  assert.ok(box.height >= 44, `the credits link is a full finger high: ${box.height}`);
  assert.doesNotMatch(await page.textContent('main'), /riskmapogricc/, 'credits are on their page');
  await link.click();
  await page.waitForURL(/\/acerca-de-los-datos$/);
  assert.match(await page.textContent('[data-testid=about-data]'), /Zluifer21\/riskmapogricc[\s\S]*no declara una licencia[\s\S]*comuna/);
  await page.screenshot({ path: `${artifacts}/words-about-data-phone.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the participant map: Spanish tooltips, right plurals, no repository name, credits one tap away', async () => {
  const barrio = await suite.barrioByCode('pescaito');
  assert.equal(barrio.name, 'Pescaíto');
  const context = await suite.browser.newContext(phone);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${suite.server.url}/barrio/${barrio.id}`);
  await waitForApp(page);
  await page.waitForSelector('svg.map path.barrio-boundary');

  const titles = await page.locator('button.cat').evaluateAll((cards) => cards.map((c) => [c.dataset.category, c.title, c.textContent]));
  assert.equal(titles.length, 35);
  for (const [code, title, text] of titles) {
    assert.ok(text.trim().startsWith(title.split(' · ')[0]), `${code}: "${title}" names the card's own Spanish label`);
    assert.doesNotMatch(title, /robbery|burglary|fights|drug|lighting|police|park|school|church/i, `${code}: ${title}`);
  }
  assert.doesNotMatch(await page.textContent('main'), /riskmapogricc|Zluifer/, 'no repository name on the map');

  await chooseCategory(page, 'rinas');
  await tapMap(page, 0.45, 0.5);
  await page.waitForSelector('g.mark[data-category=rinas]');
  await page.screenshot({ path: `${artifacts}/words-map-phone.png` });
  // Whatever opened after the mark, the list says "1 marca", never "1 marcas".
  const sheetClose = page.locator('[data-testid=mark-sheet] .close');
  if (await sheetClose.isVisible()) await sheetClose.click();
  await page.click('[data-testid=view-toggle]');
  await page.waitForSelector('[data-testid=item-list]');
  assert.equal(await page.textContent('[data-testid=list-totals]'), '1 marca · 0 causas · 0 soluciones');
  await page.screenshot({ path: `${artifacts}/words-list-phone.png` });
  await page.click('[data-testid=view-toggle]');

  const link = page.locator('[data-testid=about-data-link]');
  assert.equal(await link.getAttribute('href'), `/acerca-de-los-datos?barrio=${barrio.id}`);
  await link.click();
  await page.waitForSelector('[data-testid=about-barrio]');
  assert.doesNotMatch(await page.textContent('[data-testid=about-barrio]'), /Límites: Límites/, 'each source is shown once');
  assert.match(await page.textContent('[data-testid=about-barrio]'), /Barrio Pescaíto[\s\S]*Límites: estudio de vulnerabilidad.*riskmapogricc[\s\S]*de ejemplo \(demo\)/);
  await page.screenshot({ path: `${artifacts}/words-about-barrio-phone.png`, fullPage: true });
  assert.doesNotMatch(await page.evaluate(() => document.body.innerText), EMOJI);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the staff list draws its lock, and counts one workshop as "1 taller"', async () => {
  const barrio = await suite.barrioByCode('bastidas');
  const [lon, lat] = await centreOf(barrio.id);
  const w = await workshop(barrio.id, '2026-11-21');
  await sendMarks(barrio.id, w, [['extorsion', [lon, lat], 'Rosa'], ['hurto_personas', [lon + 0.002, lat], 'Rosa']]);
  const context = await signedInContext(suite.browser, suite.server, phone);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${suite.server.url}/diagnostico/${barrio.id}`);
  await waitForApp(page);
  await page.click('[data-testid=generate-form] button[type=submit]');
  const sensitive = page.locator('.hotspot[data-category=extorsion]');
  await sensitive.waitFor();
  const lock = sensitive.locator('[data-testid=lock-icon]');
  assert.equal(await lock.count(), 1, 'a drawn lock on the sensitive hotspot');
  const box = await lock.boundingBox();
  assert.ok(box.width >= 12 && box.height >= 12, `the lock is drawn: ${JSON.stringify(box)}`);
  assert.match(await page.textContent('[data-testid=totals]'), /^2 marcas de 1 participante en 1 taller → 2 puntos críticos · 0 causas · 0 soluciones$/);
  assert.match(await sensitive.locator('.hotspot-counts').textContent(), /1 marca\s*1 persona\s*1 taller/);
  assert.doesNotMatch(await page.evaluate(() => document.body.innerText), EMOJI, 'no emoji on the staff page');
  await sensitive.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${artifacts}/words-staff-lock-phone.png` });
  assert.deepEqual(errors, []);
  await context.close();
});
