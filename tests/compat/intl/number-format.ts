// @args --deterministic
// Intl.NumberFormat: styles, units, currencies, notations, sign display,
// digit options, rounding modes, grouping, parts, ranges, special values.
// One line per case, `label: result`; invisible characters are shown as \u{..}.
const esc = (s: string) => s.replace(/[\p{Zs}\p{Cf}]/gu, (c) => (c === " " ? c : `\\u{${c.codePointAt(0)!.toString(16)}}`));
function t(label: string, f: () => unknown): void {
  let out: string;
  try {
    const v = f();
    out = typeof v === "string" ? v : JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x));
  } catch (e) {
    out = `threw ${(e as Error)?.constructor?.name}`;
  }
  console.log(`${label}: ${esc(String(out))}`);
}
const parts = (ps: Intl.NumberFormatPart[] | { type: string; value: string; source?: string }[]) =>
  ps.map((p) => `${p.type}${"source" in p && p.source ? `/${p.source}` : ""}=${p.value}`).join("|");
const nf = (l: string, o?: Intl.NumberFormatOptions) => new Intl.NumberFormat(l, o);
const LOCALES = ["en-US", "en-GB", "de-DE", "fr-FR", "ja-JP", "es-ES", "pt-BR", "hi-IN", "zh-CN"];

for (const l of LOCALES) t(`decimal ${l}`, () => nf(l).format(1234567.891));
for (const l of LOCALES) t(`percent ${l}`, () => nf(l, { style: "percent", maximumFractionDigits: 1 }).format(0.2567));
for (const l of LOCALES) t(`currency EUR ${l}`, () => nf(l, { style: "currency", currency: "EUR" }).format(-1234.5));

// Units
t("unit millisecond short en-US", () => nf("en-US", { style: "unit", unit: "millisecond" }).format(1234.5));
t("unit millisecond long en-US", () => nf("en-US", { style: "unit", unit: "millisecond", unitDisplay: "long" }).format(1234.5));
t("unit millisecond narrow en-US", () => nf("en-US", { style: "unit", unit: "millisecond", unitDisplay: "narrow" }).format(1234.5));
t("unit millisecond long de-DE", () => nf("de-DE", { style: "unit", unit: "millisecond", unitDisplay: "long" }).format(1));
t("unit megabyte short de-DE", () => nf("de-DE", { style: "unit", unit: "megabyte" }).format(512.25));
t("unit megabyte long fr-FR", () => nf("fr-FR", { style: "unit", unit: "megabyte", unitDisplay: "long" }).format(2));
t("unit kilobyte-per-second short en-US", () => nf("en-US", { style: "unit", unit: "kilobyte-per-second" }).format(850));
t("unit kilobyte-per-second long en-GB", () => nf("en-GB", { style: "unit", unit: "kilobyte-per-second", unitDisplay: "long" }).format(1));
t("unit percent short en-US", () => nf("en-US", { style: "unit", unit: "percent" }).format(99.95));
t("unit percent long es-ES", () => nf("es-ES", { style: "unit", unit: "percent", unitDisplay: "long" }).format(12.5));
t("unit second narrow ja-JP", () => nf("ja-JP", { style: "unit", unit: "second", unitDisplay: "narrow" }).format(42));
t("unit byte long en-GB singular", () => nf("en-GB", { style: "unit", unit: "byte", unitDisplay: "long" }).format(1));
t("unit gigabyte short zh-CN", () => nf("zh-CN", { style: "unit", unit: "gigabyte" }).format(3.5));
t("unit hour long pt-BR", () => nf("pt-BR", { style: "unit", unit: "hour", unitDisplay: "long" }).format(2));

