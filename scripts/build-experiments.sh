#!/usr/bin/env bash
# Trunk post-build hook (Trunk.toml): builds the Experiments view (`?view=elections`) as
# its own module, raftlab-experiments.js + _bg.wasm, next to the page's. The page imports
# it only when that view is shown, so the page's bundle does not carry it.
set -euo pipefail
cd "${TRUNK_SOURCE_DIR:-$(dirname "$0")/..}"
out=${TRUNK_STAGING_DIR:?run by trunk (TRUNK_STAGING_DIR)}
if [ "${TRUNK_PROFILE:-debug}" = release ]; then profile=web; else profile=dev; fi
dir=$([ "$profile" = dev ] && echo debug || echo "$profile")
cargo build --quiet --profile "$profile" --target wasm32-unknown-unknown --bin raftlab-experiments
wasm-bindgen --target web --no-typescript --out-dir "$out" \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$dir/raftlab-experiments.wasm"
if [ "$profile" = web ]; then
  wasm-opt -Oz --low-memory-unused --converge "$out/raftlab-experiments_bg.wasm" -o "$out/raftlab-experiments_bg.wasm"
fi
bash scripts/minify-js.sh
