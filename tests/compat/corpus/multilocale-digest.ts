// @args --deterministic
// The same one-hour digest for operators in four countries: each gets numbers,
// percentages, latency and the report time in their own locale and time zone.
import { db } from "@coral/sdk";

const result = await db.query(`
  SELECT count(*) AS requests,
         count(*) FILTER (WHERE is_error) AS errors,
         quantile_cont(duration_ns, 0.99) AS p99_ns,
         sum(duration_ns) AS busy_ns,
         max("timestamp") AS last_seen
  FROM spans WHERE kind = 'SERVER'
`);
const row = result.rows[0];
const requests = Number(row.requests);
const errors = Number(row.errors);
const p99Ms = Number(row.p99_ns) / 1e6;
const busyHours = Number(row.busy_ns) / 3.6e12;
const last = row.last_seen as Date;

const AUDIENCES = [
  { locale: "en-US", tz: "America/Chicago" },
  { locale: "de-DE", tz: "Europe/Berlin" },
  { locale: "ja-JP", tz: "Asia/Tokyo" },
  { locale: "pt-BR", tz: "America/Sao_Paulo" },
  { locale: "fr-FR", tz: "Europe/Paris" },
];
for (const { locale, tz } of AUDIENCES) {
  const n = new Intl.NumberFormat(locale);
  const pct = new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 2 });
  const ms = new Intl.NumberFormat(locale, { style: "unit", unit: "millisecond", maximumFractionDigits: 0 });
  const hours = new Intl.NumberFormat(locale, { style: "unit", unit: "hour", unitDisplay: "long", maximumFractionDigits: 1 });
  const when = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone: tz });
  console.log(`[${locale}, ${tz}] ${when.format(last)}`);
  console.log(`  requests ${n.format(requests)}, errors ${n.format(errors)} (${pct.format(errors / requests)})`);
  console.log(`  p99 ${ms.format(p99Ms)}, busy ${hours.format(busyHours)}`);
}
