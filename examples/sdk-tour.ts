// sdk-tour.ts — the RFD 076 "TypeScript SDK API" walk-through, verbatim: one call of each kind.

import * as coral from "@coral/sdk";

// Service discovery
const services = await coral.services.list();
for (const svc of services) {
    console.log(`${svc.name} (${svc.namespace})`);
}

// High-level metrics helpers
const p99 = await coral.metrics.getPercentile("payments", "http.server.duration", 0.99);
const errorRate = await coral.metrics.getErrorRate("payments", 300_000);  // 5 minutes

// Query traces
const slowTraces = await coral.traces.findSlow("payments", 500_000_000, 3600_000);  // >500ms, last hour
const errorTraces = await coral.traces.findErrors("payments", 3600_000);  // last hour

// System metrics (aggregated from agents)
const systemMetrics = await coral.system.getMetrics("payments");
console.log(`CPU: ${systemMetrics.cpu_percent}%`);
console.log(`Memory: ${systemMetrics.memory_percent}%`);

// Raw SQL queries (for advanced use cases)
const customQuery = await coral.db.query(`
  SELECT service_name, AVG(p99_duration_ns) as avg_p99
  FROM service_summary
  WHERE timestamp > now() - INTERVAL '1 hour'
  GROUP BY service_name
  ORDER BY avg_p99 DESC
`);

// Logging (displayed locally)
console.log("Script started");
console.error("Something went wrong");
