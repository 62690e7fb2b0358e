// @args --deterministic
// The built-ins that take locales: Number/BigInt/Date toLocale*String,
// String.prototype.localeCompare, normalize, toLocaleUpperCase/LowerCase,
// Array.prototype.toLocaleString.
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
const d = new Date(Date.UTC(2025, 2, 9, 6, 30, 15, 123));
const hex = (s: string) => Array.from(s, (c) => c.codePointAt(0)!.toString(16).padStart(4, "0")).join(" ");

// Number.prototype.toLocaleString
t("number default", () => (1234567.891).toLocaleString());
t("number en-US", () => (1234567.891).toLocaleString("en-US"));
t("number de-DE", () => (1234567.891).toLocaleString("de-DE"));
t("number fr-FR", () => (1234567.891).toLocaleString("fr-FR"));
t("number hi-IN", () => (1234567.891).toLocaleString("hi-IN"));
t("number locale list", () => (1234.5).toLocaleString(["xx-XX", "de-DE"]));
t("number percent", () => (0.1234).toLocaleString("en-US", { style: "percent", minimumFractionDigits: 1 }));
t("number unit ms", () => (512.345).toLocaleString("en-US", { style: "unit", unit: "millisecond", maximumFractionDigits: 1 }));
t("number currency ja-JP", () => (98765).toLocaleString("ja-JP", { style: "currency", currency: "JPY" }));
t("number compact", () => (1_530_000).toLocaleString("en-US", { notation: "compact", maximumFractionDigits: 1 }));
t("number 2 decimals", () => (2 / 3).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
t("number NaN/-0", () => [NaN.toLocaleString("en-US"), (-0).toLocaleString("en-US")]);
// BigInt.prototype.toLocaleString
t("bigint en-US", () => (12345678901234567890n).toLocaleString("en-US"));
t("bigint de-DE currency", () => (1234567n).toLocaleString("de-DE", { style: "currency", currency: "EUR" }));
t("bigint hi-IN", () => (123456789n).toLocaleString("hi-IN"));
// Date.prototype.toLocale*String
t("date toLocaleString default UTC", () => d.toLocaleString());
t("date toLocaleString en-US UTC", () => d.toLocaleString("en-US", { timeZone: "UTC" }));
t("date toLocaleString en-GB London", () => d.toLocaleString("en-GB", { timeZone: "Europe/London" }));
t("date toLocaleString de-DE Berlin", () => d.toLocaleString("de-DE", { timeZone: "Europe/Berlin" }));
t("date toLocaleString ja-JP Tokyo", () => d.toLocaleString("ja-JP", { timeZone: "Asia/Tokyo" }));
t("date toLocaleString hi-IN Kolkata", () => d.toLocaleString("hi-IN", { timeZone: "Asia/Kolkata" }));
t("date toLocaleString zh-CN", () => d.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }));
t("date toLocaleString pt-BR", () => d.toLocaleString("pt-BR", { timeZone: "America/Sao_Paulo" }));
t("date toLocaleString New_York", () => d.toLocaleString("en-US", { timeZone: "America/New_York", timeZoneName: "short" }));
t("date toLocaleDateString default", () => d.toLocaleDateString());
t("date toLocaleDateString fr-FR", () => d.toLocaleDateString("fr-FR", { timeZone: "UTC" }));
t("date toLocaleDateString es-ES long", () => d.toLocaleDateString("es-ES", { dateStyle: "long", timeZone: "UTC" }));
t("date toLocaleDateString weekday", () => d.toLocaleDateString("en-US", { weekday: "long", month: "short", day: "numeric", timeZone: "Asia/Tokyo" }));
t("date toLocaleTimeString default", () => d.toLocaleTimeString());
t("date toLocaleTimeString en-US NY", () => d.toLocaleTimeString("en-US", { timeZone: "America/New_York" }));
t("date toLocaleTimeString de-DE", () => d.toLocaleTimeString("de-DE", { timeZone: "UTC" }));
t("date toLocaleTimeString hour12 false", () => d.toLocaleTimeString("en-US", { hour12: false, timeZone: "Asia/Kolkata" }));
t("date toLocaleTimeString h:mm", () => d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" }));
t("date invalid", () => new Date(NaN).toLocaleString("en-US"));
// Array.prototype.toLocaleString
t("array toLocaleString de-DE", () => [1234.5, 0.5, d].toLocaleString("de-DE", { timeZone: "UTC" } as Intl.NumberFormatOptions & Intl.DateTimeFormatOptions));
// String.prototype.localeCompare
t("localeCompare basic", () => ["a".localeCompare("b"), "b".localeCompare("a"), "a".localeCompare("a")].map(Math.sign));
t("localeCompare case", () => ["a".localeCompare("B"), "a".localeCompare("A"), "A".localeCompare("a")].map(Math.sign));
t("localeCompare accents", () => ["résumé".localeCompare("resume"), "résumé".localeCompare("resume", "en", { sensitivity: "base" })].map(Math.sign));
t("localeCompare numeric", () => ["svc10".localeCompare("svc9"), "svc10".localeCompare("svc9", undefined, { numeric: true })].map(Math.sign));
for (const s of ["base", "accent", "case", "variant"] as const) {
  t(`localeCompare sensitivity ${s}`, () => [["a", "A"], ["a", "á"], ["a", "b"]].map(([x, y]) => Math.sign(x.localeCompare(y, "en", { sensitivity: s }))));
}
t("localeCompare de vs sv", () => [Math.sign("ä".localeCompare("z", "de")), Math.sign("ä".localeCompare("z", "sv"))]);
t("sort localeCompare", () => ["svc1", "svc10", "svc9"].sort((a, b) => a.localeCompare(b)));
t("sort localeCompare numeric", () => ["svc1", "svc10", "svc9"].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
t("sort localeCompare mixed case", () => ["beta", "Alpha", "alpha", "Beta", "_x", "10", "9"].sort((a, b) => a.localeCompare(b)));
t("sort localeCompare canonical equivalence", () => Math.sign("e\u0301".localeCompare("\u00e9")));
// String.prototype.normalize
for (const f of ["NFC", "NFD", "NFKC", "NFKD"] as const) {
  t(`normalize ${f}`, () => ["é", "e\u0301", "ﬁ", "①", "Å", "ｶﾞ", "한"].map((s) => hex(s.normalize(f))).join(" / "));
}
t("normalize default is NFC", () => "e\u0301".normalize() === "\u00e9");
t("normalize bad form", () => "x".normalize("NFX" as "NFC"));
// Case mapping
t("toLocaleUpperCase tr", () => ["i", "ı", "istanbul"].map((s) => s.toLocaleUpperCase("tr")));
t("toLocaleLowerCase tr", () => ["I", "İ", "ISTANBUL"].map((s) => s.toLocaleLowerCase("tr")));
t("toLocaleUpperCase en i", () => "istanbul".toLocaleUpperCase("en-US"));
t("toLocaleLowerCase en İ", () => hex("İ".toLocaleLowerCase("en-US")));
t("toLocaleUpperCase az", () => "i".toLocaleUpperCase("az"));
t("toLocaleLowerCase lt", () => ["I\u0300", "\u00cc", "J\u0301"].map((s) => hex(s.toLocaleLowerCase("lt"))));
t("toLocaleUpperCase lt", () => hex("i\u0307".toLocaleUpperCase("lt")));
t("toLocaleUpperCase de ß", () => "straße".toLocaleUpperCase("de-DE"));
t("toLocaleUpperCase el", () => "άδεια".toLocaleUpperCase("el"));
t("toUpperCase special", () => ["ﬁ", "ŉ", "ǰ"].map((s) => s.toUpperCase()));
t("toLowerCase final sigma", () => "ΟΔΟΣ ΣΑ".toLowerCase());
t("toLocaleUpperCase locale list", () => "i".toLocaleUpperCase(["tr", "en"]));
// A lone surrogate (a string cut inside an emoji) still compares and sorts.
console.log(`lone surrogate compare: ${["b\ud83d", "a\ud83d", "c"].sort((x, y) => x.localeCompare(y)).map((s) => s.length).join(",")} ${"x\ud800".localeCompare("x")}`);
