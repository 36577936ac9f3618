#!/usr/bin/env bash
# Installs what building and testing Cartobarrio needs, and only what is missing,
# so a second run takes seconds. Versions are pinned (see ../shared/design/TOOLCHAIN.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.10"
WASM_BINDGEN_VERSION="0.2.129"   # must equal the wasm-bindgen pinned in Cargo.toml / Cargo.lock
NEED_BROWSER="${CARTOBARRIO_NEED_BROWSER:-1}"

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 11 minutes on 2 cores, once)"
  cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes, once)"
  cargo install "wasm-bindgen-cli@$WASM_BINDGEN_VERSION" --locked
fi

# Node packages: wasm-opt (npm binaryen; Debian's is too old) and playwright-core for the
# browser tests. The lockfile makes the install reproducible.
if [ ! -x "$ROOT/end2end/node_modules/.bin/wasm-opt" ] || [ ! -d "$ROOT/end2end/node_modules/playwright-core" ] \
   || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
  say "installing npm packages in end2end/"
  (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# Debian packages the tests need, each found by the command it brings: chromium for the browser
# tests; poppler-utils (pdfinfo, pdftotext, pdftoppm) for the report test, which checks its
# PDFs and renders them as images to be looked at; gdal-bin (ogrinfo) for the GeoPackage
# export test, which reads the file with a reader we did not write. One `apt-get update`
# for all that are missing.
if [ "$NEED_BROWSER" = "1" ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  command -v ogrinfo >/dev/null 2>&1 || missing+=(gdal-bin)
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = "0" ]; then
      say "installing Debian's ${missing[*]} for the tests"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "Missing for the tests: ${missing[*]}. Install them as root with:" >&2
      echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
fi
say "toolchain ready"
