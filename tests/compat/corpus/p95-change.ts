// @args --deterministic
// How each service's P95 moved: the last 30 minutes against the 30 minutes
// before, as a signed percent change, with arrows for big moves.
import { db } from "@coral/sdk";

const result = await db.query(`
  SELECT service_name,
         quantile_cont(duration_ns, 0.95) FILTER (WHERE "timestamp" <  now() - INTERVAL 30 MINUTE) AS before_ns,
         quantile_cont(duration_ns, 0.95) FILTER (WHERE "timestamp" >= now() - INTERVAL 30 MINUTE) AS after_ns
  FROM spans
  WHERE kind = 'SERVER'
  GROUP BY service_name
  ORDER BY service_name
`);

const ms = new Intl.NumberFormat("en-US", { style: "unit", unit: "millisecond", maximumFractionDigits: 0 });
const change = new Intl.NumberFormat("en-US", { style: "percent", signDisplay: "exceptZero", maximumFractionDigits: 1 });
const delta = new Intl.NumberFormat("en-US", { style: "unit", unit: "millisecond", signDisplay: "always", maximumFractionDigits: 1 });

console.log("P95 latency, previous 30 min → last 30 min\n");
for (const row of result.rows) {
  const before = Number(row.before_ns) / 1e6;
  const after = Number(row.after_ns) / 1e6;
  const rel = (after - before) / before;
  const arrow = rel > 0.1 ? "▲" : rel < -0.1 ? "▼" : "•";
  console.log(`${arrow} ${String(row.service_name).padEnd(12)} ${ms.format(before).padStart(8)} → ${ms.format(after).padStart(8)}  ${change.format(rel).padStart(7)}  (${delta.format(after - before)})`);
}
const moved = result.rows.filter((r) => Math.abs(Number(r.after_ns) / Number(r.before_ns) - 1) > 0.1).length;
const pr = new Intl.PluralRules("en-US");
console.log(`\n${moved} ${pr.select(moved) === "one" ? "service" : "services"} moved by more than ${change.format(0.1).replace("+", "")}.`);
