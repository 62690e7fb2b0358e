// @engine wasm Deno prints an error's frames as file:// URLs and V8's columns; the rest of the text is the same
// console.log of an error shows its frames in the script's own files (not
// the bundle's), its own properties, its cause and an AggregateError's
// errors, as Deno does.
import { check } from "./lib/checker.ts";
class QuotaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QuotaError";
  }
}
try {
  check(900, 500);
} catch (e) {
  console.log(new Error("check failed", { cause: e }));
}
console.log(Object.assign(new QuotaError("over quota"), { service: "payments", limit: 500 }));
console.log({ failures: [new RangeError("p99 out of range")] });
console.log(new AggregateError([new TypeError("a")], "two checks failed"));
const bare = new Error("no stack");
bare.stack = undefined;
console.log(bare);
