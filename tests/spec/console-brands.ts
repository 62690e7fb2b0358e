// @engine wasm Deno's own console fails on some of these (an "[Internal Formatting Error]" for a DataView posing as a Uint8Array; console.table throws on an object inheriting from Map.prototype)
// Found by the `console` fuzz target: console inspection decides what a
// value is by its internal slots, not its prototype chain, so values whose
// prototypes lie print instead of throwing "Set object expected".
console.log(Object.setPrototypeOf({ a: 1 }, new Set([1])));
console.log(Object.setPrototypeOf({ a: 1 }, Map.prototype));
console.log(Object.setPrototypeOf({ a: 1 }, Date.prototype));
console.log(Object.setPrototypeOf({ a: 1 }, RegExp.prototype));
console.log(Object.setPrototypeOf({ a: 1 }, Uint8Array.prototype));
console.log(Object.setPrototypeOf(new DataView(new ArrayBuffer(2)), Uint8Array.prototype));
console.log(Object.setPrototypeOf(new Map([[1, 2]]), null));
console.log(Object.setPrototypeOf(new Date(0), null));
console.log(Object.setPrototypeOf(/x/g, null));
console.log(Object.setPrototypeOf(new Uint8Array([1, 2]), null));
console.log(Object.setPrototypeOf(Promise.resolve(4), null));
console.log(Object.setPrototypeOf({}, Promise.prototype));
console.table(Object.setPrototypeOf({ a: 1 }, Map.prototype));
console.table(Object.setPrototypeOf(new Map([["k", 1]]), null));
console.log(new Map([[1, { a: [1, 2] }]]), new Set(["x"]), new Date(0), /a(?<n>b)/gimsuy, new Float64Array([NaN, -0]));
console.log(Object.setPrototypeOf({ a: 1 }, new URL("https://example.com/")));
console.log(Object.setPrototypeOf({ a: 1 }, new Headers({ h: "1" })));
