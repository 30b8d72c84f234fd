#!/usr/bin/env bash
# Installs what is missing and runs every test: the Rust tests (unit, scenarios,
# mutation, fuzz seeds, property tests), the wasm32 build of the core, every scenario and
# tour through `raftlab check`, and the page's browser tests (component tests in headless
# Chromium, Playwright end-to-end tests). Safe to run again; CI runs it (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
jobs=${CARGO_BUILD_JOBS:-2}

echo "==> installing what is missing"
scripts/web-tools.sh

if cargo fmt --version >/dev/null 2>&1; then
  echo "==> formatting (cargo fmt --check)"
  cargo fmt --check
else
  echo "==> formatting: rustfmt is not installed, not checked"
fi

echo "==> Rust tests (native)"
cargo test -j "$jobs"

echo "==> the raftlab command line (release)"
cargo build --release -j "$jobs" --bin raftlab

echo "==> the core builds for wasm32"
cargo build --lib -j "$jobs" --target wasm32-unknown-unknown

echo "==> raftlab check on every scenario and tour"
./target/release/raftlab check scenarios/*.raft tours/*.raft

echo "==> the page: build and browser tests"
scripts/test-web.sh
