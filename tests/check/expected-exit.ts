// @exit 1
// Expected to fail, and does: passes.
throw new Error("as expected");
