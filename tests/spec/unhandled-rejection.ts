// @exit 1
// @stderr Uncaught Error: nobody listens
// A rejected promise that nothing handles ends the run, as in Deno; one
// handled later in the same tick does not.
const late = Promise.reject(new Error("handled later"));
late.catch(() => console.log("caught late"));
console.log("before");
Promise.reject(new Error("nobody listens"));
await new Promise((r) => setTimeout(r, 10));
console.log("never printed");
