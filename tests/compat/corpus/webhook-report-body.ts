// @args --deterministic
// webhook-report-body.ts — renders the service health report as JSON and CSV Response bodies, reads them back, and builds the Slack-style webhook Request (dry run; nothing is sent).
import * as coral from "@coral/sdk";

type Row = { service: string; region: string; p99_ms: number; error_pct: number; instances: number };
const rows: Row[] = [];
for (const svc of await coral.services.list()) {
  const p99 = (await coral.metrics.getP99(svc.name)) / 1e6;
  const err = (await coral.metrics.getErrorRate(svc.name)) * 100;
  rows.push({ service: svc.name, region: svc.region, p99_ms: Math.round(p99), error_pct: Number(err.toFixed(1)), instances: svc.instanceCount });
}
rows.sort((a, b) => b.error_pct - a.error_pct || a.service.localeCompare(b.service));

// JSON report as a Response, the way an HTTP handler would return it.
const jsonRes = Response.json({ generated: "deterministic", services: rows }, { status: 200, headers: { "Cache-Control": "no-store" } });
console.log(`json response: ${jsonRes.status} ok=${jsonRes.ok} type=${jsonRes.headers.get("content-type")} cache=${jsonRes.headers.get("cache-control")}`);
console.log(`bodyUsed before read: ${jsonRes.bodyUsed}`);
const clone = jsonRes.clone();
const parsed = await jsonRes.json() as { services: Row[] };
console.log(`bodyUsed after read: ${jsonRes.bodyUsed}; ${parsed.services.length} services round-tripped, worst=${parsed.services[0].service}`);
try {
  await jsonRes.text();
} catch (e) {
  console.log(`second read refused: ${(e as Error).constructor.name}`);
}
const cloneBlob = await clone.blob();
console.log(`clone as blob: ${cloneBlob.size} bytes, type=${cloneBlob.type}`);

// CSV export with an explicit content type and a 201.
const csv = ["service,region,p99_ms,error_pct,instances", ...rows.map((r) => `${r.service},${r.region},${r.p99_ms},${r.error_pct},${r.instances}`)].join("\n") + "\n";
const csvRes = new Response(csv, { status: 201, statusText: "Created", headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="health.csv"' } });
console.log(`\ncsv response: ${csvRes.status} ${csvRes.statusText} ok=${csvRes.ok}`);
for (const [k, v] of csvRes.headers) console.log(`  ${k}: ${v}`);
const csvText = await csvRes.text();
console.log(csvText.trimEnd().split("\n").map((l) => `  | ${l}`).join("\n"));
const bytes = new Uint8Array(await new Response(csv).arrayBuffer());
console.log(`csv: ${csvText.split("\n").length - 1} lines, ${bytes.byteLength} bytes, first byte 0x${bytes[0].toString(16)}`);

// Status helpers.
const redirect = Response.redirect("https://grafana.example.com/d/coral?var-service=payments", 302);
console.log(`\nredirect: ${redirect.status} location=${redirect.headers.get("location")}`);
const failure = Response.error();
console.log(`error response: type=${failure.type} status=${failure.status}`);
const empty = new Response(null, { status: 204 });
console.log(`204: body is null=${empty.body === null}, text="${await empty.text()}"`);
try {
  new Response("x", { status: 99 });
} catch (e) {
  console.log(`status 99 refused: ${(e as Error).constructor.name}`);
}

// The webhook POST the notifier would make.
const worst = rows.filter((r) => r.error_pct > 2 || r.p99_ms > 1000);
const payload = {
  text: `${worst.length} service(s) need attention`,
  blocks: worst.map((r) => ({ type: "section", text: { type: "mrkdwn", text: `*${r.service}* (${r.region}): p99 ${r.p99_ms} ms, errors ${r.error_pct}%` } })),
};
const req = new Request(coral.params.string("webhook", "https://hooks.example.com/services/T000/B000/coral"), {
  method: "post",
  headers: { "Content-Type": "application/json", "X-Coral-Report": "health" },
  body: JSON.stringify(payload),
});
const url = new URL(req.url);
console.log(`\nwebhook: ${req.method} ${url.origin}${url.pathname}`);
console.log(`  content-type: ${req.headers.get("content-type")}, x-coral-report: ${req.headers.get("x-coral-report")}`);
console.log(`  redirect=${req.redirect} bodyUsed=${req.bodyUsed}`);
const reqCopy = req.clone();
const sent = await req.json() as typeof payload;
console.log(`  payload text: ${sent.text}`);
for (const b of sent.blocks) console.log(`  - ${b.text.text}`);
console.log(`  bytes: ${(await reqCopy.arrayBuffer()).byteLength}`);
const derived = new Request(reqCopy.url, { method: "PUT", headers: reqCopy.headers });
console.log(`  derived: ${derived.method} same url=${derived.url === req.url} content-type kept=${derived.headers.get("content-type")}`);
try {
  new Request(coral.params.string("webhook", "https://hooks.example.com/services/T000/B000/coral"), { method: "GET", body: "x" });
} catch (e) {
  console.log(`  GET with body refused: ${(e as Error).constructor.name}`);
}
