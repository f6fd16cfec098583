#!/usr/bin/env bash
# bench-reference.sh — this server against other automerge-repo sync
# servers, side by side in one run: the npm
# @automerge/automerge-repo-sync-server 0.2.8 (server/examples/reference),
# a server on automerge-repo 2.5.6 (server/examples/automerge-repo-2),
# samod 0.16 (server/examples/samod_server.rs); with PostgreSQL
# (scripts/postgres.sh) also the scale-out run: one instance on one core,
# then two instances on a core each. Prints the figures and the ratios;
# see BENCH.md and the header of server/examples/reference_bench/main.rs.
#   scripts/bench-reference.sh [CLIENTS EDITS DOCS]   (default 200 50 1000)
#   NO_POSTGRES=1 scripts/bench-reference.sh …        (skip the scale-out run)
#   SERVERS=sqlite,samod scripts/bench-reference.sh … (only these columns;
#   samod is left out of a run of more than 40 clients unless named here)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh >/dev/null
source scripts/env.sh
# Both lock files pin cbor-extract 2.2.2 (package.json `overrides`): the
# registry here has no 2.2.3 builds of its per-platform packages, and npm ci
# refuses a lock file without them. No --silent: a failed install says why.
for project in reference automerge-repo-2; do
  if [ ! -d "server/examples/$project/node_modules/@automerge" ]; then
    (cd "server/examples/$project" && npm ci --no-audit --no-fund) ||
      { echo "bench-reference: npm ci in server/examples/$project failed (see above)" >&2; exit 1; }
  fi
done
if [ -z "${NO_POSTGRES:-}" ]; then
  DATABASE_URL=$(bash scripts/postgres.sh)
  export DATABASE_URL
else
  unset DATABASE_URL
fi
cargo build --quiet --profile server -p server --example samod_server --example reference_bench
target/server/examples/reference_bench "$@"
