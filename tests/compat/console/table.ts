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
// Column widths count terminal columns, as Deno does: CJK and fullwidth
// characters take two, a decomposed accent counts after NFC.
console.table([
  { service: "結帳", region: "東京", p99: 12 },
  { service: "café", region: "paris", p99: 7 },
  { service: "e\u0301x", region: "ｆｕｌｌ", p99: 1 },
  { service: "한국어", region: "seoul", p99: 3 },
  { service: "a\u200bb\u200dc", region: "\u{1f449}\ufe0f", p99: 4 },
]);
