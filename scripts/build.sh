#!/usr/bin/env bash
# build.sh — build the PWA (dist/) and the server (target/server/directline).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
echo "[build] app (trunk, release, wasm-opt -Oz)"
wasm_env trunk build --release --offline
echo "[build] server"
cargo build --quiet --profile server -p server
