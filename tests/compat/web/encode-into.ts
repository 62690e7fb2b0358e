// @args --deterministic
// TextEncoder.encodeInto: whole code points only, read/written counts.
const enc = new TextEncoder();
for (const [text, size] of [["p99", 8], ["café", 4], ["café", 5], ["日本", 5], ["a😀b", 4], ["a😀b", 6], ["x\ud800y", 8], ["", 2]] as [string, number][]) {
  const buf = new Uint8Array(size);
  const { read, written } = enc.encodeInto(text, buf);
  console.log(`${JSON.stringify(text)} into ${size}: read ${read} written ${written} bytes ${[...buf.subarray(0, written)].join(",")}`);
}
try {
  enc.encodeInto("x", [] as unknown as Uint8Array);
} catch (e) {
  console.log(`not a Uint8Array: ${(e as Error).name}`);
}
