// @args --deterministic
// The clock starts at 2026-01-01T00:00:00Z and moves only when the script
// sleeps; Math.random is seeded. Same bytes on every run, whatever the cache
// (nothing may depend on when the plugin image was made).
console.log(new Date().toISOString(), Date.now());
console.log(performance.timeOrigin, performance.now());
const before = performance.now();
await new Promise((r) => setTimeout(r, 1500));
console.log(new Date().toISOString(), Math.round(performance.now() - before));
console.log(performance.timeOrigin + performance.now() === Date.now());
const rolls = Array.from({ length: 5 }, () => Math.floor(Math.random() * 1000));
// The same numbers on every run, and on both engines (Deno mode installs the
// wasm engine's generator and seed).
console.log(rolls.join(" "), rolls.every((n) => n >= 0 && n < 1000));
