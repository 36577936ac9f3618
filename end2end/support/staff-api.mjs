// The staff tests' calls to the API of a running server: JSON requests, a barrio's centre,
// and marks sent as a device sends them (sync protocol 2).
import assert from 'node:assert/strict';

/** The smallest PDF: a signed scan's stand-in. */
const SIGNED_PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

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

  /** A JSON request of `method` to the API as the admin; `{ status, body }`. */
  async function call(method, path, body) {
    const res = await suite.server.fetch(`/api/v1${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  }

  /**
   * The barrio's pacto drafted from its diagnóstico n.º `diagnostico` (generated now unless
   * given) and signed with `compromisos`, its scan kept as paso 4's registro; the pacto's id.
   */
  async function pactoFirmado(barrioId, compromisos, diagnostico) {
    if (diagnostico === undefined) {
      const generated = await api(`/barrios/${barrioId}/diagnosticos`, {});
      assert.equal(generated.status, 201, JSON.stringify(generated.body));
      diagnostico = generated.body.number;
    }
    const ciclo = await api(`/barrios/${barrioId}/ciclos`, {});
    assert.equal(ciclo.status, 201, JSON.stringify(ciclo.body));
    const scan = await suite.server.fetch(
      `/api/v1/ciclos/${ciclo.body.id}/registros?paso=4&tipo=pacto_firmado&fecha=2027-02-10&descripcion=Pacto%20firmado&nombre=pacto.pdf`,
      { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: SIGNED_PDF },
    );
    assert.equal(scan.status, 201);
    const registro = (await scan.json()).id;
    const draft = await api(`/barrios/${barrioId}/pactos`, { diagnostico });
    assert.equal(draft.status, 201, JSON.stringify(draft.body));
    const contenido = { ...draft.body.contenido, compromisos };
    const saved = await call('PUT', `/pactos/${draft.body.id}`, { revision: draft.body.revision, contenido });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const signed = await api(`/pactos/${draft.body.id}/firma`, { revision: saved.body.revision, registro_id: registro, fecha: '2027-02-10' });
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    return draft.body.id;
  }

  return { api, call, centreOf, sendMarks, sendCause, postTree, workshop, pactoFirmado };
}
