#!/usr/bin/env bash
# Installs what is missing, then serves the page with `trunk serve` (http://127.0.0.1:8080).
# Extra arguments go to trunk, e.g. `scripts/serve.sh --release --port 9000`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
scripts/web-tools.sh
exec trunk serve "$@"
