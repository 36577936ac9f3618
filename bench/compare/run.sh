#!/usr/bin/env bash
# Benchmark comparison for issue 7: cartobarrio's merge engine beside supercluster (Node) and
# PostGIS ST_ClusterDBSCAN, on the same generated marks.
#
#   bash bench/compare/run.sh [SIZE...]        (default: 100000 1000000)
#
# For each size: generates the marks (generate.mjs, deterministic), times supercluster
# (supercluster.mjs), PostGIS (postgis.sh) and, if it is built, the Rust side
# (target/release/examples/merge_csv, or $MERGE_CSV), then prints a table of the medians and
# the ratios cartobarrio/tool. Exits non-zero only if a tool fails; a Rust side that is not
# built is reported as "not built".
#
# Environment: BENCH_DATA_DIR (default target/bench-compare) holds the CSV files, deleted after
# each size unless KEEP_DATA=1; RUNS (default 3) timed runs per tool; MERGE_CSV overrides the
# Rust executable's path.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SIZES=("$@")
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(100000 1000000)
for n in "${SIZES[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: size must be a positive whole number, got $n" >&2; exit 2; }
done
DATA=${BENCH_DATA_DIR:-$ROOT/target/bench-compare}
MERGE_CSV=${MERGE_CSV:-$ROOT/target/release/examples/merge_csv}
export RUNS=${RUNS:-3}
STARTED_AT=$(date +%s)

command -v node > /dev/null || { echo "run.sh: node is required (Node 20+)" >&2; exit 1; }
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  { echo "run.sh: Node 20 or later is required, found $(node --version)" >&2; exit 1; }

# npm dependencies: install from the lock file when missing or not the locked version.
locked_ok() {
  node -e '
    const fs = require("fs");
    const lock = JSON.parse(fs.readFileSync(process.argv[1] + "/package-lock.json", "utf8"));
    const want = lock.packages["node_modules/supercluster"].version;
    const have = JSON.parse(fs.readFileSync(process.argv[1] + "/node_modules/supercluster/package.json", "utf8")).version;
    process.exit(want === have ? 0 : 1);
  ' "$HERE" 2> /dev/null
}
if ! locked_ok; then
  echo "run.sh: installing npm dependencies (npm ci)" >&2
  (cd "$HERE" && npm ci --no-audit --no-fund >&2)
fi

mkdir -p "$DATA"
RESULTS=$(mktemp "${TMPDIR:-/tmp}/cartobarrio-bench-results.XXXXXX")
CURRENT_CSV=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
  rm -f "$RESULTS"
  if [[ -n $CURRENT_CSV && ${KEEP_DATA:-0} != 1 ]]; then rm -f "$CURRENT_CSV"; fi
}
trap cleanup EXIT