// Currencies
for (const cd of ["symbol", "code", "name", "narrowSymbol"] as const) {
  t(`currency USD ${cd} en-US`, () => nf("en-US", { style: "currency", currency: "USD", currencyDisplay: cd }).format(1234.5));
}
t("currency USD symbol en-GB", () => nf("en-GB", { style: "currency", currency: "USD" }).format(1234.5));
t("currency USD narrowSymbol de-DE", () => nf("de-DE", { style: "currency", currency: "USD", currencyDisplay: "narrowSymbol" }).format(1234.5));
t("currency JPY ja-JP", () => nf("ja-JP", { style: "currency", currency: "JPY" }).format(1234.5));
t("currency JPY en-US", () => nf("en-US", { style: "currency", currency: "JPY" }).format(1234.5));
t("currency INR hi-IN", () => nf("hi-IN", { style: "currency", currency: "INR" }).format(1234567.891));
t("currency INR name en-US", () => nf("en-US", { style: "currency", currency: "INR", currencyDisplay: "name" }).format(1));
t("currency EUR name fr-FR", () => nf("fr-FR", { style: "currency", currency: "EUR", currencyDisplay: "name" }).format(2.5));
t("currency BRL pt-BR", () => nf("pt-BR", { style: "currency", currency: "BRL" }).format(1234.5));
t("currency accounting en-US", () => nf("en-US", { style: "currency", currency: "USD", currencySign: "accounting" }).format(-1234.5));
t("currency accounting de-DE", () => nf("de-DE", { style: "currency", currency: "EUR", currencySign: "accounting" }).format(-1234.5));
t("currency accounting ja-JP", () => nf("ja-JP", { style: "currency", currency: "JPY", currencySign: "accounting" }).format(-1234));

// Notations
t("compact short en-US", () => [999, 1234, 999999, 1234567, 2.5e9].map((n) => nf("en-US", { notation: "compact" }).format(n)));
t("compact long en-US", () => [1234, 1234567, 2.5e9].map((n) => nf("en-US", { notation: "compact", compactDisplay: "long" }).format(n)));
t("compact short de-DE", () => [1234, 1234567, 2.5e9].map((n) => nf("de-DE", { notation: "compact" }).format(n)));
t("compact short ja-JP", () => [1234, 12345, 1234567, 2.5e9].map((n) => nf("ja-JP", { notation: "compact" }).format(n)));
t("compact short hi-IN", () => [1234, 123456, 12345678].map((n) => nf("hi-IN", { notation: "compact" }).format(n)));
t("compact long fr-FR", () => [1234, 1234567].map((n) => nf("fr-FR", { notation: "compact", compactDisplay: "long" }).format(n)));
t("compact bytes en-US", () => nf("en-US", { notation: "compact", style: "unit", unit: "byte", maximumFractionDigits: 1 }).format(3_456_789_012));
t("scientific en-US", () => [123456, 0.000123, -5].map((n) => nf("en-US", { notation: "scientific" }).format(n)));
t("engineering en-US", () => [123456, 0.000123, 1e9].map((n) => nf("en-US", { notation: "engineering" }).format(n)));
t("scientific de-DE", () => nf("de-DE", { notation: "scientific", maximumFractionDigits: 2 }).format(123456));

// Sign display: -1, -0, 0, 1, NaN
for (const sd of ["auto", "always", "exceptZero", "negative", "never"] as const) {
  t(`signDisplay ${sd}`, () => [-1, -0, 0, 1, NaN].map((n) => nf("en-US", { signDisplay: sd }).format(n)));
}
t("signDisplay exceptZero percent", () => [0.0512, -0.1, 0].map((n) => nf("en-US", { style: "percent", signDisplay: "exceptZero", maximumFractionDigits: 1 }).format(n)));

// Digits
t("minimumFractionDigits 2", () => nf("en-US", { minimumFractionDigits: 2 }).format(1.5));
t("maximumFractionDigits 0", () => [2.5, 3.5, -2.5].map((n) => nf("en-US", { maximumFractionDigits: 0 }).format(n)));
t("fraction 0..3", () => nf("en-US", { minimumFractionDigits: 0, maximumFractionDigits: 3 }).format(1.23456));
t("maximumSignificantDigits 3", () => [123456, 0.0012345, 99.95].map((n) => nf("en-US", { maximumSignificantDigits: 3 }).format(n)));
t("minimumSignificantDigits 5", () => nf("en-US", { minimumSignificantDigits: 5 }).format(1.5));
t("minimumIntegerDigits 3", () => [7, 42.5].map((n) => nf("en-US", { minimumIntegerDigits: 3 }).format(n)));
for (const rm of ["halfExpand", "ceil", "floor", "trunc", "halfEven"] as const) {
  t(`roundingMode ${rm}`, () => [2.5, 3.5, -2.5, -3.5, 2.4, 2.6, -2.6].map((n) => nf("en-US", { maximumFractionDigits: 0, roundingMode: rm }).format(n)));
}
// 1.15 and 2.45 are not exact in binary: V8/ICU round the shortest decimal form (1.15), not the exact double (1.1499…).
t("roundingMode halfExpand binary", () => [1.15, 2.45, 1.005].map((n) => nf("en-US", { maximumFractionDigits: 1 }).format(n)));
t("roundingIncrement 5", () => nf("en-US", { maximumFractionDigits: 2, minimumFractionDigits: 2, roundingIncrement: 5 }).format(1.234));
t("trailingZeroDisplay stripIfInteger", () => [5, 5.5].map((n) => nf("en-US", { style: "currency", currency: "USD", trailingZeroDisplay: "stripIfInteger" }).format(n)));

