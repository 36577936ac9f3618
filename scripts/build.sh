#!/usr/bin/env bash
# Release build of the server and the optimised wasm bundle (cargo-leptos), then the size report.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"
cargo leptos build --release
"$ROOT/scripts/size-report.sh"
