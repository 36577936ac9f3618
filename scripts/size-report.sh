#!/usr/bin/env bash
# Prints the raw and gzipped size of what a first visit downloads from /pkg (wasm, JS, CSS).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG="$ROOT/target/site/pkg"
[ -d "$PKG" ] || { echo "no build in $PKG: run scripts/build.sh first" >&2; exit 1; }
total_raw=0; total_gz=0
printf '%-28s %12s %12s\n' "file (target/site/pkg)" "bytes" "gzip -9"
for f in "$PKG"/*.wasm "$PKG"/*.js "$PKG"/*.css; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '%-28s %12d %12d\n' "$(basename "$f")" "$raw" "$gz"
done
printf '%-28s %12d %12d\n' "total" "$total_raw" "$total_gz"
