// Re-mapping (issue 25): months after its first mapping, a barrio maps again; staff generate a
// diagnóstico of the new marks only, and the barrio's route page shows the two side by side on
// the map — the corner that goes on, the new place, the street nobody marked again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from '../support/suite.mjs';
import { signedInContext } from '../support/server.mjs';
import { staffApi } from '../support/staff-api.mjs';
import { waitForApp, collectPageErrors, artifacts } from '../support/browser.mjs';
import { overflowing } from '../support/checks.mjs';

const suite = serverAndBrowser();
const { centreOf } = staffApi(suite);

/** 2025-11-24 and 2026-06-01, Colombian time. */
const FIRST = 1_764_000_000_000;
const LATER = 1_780_300_000_000;

async function post(path, body) {
  const res = await suite.server.fetch(`/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await res.json();
  assert.ok(res.ok, `${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

async function mark(barrioId, category, [lon, lat], createdAt) {
  await post('/marks', {
    type: 'Feature', id: crypto.randomUUID(), geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: { barrio_id: barrioId, category, description: '', created_at_ms: createdAt },
  });
}

test('the route page shows a re-mapping beside the mapping before, place by place', async () => {
  const barrio = await suite.barrioByCode('pescaito');
  const [lon, lat] = await centreOf(barrio.id);
  await mark(barrio.id, 'hurto_personas', [lon, lat], FIRST);
  await mark(barrio.id, 'hurto_personas', [lon + 0.00003, lat], FIRST);
  await mark(barrio.id, 'alumbrado_deficiente', [lon + 0.004, lat], FIRST);
  await post(`/barrios/${barrio.id}/diagnosticos`, {});
  await mark(barrio.id, 'hurto_personas', [lon + 0.0004, lat], LATER);
  await mark(barrio.id, 'rinas', [lon - 0.003, lat], LATER);
  await post(`/barrios/${barrio.id}/diagnosticos`, { desde: '2026-05-01' });

  const context = await signedInContext(suite.browser, suite.server, { viewport: { width: 800, height: 1280 }, hasTouch: true });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${suite.server.url}/ruta/${barrio.id}`);
  await waitForApp(page);
  await page.waitForSelector('[data-testid=remapeo-resumen]');
  assert.equal(
    await page.textContent('[data-testid=remapeo-resumen]'),
    'Diagnóstico n.º 2 frente al n.º 1: 1 lugar sigue · 1 lugar nuevo · 1 ya no aparece',
  );
  for (const code of ['sigue', 'nuevo', 'ya_no']) {
    assert.equal(await page.locator(`[data-testid=remapeo] .hotspot-glyph[data-tint=${code}]`).count(), 1, code);
  }
  assert.deepEqual(
    await page.$$eval('[data-testid=remapeo-lineas] tbody tr', (rows) => rows.map((r) => r.dataset.estado)),
    ['sigue', 'nuevo', 'ya_no'],
  );
  await page.locator('[data-testid=remapeo]').screenshot({ path: `${artifacts}/remapeo-tablet.png` });
  await page.setViewportSize({ width: 360, height: 740 });
  assert.deepEqual(await overflowing(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});
