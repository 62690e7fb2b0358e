// @args --deterministic --param config=eyJ0ZWFtIjoiY2hlY2tvdXQtc3JlIiwib3duZXIiOiJab8OrIMORw7rDsWV6Iiwic2xvIjp7InBheW1lbnRzIjp7InA5OV9tcyI6MjUwMCwiZXJyX3BjdCI6M30sImludmVudG9yeSI6eyJwOTlfbXMiOjIwMCwiZXJyX3BjdCI6NX0sIm9yZGVycyI6eyJwOTlfbXMiOjI1MCwiZXJyX3BjdCI6Mn0sInNlYXJjaCI6eyJwOTlfbXMiOjMwMCwiZXJyX3BjdCI6Mn19fQ==
// slo-from-param.ts — reads per-service SLOs from a base64 JSON --param
// (as a CI job passes them), checks each over the last 30 minutes, and
// prints a compact base64 status token a chat bot can echo back.
import * as coral from "@coral/sdk";

type Slo = { p99_ms: number; err_pct: number };
const raw = coral.params.string("config");
const binary = atob(raw); // one char per byte: decode the UTF-8 explicitly
const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
const config = JSON.parse(json) as { team: string; owner: string; slo: Record<string, Slo> };
console.log(`config: ${raw.length} base64 chars -> ${binary.length} bytes -> ${json.length} chars; team ${config.team}, owner ${config.owner}`);

const results: string[] = [];
for (const [service, slo] of Object.entries(config.slo)) {
  const p99 = (await coral.metrics.getP99(service, "http.server.duration", 30 * 60_000)) / 1e6;
  const err = (await coral.metrics.getErrorRate(service, 30 * 60_000)) * 100;
  const ok = p99 <= slo.p99_ms && err <= slo.err_pct;
  results.push(`${service}:${ok ? "ok" : "breach"}`);
  console.log(`  ${ok ? "✓" : "✗"} ${service.padEnd(10)} p99 ${p99.toFixed(0).padStart(5)}/${slo.p99_ms} ms  err ${err.toFixed(2).padStart(5)}/${slo.err_pct}%`);
}

const token = btoa(results.join(";"));
console.log(`status token: ${token}`);
console.log(`round trip: ${atob(token) === results.join(";")}, forgiving decode ignores whitespace: ${atob(token.slice(0, 8) + "\n " + token.slice(8)) === atob(token)}`);
const ownerBytes = new TextEncoder().encode(config.owner);
console.log(`owner "${config.owner}" is ${config.owner.length} UTF-16 units, ${ownerBytes.length} UTF-8 bytes`);
for (const bad of ["Zoë", "c2xv*"]) {
  try {
    console.log(`btoa/atob(${bad}) = ${bad.includes("*") ? atob(bad) : btoa(bad)}`);
  } catch (e) {
    console.log(`${bad}: ${(e as DOMException).name} (${e instanceof DOMException})`);
  }
}
try { btoa("Zoë ✓"); } catch (e) { console.log(`btoa of non-Latin-1: ${(e as DOMException).name}`); }
