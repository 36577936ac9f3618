// The marks API refuses bad input with a clear 4xx message, and stores nothing half-way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer } from '../support/server.mjs';

let server, barrio;
before(async () => {
  server = await startServer();
  const list = await (await fetch(`${server.url}/api/v1/barrios`)).json();
  const summary = list.find((b) => b.code === 'pescaito');
  barrio = await (await fetch(`${server.url}/api/v1/barrios/${summary.id}`)).json();
});
after(async () => server?.stop());

function pointInBarrio() {
  const ring = barrio.boundary.type === 'Polygon' ? barrio.boundary.coordinates[0] : barrio.boundary.coordinates[0][0];
  const lon = ring.reduce((s, p) => s + p[0], 0) / ring.length;
  const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length;
  return [lon, lat];
}

function markFeature({ id = randomUUID(), geometry, properties } = {}) {
  return {
    type: 'Feature',
    id,
    geometry: geometry ?? { type: 'Point', coordinates: pointInBarrio() },
    properties: { barrio_id: barrio.id, category: 'rinas', description: '', created_at_ms: Date.now(), ...properties },
  };
}

async function post(body, contentType = 'application/geo+json') {
  const res = await server.fetch('/api/v1/marks', {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = null; }
  return { status: res.status, json, text };
}

async function storedIds() {
  const res = await server.fetch(`/api/v1/barrios/${barrio.id}/marks`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /application\/geo\+json/);
  return (await res.json()).features.map((f) => f.id);
}

const [lon, lat] = [-74.2, 11.24];
// Bodies are built lazily: the barrio is known only once the server runs.
const badInputs = [
  ['malformed JSON', () => ('{"type": "Feature", "geometry": '), 400, 'malformed_json'],
  ['a bare geometry, not a Feature', () => ({ type: 'Point', coordinates: [lon, lat] }), 400, 'not_a_feature'],
  ['a FeatureCollection', () => ({ type: 'FeatureCollection', features: [] }), 400, 'not_a_feature'],
  ['a Feature with a misspelt type', () => ({ ...markFeature(), type: 'Featur' }), 400, 'not_a_feature'],
  ['no id', () => ((() => { const f = markFeature(); delete f.id; return f; })()), 422, 'missing_id'],
  ['an id that is not a UUID', () => (markFeature({ id: 'mark-1' })), 422, 'invalid_id'],
  ['a null geometry', () => ({ ...markFeature(), geometry: null }), 422, 'missing_geometry'],
  ['latitude out of range', () => (markFeature({ geometry: { type: 'Point', coordinates: [lon, 95] } })), 422, 'invalid_geometry'],
  ['longitude out of range', () => (markFeature({ geometry: { type: 'Point', coordinates: [-274.2, lat] } })), 422, 'invalid_geometry'],
  ['a self-intersecting zone', () => (markFeature({ geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.001, lat + 0.001], [lon + 0.001, lat], [lon, lat + 0.001], [lon, lat]]] } })), 422, 'invalid_geometry'],
  ['an open ring', () => (markFeature({ geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001], [lon, lat + 0.001]]] } })), 422, 'invalid_geometry'],
  ['an unknown category', () => (markFeature({ properties: { category: 'ovnis' } })), 422, 'unknown_category'],
  ['a barrio id of the wrong type', () => (markFeature({ properties: { barrio_id: 'uno' } })), 422, 'invalid_properties'],
  ['a date from 1970', () => (markFeature({ properties: { created_at_ms: 0 } })), 422, 'created_at_out_of_range'],
  ['a barrio that does not exist', () => (markFeature({ properties: { barrio_id: 987654 } })), 422, 'unknown_barrio'],
  ['a point in Bogotá', () => (markFeature({ geometry: { type: 'Point', coordinates: [-74.08, 4.6] } })), 422, 'outside_barrio'],
  ['a description over 2000 characters', () => (markFeature({ properties: { description: 'x'.repeat(2001) } })), 422, 'description_too_long'],
];

for (const [name, makeBody, status, code] of badInputs) {
  test(`${name} gets ${status} ${code} with a message and stores nothing`, async () => {
    const before = await storedIds();
    const res = await post(makeBody());
    assert.equal(res.status, status, res.text);
    assert.equal(res.json?.error?.code, code, res.text);
    assert.ok(res.json.error.message.length > 10, 'a Spanish message');
    assert.ok(res.json.error.message_en.length > 10, 'an English message');
    assert.notEqual(res.json.error.message, res.json.error.message_en);
    assert.deepEqual(await storedIds(), before);
  });
}

test('a huge payload gets 413 and stores nothing', async () => {
  const res = await post(markFeature({ properties: { description: 'x'.repeat(300_000) } }));
  assert.equal(res.status, 413);
  assert.equal(res.json.error.code, 'payload_too_large');
  assert.deepEqual(await storedIds(), []);
});

test('a body sent as plain text gets 415', async () => {
  const res = await post(markFeature(), 'text/plain');
  assert.equal(res.status, 415);
  assert.equal(res.json.error.code, 'unsupported_media_type');
});

test('a valid mark is stored once, however often it is sent', async () => {
  const feature = markFeature({ properties: { category: 'expendio_sustancias' } });
  const first = await post(feature);
  assert.equal(first.status, 201, first.text);
  assert.deepEqual(first.json, { id: feature.id, version: 1, status: 'created' });
  const again = await post(feature);
  assert.equal(again.status, 200);
  assert.equal(again.json.status, 'already_stored');
  assert.equal((await storedIds()).filter((id) => id === feature.id).length, 1);

  const changed = await post({ ...feature, properties: { ...feature.properties, category: 'rinas' } });
  assert.equal(changed.status, 409);
  assert.equal(changed.json.error.code, 'conflict');
});

test('the health check answers', async () => {
  const res = await fetch(`${server.url}/healthz`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).status, 'ok');
});

test('unknown barrios are 404 in the API', async () => {
  assert.equal((await fetch(`${server.url}/api/v1/barrios/987654`)).status, 404);
  assert.equal((await server.fetch('/api/v1/barrios/987654/marks')).status, 404);
  assert.equal((await fetch(`${server.url}/api/v1/barrios/987654/marks`)).status, 401, 'marks are not public');
});
