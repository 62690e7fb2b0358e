// @args --deterministic
// Boxed primitives and the other web objects, as Deno prints them.
console.log(Object("ab"), Object(5), Object(true), Object(10n), [Object("x")]);
console.log(new Blob(["abc"], { type: "text/plain" }));
const c = new AbortController();
console.log(c, c.signal);
console.log(new Event("tick"));
console.log(new DOMException("m", "AbortError").name);
console.log(new CustomEvent("x", { detail: { a: 1 } }));
