// @args --deterministic
// @exit 1
// @stderr error: Uncaught ReferenceError: structuredCloneDeep is not defined
// @stderr     at snapshot (tests/spec/missing-global.ts:13:
// @stderr-wasm     at snapshot (tests/spec/missing-global.ts:13:10)
// @stderr     at tests/spec/missing-global.ts:15:
// A global the engine lacks is reported where it is read, on both engines,
// even where QuickJS records no position (a declaration, a return).
const services = ["checkout", "payments"];
console.log("services", services.length);
function snapshot(value: unknown) {
  // @ts-expect-error: no engine defines it
  return structuredCloneDeep(value);
}
const copy = snapshot(services);
console.log(copy);
