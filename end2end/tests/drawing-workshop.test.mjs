// A workshop's whole drawing, offline on a phone: a point, a route and a zone with their
// attributes; two causes tied to a problem and a solution tied to a cause; a shape moved, a
// mark deleted and the deletion undone; a reload shows everything exactly as left; the list
// view finds a mark on the map; back online, the server holds every version.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedInContext } from '../support/server.mjs';
import { launch, waitForApp, collectPageErrors, waitForServiceWorker, tapMap, artifacts, chooseCategory, pullUp } from '../support/browser.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Everything the device holds for the barrio: current versions of marks, causes, solutions. */
const stored = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const open = indexedDB.open('cartobarrio');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    const tx = db.transaction(['marks', 'causes', 'solutions', 'changes']);
    const out = {};
    let left = 4;
    for (const name of ['marks', 'causes', 'solutions', 'changes']) {
      const req = tx.objectStore(name).getAll();
      req.onsuccess = () => {
        out[name] = req.result.sort((a, b) => (a.id ?? a.key).localeCompare(b.id ?? b.key));
        if (--left === 0) { db.close(); resolve(out); }
      };
    }
  };
}));

async function choose(page, category) {
  await chooseCategory(page, category);
}

async function openMark(page, id) {
  // The marker of a mark is what a finger taps.
  const box = await page.locator(`g.mark[data-mark-id="${id}"] .mark-shape`).boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector(`[data-testid=mark-sheet][data-mark-id="${id}"]`);
}

async function newestMarkId(page, category) {
  const ids = await page.$$eval(`g.mark[data-category=${category}]`, (gs) => gs.map((g) => g.getAttribute('data-mark-id')));
  return ids.sort().at(-1);
}

async function waitSaved(page) {
  await page.waitForSelector('[data-testid=notice].ok');
}

