// @args --deterministic
// URL and URLSearchParams: parsing, relative resolution, setters, encoding,
// the link between a URL and its searchParams.
const show = (label: string, f: () => unknown) => {
  try {
    console.log(`${label}: ${f()}`);
  } catch (e) {
    console.log(`${label}: threw ${(e as Error).name}`);
  }
};
const u = new URL("https://user:pw@Grafana.Example.com:8443/d/abc/payments?var-service=payments&from=now-1h#panel-2");
show("attributes", () => [u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash, u.origin].join(" | "));
show("href", () => u.href);
show("relative", () => new URL("../api/v1/query?x=1", "http://colony.local:9000/ui/dash/").href);
show("default port dropped", () => new URL("https://example.com:443/a").href);
show("idna", () => new URL("https://bücher.example/straße").href);
show("spaces and unicode path", () => new URL("http://h/a b/ü?q=a b#f g").href);
show("ipv6", () => new URL("http://[::1]:8080/metrics").host);
show("file", () => new URL("file:///var/log/app.log").pathname);
show("invalid", () => new URL("not a url"));
show("invalid with base", () => new URL("//", "mailto:x"));
show("canParse", () => [URL.canParse("https://a/b"), URL.canParse("nope"), URL.canParse("/x", "https://a")].join(","));
show("parse", () => [URL.parse("nope"), URL.parse("/x", "https://a")?.href].join(","));
const v = new URL("http://localhost:3000/traces");
v.pathname = "/traces/abc 123";
v.port = "4000";
v.hash = "span-7";
v.search = "?limit=10";
show("setters", () => v.href);
v.protocol = "https";
show("protocol setter", () => v.href);
v.port = "443";
show("port to default", () => v.href);
v.host = "colony.internal:9443";
show("host setter", () => v.href);
show("toJSON", () => JSON.stringify({ u: new URL("http://a/b?c=d") }));
show("String()", () => String(new URL("HTTP://A/%7e")));
const p = new URLSearchParams("?service=payments&tag=a&tag=b&q=p99+%3E+500ms&empty=");
show("params get", () => [p.get("service"), p.getAll("tag").join("+"), p.get("q"), JSON.stringify(p.get("empty")), p.get("missing")].join(" | "));
show("params has/size", () => [p.has("tag"), p.has("tag", "b"), p.has("tag", "z"), p.size].join(","));
p.append("region", "eu west");
p.set("tag", "c");
p.delete("empty");
show("params toString", () => p.toString());
p.sort();
show("params sorted", () => [...p.keys()].join(","));
show("params entries", () => JSON.stringify([...p]));
show("from object", () => new URLSearchParams({ a: "1", b: "x y&z=é" }).toString());
show("from pairs", () => new URLSearchParams([["k", "v"], ["k", "w"]]).toString());
show("bad pairs", () => new URLSearchParams([["k"]] as unknown as string[][]));
const w = new URL("https://grafana/d/x?from=now-6h");
w.searchParams.set("to", "now");
w.searchParams.append("var-svc", "api gateway");
show("linked", () => w.href);
w.search = "?a=1";
show("search resets params", () => [...w.searchParams.keys()].join(","));
w.searchParams.delete("a");
show("empty params drop ?", () => w.href);
let seen = "";
new URLSearchParams("x=1&y=2").forEach((value, key) => (seen += `${key}=${value};`));
show("forEach", () => seen);
show("tags", () => `${Object.prototype.toString.call(u)} ${Object.prototype.toString.call(p)}`);
