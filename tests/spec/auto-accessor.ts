// @engine wasm tsc lowers `accessor` fields (our compiler follows tsc); Deno hands them to V8, which lacks them
// `accessor` fields without a decorator (TypeScript 4.9+), lowered as tsc
// lowers them: a private field behind a getter and a setter.
class Threshold {
  accessor ms = 500;
  static accessor count = 0;
}
const t = new Threshold();
t.ms = 250;
Threshold.count++;
console.log(t.ms, Threshold.count, Object.keys(t).length, typeof Object.getOwnPropertyDescriptor(Threshold.prototype, "ms")?.get);
