// @args --deterministic
// Intl.Segmenter: grapheme clusters (combining marks, emoji ZWJ sequences,
// flags, skin tones, Indic conjuncts), words with isWordLike, sentences;
// iteration and containing().
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
const seg = (l: string, g: "grapheme" | "word" | "sentence") => new Intl.Segmenter(l, { granularity: g });
const graphemes = (s: string, l = "en") => Array.from(seg(l, "grapheme").segment(s), (x) => x.segment);
const words = (s: string, l = "en") => Array.from(seg(l, "word").segment(s), (x) => `${x.segment}${x.isWordLike ? "*" : ""}@${x.index}`).join("|");
const wordList = (s: string, l = "en") => Array.from(seg(l, "word").segment(s)).filter((x) => x.isWordLike).map((x) => x.segment);
const sentences = (s: string, l = "en") => Array.from(seg(l, "sentence").segment(s), (x) => x.segment);

t("grapheme ascii", () => graphemes("abc"));
t("grapheme combining é", () => [graphemes("e\u0301").length, "e\u0301".length]);
t("grapheme CRLF", () => graphemes("a\r\nb").length);
t("grapheme family ZWJ", () => { const s = "👨‍👩‍👧‍👦"; return [graphemes(s).length, s.length, [...s].length]; });
t("grapheme flags", () => graphemes("🇯🇵🇺🇸🇩🇪"));
t("grapheme rainbow flag", () => graphemes("🏳️‍🌈x").length);
t("grapheme skin tone", () => graphemes("👍🏽👍").length);
t("grapheme keycap", () => graphemes("1️⃣2").length);
t("grapheme Hangul jamo", () => graphemes("\u1100\u1161\u11A8한").length);
t("grapheme Devanagari", () => graphemes("नमस्ते"));
t("grapheme Devanagari conjunct", () => graphemes("क्षत्रिय"));
t("grapheme Thai", () => graphemes("สวัสดี"));
t("grapheme counting status line", () => { const s = "✅ payments 🚨 inventory"; return [graphemes(s).length, s.length]; });
t("word en", () => words("Hello, world! It's 3.14 o'clock."));
t("word en service names", () => words("api-gateway p99=512ms (us-east-1)"));
t("word en URL and e-mail", () => wordList("see https://example.com/a_b or ops@example.com"));
t("word count en", () => wordList("The quick brown fox jumps over the lazy dog.").length);
t("word de", () => wordList("Größere Straßenbahn-Verspätung heute."));
t("word fr", () => words("L'équipe d'astreinte arrive.", "fr"));
t("word ja", () => wordList("今日は良い天気です", "ja"));
t("word zh", () => wordList("我们在北京工作", "zh"));
t("word th", () => wordList("สวัสดีครับ", "th"));
t("word emoji", () => words("ok 👍🏽 done"));
t("word numbers", () => wordList("1,234.56 and 7 890 and 12:30"));
t("sentence en", () => sentences("Latency is up. Errors too! Is it the DB? Yes."));
t("sentence abbreviation", () => sentences("Mr. Smith paged at 3 a.m. on call. Then he slept."));
t("sentence numbers", () => sentences("P99 rose to 1.5 s. It was 0.9 s."));
t("sentence newline", () => sentences("line one\nline two"));
t("sentence ja", () => sentences("遅延が増えた。エラーも増えた！大丈夫？", "ja"));
t("sentence de", () => sentences("Der Dienst ist langsam. Bitte prüfen.", "de"));
t("containing grapheme", () => { const s = seg("en", "grapheme").segment("a👨‍👩‍👧b"); return [s.containing(0), s.containing(3), s.containing(100), s.containing(-1)]; });
t("containing word", () => { const s = seg("en", "word").segment("error in payments"); return [s.containing(7), s.containing(5), s.containing(16), s.containing(17)]; });
t("containing default index", () => seg("en", "word").segment("hello world").containing());
t("containing sentence", () => seg("en", "sentence").segment("One. Two.").containing(6));
t("iterate twice", () => { const s = seg("en", "word").segment("a b"); return [[...s].length, [...s].length]; });
t("segment object fields", () => { const [first] = seg("en", "word").segment("hi there"); return first; });
t("empty string", () => [[...seg("en", "grapheme").segment("")].length, seg("en", "word").segment("").containing(0)]);
t("resolvedOptions default", () => new Intl.Segmenter("en-US").resolvedOptions());
t("resolvedOptions word ja", () => seg("ja-JP", "word").resolvedOptions());
