#!/usr/bin/env bash
# The README's "run": installs what is missing, builds, and serves http://127.0.0.1:3000 with
# the SQLite database in data/ (seeded with the Santa Marta barrios on first start).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# The browser is only needed by the tests.
CARTOBARRIO_NEED_BROWSER=0 "$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh"
export LEPTOS_SITE_ROOT="$ROOT/target/site"
exec "$ROOT/target/release/cartobarrio" serve "$@"
