// @args --deterministic
// Intl.DateTimeFormat: date/time styles, components, hour cycles, time zones
// (with DST boundaries), parts, ranges, resolved options. Fixed instants only.
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
const parts = (ps: { type: string; value: string; source?: string }[]) =>
  ps.map((p) => `${p.type}${p.source ? `/${p.source}` : ""}=${p.value}`).join("|");
const dtf = (l: string, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(l, o);
const LOCALES = ["en-US", "en-GB", "de-DE", "fr-FR", "ja-JP", "es-ES", "pt-BR", "hi-IN", "zh-CN"];
const ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Asia/Tokyo"];

// 2025-03-09 06:30:15.123 UTC: 01:30 EST, half an hour before New York's switch to EDT.
const d = new Date(Date.UTC(2025, 2, 9, 6, 30, 15, 123));
const end = new Date(Date.UTC(2025, 2, 11, 17, 5, 0));

for (const s of ["full", "long", "medium", "short"] as const) {
  t(`dateStyle+timeStyle ${s} en-US UTC`, () => dtf("en-US", { dateStyle: s, timeStyle: s, timeZone: "UTC" }).format(d));
}
for (const l of LOCALES) t(`medium/short ${l}`, () => dtf(l, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(d));
for (const l of LOCALES) t(`full date ${l}`, () => dtf(l, { dateStyle: "full", timeZone: "UTC" }).format(d));
for (const l of LOCALES) t(`long time ${l}`, () => dtf(l, { timeStyle: "long", timeZone: "Europe/Berlin" }).format(d));
t("default format en-US", () => dtf("en-US", { timeZone: "UTC" }).format(d));
t("default format de-DE", () => dtf("de-DE", { timeZone: "UTC" }).format(d));

// Components
t("y/M-long/d/weekday-long en-US", () => dtf("en-US", { year: "numeric", month: "long", day: "numeric", weekday: "long", timeZone: "UTC" }).format(d));
t("2-digit y/M/d en-GB", () => dtf("en-GB", { year: "2-digit", month: "2-digit", day: "2-digit", timeZone: "UTC" }).format(d));
t("month short + weekday short fr-FR", () => dtf("fr-FR", { month: "short", day: "numeric", weekday: "short", timeZone: "UTC" }).format(d));
t("month narrow en-US", () => dtf("en-US", { month: "narrow", timeZone: "UTC" }).format(d));
t("h:m:s.SSS en-US", () => dtf("en-US", { hour: "numeric", minute: "2-digit", second: "2-digit", fractionalSecondDigits: 3, timeZone: "UTC" }).format(d));
t("h:m:s.S de-DE", () => dtf("de-DE", { hour: "2-digit", minute: "2-digit", second: "2-digit", fractionalSecondDigits: 1, timeZone: "UTC" }).format(d));
t("ISO-like sv-SE", () => dtf("sv-SE", { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "UTC" }).format(d));
t("dayPeriod en-US", () => dtf("en-US", { hour: "numeric", dayPeriod: "long", timeZone: "UTC" }).format(d));
t("era en-US", () => dtf("en-US", { year: "numeric", era: "short", timeZone: "UTC" }).format(d));
for (const tzn of ["short", "long", "shortOffset", "longOffset", "shortGeneric", "longGeneric"] as const) {
  t(`timeZoneName ${tzn} New_York en-US`, () => dtf("en-US", { hour: "numeric", minute: "2-digit", timeZoneName: tzn, timeZone: "America/New_York" }).format(d));
}
t("timeZoneName short Kolkata en-US", () => dtf("en-US", { hour: "numeric", timeZoneName: "short", timeZone: "Asia/Kolkata" }).format(d));
t("timeZoneName long Berlin de-DE", () => dtf("de-DE", { hour: "numeric", timeZoneName: "long", timeZone: "Europe/Berlin" }).format(d));
t("timeZoneName shortOffset Tokyo ja-JP", () => dtf("ja-JP", { hour: "numeric", timeZoneName: "shortOffset", timeZone: "Asia/Tokyo" }).format(d));

// Hour cycles
t("hour12 true de-DE", () => dtf("de-DE", { hour: "numeric", minute: "2-digit", hour12: true, timeZone: "UTC" }).format(d));
t("hour12 false en-US", () => dtf("en-US", { hour: "numeric", minute: "2-digit", hour12: false, timeZone: "UTC" }).format(d));
for (const hc of ["h11", "h12", "h23", "h24"] as const) {
  t(`hourCycle ${hc} en-US midnight`, () => dtf("en-US", { hour: "numeric", minute: "2-digit", hourCycle: hc, timeZone: "UTC" }).format(new Date(Date.UTC(2025, 0, 1, 0, 5))));
}
t("hourCycle via -u-hc-h23 en-US", () => dtf("en-US-u-hc-h23", { timeStyle: "short", timeZone: "UTC" }).format(d));

// Time zones, incl. DST boundaries
for (const z of ZONES) t(`zone ${z}`, () => dtf("en-US", { dateStyle: "short", timeStyle: "long", timeZone: z }).format(d));
t("New_York just before DST", () => dtf("en-US", { timeStyle: "full", timeZone: "America/New_York" }).format(new Date(Date.UTC(2025, 2, 9, 6, 59, 59))));
t("New_York at DST", () => dtf("en-US", { timeStyle: "full", timeZone: "America/New_York" }).format(new Date(Date.UTC(2025, 2, 9, 7, 0, 0))));
t("New_York fall back", () => [5, 6].map((h) => dtf("en-US", { timeStyle: "long", timeZone: "America/New_York" }).format(new Date(Date.UTC(2025, 10, 2, h, 30)))));
t("Berlin around DST", () => [0, 1].map((h) => dtf("de-DE", { dateStyle: "short", timeStyle: "long", timeZone: "Europe/Berlin" }).format(new Date(Date.UTC(2025, 2, 30, h, 30)))));
t("offset zone +05:30", () => dtf("en-US", { timeStyle: "long", timeZone: "+05:30" }).format(d));
t("Etc/GMT-14 date change", () => dtf("en-US", { dateStyle: "medium", timeZone: "Etc/GMT-14" }).format(new Date(Date.UTC(2025, 11, 31, 12))));

// Parts and ranges
t("formatToParts en-US", () => parts(dtf("en-US", { dateStyle: "medium", timeStyle: "medium", timeZone: "America/New_York" }).formatToParts(d)));
t("formatToParts ms de-DE", () => parts(dtf("de-DE", { hour: "2-digit", minute: "2-digit", second: "2-digit", fractionalSecondDigits: 3, timeZone: "UTC" }).formatToParts(d)));
t("formatRange same day en-US", () => dtf("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).formatRange(d, new Date(d.getTime() + 90 * 60_000)));
t("formatRange days en-US", () => dtf("en-US", { dateStyle: "medium", timeZone: "UTC" }).formatRange(d, end));
t("formatRange days de-DE", () => dtf("de-DE", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).formatRange(d, end));
t("formatRange hours en-GB", () => dtf("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" }).formatRange(d, new Date(d.getTime() + 3_600_000)));
t("formatRange equal en-US", () => dtf("en-US", { dateStyle: "medium", timeZone: "UTC" }).formatRange(d, d));
t("formatRangeToParts en-US", () => parts(dtf("en-US", { month: "short", day: "numeric", timeZone: "UTC" }).formatRangeToParts(d, end)));

// Resolved options
t("resolvedOptions timeZone default", () => new Intl.DateTimeFormat().resolvedOptions().timeZone);
t("resolvedOptions timeZone case", () => ["utc", "america/new_york", "ASIA/TOKYO"].map((z) => dtf("en-US", { timeZone: z }).resolvedOptions().timeZone));
t("resolvedOptions timeZone aliases", () => ["Asia/Kolkata", "Asia/Calcutta", "Etc/UTC", "GMT", "US/Eastern", "+05:30"].map((z) => dtf("en-US", { timeZone: z }).resolvedOptions().timeZone));
t("resolvedOptions ja-JP dateStyle", () => dtf("ja-JP", { dateStyle: "long", timeStyle: "short", timeZone: "Asia/Tokyo" }).resolvedOptions());
t("resolvedOptions en-US components", () => dtf("en-US", { hour: "numeric", minute: "numeric", timeZone: "UTC" }).resolvedOptions());
t("format(number)", () => dtf("en-US", { dateStyle: "short", timeZone: "UTC" }).format(0));
t("invalid date", () => dtf("en-US", { timeZone: "UTC" }).format(new Date(NaN)));
