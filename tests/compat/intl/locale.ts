// @args --deterministic
// Intl.Locale, Intl.getCanonicalLocales, Intl.supportedValuesOf,
// supportedLocalesOf and resolvedOptions of every constructor, default locale.
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
const props = (loc: Intl.Locale) => {
  const o: Record<string, unknown> = {};
  for (const k of ["baseName", "language", "script", "region", "calendar", "collation", "hourCycle", "caseFirst", "numeric", "numberingSystem"] as const) {
    if (loc[k] !== undefined) o[k] = loc[k];
  }
  return o;
};
const sorted = (xs: string[]) => xs.every((x, i) => i === 0 || xs[i - 1] < x);

t("Locale full tag", () => props(new Intl.Locale("en-Latn-US-u-ca-gregory-co-phonebk-hc-h23-kf-upper-kn-nu-latn")));
t("Locale toString", () => new Intl.Locale("EN-latn-us-U-CA-GREGORY").toString());
t("Locale with options", () => new Intl.Locale("en", { region: "GB", calendar: "buddhist", hourCycle: "h12", numeric: true }).toString());
t("Locale options override", () => new Intl.Locale("en-US-u-hc-h12", { hourCycle: "h23" }).toString());
t("Locale basic", () => props(new Intl.Locale("de-DE")));
t("maximize", () => ["en", "de", "ja", "zh", "zh-TW", "pt", "hi", "sr", "und", "und-JP"].map((x) => new Intl.Locale(x).maximize().toString()));
t("minimize", () => ["en-Latn-US", "zh-Hans-CN", "zh-Hant-TW", "pt-Latn-BR", "en-GB", "sr-Cyrl-RS", "de-Latn-AT"].map((x) => new Intl.Locale(x).minimize().toString()));
t("maximize keeps extensions", () => new Intl.Locale("ja-u-ca-japanese").maximize().toString());
t("Locale from Locale", () => new Intl.Locale(new Intl.Locale("fr-CA"), { region: "FR" }).baseName);
t("Locale invalid", () => new Intl.Locale("en_US"));
t("Locale getCalendars ja-JP", () => (new Intl.Locale("ja-JP") as unknown as { getCalendars(): string[] }).getCalendars());
t("Locale getHourCycles en-US/de-DE", () => ["en-US", "de-DE"].map((l) => (new Intl.Locale(l) as unknown as { getHourCycles(): string[] }).getHourCycles()));
t("Locale getWeekInfo en-US/de-DE", () => ["en-US", "de-DE"].map((l) => (new Intl.Locale(l) as unknown as { getWeekInfo(): unknown }).getWeekInfo()));
t("Locale getTextInfo ar", () => (new Intl.Locale("ar") as unknown as { getTextInfo(): unknown }).getTextInfo());
t("Locale getTimeZones in-IN", () => (new Intl.Locale("hi-IN") as unknown as { getTimeZones(): string[] }).getTimeZones());

t("getCanonicalLocales case", () => Intl.getCanonicalLocales(["EN-us", "zh-hant-tw", "DE", "sr-latn-rs"]));
t("getCanonicalLocales dedupe", () => Intl.getCanonicalLocales(["en-US", "en-us", "EN-US"]));
t("getCanonicalLocales aliases", () => Intl.getCanonicalLocales(["iw", "in", "ji", "mo", "tl", "sh", "cmn", "art-lojban", "en-US-u-ca-ethiopic-amete-alem"]));
t("getCanonicalLocales region alias", () => Intl.getCanonicalLocales(["de-DD", "en-UK"]));
t("getCanonicalLocales extensions", () => Intl.getCanonicalLocales(["en-u-kn-true-ca-gregory", "en-u-ca-islamicc", "de-u-co-phonebk-ka-shifted"]));
t("getCanonicalLocales string", () => Intl.getCanonicalLocales("FR-ca"));
t("getCanonicalLocales empty", () => Intl.getCanonicalLocales([]));
for (const bad of ["en_US", "x", "", "en-", "no-bok", "en-US-u", "123"]) t(`getCanonicalLocales ${JSON.stringify(bad)}`, () => Intl.getCanonicalLocales(bad));

