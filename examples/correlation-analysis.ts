// correlation-analysis.ts — per service, how its minute-by-minute error rate moves with CPU and memory (Pearson r over the last hour), flagging strong correlations.
import * as coral from "@coral/sdk";

const strong = coral.params.number("min_r", 0.5);

const result = await coral.db.query(`
  SELECT s.service_name,
         count(*)                                AS minutes,
         sum(s.error_count)                      AS errors,
         sum(s.request_count)                    AS requests,
         corr(s.error_rate, m.cpu_percent)       AS cpu_r,
         corr(s.error_rate, m.memory_percent)    AS memory_r
  FROM service_summary s
  JOIN system_metrics_rollup m USING (service_name, "timestamp")
  GROUP BY s.service_name
  ORDER BY s.service_name
`);

const fmt = (r: unknown) => (typeof r === "number" && Number.isFinite(r) ? r.toFixed(3) : "n/a");

console.log("Error/resource correlation, last hour (Pearson r per minute)\n");
console.log(`${"service".padEnd(12)} ${"minutes".padStart(7)} ${"errors".padStart(8)} ${"cpu r".padStart(7)} ${"mem r".padStart(7)}`);
const flagged: string[] = [];
for (const row of result.rows) {
  const name = String(row.service_name);
  const errors = `${row.errors}/${row.requests}`;
  console.log(`${name.padEnd(12)} ${String(row.minutes).padStart(7)} ${errors.padStart(8)} ${fmt(row.cpu_r).padStart(7)} ${fmt(row.memory_r).padStart(7)}`);
  for (const [resource, r] of [["CPU", row.cpu_r], ["memory", row.memory_r]] as const) {
    if (typeof r === "number" && Math.abs(r) >= strong) flagged.push(`${name}: errors track ${resource} (r = ${r.toFixed(3)})`);
  }
}
console.log(flagged.length ? `\n${flagged.join("\n")}` : `\nNo correlation with |r| >= ${strong}.`);
