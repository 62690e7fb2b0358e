//! The text services: `Intl.PluralRules`, `Intl.Collator`,
//! `Intl.ListFormat`, `Intl.RelativeTimeFormat`, `Intl.Segmenter`,
//! `Intl.DisplayNames` and locale-sensitive case mapping (ECMA-402 §10-§18),
//! each a thin layer of ECMA-402 option handling over the ICU4X service.

use icu::casemap::CaseMapper;
use icu::collator::Collator;
use icu::collator::options::{AlternateHandling, CaseLevel, CollatorOptions, Strength};
use icu::experimental::displaynames::multi::{
    LanguageDisplayNames, LocaleDisplayNamesFormatter, RegionDisplayNames, ScriptDisplayNames,
};
use icu::experimental::displaynames::{DisplayNamesOptions, Fallback, Style};
use icu::experimental::relativetime::options::Numeric as RelNumeric;
use icu::experimental::relativetime::{RelativeTimeFormatter, RelativeTimeFormatterOptions};
use icu::list::ListFormatter;
use icu::list::options::{ListFormatterOptions, ListLength};
use icu::locale::Locale;
use icu::plurals::{PluralCategory, PluralRuleType, PluralRules, PluralRulesOptions};
use icu::segmenter::options::{SentenceBreakInvariantOptions, WordBreakInvariantOptions};
use icu::segmenter::{GraphemeClusterSegmenter, SentenceSegmenter, WordSegmenter};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::number::{Numeric, Resolved, resolve_options, round};
use crate::options::Options;
use crate::parts::Parts;
use crate::{IntlError, MAX_OUTPUT};

/// A resolved locale for a service that reads the given extension keys:
/// `(locale with those keys, resolve() answer)`.
fn negotiate(tags: &[String], keys: &[&str]) -> Result<(Locale, Value), IntlError> {
    let answer = crate::locale::negotiate(tags, keys)?;
    let base = answer["base"].as_str().unwrap_or("en-US");
    let locale = crate::locale::or_default(base);
    Ok((locale, answer))
}

fn locale_from(tag: &str) -> Locale {
    crate::locale::or_default(tag)
}

#[derive(Deserialize)]
pub struct ResolveArgs {
    tags: Vec<String>,
    #[serde(default)]
    options: Options,
}

/// CLDR's name of a plural category (what `select` answers and unit
/// patterns are keyed by).
pub(crate) fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

fn plural_rules(locale: &Locale, kind: &str) -> Result<PluralRules, IntlError> {
    let kind = if kind == "ordinal" {
        PluralRuleType::Ordinal
    } else {
        PluralRuleType::Cardinal
    };
    Ok(PluralRules::try_new(
        locale.into(),
        PluralRulesOptions::default().with_type(kind),
    )?)
}

/// `Intl.PluralRules` constructor: `{tags, options}` -> resolved options
/// (with `pluralCategories` in CLDR order).
pub fn plural_resolve(args: ResolveArgs) -> Result<Value, IntlError> {
    let kind = args
        .options
        .string("type", &["cardinal", "ordinal"], Some("cardinal"))?
        .unwrap_or_default();
    let digits = resolve_options(&args.tags, &args.options, true)?;
    let locale = locale_from(&digits.locale);
    let rules = plural_rules(&locale, &kind)?;
    let order = ["zero", "one", "two", "few", "many", "other"];
    let mut categories: Vec<&str> = rules.categories().map(category_name).collect();
    categories.sort_by_key(|c| order.iter().position(|o| o == c));
    let mut out = serde_json::to_value(&digits).unwrap_or_default();
    out["type"] = json!(kind);
    out["pluralCategories"] = json!(categories);
    Ok(out)
}

#[derive(Deserialize)]
pub struct SelectArgs {
    options: Resolved,
    #[serde(rename = "type")]
    kind: String,
    value: String,
}

