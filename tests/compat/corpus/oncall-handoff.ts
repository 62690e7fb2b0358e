// @args --deterministic
// On-call handoff note: the shift window in the incoming engineer's zone, the
// services ranked by errors (1st, 2nd, 3rd…), what is healthy, and when the
// last errors happened relative to the handoff.
import { metrics, params, services, traces } from "@coral/sdk";

const tz = params.string("tz", "Asia/Kolkata");
const locale = params.string("locale", "en-IN");
const now = new Date();
const shiftStart = new Date(now.getTime() - 3_600_000);

const ordinal = new Intl.PluralRules(locale, { type: "ordinal" });
const SUFFIX: Record<string, string> = { one: "st", two: "nd", few: "rd", other: "th" };
const nth = (n: number) => `${n}${SUFFIX[ordinal.select(n)]}`;
const window = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: tz });
const clock = new Intl.DateTimeFormat(locale, { timeStyle: "short", timeZone: tz });
const rel = new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "short" });
const pct = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
const list = new Intl.ListFormat(locale);

console.log(`Handoff — shift ${window.formatRange(shiftStart, now)}`);
console.log(`Zone: ${new Intl.DateTimeFormat(locale, { timeZoneName: "longGeneric", timeZone: tz }).formatToParts(now).find((p) => p.type === "timeZoneName")?.value}\n`);

const ranked = [];
for (const s of await services.list()) ranked.push({ name: s.name, ...(await metrics.getErrorStats(s.name)) });
ranked.sort((a, b) => b.errorCount - a.errorCount || a.name.localeCompare(b.name));
for (const [i, r] of ranked.slice(0, 3).entries()) {
  const [last] = await traces.findErrors(r.name, 3_600_000, 1);
  const minutes = last?.timestamp ? Math.round((last.timestamp.getTime() - now.getTime()) / 60_000) : null;
  const when = last?.timestamp ? `${rel.format(minutes!, "minute")} (${clock.format(last.timestamp)})` : "none";
  console.log(`${nth(i + 1).padEnd(4)} ${r.name.padEnd(12)} ${String(r.errorCount).padStart(4)} errors  ${pct.format(r.rate).padStart(6)}  last: ${when}`);
}
const healthy = ranked.filter((r) => r.rate < 0.01).map((r) => r.name);
console.log(`\nQuiet: ${healthy.length ? list.format(healthy) : "none"}.`);
console.log(`Ordinals: ${[1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101].map(nth).join(" ")}`);
