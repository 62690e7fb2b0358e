// @args --deterministic --param grafana=https://grafana.example.com/d/red-svc/service-red?orgId=1
// grafana-links.ts — per-service P99 and error rate, each with a Grafana
// deep link built from the dashboard URL given as --param grafana=<url>.
import * as coral from "@coral/sdk";

const base = new URL(coral.params.string("grafana", "https://grafana.example.com/d/red-svc/service-red?orgId=1"));
const windowMs = 15 * 60_000;
const now = Date.now();

const rows = [];
for (const svc of await coral.services.list()) {
  const p99 = await coral.metrics.getP99(svc.name, "http.server.duration", windowMs);
  const err = await coral.metrics.getErrorRate(svc.name, windowMs);
  const link = new URL(base); // copy: the base keeps its own query
  link.searchParams.set("var-service", svc.name);
  link.searchParams.set("var-namespace", svc.namespace);
  link.searchParams.set("from", String(now - windowMs));
  link.searchParams.set("to", String(now));
  if (err > 0.05) link.searchParams.append("var-status", "5xx");
  rows.push({ service: svc.name, p99_ms: Number((p99 / 1e6).toFixed(1)), err_pct: (err * 100).toFixed(2) });
  console.log(`${svc.name.padEnd(12)} ${link.href}`);
}
console.log();
console.table(rows, ["service", "p99_ms", "err_pct"]);
console.log(`dashboard host: ${base.host}, path: ${base.pathname}, org: ${base.searchParams.get("orgId")}`);
console.log(`base query unchanged: ${base.search}`);
