// @args --deterministic
// service-line-pipeline.ts — streams per-service log lines through TextEncoderStream, a re-chunking "network", TextDecoderStream and line-splitting/parsing TransformStreams into a summary sink.
import * as coral from "@coral/sdk";

type Event = { service: string; route: string; status: number; ms: number; note: string };

// Source: one line per span (NDJSON-ish "key=value" text), pulled lazily per service.
const services = (await coral.services.list()).map((s) => s.name);
const notes: Record<string, string> = { payments: "paiement refusé ✗", inventory: "Lagerbestand übertragen — 倉庫", search: "índice 🔍" };
let pulls = 0;
const source = new ReadableStream<string>({
  async pull(controller) {
    const svc = services[pulls++];
    if (svc === undefined) return controller.close();
    const { rows } = await coral.db.query(
      `SELECT http_route, http_status_code, duration_ns FROM spans WHERE service_name = '${svc}' AND kind = 'SERVER' ORDER BY start_time_unix_nano LIMIT 40`,
    );
    const text = rows.map((r) => `svc=${svc} route=${r.http_route} status=${r.http_status_code} ms=${(Number(r.duration_ns) / 1e6).toFixed(1)} note=${notes[svc] ?? "-"}\n`).join("");
    controller.enqueue(text);
  },
}, new CountQueuingStrategy({ highWaterMark: 1 }));

// Simulated transport: re-chunks the bytes into 7-byte pieces, splitting UTF-8 sequences.
function rechunk(size: number): TransformStream<Uint8Array, Uint8Array> {
  let pending = new Uint8Array(0);
  return new TransformStream({
    transform(chunk, controller) {
      const all = new Uint8Array(pending.length + chunk.length);
      all.set(pending);
      all.set(chunk, pending.length);
      let i = 0;
      for (; i + size <= all.length; i += size) controller.enqueue(all.slice(i, i + size));
      pending = all.slice(i);
    },
    flush(controller) {
      if (pending.length) controller.enqueue(pending);
    },
  });
}

// Line splitter, then parser; malformed lines are counted, not fatal.
let byteChunks = 0, splitCodePoints = 0;
const strict = new TextDecoder("utf-8", { fatal: true });
const countBytes = new TransformStream<Uint8Array, Uint8Array>({
  transform(chunk, controller) {
    byteChunks++;
    try {
      strict.decode(chunk);
    } catch {
      splitCodePoints++; // this piece starts or ends in the middle of a character
    }
    controller.enqueue(chunk);
  },
});
function lines(): TransformStream<string, string> {
  let buffer = "";
  return new TransformStream({
    transform(text, controller) {
      buffer += text;
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      for (const p of parts) if (p) controller.enqueue(p);
    },
    flush(controller) {
      if (buffer) controller.enqueue(buffer);
    },
  });
}
let malformed = 0;
const parse = new TransformStream<string, Event>({
  transform(line, controller) {
    const m = /^svc=(\S+) route=(\S+) status=(\d+) ms=([\d.]+) note=(.*)$/.exec(line);
    if (!m) { malformed++; return; }
    controller.enqueue({ service: m[1], route: m[2], status: Number(m[3]), ms: Number(m[4]), note: m[5] });
  },
});

const events = source
  .pipeThrough(new TextEncoderStream())
  .pipeThrough(rechunk(7))
  .pipeThrough(countBytes)
  .pipeThrough(new TextDecoderStream())
  .pipeThrough(lines())
  .pipeThrough(parse);

// Two consumers: an aggregate sink and a slow-request sampler.
const [forSummary, forSlow] = events.tee();
type Agg = { n: number; errors: number; maxMs: number; note: string; routes: Set<string> };
const agg = new Map<string, Agg>();
const summarySink = new WritableStream<Event>({
  write(e) {
    const a = agg.get(e.service) ?? { n: 0, errors: 0, maxMs: 0, note: e.note, routes: new Set() };
    a.n++;
    if (e.status >= 500) a.errors++;
    a.maxMs = Math.max(a.maxMs, e.ms);
    a.routes.add(e.route);
    agg.set(e.service, a);
  },
  close() {
    console.log(`summary sink closed after ${[...agg.values()].reduce((s, a) => s + a.n, 0)} events`);
  },
});
const slow: Event[] = [];
const slowSampler = forSlow
  .pipeThrough(new TransformStream<Event, Event>({ transform(e, c) { if (e.ms > 500) c.enqueue(e); } }))
  .pipeTo(new WritableStream({ write(e) { slow.push(e); } }));

await Promise.all([forSummary.pipeTo(summarySink), slowSampler]);

console.log(`source pulls: ${pulls} (services: ${services.length}), 7-byte chunks: ${byteChunks}, malformed lines: ${malformed}`);
console.log(`7-byte chunks that cut a multi-byte character: ${splitCodePoints}`);
console.table([...agg].map(([service, a]) => ({ service, events: a.n, "5xx": a.errors, "max ms": a.maxMs.toFixed(1), routes: a.routes.size, note: a.note })));
console.log(`slow (>500 ms) requests sampled: ${slow.length}`);
for (const e of slow.slice(0, 5)) console.log(`  ${e.service.padEnd(12)} ${e.route.padEnd(22)} ${e.status} ${e.ms.toFixed(1)} ms`);

// A bad upstream byte is caught by a fatal decoder and aborts the pipeline cleanly.
const corrupt = ReadableStream.from([new TextEncoder().encode("svc=x route=/a status=200 ms=1.0 note=ok\n"), new Uint8Array([0x6e, 0x6f, 0x74, 0x65, 0xff, 0x0a])]);
let received = 0;
try {
  await corrupt
    .pipeThrough(new TextDecoderStream("utf-8", { fatal: true }))
    .pipeThrough(lines())
    .pipeTo(new WritableStream({ write() { received++; } }));
  console.log("corrupt feed: accepted (unexpected)");
} catch (e) {
  console.log(`corrupt feed: ${(e as Error).constructor.name} after ${received} line(s)`);
}

// Early exit: stop reading after the first 3 lines, which cancels the source.
let cancelled = false;
const endless = new ReadableStream<string>({
  pull(c) { c.enqueue("svc=heartbeat route=/ping status=200 ms=0.1 note=-\n"); },
  cancel() { cancelled = true; },
});
let taken = 0;
for await (const _line of endless.pipeThrough(lines())) if (++taken === 3) break;
// Cancellation travels back through the pipe asynchronously; let it settle.
await new Promise((resolve) => setTimeout(resolve, 0));
console.log(`early exit after ${taken} lines, upstream cancelled: ${cancelled}`);
