// @args --deterministic
// Intl.PluralRules: cardinal and ordinal categories, fraction digits,
// selectRange, pluralCategories, across locales with different rule sets.
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
// selectRange is ES2023 Intl; not every TypeScript lib declares it.
type PR = Intl.PluralRules & { selectRange(start: number, end: number): string };
const pr = (l: string, o?: Intl.PluralRulesOptions) => new Intl.PluralRules(l, o) as PR;
const sel = (p: Intl.PluralRules, ns: number[]) => ns.map((n) => `${n}=${p.select(n)}`).join(" ");
const LOCALES = ["en-US", "en-GB", "de-DE", "fr-FR", "ja-JP", "es-ES", "pt-BR", "hi-IN", "zh-CN", "ru-RU", "pl-PL", "ar-EG", "cy-GB"];

for (const l of LOCALES) t(`cardinal categories ${l}`, () => pr(l).resolvedOptions().pluralCategories);
for (const l of LOCALES) t(`ordinal categories ${l}`, () => pr(l, { type: "ordinal" }).resolvedOptions().pluralCategories);
t("cardinal en-US", () => sel(pr("en-US"), [0, 1, 2, 1.5, -1, 1e6]));
t("cardinal en-US minFD 1", () => sel(pr("en-US", { minimumFractionDigits: 1 }), [0, 1, 2]));
t("cardinal en-US maxFD 0", () => sel(pr("en-US", { maximumFractionDigits: 0 }), [1.4, 1.6]));
t("cardinal en-US sigdigits", () => sel(pr("en-US", { maximumSignificantDigits: 1 }), [1.2, 0.95]));
t("ordinal en-US", () => sel(pr("en-US", { type: "ordinal" }), [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112]));
t("cardinal fr-FR", () => sel(pr("fr-FR"), [0, 1, 1.5, 2, 1000000, 2000000, 1000001]));
t("ordinal fr-FR", () => sel(pr("fr-FR", { type: "ordinal" }), [1, 2, 3]));
t("cardinal de-DE", () => sel(pr("de-DE"), [0, 1, 2, 1.5]));
t("cardinal pt-BR", () => sel(pr("pt-BR"), [0, 1, 1.5, 2, 1000000]));
t("cardinal es-ES", () => sel(pr("es-ES"), [0, 1, 2, 1000000]));
t("cardinal hi-IN", () => sel(pr("hi-IN"), [0, 1, 1.5, 2]));
t("ordinal hi-IN", () => sel(pr("hi-IN", { type: "ordinal" }), [1, 2, 3, 4, 6, 7]));
t("cardinal ja-JP", () => sel(pr("ja-JP"), [0, 1, 2]));
t("cardinal ru-RU", () => sel(pr("ru-RU"), [1, 2, 5, 11, 21, 22, 25, 1.5]));
t("cardinal pl-PL", () => sel(pr("pl-PL"), [1, 2, 5, 12, 22, 1.5]));
t("cardinal ar-EG", () => sel(pr("ar-EG"), [0, 1, 2, 3, 11, 100]));
t("ordinal cy-GB", () => sel(pr("cy-GB", { type: "ordinal" }), [0, 1, 2, 3, 5, 6]));
t("NaN/Infinity en-US", () => sel(pr("en-US"), [NaN, Infinity]));
t("selectRange en-US", () => [pr("en-US").selectRange(1, 2), pr("en-US").selectRange(0, 1)]);
t("selectRange fr-FR", () => [pr("fr-FR").selectRange(0, 1), pr("fr-FR").selectRange(1, 2)]);
t("selectRange NaN", () => pr("en-US").selectRange(NaN, 2));
t("resolvedOptions en-US", () => pr("en-US").resolvedOptions());
t("resolvedOptions ordinal sig", () => pr("en-GB", { type: "ordinal", minimumSignificantDigits: 2 }).resolvedOptions());