/// `PluralRules.prototype.select`: `{options, type, value}` -> category.
pub fn plural_select(args: SelectArgs) -> Result<Value, IntlError> {
    args.options.check()?;
    let locale = locale_from(&args.options.locale);
    let rules = plural_rules(&locale, &args.kind)?;
    let Numeric::Finite(d) = Numeric::parse(&args.value)? else {
        return Ok(json!("other"));
    };
    let d = round(&args.options, d);
    Ok(json!(category_name(rules.category_for(&d))))
}

/// `Intl.Collator` constructor: `{tags, options}` -> resolved options.
pub fn collator_resolve(args: ResolveArgs) -> Result<Value, IntlError> {
    let o = &args.options;
    let usage = o
        .string("usage", &["sort", "search"], Some("sort"))?
        .unwrap_or_default();
    o.string("localeMatcher", &["lookup", "best fit"], None)?;
    let collation = o.text("collation");
    let numeric = o.boolean("numeric");
    let case_first = o.string("caseFirst", &["upper", "lower", "false"], None)?;
    let sensitivity = o
        .string(
            "sensitivity",
            &["base", "accent", "case", "variant"],
            Some("variant"),
        )?
        .unwrap_or_default();
    let ignore_punctuation = o.boolean("ignorePunctuation").unwrap_or(false);
    let (_, answer) = negotiate(&args.tags, &["co", "kn", "kf"])?;
    let ext = &answer["extensions"];
    let numeric = numeric.unwrap_or(ext["kn"].as_str() == Some("true"));
    let case_first = case_first
        .or_else(|| ext["kf"].as_str().map(String::from))
        .unwrap_or_else(|| "false".into());
    // Collation types with CLDR data in ICU4X (tailorings per language).
    let collation = collation
        .or_else(|| ext["co"].as_str().map(String::from))
        .filter(|c| COLLATIONS.contains(&c.as_str()))
        .unwrap_or_else(|| "default".into());
    Ok(json!({
        "locale": answer["base"],
        "usage": usage,
        "sensitivity": sensitivity,
        "ignorePunctuation": ignore_punctuation,
        "collation": collation,
        "numeric": numeric,
        "caseFirst": case_first,
    }))
}

/// Collation types a script may ask for (`-u-co-…` or `collation`).
pub const COLLATIONS: &[&str] = &[
    "big5han", "compat", "dict", "emoji", "eor", "gb2312", "phonebk", "pinyin", "searchjl",
    "stroke", "trad", "unihan", "zhuyin",
];

#[derive(Deserialize)]
pub struct CompareArgs {
    options: Value,
    /// Pairs to compare (one call can compare many, for sorting).
    pairs: Vec<(String, String)>,
}

/// `Collator.prototype.compare`: `{options, pairs}` -> `[-1|0|1, …]`.
pub fn collator_compare(args: CompareArgs) -> Result<Value, IntlError> {
    let o = &args.options;
    let mut tag = o["locale"].as_str().unwrap_or("en-US").to_string();
    let mut keywords = Vec::new();
    if o["numeric"] == json!(true) {
        keywords.push("kn-true".to_string());
    }
    if let Some(kf) = o["caseFirst"].as_str().filter(|k| *k != "false") {
        keywords.push(format!("kf-{kf}"));
    }
    if let Some(co) = o["collation"].as_str().filter(|c| *c != "default") {
        keywords.push(format!("co-{co}"));
    }
    if !keywords.is_empty() {
        tag = format!("{tag}-u-{}", keywords.join("-"));
    }
    let locale = locale_from(&tag);
    let mut options = CollatorOptions::default();
    match o["sensitivity"].as_str() {
        Some("base") => options.strength = Some(Strength::Primary),
        Some("accent") => options.strength = Some(Strength::Secondary),
        Some("case") => {
            options.strength = Some(Strength::Primary);
            options.case_level = Some(CaseLevel::On);
        }
        _ => options.strength = Some(Strength::Tertiary),
    }
    if o["ignorePunctuation"] == json!(true) {
        options.alternate_handling = Some(AlternateHandling::Shifted);
    }
    let collator = Collator::try_new((&locale).into(), options)?;
    let out: Vec<i8> = args
        .pairs
        .iter()
        .map(|(a, b)| collator.compare(a, b) as i8)
        .collect();
    Ok(json!(out))
}

