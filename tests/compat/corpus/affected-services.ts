// @args --deterministic
// Incident summary line: which services are degraded (error rate or P99 over
// threshold), phrased as a sentence with Intl.ListFormat, in English and German.
import { metrics, services } from "@coral/sdk";

const errorThreshold = 0.015;
const p99ThresholdMs = 300;

const all = await services.list();
const degradedErrors: string[] = [];
const degradedLatency: string[] = [];
for (const s of all) {
  if ((await metrics.getErrorRate(s.name)) > errorThreshold) degradedErrors.push(s.name);
  if ((await metrics.getP99(s.name)) / 1e6 > p99ThresholdMs) degradedLatency.push(s.name);
}
const affected = [...new Set([...degradedErrors, ...degradedLatency])].sort();
const healthy = all.map((s) => s.name).filter((n) => !affected.includes(n));

for (const locale of ["en-US", "de-DE"]) {
  const and = new Intl.ListFormat(locale, { type: "conjunction" });
  const or = new Intl.ListFormat(locale, { type: "disjunction" });
  const pct = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const ms = new Intl.NumberFormat(locale, { style: "unit", unit: "millisecond" });
  const pr = new Intl.PluralRules(locale);
  console.log(`[${locale}]`);
  if (locale === "en-US") {
    console.log(`${affected.length} ${pr.select(affected.length) === "one" ? "service is" : "services are"} degraded: ${and.format(affected)}.`);
    console.log(`Error rate above ${pct.format(errorThreshold)}: ${and.format(degradedErrors)}.`);
    console.log(`P99 above ${ms.format(p99ThresholdMs)}: ${and.format(degradedLatency)}.`);
    console.log(`Healthy: ${and.format(healthy)}.`);
    console.log(`Check ${or.format(affected.slice(0, 2))} first.`);
  } else {
    console.log(`${affected.length} ${pr.select(affected.length) === "one" ? "Dienst ist" : "Dienste sind"} beeinträchtigt: ${and.format(affected)}.`);
    console.log(`Fehlerrate über ${pct.format(errorThreshold)}: ${and.format(degradedErrors)}.`);
    console.log(`P99 über ${ms.format(p99ThresholdMs)}: ${and.format(degradedLatency)}.`);
    console.log(`Gesund: ${and.format(healthy)}.`);
    console.log(`Zuerst ${or.format(affected.slice(0, 2))} prüfen.`);
  }
  console.log("");
}
console.log(`Short form: ${new Intl.ListFormat("en-US", { style: "short" }).format(affected)}`);
console.log(`Narrow unit list: ${new Intl.ListFormat("en-US", { type: "unit", style: "narrow" }).format(affected.map((n) => `[${n}]`))}`);