const KEYS = ["calendar", "collation", "currency", "numberingSystem", "timeZone", "unit"] as const;
const sv = (k: (typeof KEYS)[number]) => (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf(k);
for (const k of KEYS) t(`supportedValuesOf ${k} sorted`, () => sorted(sv(k)));
t("supportedValuesOf unit", () => sv("unit"));
t("supportedValuesOf calendar has", () => ["gregory", "iso8601", "japanese", "buddhist", "islamic-umalqura"].map((x) => sv("calendar").includes(x)));
t("supportedValuesOf currency has", () => ["USD", "EUR", "JPY", "INR", "BRL", "CNY"].map((x) => sv("currency").includes(x)));
t("supportedValuesOf timeZone has", () => ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Asia/Tokyo", "Asia/Calcutta"].map((x) => sv("timeZone").includes(x)));
t("supportedValuesOf numberingSystem has", () => ["latn", "arab", "deva", "hanidec"].map((x) => sv("numberingSystem").includes(x)));
t("supportedValuesOf collation has", () => ["phonebk", "pinyin", "standard", "search"].map((x) => sv("collation").includes(x)));
t("supportedValuesOf bad key", () => sv("colour" as (typeof KEYS)[number]));

const CTORS = { Collator: Intl.Collator, DateTimeFormat: Intl.DateTimeFormat, DisplayNames: Intl.DisplayNames, ListFormat: Intl.ListFormat, NumberFormat: Intl.NumberFormat, PluralRules: Intl.PluralRules, RelativeTimeFormat: Intl.RelativeTimeFormat, Segmenter: Intl.Segmenter };
const REQ = ["en-US", "de-DE", "ja-JP", "hi-IN", "zh-CN", "tlh", "en-x-private"];
for (const [name, C] of Object.entries(CTORS)) {
  t(`${name}.supportedLocalesOf`, () => (C as unknown as { supportedLocalesOf(l: string[]): string[] }).supportedLocalesOf(REQ));
}
t("supportedLocalesOf lookup", () => Intl.NumberFormat.supportedLocalesOf(["pt-BR", "es-ES"], { localeMatcher: "lookup" }));
t("resolvedOptions Collator", () => new Intl.Collator("en-US").resolvedOptions());
t("resolvedOptions DateTimeFormat", () => new Intl.DateTimeFormat("en-US", { timeZone: "UTC" }).resolvedOptions());
t("resolvedOptions DisplayNames", () => new Intl.DisplayNames("en-US", { type: "region" }).resolvedOptions());
t("resolvedOptions ListFormat", () => new Intl.ListFormat("en-US").resolvedOptions());
t("resolvedOptions NumberFormat", () => new Intl.NumberFormat("en-US").resolvedOptions());
t("resolvedOptions PluralRules", () => new Intl.PluralRules("en-US").resolvedOptions());
t("resolvedOptions RelativeTimeFormat", () => new Intl.RelativeTimeFormat("en-US").resolvedOptions());
t("resolvedOptions Segmenter", () => new Intl.Segmenter("en-US").resolvedOptions());
t("resolvedOptions locale fallback", () => ["de-CH", "fr-BE", "es-419", "pt-PT", "zh-TW", "tlh"].map((l) => new Intl.NumberFormat(l).resolvedOptions().locale));
t("resolvedOptions unicode extensions", () => new Intl.NumberFormat("en-US-u-nu-deva-ca-japanese").resolvedOptions().locale);
t("numberingSystem deva", () => new Intl.NumberFormat("hi-IN-u-nu-deva").format(1234567.5));
t("numberingSystem arab", () => new Intl.NumberFormat("ar-EG").format(1234.5));
t("default locale NumberFormat", () => new Intl.NumberFormat().resolvedOptions().locale);
t("default locale DateTimeFormat", () => new Intl.DateTimeFormat().resolvedOptions().locale);
t("default locale Collator", () => new Intl.Collator().resolvedOptions().locale);
t("toStringTag", () => [Object.prototype.toString.call(Intl), Object.prototype.toString.call(new Intl.Locale("en"))]);
