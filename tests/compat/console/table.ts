// @args --deterministic
// console.table as Deno draws it.
console.table([{ service: "payments", p99: 512.5, ok: true }, { service: "api", p99: 80, err: "x" }]);
console.table([1, "two", { a: 1 }]);
console.table({ payments: { p99: 1 }, api: { p99: 2, p50: 1 } });
console.table([{ a: 1, b: 2 }, { a: 3, b: 4 }], ["b"]);
console.table("not tabular");
console.table([]);
console.table(new Map([["a", 1], ["b", 22]]));
console.table(new Set(["x", "y"]));
const services = [
  { name: "payments", p50: 120, p99: 812, errors: 0.021 },
  { name: "api-gateway", p50: 35, p99: 140, errors: 0.002 },
  { name: "inventory", p50: 60, p99: 410, errors: 0.041 },
];
console.table(services, ["name", "p99"]);
console.table(services.map((s) => ({ ...s, slow: s.p99 > 500 })));
