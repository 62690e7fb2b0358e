// @args --deterministic
// Inspection as Deno prints it: long arrays cut at 100 items, <ref *1> on
// circular objects, promise states, console.dir depth.
console.log(Array.from({ length: 120 }, (_, i) => i));
const a: Record<string, unknown> = { name: "a" };
a.self = a;
console.log(a);
const b = { x: [1, 2] as unknown[] };
b.x.push(b);
console.log(b);
console.log(Promise.resolve(42), Promise.reject(new Error("no")).catch(() => {}) && "", new Promise(() => {}));
const p = Promise.reject(7); p.catch(() => {}); console.log(p);
console.dir({ a: { b: { c: { d: { e: 1 } } } } }, { depth: 0 });
console.dir({ a: { b: { c: { d: { e: 1 } } } } }, { depth: 10 });
console.log(new Set(Array.from({ length: 120 }, (_, i) => i)).size);
console.log("x".repeat(3), new Map([[{ k: 1 }, [1, 2]]]));
console.dir("x"); console.dir([1,"a"], {depth: null}); console.dir(new Map([[1,{a:{b:{c:{d:{}}}}}]]));
