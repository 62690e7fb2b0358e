// @args --deterministic
// Intl.Collator: comparison signs, numeric collation, sensitivity levels,
// caseFirst, ignorePunctuation, usage search, collation types, and sorting
// lists of service names as report scripts do.
// One line per case, `label: result`; invisible characters are shown as \u{..}.
const esc = (s: string) => s.replace(/[\p{Zs}\p{Cf}]/gu, (c) => (c === " " ? c : `\\u{${c.codePointAt(0)!.toString(16)}}`));
function t(label: string, f: () => unknown): void {
  let out: string;
  try {
    const v = f();
    out = typeof v === "string" ? v : JSON.stringify(v);
  } catch (e) {
    out = `threw ${(e as Error)?.constructor?.name}`;
  }
  console.log(`${label}: ${esc(String(out))}`);
}
const col = (l: string, o?: Intl.CollatorOptions) => new Intl.Collator(l, o);
// compare() promises only the sign; print -1/0/1.
const cmp = (c: Intl.Collator, pairs: [string, string][]) => pairs.map(([a, b]) => `${a}|${b}=${Math.sign(c.compare(a, b))}`).join(" ");
const sorted = (c: Intl.Collator, xs: string[]) => [...xs].sort(c.compare).join(" ");
const SERVICES = ["svc10", "svc9", "svc1", "Svc2", "api-gateway", "API-gateway", "auth", "Auth", "payments-v10", "payments-v2", "zeta", "éclair", "eclair", "_internal", "node-03", "node-3"];

t("basic en", () => cmp(col("en"), [["a", "b"], ["b", "a"], ["a", "a"], ["a", "B"], ["Z", "a"]]));
t("default vs code units", () => [cmp(col("en"), [["a", "B"]]), "a" < "B" ? "a<B" : "a>B"]);
t("accented en", () => cmp(col("en"), [["résumé", "resume"], ["résumé", "rf"], ["Ärger", "Zorn"]]));
t("numeric false", () => cmp(col("en"), [["svc10", "svc9"], ["2", "10"]]));
t("numeric true", () => cmp(col("en", { numeric: true }), [["svc10", "svc9"], ["2", "10"], ["v1.10", "v1.9"], ["007", "7"]]));
t("numeric via -u-kn", () => cmp(col("en-u-kn"), [["svc10", "svc9"]]));
for (const s of ["base", "accent", "case", "variant"] as const) {
  t(`sensitivity ${s}`, () => cmp(col("en", { sensitivity: s }), [["a", "A"], ["a", "á"], ["a", "b"], ["a", "Á"]]));
}
t("caseFirst upper", () => sorted(col("en", { caseFirst: "upper" }), ["b", "a", "B", "A"]));
t("caseFirst lower", () => sorted(col("en", { caseFirst: "lower" }), ["b", "a", "B", "A"]));
t("caseFirst false", () => sorted(col("en", { caseFirst: "false" }), ["b", "a", "B", "A"]));
t("ignorePunctuation", () => cmp(col("en", { ignorePunctuation: true }), [["a-b", "ab"], ["a b", "ab"]]));
t("no ignorePunctuation", () => cmp(col("en"), [["a-b", "ab"], ["a b", "ab"]]));
t("usage search base", () => cmp(col("en", { usage: "search", sensitivity: "base" }), [["résumé", "RESUME"], ["a", "b"]]));
t("search filter", () => ["Zürich", "zurich", "ZURICH", "Zug"].filter((x) => col("de", { usage: "search", sensitivity: "base" }).compare(x, "zurich") === 0));
t("German ä", () => sorted(col("de-DE"), ["Zorn", "Ärger", "Apfel", "Äpfel", "Ofen", "Öl"]));
t("German phonebook", () => sorted(col("de-DE-u-co-phonebk"), ["Müller", "Mueller", "Muller", "Mull"]));
t("Swedish ä after z", () => sorted(col("sv-SE"), ["äpple", "zebra", "apa", "öl", "å"]));
t("Spanish ñ", () => sorted(col("es-ES"), ["ñu", "nube", "oso", "nada"]));
t("French accents", () => sorted(col("fr-FR"), ["côte", "cote", "côté", "coté"]));
t("Japanese kana", () => sorted(col("ja-JP"), ["さくら", "アイ", "あい", "かき"]));
t("Chinese pinyin", () => sorted(col("zh-CN"), ["张", "李", "王", "赵", "陈"]));
t("Hindi", () => sorted(col("hi-IN"), ["मुंबई", "दिल्ली", "कोलकाता", "चेन्नई"]));
t("services en", () => sorted(col("en"), SERVICES));
t("services en numeric", () => sorted(col("en", { numeric: true }), SERVICES));
t("services en numeric base", () => sorted(col("en", { numeric: true, sensitivity: "base" }), SERVICES));
t("services default sort()", () => [...SERVICES].sort().join(" "));
t("endpoints numeric", () => sorted(col("en", { numeric: true }), ["/api/v10/items", "/api/v2/items", "/api/v1/status", "/api/v1/items", "/healthz"]));
t("empty and whitespace", () => cmp(col("en"), [["", "a"], [" ", ""], ["a", "a "]]));
t("compare bound", () => { const c = col("en").compare; return [c("b", "a"), ["c", "a", "b"].sort(c)]; });
t("resolvedOptions en", () => col("en").resolvedOptions());
t("resolvedOptions search de", () => col("de-DE", { usage: "search", sensitivity: "base", numeric: true, caseFirst: "upper" }).resolvedOptions());
t("resolvedOptions -u-co-phonebk", () => col("de-u-co-phonebk").resolvedOptions().collation);
