// @exit 1
// @stderr Uncaught Error: threshold exceeded: 900 > 500
// @stderr at check (tests/spec/lib/checker.ts:3:
// @stderr-wasm at check (tests/spec/lib/checker.ts:3:15)
// @stderr at main (tests/spec/error-stack.ts:
import { check } from "./lib/checker.ts";

interface Reading {
  value: number;
}

function main(readings: Reading[]): void {
  for (const r of readings) check(r.value, 500);
}

console.log("before");
main([{ value: 100 }, { value: 900 }]);
console.log("never printed");
