// @args --deterministic
// gzip-csv-export.ts — exports the last hour's per-minute RED rows as CSV, gzips it with CompressionStream, and checks the archive round-trips through DecompressionStream.
import * as coral from "@coral/sdk";

const { rows, rowCount } = await coral.db.query(
  "SELECT service_name, route, timestamp, requests, errors, p99_duration_ns FROM http_red ORDER BY timestamp, service_name, route",
  { maxRows: 5000 },
);
const quote = (v: unknown) => /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v);
const lines = ["service,route,minute,requests,errors,p99_ms"];
for (const r of rows) {
  const minute = (r.timestamp as Date).toISOString().slice(0, 16) + "Z";
  lines.push([r.service_name, r.route, minute, r.requests, r.errors, (Number(r.p99_duration_ns) / 1e6).toFixed(1)].map(quote).join(","));
}
const csv = lines.join("\r\n") + "\r\n";
const raw = new TextEncoder().encode(csv);
console.log(`export: ${rowCount} rows, ${raw.byteLength} bytes of CSV`);

// Gzip by piping the CSV blob through a CompressionStream.
async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
const gz = await collect(new Blob([csv], { type: "text/csv" }).stream().pipeThrough(new CompressionStream("gzip")));
// The exact compressed size depends on the deflate implementation and level,
// so only the order of magnitude is reported.
const ratio = raw.byteLength / gz.byteLength;
console.log(`gzip: magic ${gz[0].toString(16)} ${gz[1].toString(16)}, method ${gz[2]} (deflate), ratio > 5x: ${ratio > 5}, under 20% of the CSV: ${gz.byteLength < raw.byteLength / 5}`);
const isize = new DataView(gz.buffer, gz.byteOffset + gz.byteLength - 4, 4).getUint32(0, true);
console.log(`gzip trailer ISIZE = ${isize} (matches CSV length: ${isize === raw.byteLength})`);

// Round trip: decompress, decode, compare byte for byte and row for row.
const back = await collect(new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip")));
const same = back.byteLength === raw.byteLength && back.every((b, i) => b === raw[i]);
const text = new TextDecoder().decode(back);
console.log(`round trip: ${back.byteLength} bytes, identical: ${same}, rows: ${text.trimEnd().split("\r\n").length - 1}`);

// Streaming the archive in small network-sized chunks must give the same result.
const chunked = new ReadableStream<Uint8Array<ArrayBuffer>>({
  start(controller) {
    for (let i = 0; i < gz.byteLength; i += 512) controller.enqueue(gz.subarray(i, i + 512));
    controller.close();
  },
});
const perService = new Map<string, { requests: number; errors: number }>();
let header = "", pending = "";
const decoder = new TextDecoder();
for await (const chunk of chunked.pipeThrough(new DecompressionStream("gzip"))) {
  pending += decoder.decode(chunk, { stream: true });
  const parts = pending.split("\r\n");
  pending = parts.pop()!;
  for (const line of parts) {
    if (!header) { header = line; continue; }
    const [svc, , , req, err] = line.split(",");
    const s = perService.get(svc) ?? { requests: 0, errors: 0 };
    s.requests += Number(req);
    s.errors += Number(err);
    perService.set(svc, s);
  }
}
console.log(`\nstreamed decode (512-byte chunks), header: ${header}`);
console.table([...perService].sort(([a], [b]) => a.localeCompare(b)).map(([service, s]) => ({
  service, requests: s.requests, errors: s.errors, "error %": (100 * s.errors / s.requests).toFixed(2),
})));

// deflate and deflate-raw round-trip too; a zlib stream starts with 0x78.
for (const format of ["deflate", "deflate-raw"] as const) {
  const packed = await collect(new Blob([raw]).stream().pipeThrough(new CompressionStream(format)));
  const unpacked = await collect(new Blob([packed]).stream().pipeThrough(new DecompressionStream(format)));
  const extra = format === "deflate" ? `, zlib header 0x${packed[0].toString(16)}` : "";
  console.log(`${format}: round trip ok ${unpacked.byteLength === raw.byteLength && unpacked.every((b, i) => b === raw[i])}, smaller than gzip: ${packed.byteLength < gz.byteLength}${extra}`);
}

// A damaged download is refused, not silently truncated.
const damaged = gz.slice(0, gz.byteLength - 40);
try {
  await collect(new Blob([damaged]).stream().pipeThrough(new DecompressionStream("gzip")));
  console.log("truncated archive: accepted (unexpected)");
} catch (e) {
  console.log(`truncated archive: rejected with ${(e as Error).constructor.name}`);
}
try {
  await collect(new Blob([csv]).stream().pipeThrough(new DecompressionStream("gzip")));
  console.log("plain CSV as gzip: accepted (unexpected)");
} catch (e) {
  console.log(`plain CSV as gzip: rejected with ${(e as Error).constructor.name}`);
}
try {
  new CompressionStream("zip" as CompressionFormat);
} catch (e) {
  console.log(`format "zip": ${(e as Error).constructor.name}`);
}
