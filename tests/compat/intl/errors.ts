// @args --deterministic
// Which error each bad Intl call throws: only the class (`e.constructor.name`)
// is printed, never the message, which is engine-specific. `ok` when it did
// not throw. One line per case.
function e(label: string, f: () => unknown): void {
  let out = "ok";
  try {
    f();
  } catch (err) {
    out = (err as Error)?.constructor?.name ?? typeof err;
  }
  console.log(`${label}: ${out}`);
}
// deno-lint-ignore no-explicit-any
const any = (x: unknown) => x as any;

// Locale tags
for (const tag of ["en_US", "x", "", "en-", "12", "en-US-u", "a-DE", "toolonglanguage", "en--US", "en-US-x"]) {
  e(`NumberFormat locale ${JSON.stringify(tag)}`, () => new Intl.NumberFormat(tag));
}
e("locale list with bad tag", () => new Intl.DateTimeFormat(["en-US", "en_GB"]));
e("locale not a string", () => new Intl.NumberFormat(any([42])));
e("locale null", () => new Intl.NumberFormat(any(null)));
e("locale undefined", () => new Intl.NumberFormat(undefined));
e("unknown but well-formed locale", () => new Intl.NumberFormat("tlh-Piqd"));
e("Intl.Locale no argument", () => new (any(Intl.Locale))());
e("Intl.Locale bad region option", () => new Intl.Locale("en", { region: "USA1" }));
e("Intl.Locale called without new", () => any(Intl.Locale)("en"));
e("getCanonicalLocales en_US", () => Intl.getCanonicalLocales("en_US"));

// NumberFormat options
e("currency style without currency", () => new Intl.NumberFormat("en", { style: "currency" }));
e("bad currency code", () => new Intl.NumberFormat("en", { style: "currency", currency: "US$" }));
e("well-formed unknown currency", () => new Intl.NumberFormat("en", { style: "currency", currency: "ABC" }).format(1));
e("unit style without unit", () => new Intl.NumberFormat("en", { style: "unit" }));
e("unsanctioned unit", () => new Intl.NumberFormat("en", { style: "unit", unit: "furlong" }));
e("unit per unsanctioned", () => new Intl.NumberFormat("en", { style: "unit", unit: "byte-per-fortnight" }));
e("bad style", () => new Intl.NumberFormat("en", { style: any("money") }));
e("maximumFractionDigits 101", () => new Intl.NumberFormat("en", { maximumFractionDigits: 101 }));
e("maximumFractionDigits 100", () => new Intl.NumberFormat("en", { maximumFractionDigits: 100 }));
e("maximumFractionDigits -1", () => new Intl.NumberFormat("en", { maximumFractionDigits: -1 }));
e("maximumFractionDigits NaN", () => new Intl.NumberFormat("en", { maximumFractionDigits: NaN }));
e("min > max fraction digits", () => new Intl.NumberFormat("en", { minimumFractionDigits: 3, maximumFractionDigits: 1 }));
e("maximumSignificantDigits 0", () => new Intl.NumberFormat("en", { maximumSignificantDigits: 0 }));
e("maximumSignificantDigits 22", () => new Intl.NumberFormat("en", { maximumSignificantDigits: 22 }));
e("minimumIntegerDigits 0", () => new Intl.NumberFormat("en", { minimumIntegerDigits: 0 }));
e("bad roundingMode", () => new Intl.NumberFormat("en", { roundingMode: any("up") }));
e("bad roundingIncrement", () => new Intl.NumberFormat("en", { roundingIncrement: any(3) }));
e("bad notation", () => new Intl.NumberFormat("en", { notation: any("fancy") }));
e("bad signDisplay", () => new Intl.NumberFormat("en", { signDisplay: any("sometimes") }));
e("bad useGrouping string", () => new Intl.NumberFormat("en", { useGrouping: any("min3") }));
e("formatRange NaN", () => new Intl.NumberFormat("en").formatRange(NaN, 1));
e("formatRange missing end", () => any(new Intl.NumberFormat("en")).formatRange(1));
e("format Symbol", () => new Intl.NumberFormat("en").format(any(Symbol("x"))));
e("options not an object", () => new Intl.NumberFormat("en", any(5)));
e("options null", () => new Intl.NumberFormat("en", any(null)));
e("toLocaleString bad option", () => (1).toLocaleString("en", { style: "currency" }));