FAILED=0
# run_tool TOOL N CMD...: keeps the JSON lines the tool prints on stdout; its stderr goes through.
run_tool() {
  local tool=$1 n=$2 out rc=0
  shift 2
  echo "run.sh: $tool, $n marks" >&2
  out=$("$@") || rc=$?
  if [[ $rc -ne 0 ]]; then
    echo "run.sh: $tool failed (exit $rc) on $n marks" >&2
    printf '{"tool":"%s","n":%s,"error":"exit %s"}\n' "$tool" "$n" "$rc" >> "$RESULTS"
    FAILED=1
    return 0
  fi
  local lines
  lines=$(grep -E '^\{.*"tool"' <<< "$out" || true)
  if [[ -z $lines ]]; then
    echo "run.sh: $tool printed no JSON result on $n marks" >&2
    printf '{"tool":"%s","n":%s,"error":"no JSON result"}\n' "$tool" "$n" >> "$RESULTS"
    FAILED=1
    return 0
  fi
  echo "$lines" >> "$RESULTS"
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "run.sh: $(nproc) cores, load average $LOAD_START at start, node $(node --version)" >&2
for n in "${SIZES[@]}"; do
  CURRENT_CSV=$DATA/marks-$n.csv
  node "$HERE/generate.mjs" "$n" "$CURRENT_CSV"
  run_tool supercluster "$n" node --expose-gc "$HERE/supercluster.mjs" "$CURRENT_CSV" "--runs=$RUNS"
  run_tool postgis "$n" bash "$HERE/postgis.sh" "$CURRENT_CSV"
  if [[ -x $MERGE_CSV ]]; then
    run_tool cartobarrio "$n" "$MERGE_CSV" "$CURRENT_CSV"
  else
    printf '{"tool":"cartobarrio","n":%s,"missing":true}\n' "$n" >> "$RESULTS"
  fi
  if [[ ${KEEP_DATA:-0} != 1 ]]; then rm -f "$CURRENT_CSV"; fi
  CURRENT_CSV=
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
ELAPSED=$(($(date +%s) - STARTED_AT))

node - "$RESULTS" "$MERGE_CSV" "$ELAPSED" "$LOAD_START" "$LOAD_END" << 'EOF'
const fs = require('fs');
const [file, mergeCsv, elapsed, loadStart, loadEnd] = process.argv.slice(2);
const rows = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const sizes = [...new Set(rows.map((r) => r.n))];
const label = (r) => {
  if (r.tool === 'supercluster') {
    return {
      index: 'supercluster index (radius 40 px, zooms 0-16)',
      'z16-50m': 'supercluster 50 m, zoom 16 only, all points',
      partitioned: 'supercluster 50 m, one index per barrio+category',
    }[r.mode] ?? `supercluster ${r.mode}`;
  }
  if (r.tool === 'postgis') return 'PostGIS ST_ClusterDBSCAN eps 50 m, minpoints 1';
  if (r.tool === 'cartobarrio') return 'cartobarrio merge (Rust)';
  return r.tool;
};
const fmtMs = (r) => (r.missing ? 'not built' : r.error ? `FAILED (${r.error})` : r.ms.toFixed(1));
const clusters = (r) => r.clusters ?? r.clusters_z16 ?? '';
const pad = (s, w, right) => (right ? String(s).padStart(w) : String(s).padEnd(w));

console.log('');
console.log('ms: median of the timed runs (after one warm-up) of the clustering only, no CSV parsing or loading.');
console.log('cartobarrio/tool: below 1 means cartobarrio is faster.');
for (const n of sizes) {
  const here = rows.filter((r) => r.n === n);
  const carto = here.find((r) => r.tool === 'cartobarrio');
  const cartoMs = carto && typeof carto.ms === 'number' ? carto.ms : null;
  console.log('');
  console.log(`${n.toLocaleString('en-US')} marks`);
  console.log(`  ${pad('tool', 50)} ${pad('ms', 20, true)} ${pad('cartobarrio/tool', 17, true)} ${pad('clusters', 9, true)}`);
  const order = ['cartobarrio', 'supercluster', 'postgis'];
  here.sort((a, b) => order.indexOf(a.tool) - order.indexOf(b.tool));
  for (const r of here) {
    let ratio = '';
    if (r.tool !== 'cartobarrio') {
      if (carto?.missing) ratio = 'not built';
      else if (cartoMs !== null && typeof r.ms === 'number' && r.ms > 0) ratio = (cartoMs / r.ms).toFixed(2);
      else ratio = '-';
    }
    console.log(`  ${pad(label(r), 50)} ${pad(fmtMs(r), 20, true)} ${pad(ratio, 17, true)} ${pad(clusters(r), 9, true)}`);
  }
}
const pg = rows.find((r) => r.tool === 'postgis' && r.postgis);
const sc = rows.find((r) => r.tool === 'supercluster' && r.version);
console.log('');
console.log(
  `versions: supercluster ${sc?.version ?? '?'}, PostGIS ${pg?.postgis ?? '?'} (GEOS ${pg?.geos ?? '?'}) on PostgreSQL ${pg?.postgresql ?? '?'}; ` +
    `Rust side ${rows.some((r) => r.tool === 'cartobarrio' && !r.missing) ? mergeCsv : 'not built (' + mergeCsv + ')'}`,
);
console.log(`whole run: ${elapsed} s; load average ${loadStart} at the start, ${loadEnd} at the end`);
if (Number(loadStart.split(' ')[0]) >= 0.5) {
  console.log('warning: something else was busy on this machine when the run started: the timings are noisy.');
}
EOF

exit "$FAILED"
