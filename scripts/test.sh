#!/usr/bin/env bash
# Sets up what is missing and runs every check: formatting, the TypeScript
# and JavaScript we ship (deno check, deno lint), clippy (deny warnings, host
# crates and the wasm engine), then the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
. scripts/env.sh
echo "== cargo fmt --check" >&2
cargo fmt --all -- --check
echo "== layering of runtime/src" >&2
python3 scripts/check-layers.py runtime/src
echo "== deno check, deno lint (sdk/, engine/src, runtime/src/deno)" >&2
bash scripts/check-js.sh
echo "== cargo build --release" >&2
cargo build --release --locked
echo "== cargo clippy" >&2
cargo clippy --release --locked --all-targets -- -D warnings
cargo clippy --release --locked -p coral-engine --target wasm32-wasip1 -- -D warnings
echo "== cargo test --release" >&2
cargo test --release --locked
