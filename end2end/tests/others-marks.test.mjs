// Issue 19, point 2: on a participant's phone, another device's mark opens read-only (the
// server would refuse any change to it), and "Yo también lo he visto" makes a mark of the
// phone's own at its place that syncs and counts in the diagnóstico. A tap while a route or
// zone is being drawn never opens someone else's mark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { staffApi } from '../support/staff-api.mjs';
import { waitForApp, collectPageErrors, artifacts, chooseCategory, closeSheet, pullUp } from '../support/browser.mjs';

const suite = serverAndBrowser();
const { api, sendMarks, sendCause, workshop } = staffApi(suite);

/** The screen position of a mark's glyph on the page. */
async function centreOfMark(page, id) {
  const box = await page.locator(`g.mark[data-mark-id="${id}"]`).boundingBox();
  return [box.x + box.width / 2, box.y + box.height / 2];
}

test("another device's mark is read-only here, and a +1 of one's own syncs and counts", async () => {
  const barrio = await suite.barrioByCode('bastidas');
  const workshopId = await workshop(barrio.id, '2099-12-05');
  // Device A (sent through the API as a device sends) marked a fight in the middle of a
  // street of the barrio's map, which the list then names.
  const { body: pack } = await api(`/barrios/${barrio.id}/pack`);
  const street = pack.layers.streets.features.find((f) => f.geometry.type === 'LineString' && f.properties.name);
  const [[x0, y0], [x1, y1]] = street.geometry.coordinates;
  const [theirs] = await sendMarks(barrio.id, workshopId, [['rinas', [(x0 + x1) / 2, (y0 + y1) / 2], 'Ana']]);
  const { body: w } = await api(`/workshops/${workshopId}`);

  const phone = await suite.browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true });
  const page = await phone.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${suite.server.url}/unirse/${w.join_code}`);
  await page.waitForURL(new RegExp(`/barrio/${barrio.id}$`), { timeout: 30_000 });
  await waitForApp(page);
  await page.waitForSelector(`g.mark[data-mark-id="${theirs}"]`, { timeout: 30_000 });
  // The map opens close in at the barrio's middle; A's mark may be elsewhere in it.
  await page.click('[data-testid=map-home]');

  // With the zone tool and a category in hand, a tap on A's mark is the zone's first corner.
  await page.click('button.tool[data-tool=zona]');
  await chooseCategory(page, 'alumbrado_deficiente');
  const [x, y] = await centreOfMark(page, theirs);
  await page.mouse.click(x, y);
  await page.waitForSelector('[data-testid=draft-count][data-vertices="1"]');
  assert.equal(await page.locator('[data-testid=mark-sheet]').count(), 0, 'no sheet opens while drawing');
  await page.click('[data-testid=draft-cancel]');
  await page.click('button.tool[data-tool=punto]');

  // Opened with the point tool: read-only, with a +1 and nothing that edits it.
  await page.mouse.click(x, y);
  const sheet = page.locator(`[data-testid=mark-sheet][data-mark-id="${theirs}"]`);
  await sheet.waitFor();
  assert.equal(await sheet.getAttribute('data-readonly'), 'true');
  for (const edit of ['delete', 'reshape', 'save-mark', 'description']) {
    assert.equal(await sheet.locator(`[data-testid=${edit}]`).count(), 0, `no ${edit} on another's mark`);
  }
  assert.match(await sheet.textContent(), /de Ana/);
  await page.screenshot({ path: `${artifacts}/others-mark-phone.png` });

  await page.click('[data-testid=plus-one]');
  // The +1's own sheet opens, editable, for its own answers; then it is sent.
  const own = page.locator('[data-testid=mark-sheet]:not([data-readonly])');
  await own.waitFor();
  const mineId = await own.getAttribute('data-mark-id');
  assert.notEqual(mineId, theirs);
  await own.locator('[data-choice=noche]').click();
  await own.locator('[data-testid=save-mark]').click();
  await page.waitForSelector('[data-testid=pending-count][data-pending="0"]', { timeout: 30_000 });

  // The +1 is not drawn on top of A's mark: A's mark counts it ("+1"), and its sheet says
  // this device already joined it, with the way to its own answers.
  await page.waitForSelector(`g.mark[data-mark-id="${theirs}"] .joined[data-joined="1"]`);
  assert.equal(await page.locator(`g.mark[data-mark-id="${mineId}"]`).count(), 0, 'no second marker on top of the first');
  await page.mouse.click(x, y);
  await page.waitForSelector(`[data-testid=mark-sheet][data-mark-id="${theirs}"] [data-testid=already-confirmed]`);
  await page.click('[data-testid=open-plus-one]');
  await page.waitForSelector(`[data-testid=mark-sheet][data-mark-id="${mineId}"]:not([data-readonly])`);
  await closeSheet(page);
  // A's mark is reached from the list too.
  await page.click('[data-testid=view-toggle]');
  // Each entry of the list says where it is and whose it is.
  const entry = page.locator(`.items button.item[data-mark-id="${theirs}"]`);
  assert.match(await entry.textContent(), new RegExp(`Riñas[\\s\\S]*cerca de ${street.properties.name} · Noche · de Ana`));
  assert.match(await page.textContent(`.items button.item[data-mark-id="${mineId}"]`), new RegExp(`cerca de ${street.properties.name} · Noche`));
  await page.screenshot({ path: `${artifacts}/list-phone.png` });
  await entry.click();
  await page.waitForSelector(`[data-testid=mark-sheet][data-mark-id="${theirs}"] [data-testid=already-confirmed]`);

  // The server holds the +1 with its link, and the diagnóstico counts two people there.
  const { body: history } = await api(`/records/mark/${mineId}/versions`);
  assert.equal(history.versions.at(-1).attributes.confirms, theirs);
  const { status, body: d } = await api(`/barrios/${barrio.id}/diagnosticos`, {});
  assert.equal(status, 201, JSON.stringify(d));
  const spot = d.diagnostico.hotspots.find((h) => h.source_ids.includes(theirs));
  assert.ok(spot.source_ids.includes(mineId), JSON.stringify(spot));
  assert.equal(spot.count, 2);

  // Device A explains the +1 with a cause of its own: here it is read-only, and deleting the
  // +1 sends only what this phone may change — the server unties A's cause itself, and no
  // refusal is left waiting on the phone.
  const foreignCause = await sendCause(barrio.id, workshopId, [mineId]);
  await page.goto(`${suite.server.url}/envios`);
  await waitForApp(page);
  await page.click('button:has-text("Sincronizar ahora")');
  await page.goto(`${suite.server.url}/barrio/${barrio.id}?etapa=arbol`);
  await waitForApp(page);
  await pullUp(page);
  const card = page.locator(`[data-cause-id="${foreignCause}"]`);
  await card.locator('[data-testid=others-cause]').waitFor({ timeout: 30_000 });
  assert.equal(await card.locator('[data-testid=edit-cause], [data-testid=delete-cause]').count(), 0, "no changing another device's cause");
  await page.click('a.stage[data-stage=problemas]');
  await page.click('[data-testid=view-toggle]');
  await page.click(`.items button.item[data-mark-id="${mineId}"]`);
  await page.click(`[data-testid=mark-sheet][data-mark-id="${mineId}"] [data-testid=delete]`);
  await page.click('[data-testid=confirm-delete]');
  await page.waitForSelector(`g.mark[data-mark-id="${theirs}"] .joined`, { state: 'detached' });
  // The tombstone reaches the server, which unties A's cause (its only problem) itself.
  const deadline = Date.now() + 30_000;
  let cause;
  do {
    await page.waitForTimeout(250);
    const { body: tree } = await api(`/barrios/${barrio.id}/tree`);
    cause = tree.causes.find((c) => c.id === foreignCause);
  } while (!cause.deleted && Date.now() < deadline);
  assert.equal(cause.deleted, true, "the server untied A's cause");
  await page.waitForSelector('[data-testid=pending-count][data-pending="0"]', { timeout: 30_000 });
  assert.equal(await page.locator('[data-testid=rejected-count]').count(), 0, 'nothing refused');
  assert.deepEqual(errors, []);
  await phone.close();
});
