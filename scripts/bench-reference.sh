#!/usr/bin/env bash
# bench-reference.sh — this server against the reference automerge-repo
# sync server (npm @automerge/automerge-repo-sync-server, pinned in
# server/examples/reference), side by side in one run; with PostgreSQL
# (scripts/postgres.sh) also as two instances. Prints the figures and the
# ratios; see BENCH.md.
#   scripts/bench-reference.sh [CLIENTS EDITS DOCS]   (default 200 50 1000)
#   NO_POSTGRES=1 scripts/bench-reference.sh …        (skip the third column)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh >/dev/null
source scripts/env.sh
(cd server/examples/reference && [ -d node_modules/@automerge/automerge-repo-sync-server ] ||
  npm ci --silent --no-audit --no-fund)
if [ -z "${NO_POSTGRES:-}" ]; then
  DATABASE_URL=$(bash scripts/postgres.sh)
  export DATABASE_URL
else
  unset DATABASE_URL
fi
cargo run --quiet --profile server -p server --example reference_bench -- "$@"
