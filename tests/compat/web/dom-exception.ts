// @args --deterministic
// DOMException: names, codes, constants, inheritance.
const e = new DOMException("slow query", "TimeoutError");
console.log(`fields: ${e.name} ${e.message} ${e.code}`);
console.log(`instanceof Error: ${e instanceof Error} ${e instanceof DOMException}`);
console.log(`toString: ${String(e)}`);
console.log(`tag: ${Object.prototype.toString.call(e)}`);
console.log(`default: ${JSON.stringify([new DOMException().name, new DOMException().message, new DOMException().code])}`);
console.log(`unknown name code: ${new DOMException("x", "MadeUpError").code}`);
console.log(`options name: ${new DOMException("x", { name: "AbortError" } as unknown as string).code}`);
console.log(`constants: ${DOMException.ABORT_ERR} ${DOMException.TIMEOUT_ERR} ${DOMException.DATA_CLONE_ERR} ${e.INVALID_CHARACTER_ERR}`);
console.log(`own keys: ${JSON.stringify(Object.keys(e))}`);
try {
  throw new DOMException("nope", "NotSupportedError");
} catch (err) {
  console.log(`caught: ${(err as DOMException).name} ${(err as DOMException).code}`);
}
