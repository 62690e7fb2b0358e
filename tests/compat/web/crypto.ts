// @args --deterministic
// crypto.getRandomValues, randomUUID (seeded under --deterministic, the same
// on both engines) and subtle.digest.
const show = async (label: string, f: () => unknown) => {
  try {
    console.log(`${label}: ${await f()}`);
  } catch (e) {
    const err = e as DOMException;
    console.log(`${label}: threw ${err.name}`);
  }
};
const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");
await show("getRandomValues u8", () => crypto.getRandomValues(new Uint8Array(8)).join(","));
await show("getRandomValues u32", () => crypto.getRandomValues(new Uint32Array(2)).join(","));
await show("randomUUID", () => crypto.randomUUID());
await show("uuid shape", () => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()));
await show("same array returned", () => {
  const a = new Int16Array(4);
  return crypto.getRandomValues(a) === a;
});
await show("float array", () => crypto.getRandomValues(new Float64Array(2) as unknown as Uint8Array));
await show("quota", () => crypto.getRandomValues(new Uint8Array(65537)));
const data = new TextEncoder().encode("payments p99=512ms") as Uint8Array<ArrayBuffer>;
for (const alg of ["SHA-1", "SHA-256", "SHA-384", "SHA-512"]) {
  await show(`digest ${alg}`, async () => hex(await crypto.subtle.digest(alg, data)));
}
await show("digest object name", async () => hex(await crypto.subtle.digest({ name: "sha-256" }, data.buffer)));
await show("digest empty", async () => hex(await crypto.subtle.digest("SHA-256", new Uint8Array(0))));
await show("digest unknown", async () => hex(await crypto.subtle.digest("MD5", data)));
await show("digest not bytes", async () => hex(await crypto.subtle.digest("SHA-256", "text" as unknown as ArrayBuffer)));
await show("tags", () => `${Object.prototype.toString.call(crypto)} ${Object.prototype.toString.call(crypto.subtle)}`);
await show("Math.random after", () => Math.random());
