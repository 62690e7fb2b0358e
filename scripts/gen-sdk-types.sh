#!/usr/bin/env bash
# Generates the SDK's declaration files (compiler/sdk-dts/*.d.ts, which
# `coral types` writes) from sdk/*.ts with TypeScript's native tsc, which
# `scripts/setup.sh --test` installs (CORAL_TSC). Run it after changing the
# SDK's types; cli/tests/check.rs fails while the committed files differ.
#   bash scripts/gen-sdk-types.sh [OUT_DIR]   (default compiler/sdk-dts)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
tsc="${CORAL_TSC:?run scripts/setup.sh --test first (it installs tsc)}"
out="${1:-compiler/sdk-dts}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp sdk/*.ts "$work/"
"$tsc" --declaration --emitDeclarationOnly --outDir "$work/out" \
  --target es2022 --module esnext --moduleResolution bundler \
  --allowImportingTsExtensions --strict --lib es2022,dom --skipLibCheck \
  "$work/mod.ts"
mkdir -p "$out"
rm -f "$out"/*.d.ts
cp "$work/out/"*.d.ts "$out/"
