// @args --deterministic --param endpoint=https://events.pagerduty.com/v2/enqueue --param routing_key=R0UT1NGKEY
// pagerduty-dryrun.ts — builds the PagerDuty Events v2 request the on-call
// bot would send for the worst-erroring service, without sending it:
// headers, body size, a SHA-256 body digest and a stable dedup key.
import * as coral from "@coral/sdk";

const endpoint = new URL(coral.params.string("endpoint", "https://events.pagerduty.com/v2/enqueue"));
const hex = (buf: ArrayBuffer) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
const sha256 = async (s: string) => hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)));

const rates = await Promise.all((await coral.services.list()).map(async (s) => ({ s, e: await coral.metrics.getErrorStats(s.name, 15 * 60_000) })));
rates.sort((a, b) => b.e.rate - a.e.rate);
const { s: svc, e: stats } = rates[0];
const [latest] = await coral.traces.findErrors(svc.name, 15 * 60_000, 1);

const body = JSON.stringify({
  routing_key: coral.params.string("routing_key"),
  event_action: "trigger",
  dedup_key: (await sha256(`${svc.name}|${latest.httpStatusCode}|${latest.statusMessage}`)).slice(0, 32),
  payload: {
    summary: `${svc.name}: ${(stats.rate * 100).toFixed(1)}% errors (${stats.errorCount}/${stats.totalCount}) — ${latest.statusMessage}`,
    source: `${svc.name}.${svc.namespace}.${svc.region}`,
    severity: stats.rate > 0.25 ? "critical" : "error",
    timestamp: (latest.timestamp ?? new Date()).toISOString(),
    custom_details: { trace_id: latest.traceId, span: latest.spanName, instances: svc.instanceCount },
  },
});
const blob = new Blob([body], { type: "application/json; charset=utf-8" });
const headers = new Headers([["Content-Type", blob.type], ["Accept", "application/json"]]);
headers.set("Content-Length", String(blob.size));
headers.set("X-Request-Id", crypto.randomUUID());
headers.set("X-Body-SHA256", await sha256(body));

console.log(`POST ${endpoint.href} (${endpoint.protocol} ${endpoint.hostname}, default port: ${endpoint.port === ""})`);
for (const [k, v] of headers) console.log(`${k}: ${v}`);
console.log(`\nbody: ${blob.size} bytes (UTF-8), ${body.length} UTF-16 units, ${new TextEncoder().encode(body).length === blob.size ? "sizes agree" : "MISMATCH"}`);
console.log(JSON.stringify(JSON.parse(await blob.text()).payload, null, 2));
try {
  headers.set("X Bad Name", "1");
} catch (e) {
  console.log(`\nrejected header name: ${(e as Error).name}`);
}
console.log(`content-type lookup is case-insensitive: ${headers.get("CONTENT-TYPE") === blob.type}`);
