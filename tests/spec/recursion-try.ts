// @exit 1
// @stderr Uncaught RangeError: Maximum call stack size exceeded
// @engine wasm QuickJS in wasm cannot check its native stack, so the overflow is a trap that `catch` never sees; V8 throws a catchable RangeError (docs/cli.md, differences)
function down(n: number): number {
  return down(n + 1) + 1;
}
try {
  down(0);
} catch (e) {
  console.log("caught", (e as Error).name);
}
console.log("after");
