#!/usr/bin/env bash
# setup.sh — install every tool Direct Line needs on Debian 12, idempotently.
#
# Only the package registries are reachable (apt, crates.io, npm), so nothing
# here downloads a prebuilt toolchain or browser:
#   * Debian's rustc-web/cargo-web (has a wasm32 std source) linked into rustup
#     as `debian-1.96`; the wasm std is built with -Zbuild-std (see scripts/env.sh)
#   * lld-22 provides rust-lld, the wasm linker
#   * wasm-opt from npm binaryen@132 — Debian's binaryen 108 silently breaks
#     wasm-bindgen output, so it is removed if present
#   * trunk and wasm-bindgen-cli built from crates.io (wasm-bindgen-cli pinned
#     to the version in Cargo.lock, which trunk insists on)
#   * cargo-fuzz (coverage-guided fuzzing with libFuzzer, scripts/fuzz.sh)
#   * wasm-split-cli (crate wasm_split_cli_support: Leptos code splitting)
#   * chromium + chromium-driver, CJK fonts, and the e2e npm packages
#   * PostgreSQL (the server's second backend; scripts/postgres.sh runs a
#     cluster of the project's own for tests and benchmarks)
# A second run only checks and takes seconds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="${TRUNK_VERSION:-0.22.1}"
BINARYEN_NPM_VERSION="${BINARYEN_NPM_VERSION:-132.0.0}"
BINARYEN_PREFIX=/opt/binaryen
RUST_LINK_NAME=debian-1.96
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
APT_PKGS=(rustc-web cargo-web rust-web-src rust-web-llvm rust-web-clippy lld-22 chromium chromium-driver
  brotli fonts-noto-cjk sqlite3 postgresql ca-certificates python3-aiosmtpd)

log() { printf '[setup] %s\n' "$*"; }
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
t0=$(date +%s)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# ---------------------------------------------------------------- 1. apt
command -v npm >/dev/null || APT_PKGS+=(nodejs npm)
missing=(); for p in "${APT_PKGS[@]}"; do installed "$p" || missing+=("$p"); done
if ((${#missing[@]})); then
  log "apt installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if installed binaryen; then
  log "removing Debian binaryen (its wasm-opt miscompiles wasm-bindgen output)"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq binaryen
fi
/usr/bin/rust-lld -flavor wasm --version >/dev/null || { echo "/usr/bin/rust-lld broken (lld-22?)" >&2; exit 1; }
[ -f /usr/lib/rustlib/src/rust/library/Cargo.lock ] || { echo "rust-src missing (rust-web-src)" >&2; exit 1; }

# ---------------------------------------------------------------- 2. rustup link
if command -v rustup >/dev/null; then
  rustup toolchain list | grep -qx "$RUST_LINK_NAME" || rustup toolchain link "$RUST_LINK_NAME" /usr
  # The native workspace uses the machine's default toolchain's clippy and
  # rustfmt (rustup cannot download components here).
  for c in cargo-clippy rustfmt; do
    command -v "$c" >/dev/null || { echo "the default Rust toolchain lacks $c" >&2; exit 1; }
  done
  export RUSTUP_TOOLCHAIN="$RUST_LINK_NAME"
else
  export PATH="/usr/bin:$PATH"
fi
export PATH="$CARGO_BIN:$PATH"

# ---------------------------------------------------------------- 3. wasm-opt
want_wo="wasm-opt version ${BINARYEN_NPM_VERSION%%.*}"
if [ "$("$BINARYEN_PREFIX/bin/wasm-opt" --version 2>/dev/null | cut -d' ' -f1-3)" != "$want_wo" ]; then
  log "npm install binaryen@$BINARYEN_NPM_VERSION -> $BINARYEN_PREFIX"
  $SUDO npm install -g --no-audit --no-fund --prefix "$BINARYEN_PREFIX" "binaryen@$BINARYEN_NPM_VERSION"
fi
[ "$(readlink /usr/local/bin/wasm-opt 2>/dev/null)" = "$BINARYEN_PREFIX/bin/wasm-opt" ] ||
  $SUDO ln -sf "$BINARYEN_PREFIX/bin/wasm-opt" /usr/local/bin/wasm-opt

# ---------------------------------------------------------------- 4. trunk
if [ "$("$CARGO_BIN/trunk" --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  # trunk's release profile is fat LTO (~22 min on 2 cores); a tool does not
  # need it, so plain release halves the cold setup.
  log "cargo install trunk $TRUNK_VERSION"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked --ignore-rust-version --force trunk --version "$TRUNK_VERSION"
fi

# ---------------------------------------------------------------- 5. wasm-bindgen-cli
WBV="${WASM_BINDGEN_VERSION:-$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' "$ROOT/Cargo.lock")}"
[ -n "$WBV" ] || { echo "cannot read the wasm-bindgen version from Cargo.lock" >&2; exit 1; }
if [ "$("$CARGO_BIN/wasm-bindgen" --version 2>/dev/null)" != "wasm-bindgen $WBV" ]; then
  log "cargo install wasm-bindgen-cli $WBV"
  # Its shipped lockfile pins a crate version the registry here lacks: fall back to unlocked.
  CARGO_PROFILE_RELEASE_LTO=false \
    cargo install --locked --force wasm-bindgen-cli --version "$WBV" ||
    CARGO_PROFILE_RELEASE_LTO=false cargo install --force wasm-bindgen-cli --version "$WBV"
fi

# ---------------------------------------------------------------- 6. cargo-fuzz
CARGO_FUZZ_VERSION="${CARGO_FUZZ_VERSION:-0.13.2}"
if [ "$("$CARGO_BIN/cargo-fuzz" --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  log "cargo install cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install --locked --force cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

# ---------------------------------------------------------------- 7. wasm-split-cli
# Splits the app's wasm at its #[lazy] functions (scripts/split-wasm.sh);
# 0.2.3 is the first that understands wasm-bindgen >= 0.2.128.
WASM_SPLIT_VERSION="${WASM_SPLIT_VERSION:-0.2.3}"
if [ "$(cat "$CARGO_BIN/.wasm-split-cli-version" 2>/dev/null)" != "$WASM_SPLIT_VERSION" ] ||
  [ ! -x "$CARGO_BIN/wasm-split-cli" ]; then
  log "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION (wasm-split-cli)"
  cargo install --locked --force wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
  echo "$WASM_SPLIT_VERSION" > "$CARGO_BIN/.wasm-split-cli-version"
fi

# ---------------------------------------------------------------- 8. e2e packages
if [ -f "$ROOT/e2e/package-lock.json" ]; then
  if ! cmp -s "$ROOT/e2e/package-lock.json" "$ROOT/e2e/node_modules/.setup-stamp" 2>/dev/null; then
    log "npm ci in e2e/"
    (cd "$ROOT/e2e" && npm ci --no-audit --no-fund)
    cp "$ROOT/e2e/package-lock.json" "$ROOT/e2e/node_modules/.setup-stamp"
  fi
fi

log "ready in $(( $(date +%s) - t0 ))s: $(trunk --version) | $(wasm-bindgen --version) | $(wasm-opt --version) | $(cargo-fuzz --version)"
