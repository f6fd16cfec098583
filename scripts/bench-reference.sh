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
# The lock file pins cbor-extract 2.2.2 (package.json `overrides`): the
# registry here has no 2.2.3 builds of its per-platform packages, and npm ci
# refuses a lock file without them. No --silent: a failed install says why.
if [ ! -d server/examples/reference/node_modules/@automerge/automerge-repo-sync-server ]; then
  (cd server/examples/reference && npm ci --no-audit --no-fund) ||
    { echo "bench-reference: npm ci in server/examples/reference failed (see above)" >&2; exit 1; }
fi
if [ -z "${NO_POSTGRES:-}" ]; then
  DATABASE_URL=$(bash scripts/postgres.sh)
  export DATABASE_URL
else
  unset DATABASE_URL
fi
cargo run --quiet --profile server -p server --example reference_bench -- "$@"
