#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine: everything `cargo build` and the
# test suite need that is not a crate. Safe to run again; it only installs what
# is missing. Prints the environment to export (also written to
# $CORAL_TOOLCHAIN_DIR/env.sh, which scripts/env.sh sources).
set -euo pipefail

# Profiles: no argument sets up building and `coral run`; --test adds the
# test-only clients (the OpenTelemetry Python SDK); --fuzz adds cargo-fuzz
# for coverage-guided runs (scripts/fuzz.sh; CI does not need it).
PROFILE=build
case "${1:-}" in
  "") ;;
  --test) PROFILE=test ;;
  --fuzz) PROFILE=fuzz ;;
  *) echo "usage: scripts/setup.sh [--test | --fuzz]" >&2; exit 2 ;;
esac

TOOLCHAIN_DIR="${CORAL_TOOLCHAIN_DIR:-$HOME/.cache/coral-toolchain}"
WASI_SDK_DIR="$TOOLCHAIN_DIR/wasi-sdk"
LLVM=16

log() { printf 'setup: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# 1. Debian packages: clang/lld/llvm for compiling QuickJS (C) to wasm32-wasi,
#    libclang for bindgen, and the WASI libc sysroot.
apt_pkgs=(clang-$LLVM llvm-$LLVM lld-$LLVM libclang-$LLVM-dev libclang-rt-$LLVM-dev-wasm32 wasi-libc)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. A directory shaped like a WASI SDK, so rquickjs-sys finds a compiler and a
#    sysroot instead of trying to download one (there is no internet here).
mkdir -p "$WASI_SDK_DIR/bin" "$WASI_SDK_DIR/share/wasi-sysroot/include" "$WASI_SDK_DIR/share/wasi-sysroot/lib"
ln -sfn "/usr/bin/clang-$LLVM" "$WASI_SDK_DIR/bin/clang"
ln -sfn "/usr/bin/llvm-ar-$LLVM" "$WASI_SDK_DIR/bin/ar"
ln -sfn "/usr/bin/llvm-ar-$LLVM" "$WASI_SDK_DIR/bin/llvm-ar"
for t in wasm32-wasi wasm32-wasip1; do
  ln -sfn /usr/include/wasm32-wasi "$WASI_SDK_DIR/share/wasi-sysroot/include/$t"
  ln -sfn /usr/lib/wasm32-wasi "$WASI_SDK_DIR/share/wasi-sysroot/lib/$t"
done

# 3. The Rust target the engine plugin is built for.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip1; then
  log "adding rust target wasm32-wasip1"
  rustup target add wasm32-wasip1 >/dev/null
fi

# 4. A real Deno, for the benchmarks and parity tests (PyPI ships the binary).
if ! command -v deno >/dev/null 2>&1 && [ -z "${CORAL_DENO:-}" ]; then
  log "installing deno from PyPI"
  python3 -m pip install -q --disable-pip-version-check deno
fi
DENO_BIN="${CORAL_DENO:-$(command -v deno || true)}"
if [ -z "$DENO_BIN" ]; then
  # pip may put scripts in a directory that is not on PATH yet.
  DENO_BIN="$(python3 -c 'import deno, os; print(deno.find_deno_bin())' 2>/dev/null || true)"
fi

# 5. DuckDB for the colony: the official libduckdb.so, from npm (DuckDB's
#    Node bindings ship it). The version must match duckdb-rs in Cargo.toml.
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DUCKDB_VERSION=1.5.6-r.1
DUCKDB_DIR="$REPO_DIR/.toolchain/duckdb"
if [ "$(cat "$DUCKDB_DIR/VERSION" 2>/dev/null)" != "$DUCKDB_VERSION" ]; then
  log "installing libduckdb $DUCKDB_VERSION from npm"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "@duckdb/node-bindings-linux-x64@$DUCKDB_VERSION" >/dev/null && tar xzf ./*.tgz)
  mkdir -p "$DUCKDB_DIR"
  cp "$tmp/package/libduckdb.so" "$DUCKDB_DIR/libduckdb.so"
  echo "$DUCKDB_VERSION" > "$DUCKDB_DIR/VERSION"
  rm -rf "$tmp"
fi

# 6. (--test) The OpenTelemetry Python SDK and its standard OTLP exporters,
#    the independent client colony/tests/otel.rs exports with; in a folder of
#    its own (PYTHONPATH), so the system's Python packages are not touched.
OTEL_PY_DIR="$TOOLCHAIN_DIR/otel-python"
OTEL_PY_VERSION=1.45.2
if [ "$PROFILE" = test ] && [ "$(cat "$OTEL_PY_DIR/VERSION" 2>/dev/null)" != "$OTEL_PY_VERSION" ]; then
  log "installing the OpenTelemetry Python SDK $OTEL_PY_VERSION from PyPI"
  rm -rf "$OTEL_PY_DIR"
  python3 -m pip install -q --disable-pip-version-check --target "$OTEL_PY_DIR" \
    "opentelemetry-sdk==$OTEL_PY_VERSION" \
    "opentelemetry-exporter-otlp-proto-grpc==$OTEL_PY_VERSION" \
    "opentelemetry-exporter-otlp-proto-http==$OTEL_PY_VERSION"
  echo "$OTEL_PY_VERSION" > "$OTEL_PY_DIR/VERSION"
fi
OTEL_PYTHONPATH=""
if [ "$(cat "$OTEL_PY_DIR/VERSION" 2>/dev/null)" = "$OTEL_PY_VERSION" ]; then
  OTEL_PYTHONPATH="$OTEL_PY_DIR"
fi

# 6b. (--test) TypeScript's native tsc (a static binary in npm's
#     @typescript/typescript-linux-x64), which generates the SDK's
#     declarations (scripts/gen-sdk-types.sh) and checks them in the tests.
TSC_VERSION=7.0.2
TSC_DIR="$TOOLCHAIN_DIR/typescript"
if [ "$PROFILE" = test ] && [ "$(cat "$TSC_DIR/VERSION" 2>/dev/null)" != "$TSC_VERSION" ]; then
  log "installing tsc $TSC_VERSION from npm"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "@typescript/typescript-linux-x64@$TSC_VERSION" >/dev/null && tar xzf ./*.tgz)
  rm -rf "$TSC_DIR"
  mkdir -p "$TSC_DIR"
  cp -r "$tmp/package/lib/." "$TSC_DIR/"
  echo "$TSC_VERSION" > "$TSC_DIR/VERSION"
  rm -rf "$tmp"
fi
TSC_BIN=""
if [ "$(cat "$TSC_DIR/VERSION" 2>/dev/null)" = "$TSC_VERSION" ]; then
  TSC_BIN="$TSC_DIR/tsc"
fi

# 7. (--fuzz) cargo-fuzz, from crates.io, into the toolchain folder.
CARGO_FUZZ_VERSION=0.13.2
if [ "$PROFILE" = fuzz ] && ! "$TOOLCHAIN_DIR/cargo-fuzz/bin/cargo-fuzz" --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  log "installing cargo-fuzz $CARGO_FUZZ_VERSION from crates.io"
  cargo install -q --locked --root "$TOOLCHAIN_DIR/cargo-fuzz" --version "$CARGO_FUZZ_VERSION" cargo-fuzz
fi

cat > "$TOOLCHAIN_DIR/env.sh" <<ENV
export WASI_SDK="$WASI_SDK_DIR"
export WASI_SDK_PATH="$WASI_SDK_DIR"
export LIBCLANG_PATH="/usr/lib/llvm-$LLVM/lib"
export CORAL_DENO="${DENO_BIN}"
export CORAL_OTEL_PYTHONPATH="${OTEL_PYTHONPATH}"
export CORAL_TSC="${TSC_BIN}"
export CARGO_TARGET_DIR="\${CARGO_TARGET_DIR:-\$HOME/.cache/coral-target}"
ENV
log "toolchain ready (environment in $TOOLCHAIN_DIR/env.sh)"
