#!/usr/bin/env bash
# Trunk post-build hook (Trunk.toml): the Chinese catalog the page fetches when it shows
# Chinese (src/text.rs, src/ui/lang.rs) — lang/zh/*.txt (one file per part of the code,
# in name order) joined into lang/zh.txt next to the module.
set -euo pipefail
cd "${TRUNK_SOURCE_DIR:-$(dirname "$0")/..}"
out=${TRUNK_STAGING_DIR:?run by trunk (TRUNK_STAGING_DIR)}
mkdir -p "$out/lang"
# Comments (the glossary, translators' notes) stay in the sources.
grep -hv "^#" lang/zh/*.txt > "$out/lang/zh.txt"