#[derive(Deserialize)]
pub struct ListArgs {
    tags: Vec<String>,
    #[serde(default)]
    options: Options,
    /// Absent for the constructor (which resolves options only).
    items: Option<Vec<String>>,
}

/// `Intl.ListFormat`: `{tags, options}` -> resolved options; with `items`,
/// the parts of the formatted list.
pub fn list_format(args: ListArgs) -> Result<Value, IntlError> {
    let o = &args.options;
    o.string("localeMatcher", &["lookup", "best fit"], None)?;
    let kind = o
        .string(
            "type",
            &["conjunction", "disjunction", "unit"],
            Some("conjunction"),
        )?
        .unwrap_or_default();
    let style = o
        .string("style", &["long", "short", "narrow"], Some("long"))?
        .unwrap_or_default();
    let (locale, answer) = negotiate(&args.tags, &[])?;
    let Some(items) = args.items else {
        return Ok(json!({"locale": answer["base"], "type": kind, "style": style}));
    };
    let length = match style.as_str() {
        "short" => ListLength::Short,
        "narrow" => ListLength::Narrow,
        _ => ListLength::Wide,
    };
    let options = ListFormatterOptions::default().with_length(length);
    let formatter = match kind.as_str() {
        "disjunction" => ListFormatter::try_new_or((&locale).into(), options)?,
        "unit" => ListFormatter::try_new_unit((&locale).into(), options)?,
        _ => ListFormatter::try_new_and((&locale).into(), options)?,
    };
    let pieces = Parts::of(&formatter.format(items.iter()))?;
    Ok(serde_json::to_value(pieces).unwrap_or_default())
}

#[derive(Deserialize)]
pub struct RelativeArgs {
    tags: Vec<String>,
    #[serde(default)]
    options: Options,
    value: Option<String>,
    unit: Option<String>,
}

/// `Intl.RelativeTimeFormat`: `{tags, options}` -> resolved options; with
/// `value` and `unit`, the parts.
pub fn relative_format(args: RelativeArgs) -> Result<Value, IntlError> {
    let o = &args.options;
    o.string("localeMatcher", &["lookup", "best fit"], None)?;
    let style = o
        .string("style", &["long", "short", "narrow"], Some("long"))?
        .unwrap_or_default();
    let numeric = o
        .string("numeric", &["always", "auto"], Some("always"))?
        .unwrap_or_default();
    let (locale, answer) = negotiate(&args.tags, &["nu"])?;
    let (Some(value), Some(unit)) = (args.value, args.unit) else {
        return Ok(json!({
            "locale": answer["base"], "style": style, "numeric": numeric, "numberingSystem": "latn"
        }));
    };
    let singular = unit.strip_suffix('s').unwrap_or(&unit);
    let d = match Numeric::parse(&value)? {
        Numeric::Finite(d) => d,
        _ => {
            return Err(IntlError::Range(format!(
                "Invalid time value for RelativeTimeFormat: {value}"
            )));
        }
    };
    let mut options = RelativeTimeFormatterOptions::default();
    options.numeric = Some(if numeric == "auto" {
        RelNumeric::Auto
    } else {
        RelNumeric::Always
    });
    let prefs = (&locale).into();
    macro_rules! pick {
        ($($unit:literal => $long:ident, $short:ident, $narrow:ident;)*) => {
            match (singular, style.as_str()) {
                $(
                    ($unit, "short") => RelativeTimeFormatter::$short(prefs, options)?,
                    ($unit, "narrow") => RelativeTimeFormatter::$narrow(prefs, options)?,
                    ($unit, _) => RelativeTimeFormatter::$long(prefs, options)?,
                )*
                _ => return Err(IntlError::Range(format!("Invalid unit argument for format() '{unit}'"))),
            }
        };
    }
    let formatter = pick! {
        "second" => try_new_long_second, try_new_short_second, try_new_narrow_second;
        "minute" => try_new_long_minute, try_new_short_minute, try_new_narrow_minute;
        "hour" => try_new_long_hour, try_new_short_hour, try_new_narrow_hour;
        "day" => try_new_long_day, try_new_short_day, try_new_narrow_day;
        "week" => try_new_long_week, try_new_short_week, try_new_narrow_week;
        "month" => try_new_long_month, try_new_short_month, try_new_narrow_month;
        "quarter" => try_new_long_quarter, try_new_short_quarter, try_new_narrow_quarter;
        "year" => try_new_long_year, try_new_short_year, try_new_narrow_year;
    };
    // The number is formatted as NumberFormat's defaults do (at most three
    // fraction digits, half-expand).
    let mut d = d;
    d.round_with_mode(
        -3,
        fixed_decimal::SignedRoundingMode::Unsigned(
            fixed_decimal::UnsignedRoundingMode::HalfExpand,
        ),
    );
    d.absolute.trim_end();
    if d.absolute.is_zero() && numeric == "auto" {
        // `-0` days is "today" too, as in V8.
        d.sign = fixed_decimal::Sign::None;
    }
    let pieces = Parts::of(&formatter.format(d))?;
    Ok(serde_json::to_value(pieces).unwrap_or_default())
}

