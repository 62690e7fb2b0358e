// @args --deterministic
// Intl.ListFormat: conjunction/disjunction/unit × long/short/narrow, list
// lengths 0–4, several locales, formatToParts, resolvedOptions.
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
const parts = (ps: { type: string; value: string }[]) => ps.map((p) => `${p.type}=${p.value}`).join("|");
const lf = (l: string, o?: Intl.ListFormatOptions) => new Intl.ListFormat(l, o);
const LOCALES = ["en-US", "en-GB", "de-DE", "fr-FR", "ja-JP", "es-ES", "pt-BR", "hi-IN", "zh-CN"];
const svcs = ["api-gateway", "payments", "inventory"];

for (const type of ["conjunction", "disjunction", "unit"] as const) {
  for (const style of ["long", "short", "narrow"] as const) {
    t(`${type} ${style} en-US`, () => lf("en-US", { type, style }).format(svcs));
  }
}
t("lengths 0-4 en-US", () => [[], ["a"], ["a", "b"], ["a", "b", "c"], ["a", "b", "c", "d"]].map((xs) => lf("en-US").format(xs)));
t("lengths 2-3 en-GB (no Oxford comma)", () => [["a", "b"], ["a", "b", "c"]].map((xs) => lf("en-GB").format(xs)));
for (const l of LOCALES) t(`conjunction long ${l}`, () => lf(l).format(svcs));
for (const l of LOCALES) t(`disjunction long ${l}`, () => lf(l, { type: "disjunction" }).format(svcs));
for (const l of LOCALES) t(`unit narrow ${l}`, () => lf(l, { type: "unit", style: "narrow" }).format(["3 h", "20 min", "5 s"]));
t("two items de-DE", () => lf("de-DE").format(["orders", "users"]));
t("es-ES y→e before i (not hie)", () => [["Ana", "Irene"], ["agua", "hielo"]].map((xs) => lf("es-ES").format(xs)));
t("es-ES o→u before o", () => lf("es-ES", { type: "disjunction" }).format(["siete", "ocho"]));
t("iterable input (Set)", () => lf("en-US").format(new Set(["x", "y", "x", "z"])));
t("formatToParts en-US", () => parts(lf("en-US").formatToParts(svcs)));
t("formatToParts fr-FR disjunction", () => parts(lf("fr-FR", { type: "disjunction" }).formatToParts(["a", "b"])));
t("non-string element", () => lf("en-US").format(["a", 1 as unknown as string]));
t("resolvedOptions default", () => lf("en-US").resolvedOptions());
t("resolvedOptions unit narrow ja-JP", () => lf("ja-JP", { type: "unit", style: "narrow" }).resolvedOptions());
