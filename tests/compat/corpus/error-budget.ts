// @args --deterministic
// Error-budget burn for a 99.5% availability SLO over a 30-day period, using the
// last hour as the current burn rate: budget used this hour, burn rate, and
// when the monthly budget would run out at this pace.
import { metrics, services } from "@coral/sdk";

const slo = 0.995;
const budget = 1 - slo;
const periodHours = 30 * 24;

const pct = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 2 });
const slo_ = new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 1 });
const burn = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const delta = new Intl.NumberFormat("en-US", { style: "percent", signDisplay: "always", maximumFractionDigits: 1 });
const rel = new Intl.RelativeTimeFormat("en-US", { numeric: "always" });
const until = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZone: "UTC", timeZoneName: "short" });

console.log(`Error budget — SLO ${slo_.format(slo)} over 30 days (budget ${pct.format(budget)} of requests)\n`);
const now = Date.now();
for (const s of await services.list()) {
  const rate = await metrics.getErrorRate(s.name);
  const burnRate = rate / budget;
  const hourShare = burnRate / periodHours;
  let outlook: string;
  if (burnRate <= 1) {
    outlook = "within budget";
  } else {
    const hoursLeft = periodHours / burnRate;
    const unit: Intl.RelativeTimeFormatUnit = hoursLeft >= 48 ? "day" : "hour";
    const value = Math.round(unit === "day" ? hoursLeft / 24 : hoursLeft);
    outlook = `exhausted ${rel.format(value, unit)} (${until.format(new Date(now + hoursLeft * 3_600_000))})`;
  }
  console.log(`${s.name.padEnd(12)} errors ${pct.format(rate).padStart(6)}  burn ${burn.format(burnRate).padStart(5)}×  budget Δ this hour ${delta.format(-hourShare).padStart(6)}  ${outlook}`);
}
