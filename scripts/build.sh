#!/usr/bin/env bash
# Release build of the server and the optimised wasm bundle (cargo-leptos), then a brotli and a
# gzip copy of every /pkg file for the server to send as they are, then the size report.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"
cargo leptos build --release
node "$ROOT/scripts/compress-pkg.mjs"
"$ROOT/scripts/size-report.sh"