/// Longest text one `segment` call takes, in UTF-8 bytes: dictionary word
/// breaking (Thai, Khmer, Lao, Burmese) is slow, and host work cannot be
/// interrupted by the run's deadline.
pub const MAX_SEGMENT_BYTES: usize = 256 * 1024;

#[derive(Deserialize)]
pub struct SegmentArgs {
    tags: Vec<String>,
    #[serde(default)]
    options: Options,
    text: Option<String>,
}

/// `Intl.Segmenter`: `{tags, options}` -> resolved options; with `text`,
/// `{breaks: [utf16 index…], wordLike: [bool…]}` (one flag per segment, for
/// word granularity).
pub fn segment(args: SegmentArgs) -> Result<Value, IntlError> {
    let o = &args.options;
    o.string("localeMatcher", &["lookup", "best fit"], None)?;
    let granularity = o
        .string(
            "granularity",
            &["grapheme", "word", "sentence"],
            Some("grapheme"),
        )?
        .unwrap_or_default();
    let (_, answer) = negotiate(&args.tags, &[])?;
    let Some(text) = args.text else {
        return Ok(json!({"locale": answer["base"], "granularity": granularity}));
    };
    if text.len() > MAX_SEGMENT_BYTES {
        return Err(IntlError::Range(format!(
            "Segmenter input too long: {} bytes (at most {MAX_SEGMENT_BYTES} per call)",
            text.len()
        )));
    }
    let mut word_like = Vec::new();
    let utf8_breaks: Vec<usize> = match granularity.as_str() {
        "word" => {
            let segmenter = WordSegmenter::new_auto(WordBreakInvariantOptions::default());
            let mut iter = segmenter.segment_str(&text);
            let mut breaks = Vec::new();
            while let Some(b) = iter.next() {
                if !breaks.is_empty() {
                    word_like.push(iter.is_word_like());
                }
                breaks.push(b);
                if breaks.len() > MAX_OUTPUT {
                    break;
                }
            }
            breaks
        }
        "sentence" => SentenceSegmenter::new(SentenceBreakInvariantOptions::default())
            .segment_str(&text)
            .collect(),
        _ => GraphemeClusterSegmenter::new().segment_str(&text).collect(),
    };
    // UTF-8 byte offsets -> UTF-16 code unit offsets (what JS indexes by).
    let mut breaks = Vec::with_capacity(utf8_breaks.len());
    let (mut byte, mut unit) = (0usize, 0usize);
    let mut chars = text.char_indices().peekable();
    for b in utf8_breaks {
        while byte < b {
            match chars.next() {
                Some((_, c)) => {
                    byte += c.len_utf8();
                    unit += c.len_utf16();
                }
                None => break,
            }
        }
        breaks.push(unit);
    }
    Ok(json!({"breaks": breaks, "wordLike": word_like}))
}

