// @args --deterministic
// Headers, Blob and navigator's language.
const show = async (label: string, f: () => unknown) => {
  try {
    console.log(`${label}: ${await f()}`);
  } catch (e) {
    console.log(`${label}: threw ${(e as Error).name}`);
  }
};
const h = new Headers({ "Content-Type": "application/json", "X-Trace-Id": "  abc123  " });
h.append("Accept", "text/plain");
h.append("accept", "application/json");
h.append("Set-Cookie", "a=1");
h.append("Set-Cookie", "b=2");
await show("get", () => [h.get("content-type"), h.get("x-trace-id"), h.get("ACCEPT"), h.get("missing")].join(" | "));
await show("has", () => [h.has("Accept"), h.has("nope")].join(","));
await show("entries", () => JSON.stringify([...h]));
await show("getSetCookie", () => JSON.stringify(h.getSetCookie()));
h.set("accept", "*/*");
h.delete("x-trace-id");
await show("after set/delete", () => JSON.stringify([...h.keys()]));
await show("bad name", () => new Headers({ "bad name": "x" }));
await show("bad value", () => h.set("x", "a\nb"));
await show("from pairs", () => JSON.stringify([...new Headers([["b", "2"], ["a", "1"]])]));
await show("copy", () => new Headers(h).get("accept"));
let each = "";
new Headers({ x: "1", y: "2" }).forEach((v, k) => (each += `${k}:${v};`));
await show("forEach", () => each);
const blob = new Blob(["p99=", "512ms ", new Uint8Array([0xe2, 0x9c, 0x93])], { type: "Text/Plain" });
await show("blob size/type", () => `${blob.size} ${blob.type}`);
await show("blob text", () => blob.text());
await show("blob bytes", async () => (await blob.bytes()).join(","));
await show("blob slice", () => blob.slice(4, 9).text());
await show("blob negative slice", () => blob.slice(-3).arrayBuffer().then((b) => b.byteLength));
await show("blob of blobs", () => new Blob([blob, "!"]).text());
await show("blob bad parts", () => new Blob("text" as unknown as string[]));
await show("navigator language", () => `${navigator.language} ${JSON.stringify(navigator.languages)}`);
await show("tags", () => `${Object.prototype.toString.call(h)} ${Object.prototype.toString.call(blob)} ${Object.prototype.toString.call(navigator)}`);
