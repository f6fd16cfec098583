#!/usr/bin/env bash
# bench-app.sh — the app's figures in headless chromium against the real
# server and the real built app: the worklist with 1,000 and 10,000 cases
# on the device (load to interactive list, filter latency), and the first
# and repeat visit on an emulated slow phone. Builds first. See BENCH.md.
#   scripts/bench-app.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh >/dev/null
bash scripts/build.sh
bash scripts/sizes.sh
cd e2e
node bench/list.mjs 1000 10000
node bench/visit.mjs 1000 5
