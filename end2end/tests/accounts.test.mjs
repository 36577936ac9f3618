// Accounts in the browser: each role signs in through the app and sees only what it should;
// the admin makes accounts on the administration page and reads the audit log; nobody sees
// the staff pages without an account; every page works under the Content-Security-Policy,
// with no violation reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { ADMIN } from '../support/server.mjs';
import { artifacts, collectPageErrors, waitForApp } from '../support/browser.mjs';

const suite = serverAndBrowser();
const PASSWORD = 'una clave de prueba larga';

/** A page that records every CSP violation and page error it meets. */
async function watchedPage(viewport = { width: 1280, height: 800 }) {
  const context = await suite.browser.newContext({ viewport });
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  const violations = async () => page.evaluate(() => window.__csp);
  return { context, page, errors, violations };
}

async function signInThroughTheForm(page, username, password) {
  await page.goto(`${suite.server.url}/entrar`);
  await waitForApp(page);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('[data-testid=login-form] button[type=submit]');
  await page.waitForSelector('[data-testid=account-chip]');
}

/** What a page shows of the staff areas: the pages' own content, or which notice. */
async function shown(page, path) {
  await page.goto(`${suite.server.url}${path}`);
  await waitForApp(page);
  const selector = '[data-testid=sign-in-needed], [data-testid=not-allowed], [data-testid=status-list], [data-testid=user-table], [data-testid=generate-form], [data-testid=workshop-form], [data-testid=workshop-sign-in]';
  const el = await page.waitForSelector(selector);
  return el.getAttribute('data-testid');
}

