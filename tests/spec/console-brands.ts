// Found by the `console` fuzz target: console inspection decides what a
// value is by its internal slots, not its prototype chain, so values whose
// prototypes lie print instead of throwing ("Set object expected"). An
// object whose prototype is a URL ("Illegal invocation" before; Deno's own
// console throws on it) is replayed by fuzz/corpus/console/found-prototype-is-a-url.
console.log(Object.setPrototypeOf({ a: 1 }, new Set([1])));
console.log(Object.setPrototypeOf({ a: 1 }, Map.prototype));
console.log(Object.setPrototypeOf({ a: 1 }, Date.prototype));
console.log(Object.setPrototypeOf({ a: 1 }, RegExp.prototype));
console.log(Object.setPrototypeOf({ a: 1 }, Uint8Array.prototype));
console.log(Object.setPrototypeOf({}, Promise.prototype));
console.log(new Map([[1, { a: [1, 2] }]]), new Set(["x"]), new Date(0), /a(?<n>b)/gimsuy, new Float64Array([NaN, -0]));
