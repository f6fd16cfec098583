#!/usr/bin/env bash
# run.sh — set up, build and run Direct Line with demo data:
# server + built PWA on http://127.0.0.1:8080, SQLite under ./data.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build.sh
exec target/server/directline --addr "${DIRECTLINE_ADDR:-127.0.0.1:8080}" --data data --dist dist --demo
