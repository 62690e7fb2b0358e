// @args --deterministic
// Latency distribution of SERVER spans for every service together: fixed
// buckets labelled with NumberFormat ranges, counts, share and a bar.
import { db } from "@coral/sdk";

const EDGES_MS = [0, 25, 50, 100, 250, 500, 1000, 2500];
const cases = EDGES_MS.map((lo, i) => {
  const hi = EDGES_MS[i + 1];
  return hi === undefined ? `WHEN duration_ns >= ${lo}e6 THEN ${i}` : `WHEN duration_ns < ${hi}e6 THEN ${i}`;
}).join(" ");
const result = await db.query(`
  SELECT CASE ${cases} END AS bucket, count(*) AS n
  FROM spans WHERE kind = 'SERVER'
  GROUP BY ALL ORDER BY bucket
`);
const counts = new Map(result.rows.map((r) => [Number(r.bucket), Number(r.n)]));
const total = [...counts.values()].reduce((a, b) => a + b, 0);

const ms = new Intl.NumberFormat("en-US", { style: "unit", unit: "millisecond" });
const s = new Intl.NumberFormat("en-US", { style: "unit", unit: "second" });
const fmt = (v: number) => (v >= 1000 ? s : ms);
const pct = new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
const int = new Intl.NumberFormat("en-US");

console.log(`Latency histogram, ${int.format(total)} requests (last hour)\n`);
let cumulative = 0;
EDGES_MS.forEach((lo, i) => {
  const hi = EDGES_MS[i + 1];
  const label = hi === undefined
    ? `≥ ${fmt(lo).format(lo >= 1000 ? lo / 1000 : lo)}`
    : lo >= 1000 || hi > 1000
    ? s.formatRange(lo / 1000, hi / 1000)
    : ms.formatRange(lo, hi);
  const n = counts.get(i) ?? 0;
  cumulative += n;
  const bar = "▇".repeat(Math.round((n / total) * 60));
  console.log(`${label.padEnd(16)} ${int.format(n).padStart(6)} ${pct.format(n / total).padStart(6)} ${pct.format(cumulative / total).padStart(7)}  ${bar}`);
});
