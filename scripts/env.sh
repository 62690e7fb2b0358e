# Sourced by the scripts: the toolchain environment scripts/setup.sh wrote,
# and the shared Cargo target directory outside the work tree.
toolchain_env="${CORAL_TOOLCHAIN_DIR:-$HOME/.cache/coral-toolchain}/env.sh"
# shellcheck disable=SC1090
[ -f "$toolchain_env" ] && . "$toolchain_env"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coral-target}"
