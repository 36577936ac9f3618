#!/usr/bin/env bash
# Release build of the server and the optimised wasm bundle (cargo-leptos), split so that the
# pages only staff use load on demand (`--split`, see app/src/pages/mod.rs), then a brotli and
# a gzip copy of every /pkg file for the server to send as they are, then the size report
# (which fails the build when the participant's first load is over its budget).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"
cargo leptos build --release --split
node "$ROOT/scripts/compress-pkg.mjs"
"$ROOT/scripts/size-report.sh"
