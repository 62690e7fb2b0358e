// @args --deterministic
// SLA compliance for the reporting window: the share of minutes in which each
// service met both its latency (P99 < 750 ms) and availability (errors < 10%)
// targets, with the window shown in the operator's time zone.
import { db, params } from "@coral/sdk";

const tz = params.string("tz", "America/New_York");
const locale = params.string("locale", "en-US");
const target = 0.95;

const result = await db.query(`
  SELECT service_name,
         min("timestamp") AS first_minute,
         max("timestamp") AS last_minute,
         count(*) AS minutes,
         count(*) FILTER (WHERE p99_duration_ns < 750e6 AND error_rate < 0.10) AS good_minutes
  FROM service_summary
  GROUP BY service_name
  ORDER BY service_name
`);

const when = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: tz });
const zoneName = new Intl.DateTimeFormat(locale, { timeZoneName: "long", timeZone: tz }).formatToParts(new Date()).find((p) => p.type === "timeZoneName")?.value;
const pct = new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
const first = new Date(Math.min(...result.rows.map((r) => (r.first_minute as Date).getTime())));
const last = new Date(Math.max(...result.rows.map((r) => (r.last_minute as Date).getTime())));

console.log(`SLA compliance report — target ${pct.format(target)} of minutes`);
console.log(`Window: ${when.formatRange(first, last)} (${zoneName})`);
console.log(`Generated: ${new Intl.DateTimeFormat(locale, { dateStyle: "full", timeStyle: "long", timeZone: tz }).format(new Date())}\n`);
let breaches = 0;
for (const row of result.rows) {
  const ratio = Number(row.good_minutes) / Number(row.minutes);
  const ok = ratio >= target;
  if (!ok) breaches++;
  console.log(`${ok ? "PASS" : "FAIL"}  ${String(row.service_name).padEnd(12)} ${pct.format(ratio).padStart(7)}  (${row.good_minutes}/${row.minutes} minutes)`);
}
console.log(`\n${breaches === 0 ? "All services met the SLA." : `${breaches} of ${result.rows.length} services breached the SLA.`}`);
