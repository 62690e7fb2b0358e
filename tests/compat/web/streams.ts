// @args --deterministic
// Streams: readers, TransformStream, queuing strategies, ReadableStream.from,
// TextEncoderStream/TextDecoderStream, CompressionStream/DecompressionStream
// (gzip, deflate, deflate-raw; corrupt and truncated input).
const rs = new ReadableStream({ start(c) { c.enqueue("a"); c.enqueue("b"); c.close(); } });
console.log(rs);
console.log(new WritableStream(), new TransformStream());
const reader = rs.getReader();
console.log(reader, rs);
console.log(new CountQueuingStrategy({ highWaterMark: 3 }), new ByteLengthQueuingStrategy({ highWaterMark: 10 }));
console.log(String(Object.prototype.toString.call(rs)), Object.prototype.toString.call(reader));
console.log(await reader.read(), await reader.read(), await reader.read());
console.log(new TextEncoderStream(), new TextDecoderStream());
console.log(typeof CompressionStream, typeof ReadableStream.from);
const text = "p99 latency report ".repeat(100);
const collect = async (rs: ReadableStream<Uint8Array>) => { const parts: Uint8Array[] = []; for await (const p of rs) parts.push(p); const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let at = 0; for (const p of parts) { out.set(p, at); at += p.length; } return out; };
for (const f of ["gzip", "deflate", "deflate-raw"] as const) {
  const z = await collect(new Blob([text]).stream().pipeThrough(new CompressionStream(f)));
  const back = await collect(new Blob([z]).stream().pipeThrough(new DecompressionStream(f)));
  console.log(f, z.length < text.length, new TextDecoder().decode(back) === text);
}
const bad = new Blob([new Uint8Array([1, 2, 3])]).stream().pipeThrough(new DecompressionStream("gzip"));
try { await collect(bad); } catch (e) { console.log("corrupt:", (e as Error).name); }
const trunc = await collect(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip")));
try { await collect(new Blob([trunc.slice(0, 20)]).stream().pipeThrough(new DecompressionStream("gzip"))); } catch (e) { console.log("truncated:", (e as Error).name); }
console.log(new CompressionStream("gzip"));
const te = new TextEncoderStream(); const w = te.writable.getWriter(); w.write("h\ud83d"); w.write("\ude00i"); w.close();
console.log(await collect(te.readable));
const td = new Blob([new Uint8Array([0xe2, 0x82, 0xac, 0xf0, 0x9f])]).stream().pipeThrough(new TextDecoderStream());
let s = ""; for await (const c of td) s += c; console.log(JSON.stringify(s));
console.log(await Array.fromAsync(ReadableStream.from(["a", "b"])));
// Piping through a chain, backpressure with a high-water mark, errors.
const upper = new TransformStream<string, string>({ transform(chunk, c) { c.enqueue(chunk.toUpperCase()); } });
const piped = ReadableStream.from(["checkout ", "payments"]).pipeThrough(upper);
let joined = ""; for await (const part of piped) joined += part; console.log(joined);
const seen: string[] = [];
const ws = new WritableStream<string>({ write(chunk) { seen.push(chunk); } }, new CountQueuingStrategy({ highWaterMark: 2 }));
const writer = ws.getWriter();
console.log("desiredSize", writer.desiredSize);
await writer.write("a"); await writer.write("b"); await writer.close();
console.log(seen, ws.locked);
const failing = new ReadableStream({ pull(c) { c.error(new TypeError("upstream failed")); } });
try { await failing.getReader().read(); } catch (e) { console.log("errored:", (e as Error).message); }
console.log(await new Response(new Blob(["via response"]).stream().pipeThrough(new CompressionStream("gzip")).pipeThrough(new DecompressionStream("gzip"))).text());
