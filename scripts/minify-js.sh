#!/usr/bin/env bash
# Release builds only, at the end of the post-build hook (scripts/build-experiments.sh):
# minifies the JS glue that wasm-bindgen writes (raftlab-page.js, raftlab-experiments.js) and the element's loader
# (raftlab.js) with terser (npm, pinned in package.json), then updates the integrity
# (SRI) hashes trunk wrote into index.html for the files it changed. Trunk's own
# --minify leaves wasm-bindgen's output as it is. Saves about 3.5 KB gzip of the bundle.
set -euo pipefail
cd "${TRUNK_SOURCE_DIR:-$(dirname "$0")/..}"
out=${TRUNK_STAGING_DIR:?run by trunk (TRUNK_STAGING_DIR)}
[ "${TRUNK_PROFILE:-debug}" = release ] || exit 0
terser=node_modules/.bin/terser
[ -x "$terser" ] || { echo "terser is missing: run scripts/web-tools.sh (npm ci)" >&2; exit 1; }
sri() { printf 'sha384-%s' "$(openssl dgst -sha384 -binary "$1" | base64 -w0)"; }
for name in raftlab-page.js raftlab-experiments.js raftlab.js; do
  f="$out/$name"
  [ -f "$f" ] || continue
  old=$(sri "$f")
  "$terser" "$f" --module --compress --mangle --output "$f.min"
  mv "$f.min" "$f"
  new=$(sri "$f")
  # index.html names each module it preloads with its hash (base64 has / and +: use |).
  [ -f "$out/index.html" ] && sed -i "s|$old|$new|g" "$out/index.html"
done
