#!/usr/bin/env bash
# Refreshes engine/vendor/web-streams-polyfill from npm: the WHATWG Streams
# implementation the wasm engine evaluates (its minified ponyfill build and
# licence), at the version given (default: the one vendored now). Run it,
# rebuild, and run the compat suite; then update the version and checksum
# in engine/vendor/web-streams-polyfill/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-4.3.0}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "web-streams-polyfill@$version" >/dev/null && tar xzf web-streams-polyfill-*.tgz)
dest=engine/vendor/web-streams-polyfill
cp "$work/package/dist/ponyfill.js" "$dest/ponyfill.js"
cp "$work/package/LICENSE" "$dest/LICENSE"
sha256sum "$dest/ponyfill.js"
