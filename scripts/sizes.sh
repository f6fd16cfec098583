#!/usr/bin/env bash
# sizes.sh — print the built app's sizes: raw, gzip -9 and brotli -q 11.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/dist"
printf '%-34s %10s %10s %10s\n' file raw gzip brotli
total=(0 0 0)
for f in *.wasm *.js *.css index.html; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); gz=$(gzip -9c "$f" | wc -c); br=$(brotli -q 11 -c "$f" | wc -c)
  total=($(( total[0] + raw )) $(( total[1] + gz )) $(( total[2] + br )))
  printf '%-34s %10d %10d %10d\n' "$f" "$raw" "$gz" "$br"
done
printf '%-34s %10d %10d %10d\n' "first load (all of the above)" "${total[@]}"
budget=$((450 * 1024))
if [ "${total[2]}" -le "$budget" ]; then
  echo "first-load budget: ${total[2]} B brotli <= $budget B (450 KB): within"
else
  echo "first-load budget: ${total[2]} B brotli > $budget B (450 KB): OVER by $(( total[2] - budget )) B"
fi
