#!/usr/bin/env node
// Deterministic generator of point marks for the benchmark comparison (issue 7).
//
//   node generate.mjs N OUT.csv [--seed=N] [--synthetic-categories]
//
// Writes `id,barrio_id,category,lon,lat` (a header line, then N rows) to OUT.csv. The same N and
// seed always give the same bytes, so the Rust side, supercluster and PostGIS all read the same
// marks. Layout:
//   - 600 barrios: a 25 × 24 grid of 600 m square cells whose south-west corner is at
//     lon -74.245, lat 11.175 (Santa Marta: lon -74.245…-74.108, lat 11.175…11.305).
//     barrio_id runs 1…600, west to east then south to north.
//   - Each barrio has 5–20 hot spots (centres) placed inside its cell; each centre has 1–3
//     categories of its own. Barrios differ in activity (log-normal weights), so some barrios get
//     many more marks than others, as in real workshops.
//   - A mark picks a barrio by weight, then (92 %) a centre of it, one of the centre's categories
//     (85 %, else any category) and a position around the centre with a Gaussian spread of
//     σ = 15–45 m (the centre's own σ); or (8 %) a scattered position anywhere in the cell and
//     any category. Positions are clamped to the barrio's cell.
//   - Categories are the codes of `app/src/model/taxonomy.rs` (read at run time), or `c00…c37`
//     when that file cannot be read or `--synthetic-categories` is given.
//   - ids are UUID v7 strings derived from the row index (timestamp 2025-01-01T00:00:00Z plus
//     the index in ms; the index again in the last 12 hex digits), so they are unique and sort
//     in row order.
// Coordinates are printed with 7 decimals (about 1 cm).

import { createWriteStream, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULT_SEED = 0x5a17a; // "Santa Marta", fixed: change it and every published number moves.

// Grid of barrios.
const COLS = 25;
const ROWS = 24;
const CELL_M = 600;
const LON0 = -74.245;
const LAT0 = 11.175;
// Metres per degree at the grid's middle latitude (WGS 84, series expansion).
const LAT_MID = LAT0 + (ROWS * CELL_M) / 2 / 110_600;
const PHI = (LAT_MID * Math.PI) / 180;
const M_PER_DEG_LAT = 111_132.954 - 559.822 * Math.cos(2 * PHI) + 1.175 * Math.cos(4 * PHI);
const M_PER_DEG_LON = 111_412.84 * Math.cos(PHI) - 93.5 * Math.cos(3 * PHI) + 0.118 * Math.cos(5 * PHI);

const UUID_EPOCH_MS = 1_735_689_600_000; // 2025-01-01T00:00:00Z

function usage(msg) {
  if (msg) process.stderr.write(`generate.mjs: ${msg}\n`);
  process.stderr.write('usage: node generate.mjs N OUT.csv [--seed=N] [--synthetic-categories]\n');
  process.exit(2);
}

// mulberry32: a tiny, fast 32-bit PRNG; good enough for test data and identical on every machine.
function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function categoryCodes(synthetic) {
  const fallback = Array.from({ length: 38 }, (_, i) => `c${String(i).padStart(2, '0')}`);
  if (synthetic) return { codes: fallback, source: 'synthetic c00..c37' };
  const here = dirname(fileURLToPath(import.meta.url));
  const path = join(here, '..', '..', 'app', 'src', 'model', 'taxonomy.rs');
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { codes: fallback, source: 'synthetic c00..c37 (taxonomy.rs not found)' };
  }
  // Only the entries of the CATEGORIES table: `        code: "hurto_personas",`.
  const start = text.indexOf('pub const CATEGORIES');
  const body = start >= 0 ? text.slice(start) : text;
  const codes = [...body.matchAll(/^\s+code:\s*"([a-z0-9_]+)"\s*,/gm)].map((m) => m[1]);
  if (codes.length === 0) return { codes: fallback, source: 'synthetic c00..c37 (no code in taxonomy.rs)' };
  return { codes, source: 'app/src/model/taxonomy.rs' };
}

