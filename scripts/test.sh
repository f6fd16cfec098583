#!/usr/bin/env bash
# test.sh — set up and run every test: formatting, clippy (native and
# wasm32), domain and server tests, the release build, size budgets, and the
# browser e2e tests against the real server and the real built app.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
t0=$(date +%s)
step() { printf '\n[test] %s (%ss)\n' "$*" "$(( $(date +%s) - t0 ))"; }

step "setup"
bash scripts/setup.sh
source scripts/env.sh

step "rustfmt"
cargo fmt --all --check

step "clippy, native"
cargo clippy --quiet --workspace --all-targets -- -D warnings

step "clippy, wasm32 app"
wasm_env cargo clippy --quiet -p app --target wasm32-unknown-unknown --release -- -D warnings

step "domain and server tests"
cargo test --quiet -p domain -p server

step "build app and server"
bash scripts/build.sh

step "wasm size"
bash scripts/sizes.sh

step "e2e (chromium)"
(cd e2e && npm test)

step "all tests passed"
