#!/usr/bin/env node
// Times supercluster's index build (`load`) on a CSV written by generate.mjs (issue 7).
//
//   node --expose-gc supercluster.mjs MARKS.csv [--modes=index,z16-50m,partitioned] [--runs=3]
//
// Prints one JSON line per mode: {"tool":"supercluster","mode":…,"n":…,"ms":…, …}, where ms is the
// median of --runs timed builds after one untimed warm-up build. Only `load` is timed (and, in
// the partitioned mode, the constructor of each index): reading and parsing the CSV and, in the
// partitioned mode, grouping the points by barrio and category happen before the clock starts.
//
// Modes (README.md says why):
//   index        new Supercluster({radius: 40, maxZoom: 16}).load(all points): the index a web
//                map would build, clusters for every zoom 0…16 (17 levels). The setting.
//   z16-50m      one level only (minZoom = maxZoom = 16) with the radius that is 50 m on the
//                ground at the data's latitude at zoom 16 (≈ 42.7 px at Santa Marta): one 50 m
//                clustering pass over all points, all barrios and categories mixed.
//   partitioned  as z16-50m, but one index per (barrio_id, category), so points of different
//                barrios or categories never join: the same grouping as the merge engine and
//                ST_ClusterDBSCAN … PARTITION BY barrio_id, category.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Supercluster from 'supercluster';

// The package's exports hide package.json: read it beside the resolved entry point.
const VERSION = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.resolve('supercluster'))), 'package.json'), 'utf8'),
).version;

const EXTENT = 512; // supercluster's default tile extent: radius is in 1/512 of a tile
const EARTH_CIRCUMFERENCE_M = 40_075_016.686; // Web Mercator (sphere of radius 6 378 137 m)
const ALL_MODES = ['index', 'z16-50m', 'partitioned'];

function usage(msg) {
  if (msg) process.stderr.write(`supercluster.mjs: ${msg}\n`);
  process.stderr.write('usage: node --expose-gc supercluster.mjs MARKS.csv [--modes=index,z16-50m,partitioned] [--runs=3]\n');
  process.exit(2);
}

// Radius in supercluster's units (1/EXTENT of a tile) that covers `metres` on the ground at
// latitude `lat` and zoom `z`: one unit is C·cos(lat) / (EXTENT · 2^z) metres in Web Mercator.
function radiusFor(metres, lat, z) {
  return (metres * EXTENT * 2 ** z) / (EARTH_CIRCUMFERENCE_M * Math.cos((lat * Math.PI) / 180));
}

function readMarks(path) {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  if (lines[0].trim() !== 'id,barrio_id,category,lon,lat') throw new Error(`${path}: unexpected header ${JSON.stringify(lines[0])}`);
  const points = [];
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const f = line.split(',');
    if (f.length !== 5) throw new Error(`${path}:${i + 1}: expected 5 fields`);
    const lon = Number(f[3]);
    const lat = Number(f[4]);
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) throw new Error(`${path}:${i + 1}: bad coordinates`);
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
    points.push({
      type: 'Feature',
      id: f[0],
      properties: { barrio_id: Number(f[1]), category: f[2] },
      geometry: { type: 'Point', coordinates: [lon, lat] },
    });
  }
  return { points, midLat: points.length ? (minLat + maxLat) / 2 : 0 };
}

const collect = () => {
  if (typeof globalThis.gc === 'function') globalThis.gc();
};

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// Runs `build` once untimed, then `runs` times timed; returns the timings and the last result.
function timeRuns(runs, build) {
  build();
  collect();
  const ms = [];
  let last = null;
  for (let r = 0; r < runs; r++) {
    last = null;
    collect();
    const t0 = performance.now();
    last = build();
    ms.push(performance.now() - t0);
  }
  return { ms, last };
}

const WORLD = [-180, -85, 180, 85];

function main() {
  const args = process.argv.slice(2);
  const files = args.filter((a) => !a.startsWith('--'));
  let modes = ALL_MODES;
  let runs = 3;
  for (const a of args.filter((a) => a.startsWith('--'))) {
    if (a.startsWith('--modes=')) modes = a.slice(8).split(',').filter(Boolean);
    else if (a.startsWith('--runs=')) runs = Number(a.slice(7));
    else usage(`unknown option ${a}`);
  }
  if (files.length !== 1) usage();
  for (const m of modes) if (!ALL_MODES.includes(m)) usage(`unknown mode ${m}`);
  if (!Number.isInteger(runs) || runs < 1) usage('--runs must be a positive whole number');

  const { points, midLat } = readMarks(files[0]);
  const n = points.length;
  const r50 = radiusFor(50, midLat, 16);
  const metresPerUnit = (z) => 1 / radiusFor(1, midLat, z);

  for (const mode of modes) {
    let result;
    if (mode === 'index') {
      const options = { radius: 40, maxZoom: 16 };
      const { ms, last } = timeRuns(runs, () => new Supercluster(options).load(points));
      result = {
        options: { ...options, minZoom: 0 },
        radius_m_at_z16: 40 * metresPerUnit(16),
        clusters_z16: last.getClusters(WORLD, 16).length,
        ms,
      };
    } else if (mode === 'z16-50m') {
      const options = { radius: r50, minZoom: 16, maxZoom: 16 };
      const { ms, last } = timeRuns(runs, () => new Supercluster(options).load(points));
      result = { options, radius_m_at_z16: 50, clusters_z16: last.getClusters(WORLD, 16).length, ms };
    } else {
      const options = { radius: r50, minZoom: 16, maxZoom: 16 };
      const groups = new Map();
      for (const p of points) {
        const key = `${p.properties.barrio_id}\u0000${p.properties.category}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = []));
        g.push(p);
      }
      const lists = [...groups.values()];
      const { ms, last } = timeRuns(runs, () => lists.map((g) => new Supercluster(options).load(g)));
      let clusters = 0;
      for (const idx of last) clusters += idx.getClusters(WORLD, 16).length;
      result = { options, radius_m_at_z16: 50, partitions: lists.length, clusters_z16: clusters, ms };
    }
    const line = {
      tool: 'supercluster',
      mode,
      n,
      ms: Number(median(result.ms).toFixed(1)),
      runs_ms: result.ms.map((x) => Number(x.toFixed(1))),
      version: VERSION,
      options: result.options,
      radius_m_at_z16: Number(result.radius_m_at_z16.toFixed(2)),
      clusters_z16: result.clusters_z16,
    };
    if (result.partitions !== undefined) line.partitions = result.partitions;
    process.stdout.write(`${JSON.stringify(line)}\n`);
    collect();
  }
}

try {
  main();
} catch (e) {
  process.stderr.write(`supercluster.mjs: ${e.message}\n`);
  process.exit(1);
}
