// service-activity.ts — requests and errors per service in 10-minute buckets over the last hour, as a small text chart.
import * as coral from "@coral/sdk";

const result = await coral.db.query(`
  SELECT service_name,
         time_bucket(INTERVAL 10 MINUTE, "timestamp") AS bucket,
         count(*)                                     AS requests,
         count(*) FILTER (WHERE is_error)             AS errors
  FROM spans
  WHERE kind = 'SERVER'
  GROUP BY ALL
  ORDER BY service_name, bucket
`);

const byService = new Map<string, { requests: number; errors: number; buckets: number[] }>();
for (const row of result.rows) {
  const name = String(row.service_name);
  const entry = byService.get(name) ?? { requests: 0, errors: 0, buckets: [] };
  entry.requests += Number(row.requests);
  entry.errors += Number(row.errors);
  entry.buckets.push(Number(row.requests));
  byService.set(name, entry);
}

const bars = " ▁▂▃▄▅▆▇█";
const peak = Math.max(...[...byService.values()].flatMap((s) => s.buckets));
console.log("Service activity, last hour (10-minute buckets)\n");
for (const [name, s] of byService) {
  const chart = s.buckets.map((n) => bars[Math.round((n / peak) * (bars.length - 1))]).join("");
  console.log(`${name.padEnd(12)} ${chart.padEnd(7)} ${String(s.requests).padStart(6)} requests ${String(s.errors).padStart(5)} errors`);
}
const busiest = [...byService.entries()].sort((a, b) => b[1].requests - a[1].requests || a[0].localeCompare(b[0]))[0];
if (busiest) console.log(`\nBusiest: ${busiest[0]} (${busiest[1].requests} requests)`);
