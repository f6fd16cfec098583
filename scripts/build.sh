#!/usr/bin/env bash
# build.sh — build the PWA (dist/) and the server (target/server/directline).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
echo "[build] app (trunk, release, wasm-opt -Oz)"
# trunk builds offline; the crates it needs, including the ones of the wasm
# std that -Zbuild-std compiles, are fetched first (a no-op once cached).
wasm_env cargo fetch --quiet --target wasm32-unknown-unknown
wasm_env trunk build --release --offline
echo "[build] server"
cargo build --quiet --profile server -p server
