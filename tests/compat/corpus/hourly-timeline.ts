// @args --deterministic
// Fleet timeline in 5-minute steps, labelled in three operators' zones at once
// (built from formatToParts), with requests, error rate and mean CPU.
import { db } from "@coral/sdk";

const result = await db.query(`
  SELECT time_bucket(INTERVAL 5 MINUTE, s."timestamp") AS bucket,
         sum(s.request_count) AS requests,
         sum(s.error_count) AS errors,
         avg(m.cpu_percent) AS cpu
  FROM service_summary s
  JOIN system_metrics_rollup m USING (service_name, "timestamp")
  GROUP BY ALL
  ORDER BY bucket
`);

const ZONES = [["NYC", "America/New_York"], ["BER", "Europe/Berlin"], ["TYO", "Asia/Tokyo"]] as const;
const hm = ZONES.map(([, tz]) => new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: tz }));
const dayOf = ZONES.map(([, tz]) => new Intl.DateTimeFormat("en-GB", { weekday: "short", timeZone: tz }));
const label = (d: Date) =>
  ZONES.map((_, i) => {
    const p = hm[i].formatToParts(d);
    const get = (t: string) => p.find((x) => x.type === t)?.value ?? "??";
    return `${get("hour")}h${get("minute")}`;
  }).join(" ");
const pct = new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
const cpu = new Intl.NumberFormat("en-US", { style: "unit", unit: "percent", maximumFractionDigits: 0 });
const int = new Intl.NumberFormat("en-US");

const first = result.rows[0]?.bucket as Date | undefined;
if (first) console.log(`Days: ${ZONES.map(([n], i) => `${n} ${dayOf[i].format(first)}`).join(", ")}`);
console.log(`${ZONES.map(([n]) => n.padEnd(5)).join(" ")}  ${"requests".padStart(8)} ${"errors".padStart(7)} ${"cpu".padStart(5)}`);
for (const r of result.rows) {
  const req = Number(r.requests);
  console.log(`${label(r.bucket as Date)}  ${int.format(req).padStart(8)} ${pct.format(Number(r.errors) / req).padStart(7)} ${cpu.format(Number(r.cpu)).padStart(5)}`);
}