function uuidFromIndex(i) {
  const t = (UUID_EPOCH_MS + i).toString(16).padStart(12, '0');
  const tail = i.toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7000-8000-${tail}`;
}

function main() {
  const args = process.argv.slice(2);
  const positional = args.filter((a) => !a.startsWith('--'));
  let seed = DEFAULT_SEED;
  let synthetic = false;
  for (const a of args.filter((a) => a.startsWith('--'))) {
    if (a.startsWith('--seed=')) seed = Number(a.slice(7));
    else if (a === '--synthetic-categories') synthetic = true;
    else usage(`unknown option ${a}`);
  }
  if (positional.length !== 2) usage();
  const n = Number(positional[0]);
  const out = positional[1];
  if (!Number.isSafeInteger(n) || n < 0) usage(`N must be a whole number, got ${positional[0]}`);
  if (!Number.isSafeInteger(seed)) usage('--seed must be a whole number');

  const rng = mulberry32(seed);
  const gauss = () => {
    // Box–Muller; 1 - rng() keeps the logarithm finite.
    const u = 1 - rng();
    const v = rng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const pick = (k) => Math.floor(rng() * k);

  const { codes, source } = categoryCodes(synthetic);
  const nCat = codes.length;

  // Barrios: cell, activity weight, centres. All drawn before any mark, so a barrio looks the
  // same whatever N is (a smaller file is not a prefix of a larger one, but its barrios match).
  const barrios = [];
  let totalWeight = 0;
  for (let b = 0; b < COLS * ROWS; b++) {
    const col = b % COLS;
    const row = Math.floor(b / COLS);
    const weight = Math.exp(0.8 * gauss());
    totalWeight += weight;
    const nCentres = 5 + pick(16); // 5..20
    const centres = [];
    for (let c = 0; c < nCentres; c++) {
      const nOwn = 1 + pick(3);
      const cats = [];
      for (let k = 0; k < nOwn; k++) cats.push(pick(nCat));
      centres.push({
        x: 50 + rng() * (CELL_M - 100), // metres inside the cell, 50 m from its edges
        y: 50 + rng() * (CELL_M - 100),
        sigma: 15 + rng() * 30,
        cats,
      });
    }
    barrios.push({ id: b + 1, x0: col * CELL_M, y0: row * CELL_M, weight, centres });
  }
  const cumulative = new Float64Array(barrios.length);
  let acc = 0;
  for (let b = 0; b < barrios.length; b++) {
    acc += barrios[b].weight / totalWeight;
    cumulative[b] = acc;
  }
  cumulative[barrios.length - 1] = 1;
  const pickBarrio = () => {
    const u = rng();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return barrios[lo];
  };

  const stream = createWriteStream(out);
  stream.on('error', (e) => {
    process.stderr.write(`generate.mjs: cannot write ${out}: ${e.message}\n`);
    process.exit(1);
  });
  const started = performance.now();
  let chunk = 'id,barrio_id,category,lon,lat\n';
  let i = 0;
  const clamp = (v) => Math.min(CELL_M - 0.01, Math.max(0.01, v));

  function writeSome() {
    while (i < n) {
      const b = pickBarrio();
      let x;
      let y;
      let cat;
      if (rng() < 0.92) {
        const c = b.centres[pick(b.centres.length)];
        cat = rng() < 0.85 ? c.cats[pick(c.cats.length)] : pick(nCat);
        x = c.x + gauss() * c.sigma;
        y = c.y + gauss() * c.sigma;
      } else {
        cat = pick(nCat);
        x = rng() * CELL_M;
        y = rng() * CELL_M;
      }
      const lon = LON0 + (b.x0 + clamp(x)) / M_PER_DEG_LON;
      const lat = LAT0 + (b.y0 + clamp(y)) / M_PER_DEG_LAT;
      chunk += `${uuidFromIndex(i)},${b.id},${codes[cat]},${lon.toFixed(7)},${lat.toFixed(7)}\n`;
      i++;
      if (chunk.length > 1 << 20) {
        const ok = stream.write(chunk);
        chunk = '';
        if (!ok) {
          stream.once('drain', writeSome);
          return;
        }
      }
    }
    stream.end(chunk, () => {
      const ms = performance.now() - started;
      process.stderr.write(
        `generate.mjs: ${n} marks, ${barrios.length} barrios, ${nCat} categories (${source}), seed ${seed}, ` +
          `${out} in ${(ms / 1000).toFixed(1)} s\n`,
      );
    });
  }
  writeSome();
}

main();
