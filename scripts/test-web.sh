#!/usr/bin/env bash
# Builds the page and runs its browser tests: the wasm-bindgen-test component tests
# (tests/web_*.rs, headless Chromium via chromedriver) and the Playwright end-to-end tests
# (e2e/*.test.mjs, node's test runner; they serve dist/ themselves). Screenshots go to
# artifacts/. Exits non-zero if anything fails. Run scripts/web-tools.sh first.
#
#   scripts/test-web.sh            release build (the real bundle; prints its gzip size)
#   WEB_PROFILE=debug scripts/test-web.sh   faster debug build
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

profile=${WEB_PROFILE:-release}
jobs=${WEB_JOBS:-2}

echo "==> trunk build ($profile)"
if [ "$profile" = release ]; then
  CARGO_BUILD_JOBS=$jobs trunk build --release
else
  CARGO_BUILD_JOBS=$jobs trunk build
fi
bash scripts/bundle-size.sh dist

echo "==> component tests in headless Chromium (wasm-bindgen-test)"
CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver)} \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -j "$jobs" --target wasm32-unknown-unknown --test web_app --test web_experiments

echo "==> end-to-end tests (Playwright + system Chromium)"
mkdir -p artifacts
node --test --test-concurrency=1 e2e/
echo "screenshots: $(ls artifacts/*.png 2>/dev/null | wc -l) in artifacts/"
