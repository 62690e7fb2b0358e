// @args --deterministic
// When did each service last fail? Relative times ("3 minutes ago") from the
// newest error trace, plus the absolute time in the operator's zone.
import { services, traces } from "@coral/sdk";

const tz = "Europe/Berlin";
const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const abs = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: tz, timeZoneName: "short" });

function ago(then: Date, now: Date): string {
  const s = Math.round((then.getTime() - now.getTime()) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]];
  for (const [unit, size] of units) if (Math.abs(s) >= size || unit === "second") return rtf.format(Math.trunc(s / size), unit);
  return rtf.format(0, "second");
}

const now = new Date();
console.log(`Last error per service (as of ${abs.format(now)})\n`);
const rows = [];
for (const svc of await services.list()) {
  const [latest] = await traces.findErrors(svc.name, 3_600_000, 1);
  rows.push({ name: svc.name, latest });
}
rows.sort((a, b) => (b.latest?.timestamp?.getTime() ?? 0) - (a.latest?.timestamp?.getTime() ?? 0));
for (const { name, latest } of rows) {
  if (!latest?.timestamp) {
    console.log(`${name.padEnd(12)} no errors in the last hour`);
    continue;
  }
  console.log(`${name.padEnd(12)} ${ago(latest.timestamp, now).padEnd(16)} ${abs.format(latest.timestamp)}  ${latest.spanName} → ${latest.httpStatusCode} ${latest.statusMessage}`);
}
console.log(`\nWindow start: ${ago(new Date(now.getTime() - 3_600_000), now)}; day before: ${rtf.format(-1, "day")}.`);
