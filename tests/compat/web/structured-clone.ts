// @args --deterministic
// structuredClone: what survives a clone, shared and circular references,
// and what cannot be cloned.
const show = (label: string, f: () => unknown) => {
  try {
    console.log(`${label}: ${f()}`);
  } catch (e) {
    const err = e as DOMException;
    console.log(`${label}: threw ${err.name} ${err.message}`);
  }
};
const report = {
  service: "payments",
  at: new Date(Date.UTC(2026, 0, 1)),
  p99: 512.5,
  tags: new Set(["prod", "eu"]),
  byRegion: new Map([["eu", { p99: 500 }], ["us", { p99: 525 }]]),
  pattern: /slow-(\d+)/gi,
  bytes: new Uint8Array([1, 2, 3]),
  big: 12345678901234567890n,
  nested: { deep: [1, [2, [3]]] },
  missing: undefined,
  nothing: null,
};
const copy = structuredClone(report);
show("deep equal", () => JSON.stringify(copy, (_, v) => (typeof v === "bigint" ? `${v}n` : v instanceof Set || v instanceof Map ? [...v] : v)) === JSON.stringify(report, (_, v) => (typeof v === "bigint" ? `${v}n` : v instanceof Set || v instanceof Map ? [...v] : v)));
show("not same", () => [copy !== report, copy.nested !== report.nested, copy.byRegion !== report.byRegion].join(","));
show("types", () => [copy.at instanceof Date, copy.tags instanceof Set, copy.byRegion instanceof Map, copy.pattern instanceof RegExp, copy.bytes instanceof Uint8Array].join(","));
show("values", () => [copy.at.toISOString(), [...copy.tags].join("+"), copy.byRegion.get("us")?.p99, copy.pattern.flags, copy.bytes.join(""), copy.big, "missing" in copy].join(" "));
const cycle: Record<string, unknown> = { name: "loop" };
cycle.self = cycle;
const shared = { id: 1 };
const both = { a: shared, b: shared, cycle };
const c2 = structuredClone(both);
show("circular", () => (c2.cycle as Record<string, unknown>).self === c2.cycle);
show("shared", () => c2.a === c2.b);
const err = new RangeError("p99 out of range", { cause: "spike" });
const e2 = structuredClone(err);
show("error", () => [e2 instanceof RangeError, e2.message, e2.cause, e2 === err].join(" "));
class Point {
  constructor(public x: number) {}
  get double() {
    return this.x * 2;
  }
}
show("class instance", () => {
  const p = structuredClone(new Point(3));
  return [p instanceof Point, JSON.stringify(p)].join(" ");
});
show("boxed", () => [typeof structuredClone(Object(5)), structuredClone(Object("s")) instanceof String].join(","));
show("sparse array", () => {
  const a = [1, , 3];
  const b = structuredClone(a);
  return [b.length, 1 in b].join(",");
});
// A function's message quotes its source, which only V8 keeps: name only.
const nameOnly = (label: string, f: () => unknown) => {
  try {
    f();
  } catch (e) {
    console.log(`${label}: threw ${(e as Error).name}`);
  }
};
nameOnly("function", () => structuredClone(() => 1));
show("symbol", () => structuredClone(Symbol("x")));
nameOnly("nested function", () => structuredClone({ f() {} }));
show("weakmap", () => structuredClone(new WeakMap()));
show("promise", () => structuredClone(Promise.resolve(1)));
show("no argument", () => (structuredClone as () => unknown)());
