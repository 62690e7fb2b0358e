// @args --deterministic --param jaeger=http://jaeger.internal:16686/ --param threshold_ms=1500
// jaeger-slow-traces.ts — the slowest payments traces over a threshold, with
// Jaeger trace and search links and the headers a ticket webhook would carry.
import * as coral from "@coral/sdk";

const jaeger = new URL(coral.params.string("jaeger", "http://jaeger.internal:16686/"));
const thresholdMs = coral.params.number("threshold_ms", 1500);
const service = "payments";
const slow = await coral.traces.findSlow(service, thresholdMs * 1e6, 3_600_000, 5);

const search = new URL("search", jaeger);
search.search = new URLSearchParams({
  service,
  minDuration: `${thresholdMs}ms`,
  lookback: "1h",
  limit: "20",
}).toString();
console.log(`Slow ${service} traces (>= ${thresholdMs} ms): ${slow.length}`);
console.log(`search: ${search}`);

for (const t of slow) {
  const link = new URL(`trace/${t.traceId}`, jaeger);
  link.searchParams.set("uiFind", t.spanName);
  console.log(`  ${(t.durationNs / 1e6).toFixed(0).padStart(5)} ms  ${t.timestamp?.toISOString() ?? "(no time)"}  ${link.href}`);
}

const correlationId = crypto.randomUUID();
const headers = new Headers({ "Content-Type": "application/json", "X-Coral-Service": service });
headers.set("x-correlation-id", correlationId);
headers.append("X-Trace-Ids", slow.map((t) => t.traceId.slice(0, 8)).slice(0, 2).join(","));
headers.append("x-trace-ids", slow.map((t) => t.traceId.slice(0, 8)).slice(2, 4).join(","));
console.log("\nwebhook headers:");
for (const [name, value] of headers) console.log(`  ${name}: ${value}`);
console.log(`has content-type: ${headers.has("content-type")}, jaeger port: ${jaeger.port}, v4 uuid: ${/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(correlationId)}`);
