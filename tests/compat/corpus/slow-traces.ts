// @args --deterministic
// The ten slowest payments requests of the last hour: duration, start time in
// the operator's zone, trace id, and the span name cut to a fixed width by
// grapheme so emoji and accents never split.
import { traces } from "@coral/sdk";

const service = "payments";
const tz = "America/Los_Angeles";
const slow = await traces.findSlow(service, 1_000_000_000, 3_600_000, 10);

const seconds = new Intl.NumberFormat("en-US", { style: "unit", unit: "second", minimumFractionDigits: 3, maximumFractionDigits: 3 });
const time = new Intl.DateTimeFormat("en-US", { hour: "2-digit", minute: "2-digit", second: "2-digit", fractionalSecondDigits: 3, hour12: false, timeZone: tz });
const day = new Intl.DateTimeFormat("en-US", { weekday: "short", month: "short", day: "numeric", year: "numeric", timeZone: tz, timeZoneName: "short" });
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

function fit(s: string, width: number): string {
  const gs = Array.from(graphemes.segment(s), (g) => g.segment);
  return gs.length <= width ? s + " ".repeat(width - gs.length) : gs.slice(0, width - 1).join("") + "…";
}

console.log(`Slowest ${service} requests over 1 s (last hour)`);
if (slow[0]?.timestamp) console.log(`Day: ${day.format(slow[0].timestamp)}\n`);
for (const [i, t] of slow.entries()) {
  const mark = t.error ? "✗" : "✓";
  const name = `${mark} ${t.spanName}`;
  console.log(`${String(i + 1).padStart(2)} ${seconds.format(t.durationNs / 1e9).padStart(9)}  ${t.timestamp ? time.format(t.timestamp) : "?"}  ${t.traceId.slice(0, 12)}  ${fit(name, 20)} ${t.httpStatusCode}`);
}
const total = slow.reduce((a, t) => a + t.durationNs, 0) / 1e9;
console.log(`\n${slow.length} traces, ${seconds.format(total)} in total, mean ${seconds.format(total / Math.max(slow.length, 1))}`);
console.log(`Column check: ${fit("👩‍💻 café-déjà-vu ✨ checkout", 12)}|`);
