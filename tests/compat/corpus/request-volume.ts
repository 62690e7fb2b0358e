// @args --deterministic
// Request volume per service: totals in compact notation, share of traffic,
// per-second rate, and a 6-bucket sparkline (scaled to each service's own
// range), with correct singular/plural.
import { db } from "@coral/sdk";

const result = await db.query(`
  SELECT service_name,
         time_bucket(INTERVAL 10 MINUTE, "timestamp") AS bucket,
         count(*) AS requests
  FROM spans
  GROUP BY ALL
  ORDER BY service_name, bucket
`);

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const share = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
const rate = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 });
const plural = new Intl.PluralRules("en-US");
const noun = (n: number, one: string, other: string) => `${n} ${plural.select(n) === "one" ? one : other}`;
const bars = "▁▂▃▄▅▆▇█";

const series = new Map<string, number[]>();
for (const r of result.rows) {
  const list = series.get(String(r.service_name)) ?? [];
  list.push(Number(r.requests));
  series.set(String(r.service_name), list);
}
const grand = [...series.values()].flat().reduce((a, b) => a + b, 0);

console.log(`Span volume, last hour: ${compact.format(grand)} spans across ${noun(series.size, "service", "services")}\n`);
for (const [name, buckets] of series) {
  const total = buckets.reduce((a, b) => a + b, 0);
  const lo = Math.min(...buckets);
  const hi = Math.max(...buckets);
  const spark = buckets.map((b) => bars[hi === lo ? 0 : Math.round(((b - lo) / (hi - lo)) * (bars.length - 1))]).join("");
  console.log(`${name.padEnd(12)} ${spark.padEnd(7)} ${compact.format(total).padStart(6)}  ${share.format(total / grand).padStart(6)}  ${rate.format(total / 3600)}/s  min ${compact.format(lo)} max ${compact.format(hi)}`);
}
console.log(`\n${noun(1, "bucket", "buckets")} = 10 minutes; ${noun(6, "bucket", "buckets")} shown`);
console.log(`Scaled: ${[999, 1_500, 12_345, 2_500_000, 7_800_000_000].map((n) => compact.format(n)).join(", ")}`);
