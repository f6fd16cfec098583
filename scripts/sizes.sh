#!/usr/bin/env bash
# sizes.sh — print the built app's sizes: raw, gzip -9 and brotli -q 11.
# The first load is what the browser fetches before the app paints and
# lists the cases on the device: the page, its CSS, the wasm-bindgen glue,
# the split loader, the main wasm module and the service worker. The
# chunks split off at #[lazy] functions (Automerge, the sync engine,
# reading a whole case) are fetched after the app has started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/dist"
printf '%-46s %10s %10s %10s\n' file raw gzip brotli
first=(0 0 0)
later=(0 0 0)
for f in index.html *.css *.js *.wasm; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); gz=$(gzip -9c "$f" | wc -c); br=$(brotli -q 11 -c "$f" | wc -c)
  case "$f" in
    split_*.wasm | chunk_*.wasm) later=($(( later[0] + raw )) $(( later[1] + gz )) $(( later[2] + br ))); note=" (after start)" ;;
    *) first=($(( first[0] + raw )) $(( first[1] + gz )) $(( first[2] + br ))); note="" ;;
  esac
  printf '%-46s %10d %10d %10d\n' "$f$note" "$raw" "$gz" "$br"
done
printf '%-46s %10d %10d %10d\n' "first load" "${first[@]}"
printf '%-46s %10d %10d %10d\n' "fetched after start (lazy chunks)" "${later[@]}"
budget=$((450 * 1024))
if [ "${first[2]}" -le "$budget" ]; then
  echo "first-load budget: ${first[2]} B brotli <= $budget B (450 KB): within"
else
  echo "first-load budget: ${first[2]} B brotli > $budget B (450 KB): OVER by $(( first[2] - budget )) B"
  exit 1
fi