// Grouping
t("useGrouping false", () => nf("en-US", { useGrouping: false }).format(1234567.5));
t("useGrouping min2 en-US", () => [1234, 12345].map((n) => nf("en-US", { useGrouping: "min2" }).format(n)));
t("default grouping es-ES", () => [1234, 12345].map((n) => nf("es-ES").format(n)));
t("useGrouping always es-ES", () => nf("es-ES", { useGrouping: "always" }).format(1234));

// Parts and ranges
t("formatToParts currency en-US", () => parts(nf("en-US", { style: "currency", currency: "USD" }).formatToParts(-1234.5)));
t("formatToParts decimal de-DE", () => parts(nf("de-DE").formatToParts(1234567.891)));
t("formatToParts compact en-US", () => parts(nf("en-US", { notation: "compact" }).formatToParts(1234567)));
t("formatToParts unit fr-FR", () => parts(nf("fr-FR", { style: "unit", unit: "kilobyte-per-second" }).formatToParts(1500)));
t("formatRange currency en-US", () => nf("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 }).formatRange(3, 5));
t("formatRange approx en-US", () => nf("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 }).formatRange(2.9, 3.1));
t("formatRange unit de-DE", () => nf("de-DE", { style: "unit", unit: "millisecond" }).formatRange(100, 250));
t("formatRange percent fr-FR", () => nf("fr-FR", { style: "percent" }).formatRange(0.1, 0.2));
t("formatRangeToParts en-US", () => parts(nf("en-US").formatRangeToParts(1000, 2000)));

// Special values and BigInt
for (const l of ["en-US", "de-DE", "ja-JP", "zh-CN"]) t(`NaN/Infinity/-0 ${l}`, () => [NaN, Infinity, -Infinity, -0].map((n) => nf(l).format(n)));
t("-0 percent", () => nf("en-US", { style: "percent" }).format(-0));
t("BigInt en-US", () => nf("en-US").format(12345678901234567890n));
t("BigInt de-DE", () => nf("de-DE").format(-12345678901234567890n));
t("BigInt currency INR en-IN", () => nf("en-IN", { style: "currency", currency: "INR" }).format(123456789n));
t("BigInt compact", () => nf("en-US", { notation: "compact" }).format(98765432109876543210n));
t("decimal string exact", () => nf("en-US", { maximumFractionDigits: 20 }).format("1234.56789012345678901" as unknown as number));
t("resolvedOptions currency", () => nf("de-DE", { style: "currency", currency: "eur" }).resolvedOptions());
// Edge cases a review found (each once wrong on the wasm engine).
console.log(`compact below one: ${["0.5", "0.042"].map((v) => new Intl.NumberFormat("en-US", { notation: "compact" }).format(Number(v))).join(" ")}`);
console.log(`compact carry de-DE: ${new Intl.NumberFormat("de-DE", { notation: "compact" }).format(999.995)}`);
console.log(`compact long fr-FR 999.6: ${new Intl.NumberFormat("fr-FR", { notation: "compact", compactDisplay: "long" }).format(999.6)}`);
console.log(`compact currency: ${new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", notation: "compact" }).format(-1234567)}`);
console.log(`compact percent: ${new Intl.NumberFormat("en-US", { style: "percent", notation: "compact" }).format(12345)}`);
console.log(`numeric strings: ${["0x10", "", " 12 ", "1e309", "-1e400"].map((v) => new Intl.NumberFormat("en-US").format(v as unknown as number)).join(" ")}`);
console.log(`native digits: ${new Intl.NumberFormat("mr-IN", { notation: "compact" }).format(1500)} ${new Intl.NumberFormat("ar-EG", { notation: "compact" }).format(1500)}`);
