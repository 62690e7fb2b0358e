// @args --deterministic
// File, FormData, Request and Response (no fetch): construction, the
// bodies each init gives (text, JSON, bytes, blobs, multipart and
// urlencoded form data, streams), consumption, clones, and the checks.
const f = new File(["ab", new Uint8Array([99])], "report.csv", { type: "Text/CSV", lastModified: 42 });
console.log(f, f.name, f.size, f.type, f.lastModified, f instanceof Blob, Object.prototype.toString.call(f), (f as any).webkitRelativePath);
const fd = new FormData();
fd.append("service", "checkout");
fd.append("file", f);
fd.append("blob", new Blob(["x"]));
fd.append("blob2", new Blob(["x"]), "named.txt");
console.log(fd);
console.log([...fd.keys()], fd.get("blob"), (fd.get("blob") as File).name, (fd.get("blob2") as File).name);
const r = new Response("hello", { status: 201, headers: { "x-a": "1" } });
console.log(r);
console.log(new Request("https://example.com/a?b=1", { method: "post", body: "x" }));
console.log(Response.json({ a: 1 }).headers.get("content-type"), new Response(fd).headers.get("content-type")?.slice(0, 30));
console.log(new Response(new URLSearchParams("a=1")).headers.get("content-type"), new Response(new Blob([""], {type: "a/b"})).headers.get("content-type"), new Response(new Uint8Array(1)).headers.get("content-type"));
const t = (l: string, g: () => unknown) => { try { const v = g(); console.log(l, v); } catch (e) { console.log(l, "threw", (e as Error).name, (e as Error).message); } };
t("status 99", () => new Response("", { status: 99 }));
t("204 body", () => new Response("x", { status: 204 }));
t("get body", () => new Request("https://x/", { body: "x" }));
t("relative", () => new Request("/a"));
t("method", () => new Request("https://x/", { method: "CONNECT" }));
t("bad method", () => new Request("https://x/", { method: "a b" }));
t("redirect", () => Response.redirect("https://x/", 200));
t("error", () => Response.error());
t("redirect ok", () => Response.redirect("https://x/y", 301).headers.get("location"));
const used = new Response("once");
console.log(await used.text(), used.bodyUsed);
await used.text().catch((e) => console.log("again", e.name, e.message));
console.log(await new Response(fd).formData().then((x) => [...x.entries()].map(([k, v]) => [k, typeof v === "string" ? v : `${(v as File).name}:${(v as File).type}:${(v as File).size}`])));
console.log(await new Response("a=1&b=%20x", { headers: { "content-type": "application/x-www-form-urlencoded" } }).formData().then((x) => [...x]));
console.log(await new Response('{"a":[1]}').json(), await new Response(new Uint8Array([104, 105])).text(), await new Response("hi").bytes(), await new Response("hi").blob());
console.log(new Response(null).body, new Response("").body === null, typeof new Response("x").body);
const c = new Response("clone me"); const c2 = c.clone(); console.log(await c.text(), await c2.text());
const req = new Request("https://x/p", { method: "PUT", body: "data", headers: { a: "b" } }); const req2 = new Request(req, { headers: { c: "d" } });
console.log(req2.method, [...req2.headers], await req2.text(), req.bodyUsed);
console.log(await new Request("https://x/", { method: "POST", body: new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("streamed")); c.close(); } }) }).text());
console.log(new Response("x", { status: 404, statusText: "Nope" }).ok, Response.error().type, new Response().url, new Response().redirected, new Request("https://x/").signal instanceof AbortSignal, new Request("https://x/").redirect, new Request("https://x/").cache, new Request("https://x/").credentials, new Request("https://x/").mode);
