#!/usr/bin/env bash
# Installs what building and testing the page needs, skipping what is already there:
# the wasm32 target, trunk 0.21.14, wasm-bindgen-cli 0.2.130 (must match the
# `wasm-bindgen` pin in Cargo.toml), node + npm packages (binaryen's wasm-opt for
# release builds, playwright-core for the end-to-end tests, axe-core for their
# colour-contrast checks), Chromium and chromedriver,
# mdbook 0.5.4 (a tutorial site embedding <raft-cluster> elements in the tests).
# Safe to run again.
#
#   scripts/web-tools.sh                     install what is missing
#   scripts/web-tools.sh trunk serve         ... then run a command with the tools on PATH
#   scripts/web-tools.sh trunk build --release
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
MDBOOK_VERSION=0.5.4
WASM_BINDGEN_VERSION=0.2.130
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '==> %s\n' "$*"; }

apt_updated=
apt_install() {
  if ! command -v apt-get >/dev/null; then
    echo "missing $*, and no apt-get to install it: install it by hand" >&2
    exit 1
  fi
  local sudo=
  [ "$(id -u)" = 0 ] || sudo=sudo
  if [ -z "$apt_updated" ]; then
    $sudo apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (takes a few minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# A real tutorial site for the <raft-cluster> tests (e2e/site.test.mjs builds a small book).
if [ "$(mdbook --version 2>/dev/null | awk '{print $2}')" != "v$MDBOOK_VERSION" ]; then
  say "installing mdbook $MDBOOK_VERSION (takes a few minutes)"
  cargo install mdbook --version "$MDBOOK_VERSION" --locked --no-default-features
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ] \
  || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes a few minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! command -v npm >/dev/null; then
  say "installing node and npm"
  apt_install nodejs npm
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
  || [ ! -x node_modules/.bin/terser ] || [ ! -d node_modules/axe-core ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (binaryen, playwright-core, terser, axe-core)"
  npm ci --no-audit --no-fund
fi

if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
  say "installing chromium"
  apt_install chromium
fi
# Chinese glyphs for screenshots of the Chinese page (the tests read text, not pixels).
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  say "installing a Chinese font (fonts-wqy-microhei)"
  apt_install fonts-wqy-microhei
fi
if ! command -v chromedriver >/dev/null; then
  say "installing chromedriver"
  apt_install chromium-driver
fi

say "web tools ready: $(trunk --version), $(wasm-bindgen --version), wasm-opt $(node_modules/.bin/wasm-opt --version | awk '{print $3}'), node $(node --version), $(chromium --version 2>/dev/null || chromium-browser --version)"

if [ $# -gt 0 ]; then
  export PATH="$PWD/node_modules/.bin:$PATH"
  exec "$@"
fi
