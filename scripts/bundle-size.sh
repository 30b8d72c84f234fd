#!/usr/bin/env bash
# Prints the size of the page's bundle — what every visitor downloads: the wasm, its JS
# glue and (when present) the raftlab.js loader of the custom element — raw and gzipped,
# and the modules loaded only on demand. The limit is 250 KB gzip (a release build); the
# bundle is over it today (see the README's "Bundle size"), so this says by how much and
# fails only past a ceiling that stops it growing further (335 KB; a release build).
# Usage: bundle-size.sh [DIST] [LIMIT_KB] [CEILING_KB]
set -euo pipefail
dist=${1:-dist}
limit=${2:-250}
ceiling=${3:-335}
files=("$dist/raftlab-page_bg.wasm" "$dist/raftlab-page.js")
[ -f "$dist/raftlab.js" ] && files+=("$dist/raftlab.js")
raw=0 gz=0
for f in "${files[@]}"; do
  raw=$((raw + $(stat -c %s "$f")))
  gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
done
names=$(for f in "${files[@]}"; do basename "$f"; done | paste -sd, -)
printf 'bundle: wasm+js %d KB raw, %d KB gzip (%s; %d bytes; limit %d KB)\n' $((raw / 1024)) $((gz / 1024)) "$names" "$gz" "$limit"
if [ -f "$dist/raftlab-experiments_bg.wasm" ]; then
  egz=$(( $(gzip -9 -c "$dist/raftlab-experiments_bg.wasm" | wc -c) + $(gzip -9 -c "$dist/raftlab-experiments.js" | wc -c) ))
  printf 'on demand: raftlab-experiments (view=elections) %d KB gzip\n' $((egz / 1024))
fi
if [ "$gz" -gt $((limit * 1024)) ]; then
  echo "bundle: OVER the limit of $limit KB gzip by $(( (gz - limit * 1024) / 1024 )) KB (README: Bundle size)" >&2
fi
if [ "$gz" -gt $((ceiling * 1024)) ]; then
  echo "bundle: past the ceiling of $ceiling KB gzip: it must not grow further" >&2
  exit 1
fi
