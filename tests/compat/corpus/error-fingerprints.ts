// @args --deterministic
// error-fingerprints.ts — deduplicates recent error traces across services by
// a SHA-256 fingerprint of (span name, HTTP status, normalised message).
import * as coral from "@coral/sdk";

const encoder = new TextEncoder();
async function fingerprint(parts: (string | number)[]): Promise<string> {
  const bytes = encoder.encode(parts.join("\u241f"));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("").slice(0, 12);
}

type Group = { signature: string; services: Set<string>; count: number; newest: Date };
const epoch = new Date(0);
const groups = new Map<string, Group>();
let total = 0;
for (const svc of await coral.services.list()) {
  for (const t of await coral.traces.findErrors(svc.name, 30 * 60_000, 40)) {
    const message = t.statusMessage.toLowerCase().replace(/\d+/g, "N").trim();
    const fp = await fingerprint([t.spanName, t.httpStatusCode, message]);
    const g = groups.get(fp) ?? { signature: `${t.spanName} ${t.httpStatusCode} ${message}`, services: new Set(), count: 0, newest: epoch };
    g.services.add(svc.name);
    g.count++;
    if (t.timestamp && t.timestamp > g.newest) g.newest = t.timestamp;
    groups.set(fp, g);
    total++;
  }
}

console.log(`${total} error traces in the last 30 min -> ${groups.size} distinct fingerprints\n`);
const table = [...groups].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0])).map(([fp, g]) => ({
  fingerprint: fp,
  signature: g.signature,
  count: g.count,
  services: [...g.services].sort().join(","),
  newest: g.newest.toISOString().slice(11, 19),
}));
console.table(table);
const empty = await crypto.subtle.digest("SHA-256", new Uint8Array(0));
console.log(`sanity: sha256("") starts ${new Uint8Array(empty)[0].toString(16)}${new Uint8Array(empty)[1].toString(16)}, ${empty.byteLength} bytes`);
