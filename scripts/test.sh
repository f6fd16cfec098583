#!/usr/bin/env bash
# test.sh — set up and run every test: formatting, clippy (native and
# wasm32), domain and server tests, a short coverage-guided fuzzing run, the
# release build, size budgets, and the browser e2e tests against the real
# server and the real built app.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
t0=$(date +%s)
results=$(mktemp)
trap 'rm -f "$results"' EXIT
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

step "domain and server tests (SQLite)"
cargo test --quiet -p domain -p server 2>&1 | tee -a "$results"

step "server tests on PostgreSQL"
# The same suite again, each test on a schema of its own in a local
# cluster (scripts/postgres.sh starts it), plus the multi-instance tests.
pg_url=$(bash scripts/postgres.sh --fresh)
DIRECTLINE_TEST_DATABASE_URL="$pg_url" cargo test --quiet -p server -- --include-ignored 2>&1 | tee -a "$results"

step "fuzz (cargo-fuzz, 15 s per target)"
bash scripts/fuzz.sh 15

step "build app and server"
bash scripts/build.sh

step "wasm size"
bash scripts/sizes.sh

step "e2e (chromium)"
(cd e2e && npm test) 2>&1 | tee -a "$results"

# One closing line for people and CI: cargo's and node's counts added up.
passed=$(grep -oE '(ok\. [0-9]+ passed|^# pass [0-9]+)' "$results" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
failed=$(grep -oE '([0-9]+ failed|^# fail [0-9]+)' "$results" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
step "done"
echo "total: ${passed:-0} passed, ${failed:-0} failed"
