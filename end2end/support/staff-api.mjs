// The staff tests' calls to the API of a running server: JSON requests, a barrio's centre,
// and marks sent as a device sends them (sync protocol 2).
import assert from 'node:assert/strict';

/** Helpers bound to `suite.server` (set once the file's tests start). */
export function staffApi(suite) {
  /** The API as the admin (who may do all staff work). */
  async function api(path, body) {
    const res = await suite.server.fetch(`/api/v1${path}`, body === undefined ? {} : {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  /** The centre of the barrio's bounding box, `[lon, lat]`. */
  async function centreOf(barrioId) {
    const { body } = await api(`/barrios/${barrioId}`);
    const ring = body.boundary.type === 'Polygon' ? body.boundary.coordinates[0] : body.boundary.coordinates[0][0];
    const xs = ring.map((p) => p[0]);
    const ys = ring.map((p) => p[1]);
    return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
  }

  /**
   * One device's batch of marks for a workshop, each `[category, where, alias, times]` with
   * `where` a `[lon, lat]` point or a GeoJSON geometry and `times` `['noche']` when left out;
   * made a minute apart, in order. Returns their ids.
   */
  async function sendMarks(barrioId, workshopId, marks) {
    const device = crypto.randomUUID();
    const now = Date.now();
    const changes = marks.map(([category, where, alias, times = ['noche']], i) => ({
      kind: 'mark',
      record: {
        type: 'Feature',
        id: crypto.randomUUID(),
        geometry: Array.isArray(where) ? { type: 'Point', coordinates: where } : where,
        properties: {
          barrio_id: barrioId, category, description: '', created_at_ms: now - 60_000 * (marks.length - i), alias,
          times, version: 1, workshop_id: workshopId,
          hlc: `${String(now).padStart(13, '0')}-${String(i).padStart(5, '0')}-${device}`,
        },
      },
    }));
    const { status, body } = await api('/sync', { protocol: 2, submission_id: crypto.randomUUID(), device_id: device, workshop_id: workshopId, changes });
    assert.equal(status, 200, JSON.stringify(body));
    assert.ok(body.results.every((r) => r.status === 'created'), JSON.stringify(body.results));
    return changes.map((c) => c.record.id);
  }

  /** A cause sent by another device (its own clock) explaining `problemIds`; its id. */
  async function sendCause(barrioId, workshopId, problemIds, alias = 'Ana') {
    const device = crypto.randomUUID();
    const now = Date.now();
    const id = crypto.randomUUID();
    const record = {
      id, barrio_id: barrioId, category: 'falta_iluminacion', text: 'Los postes no sirven', problem_ids: problemIds, alias,
      created_at_ms: now, version: 1, updated_at_ms: 0, deleted: false, workshop_id: workshopId,
      hlc: `${String(now).padStart(13, '0')}-00000-${device}`,
    };
    const { status, body } = await api('/sync', { protocol: 2, submission_id: crypto.randomUUID(), device_id: device, workshop_id: workshopId, changes: [{ kind: 'cause', record }] });
    assert.equal(status, 200, JSON.stringify(body));
    assert.ok(body.results.every((r) => r.status === 'created'), JSON.stringify(body.results));
    return id;
  }

  /** A cause or solution (`kind`: `causes`, `solutions`) written by staff through the API; its id. */
  async function postTree(kind, record) {
    const id = crypto.randomUUID();
    const { status, body } = await api(`/${kind}`, { id, created_at_ms: Date.now(), version: 1, updated_at_ms: 0, deleted: false, ...record });
    assert.equal(status, 201, JSON.stringify(body));
    return id;
  }

  /** A workshop of the barrio on `date`; its id. */
  async function workshop(barrioId, date, place = 'Salón comunal') {
    const { status, body } = await api('/workshops', { barrio_id: barrioId, date, place, cbsc: 'CBSC', facilitator: 'Ana' });
    assert.equal(status, 201, JSON.stringify(body));
    return body.id;
  }

  return { api, centreOf, sendMarks, sendCause, postTree, workshop };
}
