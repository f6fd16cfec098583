# shellcheck shell=bash
# Sourced by the project's scripts: the environment for wasm builds.
# Debian's Rust (linked into rustup as debian-1.96) has the std sources that
# -Zbuild-std needs for wasm32; the native server keeps the default toolchain.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:/usr/local/bin:$PATH"
# A panic in the app aborts at once with no message (there is no console to
# print it to anyway) and keeps no source locations: ~25 KB brotli smaller.
wasm_env() {
  env RUSTUP_TOOLCHAIN=debian-1.96 RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Clink-args=--emit-relocs" \
    TRUNK_SKIP_VERSION_CHECK=true "$@"
}
