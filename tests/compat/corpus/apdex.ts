// @args --deterministic
// Apdex per service with T = 300 ms (satisfied ≤ T, tolerating ≤ 4T, errors
// count as frustrated), rated Excellent…Unacceptable, best first.
import { db } from "@coral/sdk";

const T_MS = 300;
const result = await db.query(`
  SELECT service_name,
         count(*) FILTER (WHERE NOT is_error AND duration_ns <= ${T_MS}e6) AS satisfied,
         count(*) FILTER (WHERE NOT is_error AND duration_ns > ${T_MS}e6 AND duration_ns <= ${4 * T_MS}e6) AS tolerating,
         count(*) AS total
  FROM spans WHERE kind = 'SERVER'
  GROUP BY service_name
  ORDER BY service_name
`);

const score = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2, roundingMode: "floor" });
const diff = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: "exceptZero" });
const int = new Intl.NumberFormat("en-US");
const rating = (a: number) => (a >= 0.94 ? "Excellent" : a >= 0.85 ? "Good" : a >= 0.7 ? "Fair" : a >= 0.5 ? "Poor" : "Unacceptable");
const target = 0.9;

const rows = result.rows.map((r) => {
  const s = Number(r.satisfied), t = Number(r.tolerating), n = Number(r.total);
  return { name: String(r.service_name), apdex: (s + t / 2) / n, s, t, f: n - s - t };
}).sort((a, b) => b.apdex - a.apdex || a.name.localeCompare(b.name));

console.log(`Apdex (T = ${new Intl.NumberFormat("en-US", { style: "unit", unit: "millisecond" }).format(T_MS)}), target ${score.format(target)}\n`);
console.log(`${"service".padEnd(12)} ${"apdex".padStart(5)} ${"vs target".padStart(9)}  ${"rating".padEnd(12)} ${"S/T/F".padStart(14)}`);
for (const r of rows) {
  console.log(`${r.name.padEnd(12)} ${score.format(r.apdex).padStart(5)} ${diff.format(r.apdex - target).padStart(9)}  ${rating(r.apdex).padEnd(12)} ${`${int.format(r.s)}/${int.format(r.t)}/${int.format(r.f)}`.padStart(14)}`);
}
const fleet = rows.reduce((a, r) => ({ s: a.s + r.s, t: a.t + r.t, n: a.n + r.s + r.t + r.f }), { s: 0, t: 0, n: 0 });
console.log(`\nfleet ${score.format((fleet.s + fleet.t / 2) / fleet.n)}`);
