// @args --deterministic
// Delays outside 1..2^31-1 ms (Infinity, overflow, NaN) become 1 ms as in
// Deno, and lone surrogates print as U+FFFD instead of failing.
const start = Date.now();
await new Promise((r) => setTimeout(r, Infinity));
await new Promise((r) => setTimeout(r, 2 ** 31));
await new Promise((r) => setTimeout(r, NaN));
console.log(Date.now() - start >= 3);
console.log("😀".slice(0, 1) + "!");
