#!/usr/bin/env bash
# Type-checks and lints the TypeScript and JavaScript we ship, with the
# Deno that scripts/setup.sh installs: the SDK (sdk/, strict TypeScript),
# the engine's JavaScript (engine/src: checkJs, with engine/src/globals.d.ts
# for the globals lib.rs installs) and the Deno engine's setup.js. Each
# folder's deno.json holds its settings; docs/architecture.md says why the
# JavaScript is checked without `strict`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
deno="${CORAL_DENO:?run scripts/setup.sh first}"
export NO_COLOR=1
(cd sdk && "$deno" check --quiet ./*.ts && "$deno" lint --quiet)
(cd engine && "$deno" check --quiet src/*.js src/web/*.js src/prelude/*.js && "$deno" lint --quiet)
(cd runtime/src/deno && "$deno" check --quiet setup.js && "$deno" lint --quiet)
