// @args --deterministic
// Intl.RelativeTimeFormat: every unit, numeric always/auto, long/short/narrow,
// past and future, several locales, formatToParts, resolvedOptions.
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
const parts = (ps: { type: string; value: string; unit?: string }[]) =>
  ps.map((p) => `${p.type}${p.unit ? `/${p.unit}` : ""}=${p.value}`).join("|");
const rtf = (l: string, o?: Intl.RelativeTimeFormatOptions) => new Intl.RelativeTimeFormat(l, o);
const UNITS = ["second", "minute", "hour", "day", "week", "month", "quarter", "year"] as const;
const LOCALES = ["en-US", "en-GB", "de-DE", "fr-FR", "ja-JP", "es-ES", "pt-BR", "hi-IN", "zh-CN"];

for (const u of UNITS) t(`always long ${u} en-US`, () => [-1, 2, -0, 0].map((n) => rtf("en-US").format(n, u)));
for (const u of UNITS) t(`auto long ${u} en-US`, () => [-1, 0, 1, -2].map((n) => rtf("en-US", { numeric: "auto" }).format(n, u)));
for (const s of ["short", "narrow"] as const) {
  for (const u of UNITS) t(`${s} ${u} en-US`, () => [-3, 1].map((n) => rtf("en-US", { style: s }).format(n, u)));
}
t("plural unit names", () => rtf("en-US").format(-5, "days" as Intl.RelativeTimeFormatUnit));
t("fractional values", () => [1.5, -2.25, 1000.5].map((n) => rtf("en-US").format(n, "hour")));
t("large value", () => rtf("en-US").format(-1234567, "second"));
t("-0 auto day", () => rtf("en-US", { numeric: "auto" }).format(-0, "day"));
for (const l of LOCALES) t(`auto day ${l}`, () => [-2, -1, 0, 1, 2].map((n) => rtf(l, { numeric: "auto" }).format(n, "day")));
for (const l of LOCALES) t(`always minute ${l}`, () => [-5, 3].map((n) => rtf(l).format(n, "minute")));
for (const l of LOCALES) t(`short hour ${l}`, () => [-1, 12].map((n) => rtf(l, { style: "short" }).format(n, "hour")));
t("auto second now de-DE", () => rtf("de-DE", { numeric: "auto" }).format(0, "second"));
t("auto week fr-FR", () => [-1, 0, 1].map((n) => rtf("fr-FR", { numeric: "auto" }).format(n, "week")));
t("auto year ja-JP", () => [-1, 0, 1].map((n) => rtf("ja-JP", { numeric: "auto" }).format(n, "year")));
t("narrow month es-ES", () => [-1, 6].map((n) => rtf("es-ES", { style: "narrow" }).format(n, "month")));
t("formatToParts always en-US", () => parts(rtf("en-US").formatToParts(-1234.5, "minute")));
t("formatToParts auto en-US", () => parts(rtf("en-US", { numeric: "auto" }).formatToParts(-1, "day")));
t("formatToParts de-DE", () => parts(rtf("de-DE").formatToParts(3, "hours")));
t("resolvedOptions default", () => rtf("en-US").resolvedOptions());
t("resolvedOptions narrow auto fr-FR", () => rtf("fr-FR", { style: "narrow", numeric: "auto" }).resolvedOptions());
