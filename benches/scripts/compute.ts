// A pure-JavaScript workload (no colony): what an analysis script does with
// data once it has it — arithmetic, sorting, JSON, strings.
const n = 200_000;
let seed = 42;
const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const latencies = Array.from({ length: n }, () => next() * 1000);
const sorted = [...latencies].sort((a, b) => a - b);
const p99 = sorted[Math.floor(n * 0.99)];
const rows = sorted.slice(0, 20_000).map((v, i) => ({ i, service: `svc-${i % 7}`, v }));
const parsed = JSON.parse(JSON.stringify(rows)) as typeof rows;
const byService = new Map<string, number>();
for (const r of parsed) byService.set(r.service, (byService.get(r.service) ?? 0) + r.v);
let text = "";
for (let i = 0; i < 20_000; i++) text += `${i % 10}`;
console.log(p99.toFixed(3), byService.size, text.length);
