#!/bin/sh
# Trunk post-build hook: splits the app's WebAssembly at its #[lazy]
# functions (Leptos code splitting) so the first load carries only what the
# first screens need; Automerge and the sync engine arrive right after, in
# chunks fetched by __wasm_split.js. The splitter must read the wasm as
# rustc linked it (with --emit-relocs, see scripts/env.sh), before
# wasm-bindgen, which Trunk has no hook for: so this redoes wasm-bindgen and
# wasm-opt from the cargo artifact and replaces what Trunk staged.
set -eu
dir="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
raw="target/wasm32-unknown-unknown/release/app.wasm"
js=$(cd "$dir" && ls app-*.js)
name="${js%.js}"
wasm=$(cd "$dir" && ls app-*_bg.wasm)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-split-cli --target web --out-name "$name" "$raw" "$work"
wasm-bindgen --target web --keep-lld-exports --no-typescript --out-name "$name" --out-dir "$work/bg" "$work/$name.wasm"
# WASM_OPT_KEEP_NAMES=1 keeps function names, for a profile of the app
# (e2e/bench/profile.mjs); a build for people leaves them out.
names=""
if [ -n "${WASM_OPT_KEEP_NAMES:-}" ]; then names="-g"; fi
opt() { wasm-opt -Oz $names --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals "$1" -o "$2"; }
opt "$work/bg/${name}_bg.wasm" "$dir/$wasm"
cp "$work/bg/$name.js" "$dir/$js"
cp "$work/__wasm_split.js" "$dir/"
for chunk in "$work"/split_*.wasm "$work"/chunk_*.wasm; do
  [ -e "$chunk" ] && opt "$chunk" "$dir/$(basename "$chunk")"
done
if [ -d "$work/bg/snippets" ]; then cp -r "$work/bg/snippets" "$dir/"; fi
# The service worker's precache list: every file of the finished build.
sh scripts/service-worker.sh
# Compressed beside each file (brotli -q 11 and gzip -9, the figures of
# scripts/sizes.sh), for the server to send as they are
# (ServeDir::precompressed_*): no compressing per request, and the bytes
# the browser fetches are the ones measured.
find "$dir" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' \
  -o -name '*.svg' -o -name '*.webmanifest' \) | while read -r f; do
  brotli -q 11 -f -k "$f"
  gzip -9 -f -k "$f"
done
