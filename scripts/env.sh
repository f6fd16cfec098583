# shellcheck shell=bash
# Sourced by the project's scripts: the environment for wasm builds.
# Debian's Rust (linked into rustup as debian-1.96) has the std sources that
# -Zbuild-std needs for wasm32; the native server keeps the default toolchain.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:/usr/local/bin:$PATH"
wasm_env() {
  env RUSTUP_TOOLCHAIN=debian-1.96 RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
    TRUNK_SKIP_VERSION_CHECK=true "$@"
}
