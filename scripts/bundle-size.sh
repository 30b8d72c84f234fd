#!/usr/bin/env bash
# Prints the size of the page's bundle (wasm + js), raw and gzipped. Usage: bundle-size.sh [DIST]
set -euo pipefail
dist=${1:-dist}
wasm=$(ls "$dist"/*.wasm | head -1)
js=$(ls "$dist"/*.js | grep -v snippets | head -1)
raw=$(( $(stat -c %s "$wasm") + $(stat -c %s "$js") ))
gz=$(( $(gzip -9 -c "$wasm" | wc -c) + $(gzip -9 -c "$js" | wc -c) ))
printf 'bundle: wasm+js %d KB raw, %d KB gzip (%s, %s)\n' $((raw / 1024)) $((gz / 1024)) "$(basename "$wasm")" "$(basename "$js")"