// DateTimeFormat options
e("bad timeZone", () => new Intl.DateTimeFormat("en", { timeZone: "Mars/Olympus" }));
e("bad timeZone offset", () => new Intl.DateTimeFormat("en", { timeZone: "+25:00" }));
e("timeZone empty", () => new Intl.DateTimeFormat("en", { timeZone: "" }));
e("dateStyle with component", () => new Intl.DateTimeFormat("en", { dateStyle: "short", year: "numeric" }));
e("bad dateStyle", () => new Intl.DateTimeFormat("en", { dateStyle: any("tiny") }));
e("bad hourCycle", () => new Intl.DateTimeFormat("en", { hourCycle: any("h25") }));
e("fractionalSecondDigits 4", () => new Intl.DateTimeFormat("en", { fractionalSecondDigits: any(4) }));
e("bad calendar", () => new Intl.DateTimeFormat("en", { calendar: "not a calendar" }));
e("format invalid date", () => new Intl.DateTimeFormat("en").format(new Date(NaN)));
e("format out of range", () => new Intl.DateTimeFormat("en").format(8.64e15 + 1));
e("formatRange missing end", () => any(new Intl.DateTimeFormat("en")).formatRange(new Date(0)));
e("toLocaleString bad timeZone", () => new Date(0).toLocaleString("en-US", { timeZone: "Nowhere/City" }));
e("toLocaleDateString timeStyle only", () => new Date(0).toLocaleDateString("en-US", { timeStyle: "short" }));
e("toLocaleTimeString dateStyle only", () => new Date(0).toLocaleTimeString("en-US", { dateStyle: "short" }));

// The other constructors
e("RelativeTimeFormat bad unit", () => new Intl.RelativeTimeFormat("en").format(1, any("fortnight")));
e("RelativeTimeFormat Infinity", () => new Intl.RelativeTimeFormat("en").format(Infinity, "day"));
e("RelativeTimeFormat bad style", () => new Intl.RelativeTimeFormat("en", { style: any("tiny") }));
e("ListFormat non-string", () => new Intl.ListFormat("en").format(any([1, 2])));
e("ListFormat bad type", () => new Intl.ListFormat("en", { type: any("either") }));
e("PluralRules bad type", () => new Intl.PluralRules("en", { type: any("multiple") }));
e("PluralRules selectRange reversed", () => any(new Intl.PluralRules("en")).selectRange(5, 1));
e("Collator bad sensitivity", () => new Intl.Collator("en", { sensitivity: any("loud") }));
e("Collator bad usage", () => new Intl.Collator("en", { usage: any("index") }));
e("Segmenter bad granularity", () => new Intl.Segmenter("en", { granularity: any("line") }));
e("DisplayNames missing type", () => new Intl.DisplayNames("en", any({})));
e("DisplayNames bad code", () => new Intl.DisplayNames("en", { type: "region" }).of("U"));
e("supportedValuesOf bad key", () => any(Intl).supportedValuesOf("colours"));
e("called without new", () => any(Intl.Collator)("en").compare("a", "b"));
e("call without new NumberFormat ok", () => any(Intl.NumberFormat)("en").format(1));
e("method on wrong receiver", () => Intl.NumberFormat.prototype.resolvedOptions.call(any({})));
e("localeCompare bad locale", () => "a".localeCompare("b", "en_US"));
e("normalize bad form", () => "a".normalize(any("NFX")));
e("toLocaleUpperCase bad locale", () => "a".toLocaleUpperCase("en_US"));
// A toJSON on Object.prototype does not reach the engine's requests.
Object.defineProperty(Object.prototype, "toJSON", { value: () => ({ forged: true }), configurable: true });
console.log(`toJSON on Object.prototype: ${new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 }).format(1.25)}`);
delete (Object.prototype as { toJSON?: unknown }).toJSON;