test('each role signs in and sees only its pages; the admin makes accounts and reads the log', async () => {
  const pescaito = await suite.barrioByCode('pescaito');
  const anon = await watchedPage({ width: 360, height: 740 });
  try {
    // No account: the staff pages ask to sign in, and preparing a workshop too.
    assert.equal(await shown(anon.page, '/equipo'), 'sign-in-needed');
    assert.equal(await shown(anon.page, `/diagnostico/${pescaito.id}`), 'sign-in-needed');
    assert.equal(await shown(anon.page, '/admin'), 'sign-in-needed');
    assert.equal(await shown(anon.page, '/talleres'), 'workshop-sign-in');
    // On a phone the bar stays one line: signing in is offered on the home page instead.
    assert.equal(await anon.page.isVisible('[data-testid=sign-in-link]'), false);
    await anon.page.goto(`${suite.server.url}/`);
    await waitForApp(anon.page);
    await anon.page.waitForSelector('[data-testid=home-sign-in]');
    await anon.page.screenshot({ path: `${artifacts}/accounts-anonymous-phone.png` });
    // A wrong password is refused with a message, and nothing is signed in.
    await anon.page.goto(`${suite.server.url}/entrar`);
    await waitForApp(anon.page);
    await anon.page.fill('input[name=username]', 'admin');
    await anon.page.fill('input[name=password]', 'no es esta');
    await anon.page.click('[data-testid=login-form] button[type=submit]');
    assert.match(await anon.page.textContent('[data-testid=login-error]'), /usuario o la contraseña no son correctos/);
    await anon.page.screenshot({ path: `${artifacts}/login-phone.png` });
    assert.deepEqual(await anon.violations(), []);
    assert.deepEqual(anon.errors, []);
  } finally {
    await anon.context.close();
  }

  // The admin signs in, lands on the administration page and makes two accounts there.
  const admin = await watchedPage();
  try {
    await signInThroughTheForm(admin.page, ADMIN.username, ADMIN.password);
    await admin.page.waitForURL(/\/admin$/);
    await admin.page.waitForSelector('[data-testid=user-table] tr[data-username=admin]');
    const make = async (username, name, role, barrio, city) => {
      await admin.page.fill('[data-testid=new-user-form] input[name=username]', username);
      await admin.page.fill('[data-testid=new-user-form] input[name=display_name]', name);
      await admin.page.selectOption('[data-testid=new-user-form] select[name=role]', role);
      if (city) await admin.page.check(`[data-testid=city-choice] input[value="${city}"]`);
      if (barrio) {
        // The facilitator's barrio is found by typing part of its name, without the accent.
        await admin.page.fill('[data-testid=barrio-choice] input[name=barrio-search]', 'pescai');
        await admin.page.click(`[data-testid=barrio-picker] button[data-barrio="${barrio}"]`);
        await admin.page.waitForSelector(`.chosen-barrios li:has-text("${pescaito.name}")`);
        await admin.page.screenshot({ path: `${artifacts}/admin-user-form-desktop.png`, fullPage: true });
      }
      await admin.page.fill('[data-testid=new-user-form] input[name=password]', PASSWORD);
      await admin.page.click('[data-testid=new-user-form] button[type=submit]');
      await admin.page.waitForSelector(`[data-testid=user-table] tr[data-username="${username}"]`);
    };
    await make('rosa', 'Rosa Mejía', 'facilitator', pescaito.id);
    await make('luis', 'Luis Pérez', 'staff', null, '47001');
    assert.match(await admin.page.textContent('[data-testid=user-table] tr[data-username=rosa]'), new RegExp(pescaito.name));
    // Luis works in Santa Marta only; Rosa, with no city ticked, in every one.
    assert.equal(await admin.page.textContent('[data-testid=user-table] tr[data-username=luis] [data-testid=user-cities]'), 'Santa Marta');
    assert.equal(await admin.page.textContent('[data-testid=user-table] tr[data-username=rosa] [data-testid=user-cities]'), 'Todas');
    // Editing an account: a new display name; an empty password keeps the old one.
    await admin.page.click('[data-testid=user-table] tr[data-username=luis] [data-testid=edit-user]');
    assert.equal(await admin.page.inputValue('[data-testid=new-user-form] input[name=username]'), 'luis');
    await admin.page.fill('[data-testid=new-user-form] input[name=display_name]', 'Luis Pérez (Secretaría)');
    await admin.page.click('[data-testid=new-user-form] button[type=submit]');
    await admin.page.waitForSelector('[data-testid=user-table] tr[data-username=luis] td:has-text("Luis Pérez (Secretaría)")');
    await admin.page.reload();
    await admin.page.waitForSelector('[data-testid=audit-log] td:has-text("Creó la cuenta")');
    const log = await admin.page.textContent('[data-testid=audit-log]');
    assert.match(log, /rosa/);
    assert.doesNotMatch(log, new RegExp(PASSWORD), 'passwords never reach the log');
    await admin.page.screenshot({ path: `${artifacts}/admin-desktop.png`, fullPage: true });
    // The admin also does staff work.
    assert.equal(await shown(admin.page, '/equipo'), 'status-list');
    assert.deepEqual(await admin.violations(), []);
    assert.deepEqual(admin.errors, []);
  } finally {
    await admin.context.close();
  }

  // The facilitator: workshops of her barrio only; no staff pages, no administration.
  const rosa = await watchedPage({ width: 800, height: 1280 });
  let code;
  try {
    await signInThroughTheForm(rosa.page, 'rosa', PASSWORD);
    await rosa.page.waitForURL(/\/talleres$/);
    await rosa.page.waitForSelector('[data-testid=workshop-form] select[name=barrio] option[value]:not([value=""])', { state: 'attached' });
    const options = await rosa.page.$$eval('[data-testid=workshop-form] select[name=barrio] option', (o) => o.map((x) => x.value).filter(Boolean));
    assert.deepEqual(options, [String(pescaito.id)], 'only her barrio');
    assert.equal(await shown(rosa.page, '/equipo'), 'not-allowed');
    assert.equal(await shown(rosa.page, '/admin'), 'not-allowed');
    assert.equal(await shown(rosa.page, `/diagnostico/${pescaito.id}`), 'not-allowed');
    // She prepares a workshop; its page offers her the facilitator's controls.
    await rosa.page.goto(`${suite.server.url}/talleres`);
    await waitForApp(rosa.page);
    await rosa.page.waitForSelector('[data-testid=workshop-form] select[name=barrio] option[value]:not([value=""])', { state: 'attached' });
    await rosa.page.selectOption('select[name=barrio]', String(pescaito.id));
    await rosa.page.fill('input[name=cbsc]', 'CBSC Pescaíto');
    await rosa.page.fill('input[name=facilitator]', 'Rosa Mejía');
    await rosa.page.click('[data-testid=workshop-form] button[type=submit]');
    await rosa.page.waitForURL(/\/talleres\/[0-9a-f-]{36}$/);
    code = (await rosa.page.textContent('[data-testid=join-code]')).replace('-', '');
    await rosa.page.waitForSelector('[data-testid=facilitator-controls]');
    await rosa.page.screenshot({ path: `${artifacts}/workshop-facilitator-tablet.png`, fullPage: true });
    // The tablet keeps its own token for the workshop, to sync it after the session ends.
    const token = await rosa.page.evaluate(() => new Promise((resolve) => {
      const open = indexedDB.open('cartobarrio');
      open.onsuccess = () => {
        const req = open.result.transaction('workshops').objectStore('workshops').getAll();
        req.onsuccess = () => resolve(req.result[0]?.token ?? null);
      };
    }));
    assert.match(token ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(await rosa.violations(), []);
    assert.deepEqual(rosa.errors, []);
  } finally {
    await rosa.context.close();
  }

  // Staff: the barrios and their diagnósticos, not the administration.
  const luis = await watchedPage();
  try {
    await signInThroughTheForm(luis.page, 'luis', PASSWORD);
    await luis.page.waitForURL(/\/equipo$/);
    assert.equal(await shown(luis.page, '/equipo'), 'status-list');
    assert.equal(await shown(luis.page, `/diagnostico/${pescaito.id}`), 'generate-form');
    assert.equal(await shown(luis.page, '/admin'), 'not-allowed');
    // Signing out from the account page: the chip offers to sign in again.
    await luis.page.goto(`${suite.server.url}/cuenta`);
    await waitForApp(luis.page);
    await luis.page.click('[data-testid=logout]');
    await luis.page.waitForSelector('[data-testid=sign-in-link]');
    assert.equal(await shown(luis.page, '/equipo'), 'sign-in-needed');
    assert.deepEqual(await luis.violations(), []);
    assert.deepEqual(luis.errors, []);
  } finally {
    await luis.context.close();
  }

  // A participant needs no account: the code is enough, and the staff pages stay closed.
  const participant = await watchedPage({ width: 360, height: 740 });
  try {
    await participant.page.goto(`${suite.server.url}/unirse/${code}`);
    await participant.page.waitForURL(new RegExp(`/barrio/${pescaito.id}$`));
    await waitForApp(participant.page);
    assert.equal(await shown(participant.page, '/equipo'), 'sign-in-needed');
    const res = await participant.page.evaluate(async (id) => (await fetch(`/api/v1/barrios/${id}/marks`)).status, pescaito.id);
    assert.equal(res, 401, 'the API refuses too, not only the page');
    assert.deepEqual(await participant.violations(), []);
    assert.deepEqual(participant.errors, []);
  } finally {
    await participant.context.close();
  }
});
