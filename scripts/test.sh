#!/usr/bin/env bash
# The README's "test": installs what is missing, runs every Rust test of the workspace, builds
# the release app, and runs the browser tests in headless Chromium. Exits non-zero on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
export PATH="$HOME/.cargo/bin:$PATH"

# Each stage is bounded, so a hung test fails CI instead of running into its time limit.
echo "== Rust tests (unit and integration) =="
# The examples (load and merge tools for benchmarks) are not tests: building and linking them
# here cost CI most of a minute. The workspace has no doc tests.
timeout 1800 cargo test --workspace --locked --lib --bins --tests

echo "== Release build =="
"$ROOT/scripts/build.sh"

echo "== Browser tests (headless Chromium) =="
cd "$ROOT/end2end"
timeout 1200 node --test --test-concurrency=1 --test-reporter=spec tests/
