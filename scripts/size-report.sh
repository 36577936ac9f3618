#!/usr/bin/env bash
# Prints every /pkg file's raw, gzip and brotli size and the pages that load it, and fails when
# the participant's first load (HTML of a barrio page + JS + CSS + wasm, brotli) is over its
# budget (scripts/size-report.mjs says how it is counted).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec node "$ROOT/scripts/size-report.mjs" "$@"