test('draw, tie, edit, delete and undo offline; a reload shows it all exactly as left', async () => {
  const context = await signedInContext(browser, server, { viewport: { width: 412, height: 915 }, hasTouch: true });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  try {
    await page.goto(server.url + '/');
    await waitForApp(page);
    await waitForServiceWorker(page);
    const list = await (await fetch(`${server.url}/api/v1/barrios`)).json();
    const barrio = list.find((b) => b.code === 'pescaito');
    await page.goto(`${server.url}/barrio/${barrio.id}`);
    await waitForApp(page);
    await page.waitForSelector('[data-testid=base-layers]');
    await context.setOffline(true);

    // The stages: the problems map is where a barrio opens.
    assert.equal(await page.getAttribute('[data-stage=problemas]', 'aria-current'), 'step');

    // 1. A point with every attribute.
    await choose(page, 'hurto_personas');
    await tapMap(page, 0.3, 0.3);
    await page.waitForSelector('g.mark[data-category=hurto_personas]');
    const robbery = await newestMarkId(page, 'hurto_personas');
    await openMark(page, robbery);
    for (const [field, choice] of [['times', 'noche'], ['times', 'madrugada'], ['days', 'fin_de_semana'], ['frequency', 'frecuente'],
      ['since', 'meses'], ['affected', 'jovenes'], ['affected', 'mujeres']]) {
      await page.click(`[data-testid=mark-sheet] [data-field=${field}] [data-choice=${choice}]`);
    }
    await page.fill('[data-testid=description]', 'Roban celulares a la salida del colegio <b>ojo</b>');
    await page.click('[data-testid=save-mark]');
    await page.waitForSelector('[data-testid=mark-sheet]', { state: 'detached' });
    await page.waitForSelector(`g.mark[data-mark-id="${robbery}"][data-version="2"]`);

    // 2. A route, drawn point by point.
    await choose(page, 'alumbrado_deficiente');
    await page.click('[data-tool=ruta]');
    await tapMap(page, 0.2, 0.6);
    await tapMap(page, 0.4, 0.55);
    await tapMap(page, 0.6, 0.62);
    await page.waitForSelector('[data-testid=draft-count][data-vertices="3"]');
    await page.click('[data-testid=draft-back]');
    await page.waitForSelector('[data-testid=draft-count][data-vertices="2"]');
    await tapMap(page, 0.65, 0.6);
    await page.click('[data-testid=draft-finish]');
    await page.waitForSelector('g.mark[data-shape=line][data-category=alumbrado_deficiente]');
    const route = await newestMarkId(page, 'alumbrado_deficiente');
    await openMark(page, route);
    await page.click('[data-testid=mark-sheet] [data-field=times] [data-choice=noche]');
    await page.click('[data-testid=save-mark]');
    await page.waitForSelector(`g.mark[data-mark-id="${route}"][data-version="2"]`);

    // 3. A zone; two points are not a zone.
    await choose(page, 'lote_baldio');
    await page.click('[data-tool=zona]');
    await tapMap(page, 0.6, 0.25);
    await tapMap(page, 0.8, 0.25);
    await page.click('[data-testid=draft-finish]');
    await page.waitForSelector('[data-testid=notice]:has-text("al menos 3 puntos")');
    await tapMap(page, 0.7, 0.4);
    await page.click('[data-testid=draft-finish]');
    await page.waitForSelector('g.mark[data-shape=zone][data-category=lote_baldio]');
    const zone = await newestMarkId(page, 'lote_baldio');

    // A throwaway point, deleted for good.
    await page.click('[data-tool=punto]');
    await choose(page, 'ruido');
    await tapMap(page, 0.5, 0.75);
    await page.waitForSelector('g.mark[data-category=ruido]');
    const noise = await newestMarkId(page, 'ruido');

    // 4. The problem tree: two causes of the robbery, one also of the dark street.
    await page.click('[data-stage=arbol]');
    await pullUp(page);
    await page.waitForSelector('[data-testid=causes-panel]');
    await page.click(`[data-testid=pick-problems] [data-id="${robbery}"]`);
    await page.click(`[data-testid=pick-problems] [data-id="${route}"]`);
    await page.click('[data-testid=cause-kinds] [data-choice=falta_iluminacion]');
    await page.fill('[data-testid=cause-text]', 'Los postes llevan meses dañados');
    await page.click('[data-testid=add-cause]');
    await page.waitForSelector('[data-testid=cause-list] li:nth-child(1)');
    // The second one is tied by tapping the problem on the map.
    await page.click('[data-testid=add-cause]');
    await page.waitForSelector('.form-error:has-text("tipo de causa")');
    await page.click('[data-testid=cause-kinds] [data-choice=desempleo_juvenil]');
    await page.click('[data-testid=add-cause]');
    await page.waitForSelector('.form-error:has-text("al menos a un problema")');
    const box = await page.locator(`g.mark[data-mark-id="${robbery}"] .mark-shape`).boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    assert.equal(await page.getAttribute(`[data-testid=pick-problems] [data-id="${robbery}"]`, 'aria-pressed'), 'true');
    await page.click('[data-testid=add-cause]');
    await page.waitForSelector('[data-testid=cause-list] li:nth-child(2)');
    // The map shows each cause tied to its problems.
    assert.equal(await page.locator('[data-testid=tree-links] .tree-node').count(), 2);

    // 5. A solution for the lighting cause.
    await page.click('[data-stage=soluciones]');
    await pullUp(page);
    await page.waitForSelector('[data-testid=solutions-panel]');
    const causes = (await stored(page)).causes;
    const lighting = causes.find((c) => c.category === 'falta_iluminacion');
    await page.click(`[data-testid=pick-causes] [data-id="${lighting.id}"]`);
    await page.click('[data-testid=institutions] [data-choice=essmar]');
    await page.fill('[data-testid=solution-text]', 'Cambiar las luminarias de la calle 10');
    await page.click('[data-testid=add-solution]');
    await page.waitForSelector('[data-testid=solution-list] li[data-solution-id]');
    assert.match(await page.textContent('[data-testid=solution-list]'), /ESSMAR[\s\S]*Cambiar las luminarias/);
    assert.equal(await page.locator('[data-testid=tree-links] .tree-node.solution').count(), 1);

    // 6. Edit the zone's shape: drag one corner.
    await page.click('[data-stage=problemas]');
    await page.waitForSelector('[data-testid=palette]', { state: 'attached' });
    await openMark(page, zone);
    await page.click('[data-testid=reshape]');
    const handle = page.locator('.draft-vertex.handle[data-vertex="2"]');
    const hb = await handle.boundingBox();
    await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
    await page.mouse.down();
    await page.mouse.move(hb.x + hb.width / 2 + 30, hb.y + hb.height / 2 + 40, { steps: 5 });
    await page.mouse.up();
    await page.click('[data-testid=draft-finish]');
    await page.waitForSelector(`g.mark[data-mark-id="${zone}"][data-version="2"]`);

    // 7. Delete the zone, then undo: it comes back as a new version. Delete the noise for good.
    await openMark(page, zone);
    await page.click('[data-testid=delete]');
    await page.click('[data-testid=confirm-delete]');
    await page.waitForSelector(`g.mark[data-mark-id="${zone}"]`, { state: 'detached' });
    await page.click('[data-testid=undo]');
    await page.waitForSelector(`g.mark[data-mark-id="${zone}"][data-version="4"]`);
    await page.click('[data-testid=redo]');
    await page.waitForSelector(`g.mark[data-mark-id="${zone}"]`, { state: 'detached' });
    await page.click('[data-testid=undo]');
    await page.waitForSelector(`g.mark[data-mark-id="${zone}"][data-version="6"]`);
    await openMark(page, noise);
    await page.click('[data-testid=delete]');
    await page.click('[data-testid=confirm-delete]');
    await page.waitForSelector(`g.mark[data-mark-id="${noise}"]`, { state: 'detached' });

    // Deleting the route unties it from the lighting cause, which keeps the robbery.
    await openMark(page, route);
    await page.click('[data-testid=delete]');
    await page.click('[data-testid=confirm-delete]');
    await page.waitForSelector(`g.mark[data-mark-id="${route}"]`, { state: 'detached' });
    let now = await stored(page);
    assert.deepEqual(now.causes.find((c) => c.id === lighting.id).problem_ids, [robbery]);
    await page.click('[data-testid=undo]');
    await page.waitForSelector(`g.mark[data-mark-id="${route}"]`);
    now = await stored(page);
    assert.deepEqual(now.causes.find((c) => c.id === lighting.id).problem_ids.sort(), [robbery, route].sort());

    const before = await stored(page);
    const pendingBefore = await page.getAttribute('[data-testid=pending-count]', 'data-pending');
    assert.ok(Number(pendingBefore) >= 15, `every version is waiting to be sent (${pendingBefore})`);
    await page.screenshot({ path: `${artifacts}/drawing-phone-map.png` });

    // 8. Reload, still offline: exactly as left.
    await page.reload();
    await waitForApp(page);
    const after = await stored(page);
    assert.deepEqual(after, before);
    await page.waitForSelector(`g.mark[data-mark-id="${zone}"][data-version="6"]`);
    assert.equal(await page.locator(`g.mark[data-mark-id="${noise}"]`).count(), 0);
    assert.equal(await page.locator('g.mark').count(), 3);
    const robberyNow = after.marks.find((m) => m.id === robbery);
    assert.deepEqual(robberyNow.attributes, { times: ['noche', 'madrugada'], days: ['fin_de_semana'], frequency: 'frecuente', since: 'meses', affected: ['jovenes', 'mujeres'] });
    assert.equal(robberyNow.description, 'Roban celulares a la salida del colegio <b>ojo</b>');
    assert.equal(await page.getAttribute('[data-testid=pending-count]', 'data-pending'), pendingBefore);
    await openMark(page, robbery);
    // Text stays text: the description's markup is shown, not run.
    assert.equal(await page.inputValue('[data-testid=description]'), 'Roban celulares a la salida del colegio <b>ojo</b>');
    assert.match(await page.textContent('[data-testid=mark-causes]'), /Falta de iluminación[\s\S]*Desempleo juvenil/);
    assert.match(await page.textContent('[data-testid=mark-causes]'), /Cambiar las luminarias[\s\S]*ESSMAR/);
    await page.screenshot({ path: `${artifacts}/attribute-form-phone.png` });
    await page.click('[data-testid=mark-sheet] .close');

    // 9. The list view: counts, a filter, and a tap that goes to the mark on the map.
    await page.click('[data-testid=view-toggle]');
    await page.waitForSelector('[data-testid=item-list]');
    assert.equal(await page.textContent('[data-testid=list-totals]'), '3 marcas · 2 causas · 1 solución');
    assert.match(await page.textContent('[data-testid=list-tree]'), /Falta de iluminación[\s\S]*Explica: Hurto a personas, Alumbrado deficiente[\s\S]*Cambiar las luminarias[\s\S]*ESSMAR[\s\S]*Desempleo juvenil/);
    await page.screenshot({ path: `${artifacts}/list-phone.png` });
    await page.click('[data-testid=list-filters] [data-choice=lote_baldio]');
    assert.equal(await page.locator('[data-testid=item-list] .item').count(), 1);
    await page.click(`[data-testid=item-list] .item[data-mark-id="${zone}"]`);
    await page.waitForSelector(`[data-testid=mark-sheet][data-mark-id="${zone}"]`);
    assert.ok(await page.locator('svg.map').isVisible());

    // 10. Online again: every version reaches the server, in order, and is confirmed.
    // Sync starts by itself when the network returns; nobody has to press anything.
    await context.setOffline(false);
    await page.waitForSelector('[data-testid=pending-count][data-pending="0"]', { timeout: 30_000 });
    const marks = (await (await server.fetch(`/api/v1/barrios/${barrio.id}/marks`)).json()).features;
    const byId = Object.fromEntries(marks.map((f) => [f.id, f.properties]));
    assert.equal(byId[zone].version, 6);
    assert.equal(byId[zone].deleted, false);
    assert.equal(byId[noise].deleted, true);
    assert.deepEqual(byId[robbery].times, ['noche', 'madrugada']);
    const tree = await (await server.fetch(`/api/v1/barrios/${barrio.id}/tree`)).json();
    assert.equal(tree.causes.filter((c) => !c.deleted).length, 2);
    assert.equal(tree.solutions.length, 1);
    const versions = await (await server.fetch(`/api/v1/records/mark/${zone}/versions`)).json();
    assert.deepEqual(versions.versions.map((v) => v.version ?? v.properties?.version), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the category picker and the problem tree at tablet size', async () => {
  const context = await signedInContext(browser, server, { viewport: { width: 1280, height: 800 }, hasTouch: true });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  try {
    const list = await (await fetch(`${server.url}/api/v1/barrios`)).json();
    const barrio = list.find((b) => b.code === 'bastidas');
    await page.goto(`${server.url}/barrio/${barrio.id}?etapa=barrio`);
    await waitForApp(page);
    await page.waitForSelector('[data-testid=base-layers]');
    // The stage's own groups come first; the others stay reachable after them.
    const groups = await page.$$eval('.palette-strip .palette-group', (gs) => gs.map((g) => g.dataset.group));
    assert.equal(groups[0], 'protectores');
    assert.equal(groups.length, 5);
    await choose(page, 'parque');
    await tapMap(page, 0.4, 0.5);
    await page.waitForSelector('g.mark[data-category=parque]');
    await page.screenshot({ path: `${artifacts}/category-picker-tablet.png` });
    const park = await newestMarkId(page, 'parque');
    await openMark(page, park);
    await page.screenshot({ path: `${artifacts}/attribute-form-tablet.png` });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the category picker at phone size', async () => {
  const context = await signedInContext(browser, server, { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  try {
    const list = await (await fetch(`${server.url}/api/v1/barrios`)).json();
    const barrio = list.find((b) => b.code === 'bastidas');
    await page.goto(`${server.url}/barrio/${barrio.id}`);
    await waitForApp(page);
    await page.waitForSelector('[data-testid=base-layers]');
    await page.click('[data-testid=choose-category]');
    await page.waitForSelector('nav.palette.open');
    await page.screenshot({ path: `${artifacts}/category-picker-phone.png` });
    // Every card and tool is at least 44 px in both directions.
    const small = await page.$$eval('button.cat, .tool, .stage, .palette-tab, .map-button, [data-testid=choose-category]', (els) => els
      .map((e) => [e.className, e.textContent.trim(), e.getBoundingClientRect()]).filter(([, , r]) => r.width > 0 && (r.width < 44 || r.height < 44))
      .map(([c, t, r]) => `${c} «${t}» ${r.width}×${r.height}`));
    assert.deepEqual(small, []);
    await choose(page, 'hurto_personas');
    await page.waitForSelector('nav.palette:not(.open)', { state: 'attached' });
    await page.click('[data-stage=arbol]');
    await pullUp(page);
    await page.waitForSelector('[data-testid=causes-panel]');
    await page.screenshot({ path: `${artifacts}/causes-phone.png` });
  } finally {
    await context.close();
  }
});
