// @args --deterministic
// Intl.DisplayNames: language (dialect/standard), region, script, currency,
// calendar and dateTimeField names; styles; fallback code/none.
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
type DN = Intl.DisplayNamesOptions;
const dn = (l: string, o: DN) => new Intl.DisplayNames(l, o);
const of = (l: string, o: DN, codes: string[]) => codes.map((c) => `${c}=${dn(l, o).of(c)}`).join("; ");
const LOCALES = ["en-US", "en-GB", "de-DE", "fr-FR", "ja-JP", "es-ES", "pt-BR", "hi-IN", "zh-CN"];

for (const l of LOCALES) t(`region ${l}`, () => of(l, { type: "region" }, ["US", "DE", "JP", "IN", "BR"]));
for (const l of LOCALES) t(`language ${l}`, () => of(l, { type: "language" }, ["en", "de", "ja", "zh", "hi"]));
t("language dialect en", () => of("en", { type: "language" }, ["en-US", "en-GB", "pt-BR", "zh-Hans", "zh-Hant-TW", "es-419", "fr-CA"]));
t("language standard en", () => of("en", { type: "language", languageDisplay: "standard" }, ["en-US", "en-GB", "pt-BR", "zh-Hans"]));
t("language short en", () => of("en", { type: "language", style: "short" }, ["en-US", "en-GB"]));
t("region styles en", () => ["long", "short", "narrow"].map((style) => of("en", { type: "region", style: style as DN["style"] }, ["GB", "US", "HK"])));
t("region numeric en", () => of("en", { type: "region" }, ["419", "001", "150"]));
t("script en", () => of("en", { type: "script" }, ["Latn", "Cyrl", "Hans", "Hant", "Arab", "Deva"]));
t("script de-DE", () => of("de-DE", { type: "script" }, ["Latn", "Cyrl", "Hans"]));
t("currency en", () => of("en", { type: "currency" }, ["USD", "EUR", "JPY", "INR", "BRL", "CNY"]));
t("currency de-DE", () => of("de-DE", { type: "currency" }, ["USD", "EUR", "JPY", "INR"]));
t("currency ja-JP", () => of("ja-JP", { type: "currency" }, ["USD", "EUR", "JPY"]));
t("currency short/narrow en", () => [of("en", { type: "currency", style: "short" }, ["USD", "EUR"]), of("en", { type: "currency", style: "narrow" }, ["USD", "EUR"])]);
t("currency lower-case code", () => dn("en", { type: "currency" }).of("usd"));
t("calendar en", () => of("en", { type: "calendar" }, ["gregory", "japanese", "buddhist", "islamic", "iso8601"]));
t("calendar fr-FR", () => of("fr-FR", { type: "calendar" }, ["gregory", "japanese"]));
t("dateTimeField en", () => of("en", { type: "dateTimeField" }, ["era", "year", "quarter", "month", "weekOfYear", "weekday", "day", "dayPeriod", "hour", "minute", "second", "timeZoneName"]));
t("dateTimeField short en", () => of("en", { type: "dateTimeField", style: "short" }, ["year", "month", "minute", "second"]));
t("dateTimeField de-DE", () => of("de-DE", { type: "dateTimeField" }, ["year", "month", "day", "hour"]));
t("dateTimeField ja-JP", () => of("ja-JP", { type: "dateTimeField" }, ["year", "month", "day", "hour"]));
t("fallback code region", () => dn("en", { type: "region" }).of("XY"));
t("fallback none region", () => dn("en", { type: "region", fallback: "none" }).of("XY"));
t("fallback code language", () => dn("en", { type: "language" }).of("xyz"));
t("fallback none language", () => dn("en", { type: "language", fallback: "none" }).of("xyz"));
t("fallback none currency", () => dn("en", { type: "currency", fallback: "none" }).of("XXY"));
t("unknown region ZZ", () => dn("en", { type: "region" }).of("ZZ"));
t("invalid region code", () => dn("en", { type: "region" }).of("1"));
t("invalid currency code", () => dn("en", { type: "currency" }).of("US"));
t("invalid dateTimeField", () => dn("en", { type: "dateTimeField" }).of("fortnight"));
t("missing type", () => new Intl.DisplayNames("en", {} as DN));
t("resolvedOptions region", () => dn("en-US", { type: "region" }).resolvedOptions());
t("resolvedOptions language", () => dn("fr-FR", { type: "language", style: "narrow", fallback: "none", languageDisplay: "standard" }).resolvedOptions());
