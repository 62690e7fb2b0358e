// @args --deterministic
// Incident timeline for inventory: contiguous runs of minutes whose error rate
// was over 30%, with their time ranges in the operator's zone, durations and
// peak rates.
import { db } from "@coral/sdk";

const service = "inventory";
const threshold = 0.3;
const tz = "Asia/Kolkata";

const result = await db.query(`
  SELECT "timestamp" AS minute, request_count, error_count, error_rate
  FROM service_summary
  WHERE service_name = '${service}'
  ORDER BY minute
`);

const range = new Intl.DateTimeFormat("en-IN", { hour: "numeric", minute: "2-digit", timeZone: tz });
const dateLine = new Intl.DateTimeFormat("en-IN", { dateStyle: "full", timeZone: tz });
const minutes = new Intl.NumberFormat("en-IN", { style: "unit", unit: "minute", unitDisplay: "long" });
const pct = new Intl.NumberFormat("en-IN", { style: "percent", maximumFractionDigits: 0 });
const count = new Intl.NumberFormat("en-IN");

type Run = { start: Date; end: Date; peak: number; errors: number; requests: number };
const runs: Run[] = [];
let cur: Run | null = null;
for (const r of result.rows) {
  const at = r.minute as Date;
  if (Number(r.error_rate) > threshold) {
    if (!cur) runs.push((cur = { start: at, end: at, peak: 0, errors: 0, requests: 0 }));
    cur.end = at;
    cur.peak = Math.max(cur.peak, Number(r.error_rate));
    cur.errors += Number(r.error_count);
    cur.requests += Number(r.request_count);
  } else {
    cur = null;
  }
}

console.log(`${service}: minutes with error rate over ${pct.format(threshold)}`);
if (result.rows.length) console.log(dateLine.format(result.rows[0].minute as Date) + " (IST)\n");
for (const run of runs.slice(0, 10)) {
  const len = (run.end.getTime() - run.start.getTime()) / 60_000 + 1;
  const end = new Date(run.end.getTime() + 60_000);
  console.log(`${range.formatRange(run.start, end).padEnd(22)} ${minutes.format(len).padStart(11)}  peak ${pct.format(run.peak).padStart(4)}  ${count.format(run.errors)}/${count.format(run.requests)} failed`);
}
if (runs.length > 10) console.log(`… and ${runs.length - 10} more`);
const bad = runs.reduce((a, r) => a + (r.end.getTime() - r.start.getTime()) / 60_000 + 1, 0);
console.log(`\n${runs.length} episodes, ${minutes.format(bad)} over threshold out of ${minutes.format(result.rows.length)}.`);
