#!/usr/bin/env bash
# Renders the PWA's PNG icons from the SVGs in public/icons with headless Chromium.
# Run by hand after changing an icon; the PNGs are committed.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../public/icons" && pwd)"
for spec in "icon.svg 192 icon-192.png" "icon.svg 512 icon-512.png" "icon-maskable.svg 512 icon-maskable-512.png"; do
  set -- $spec
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --default-background-color=00000000 \
    --window-size="$2,$2" --screenshot="$DIR/$3" "file://$DIR/$1" 2>/dev/null
done
