#!/usr/bin/env bash
# fuzz.sh [SECONDS] — coverage-guided fuzzing (cargo-fuzz, libFuzzer) of the
# sync message decoder, change validation, every action form and the text
# parsers, SECONDS each (default 30). The test command runs it briefly; run
# it longer by hand. A crash fails the run and leaves the input that caused
# it in fuzz/artifacts/<target>/ (replay: cargo fuzz run <target> <file>).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_EACH="${1:-30}"
source "$ROOT/scripts/env.sh"
cd "$ROOT/fuzz"
# No sanitizer: the domain has no unsafe code (forbidden in the workspace),
# and AddressSanitizer needs a nightly std. Panics and aborts still count.
cargo fuzz build --sanitizer none -O
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in sync_message incoming_changes action_forms text_parsers; do
  mkdir -p "corpus/$target"
  status=0
  cargo fuzz run --sanitizer none -O "$target" "corpus/$target" -- \
    -max_total_time="$SECONDS_EACH" -max_len=4096 >"$log" 2>&1 || status=$?
  if [ "$status" != 0 ]; then
    tail -n 40 "$log" >&2
    echo "[fuzz] $target FAILED (exit $status); the input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  echo "[fuzz] $target: $(grep -oE 'Done [0-9]+ runs' "$log" | tail -1), no crash in ${SECONDS_EACH}s"
done