#[derive(Deserialize)]
pub struct DisplayArgs {
    tags: Vec<String>,
    #[serde(default)]
    options: Options,
    code: Option<String>,
}

/// `Intl.DisplayNames`: `{tags, options}` -> resolved options; with
/// `code`, the name (or `null` with `fallback: "none"`). ICU4X has names
/// for languages, regions and scripts; `currency`, `calendar` and
/// `dateTimeField` fall back to the code (a documented difference).
pub fn display_name(args: DisplayArgs) -> Result<Value, IntlError> {
    let o = &args.options;
    o.string("localeMatcher", &["lookup", "best fit"], None)?;
    let style = o
        .string("style", &["narrow", "short", "long"], Some("long"))?
        .unwrap_or_default();
    let kind = o.string(
        "type",
        &[
            "language",
            "region",
            "script",
            "currency",
            "calendar",
            "dateTimeField",
        ],
        None,
    )?;
    let Some(kind) = kind else {
        return Err(IntlError::Type(
            "Required option \"type\" is missing".into(),
        ));
    };
    let fallback = o
        .string("fallback", &["code", "none"], Some("code"))?
        .unwrap_or_default();
    let language_display = o
        .string("languageDisplay", &["dialect", "standard"], Some("dialect"))?
        .unwrap_or_default();
    let (locale, answer) = negotiate(&args.tags, &[])?;
    let Some(code) = args.code else {
        let mut out =
            json!({"locale": answer["base"], "style": style, "type": kind, "fallback": fallback});
        if kind == "language" {
            out["languageDisplay"] = json!(language_display);
        }
        return Ok(out);
    };
    let invalid = || IntlError::Range(format!("invalid_argument: {code}"));
    let mut options = DisplayNamesOptions::default();
    options.style = Some(match style.as_str() {
        "narrow" => Style::Narrow,
        "short" => Style::Short,
        _ => Style::Long,
    });
    options.fallback = if fallback == "none" {
        Fallback::None
    } else {
        Fallback::Code
    };
    let prefs = (&locale).into();
    let name: Option<String> = match kind.as_str() {
        "region" => {
            let region = code.parse().map_err(|_| invalid())?;
            RegionDisplayNames::try_new(prefs, options)?
                .of(region)
                .map(String::from)
        }
        "script" => {
            let script = code.parse().map_err(|_| invalid())?;
            ScriptDisplayNames::try_new(prefs, options)?
                .of(script)
                .map(String::from)
        }
        "language" => {
            let target = crate::locale::parse(&code)?;
            if target.id.script.is_none()
                && target.id.region.is_none()
                && target.id.variants.is_empty()
            {
                LanguageDisplayNames::try_new(prefs, options)?
                    .of(target.id.language)
                    .map(String::from)
            } else {
                Some(
                    LocaleDisplayNamesFormatter::try_new(prefs, options)?
                        .of(&target)
                        .into_owned(),
                )
            }
        }
        "currency" => {
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(invalid());
            }
            None
        }
        _ => None,
    };
    let canonical = match kind.as_str() {
        "currency" => code.to_ascii_uppercase(),
        "language" => crate::locale::parse(&code)?.to_string(),
        _ => code.clone(),
    };
    Ok(match name {
        Some(n) => json!(n),
        None if fallback == "code" => json!(canonical),
        None => Value::Null,
    })
}

#[derive(Deserialize)]
pub struct CaseArgs {
    tags: Vec<String>,
    text: String,
    upper: bool,
}

/// `toLocaleUpperCase`/`toLocaleLowerCase`: `{tags, text, upper}` -> the
/// text mapped with the language's tailoring (Turkish dotted i, Lithuanian
/// dot above).
pub fn case_map(args: CaseArgs) -> Result<Value, IntlError> {
    let language = match args.tags.first() {
        Some(tag) => crate::locale::parse(tag)?.id,
        None => icu::locale::langid!("und"),
    };
    let mapper = CaseMapper::new();
    let out = if args.upper {
        mapper.uppercase_to_string(&args.text, &language)
    } else {
        mapper.lowercase_to_string(&args.text, &language)
    };
    Ok(json!(out))
}
