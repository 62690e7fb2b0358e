// @args --deterministic
// atob and btoa: round trips, padding, whitespace, Latin-1 and the errors.
const show = (label: string, f: () => unknown) => {
  try {
    console.log(`${label}: ${JSON.stringify(f())}`);
  } catch (e) {
    const err = e as Error;
    console.log(`${label}: threw ${err.name} ${err instanceof DOMException ? err.code : ""} ${err.message}`);
  }
};
show("btoa ascii", () => btoa("service=payments&p99=512"));
show("btoa empty", () => btoa(""));
show("btoa one byte", () => btoa("a"));
show("btoa two bytes", () => btoa("ab"));
show("btoa latin1", () => btoa("caf\u00e9 \u00ff"));
show("btoa number", () => btoa(12345 as unknown as string));
show("btoa outside latin1", () => btoa("\u20ac"));
show("atob", () => atob("c2VydmljZT1wYXltZW50cyZwOTk9NTEy"));
show("atob no padding", () => atob("YWI"));
show("atob whitespace", () => atob(" YW\nJj\tZA== "));
show("atob latin1", () => atob("Y2Fm6SD/"));
show("atob bad char", () => atob("YW*j"));
show("atob bad length", () => atob("YWJjZ"));
show("atob too much padding", () => atob("YQ==="));
show("round trip binary", () => {
  let s = "";
  for (let i = 0; i < 256; i++) s += String.fromCharCode(i);
  return atob(btoa(s)) === s;
});
show("jwt payload", () => JSON.parse(atob("eyJzdWIiOiJvcHMiLCJyb2xlIjoic3JlIn0")));
