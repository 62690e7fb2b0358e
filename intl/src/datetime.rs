//! `Intl.DateTimeFormat` (ECMA-402 §11): option resolution
//! (`CreateDateTimeFormat`), time zones from jiff's bundled IANA database,
//! and formatting with ICU4X's semantic field sets (date/time styles) or
//! its ECMA-402 field bag (`year`, `month`, … components).

use icu::datetime::DateTimeFormatter;
use icu::datetime::fieldbag::DateTimeFieldBag;
use icu::datetime::fieldbag::field;
use icu::datetime::fieldsets::builder::{DateFields, FieldSetBuilder, ZoneStyle};
use icu::datetime::fieldsets::enums::CompositeFieldSet;
use icu::datetime::options::{Length, TimePrecision};
use icu::locale::Locale;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::IntlError;
use crate::options::Options;
use crate::parts::{Parts, Piece};

/// The zone of a format without `timeZone`: UTC on every machine (the
/// host's zone is not the script's business).
pub const DEFAULT_ZONE: &str = "UTC";

/// Latest and earliest time value (ECMA-262 `TimeClip`), in ms.
const MAX_TIME: f64 = 8.64e15;

/// Every zone name in the bundled database, for `supportedValuesOf`.
pub fn zone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_string())
        .filter(|n| !n.starts_with("Etc/") && n.contains('/') || n == "UTC")
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Resolves a `timeZone` option to (canonical name, zone): IANA names
/// (case-insensitive), `UTC`/`GMT`/`Etc/UTC`, or an offset `±HH:MM`.
fn zone(name: &str) -> Result<(String, TimeZone), IntlError> {
    let invalid = || IntlError::Range(format!("Invalid time zone specified: {name}"));
    let upper = name.to_ascii_uppercase();
    if matches!(
        upper.as_str(),
        "UTC"
            | "GMT"
            | "ETC/UTC"
            | "ETC/GMT"
            | "ETC/UCT"
            | "UCT"
            | "ETC/ZULU"
            | "ZULU"
            | "ETC/UNIVERSAL"
            | "UNIVERSAL"
            | "ETC/GREENWICH"
            | "GREENWICH"
            | "ETC/GMT0"
            | "GMT0"
            | "ETC/GMT+0"
            | "ETC/GMT-0"
            | "GMT+0"
            | "GMT-0"
    ) {
        return Ok(("UTC".into(), TimeZone::UTC));
    }
    if let Some(rest) = name.strip_prefix(['+', '-']) {
        let negative = name.starts_with('-');
        let digits: String = rest.chars().filter(|c| *c != ':').collect();
        if !(digits.len() == 2 || digits.len() == 4) || !digits.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(invalid());
        }
        let hours: i32 = digits[..2].parse().map_err(|_| invalid())?;
        let minutes: i32 = if digits.len() == 4 {
            digits[2..].parse().map_err(|_| invalid())?
        } else {
            0
        };
        if hours > 23 || minutes > 59 {
            return Err(invalid());
        }
        let seconds = (hours * 3600 + minutes * 60) * if negative { -1 } else { 1 };
        let offset = jiff::tz::Offset::from_seconds(seconds).map_err(|_| invalid())?;
        let sign = if negative { '-' } else { '+' };
        return Ok((
            format!("{sign}{hours:02}:{minutes:02}"),
            TimeZone::fixed(offset),
        ));
    }
    let tz = jiff::tz::db().get(name).map_err(|_| invalid())?;
    let canonical = tz.iana_name().unwrap_or(name).to_string();
    Ok((canonical, tz))
}

#[derive(Deserialize)]
pub struct ResolveArgs {
    tags: Vec<String>,
    #[serde(default)]
    options: Options,
    /// `ToDateTimeOptions`' required fields: `date`, `time` or `any`.
    #[serde(default = "any")]
    required: String,
    /// … and its defaults: `date`, `time` or `all`.
    #[serde(default = "date")]
    defaults: String,
}

fn any() -> String {
    "any".into()
}

fn date() -> String {
    "date".into()
}

/// The component options, in ECMA-402's table order, with their values.
const COMPONENTS: &[(&str, &[&str])] = &[
    ("weekday", &["narrow", "short", "long"]),
    ("era", &["narrow", "short", "long"]),
    ("year", &["2-digit", "numeric"]),
    ("month", &["2-digit", "numeric", "narrow", "short", "long"]),
    ("day", &["2-digit", "numeric"]),
    ("dayPeriod", &["narrow", "short", "long"]),
    ("hour", &["2-digit", "numeric"]),
    ("minute", &["2-digit", "numeric"]),
    ("second", &["2-digit", "numeric"]),
    ("fractionalSecondDigits", &[]),
    (
        "timeZoneName",
        &[
            "short",
            "long",
            "shortOffset",
            "longOffset",
            "shortGeneric",
            "longGeneric",
        ],
    ),
];

const STYLES: &[&str] = &["full", "long", "medium", "short"];

/// `CreateDateTimeFormat`: `{tags, options, required, defaults}` -> the
/// resolved options (`resolvedOptions()`), which `format` takes back.
pub fn resolve(args: ResolveArgs) -> Result<Value, IntlError> {
    let o = &args.options;
    o.string("localeMatcher", &["lookup", "best fit"], None)?;
    let calendar = o.text("calendar");
    if let Some(ca) = &calendar
        && icu::locale::extensions::unicode::Value::try_from_str(ca).is_err()
    {
        return Err(IntlError::invalid_option("calendar", ca));
    }
    let numbering = o.text("numberingSystem");
    if let Some(nu) = &numbering
        && icu::locale::extensions::unicode::Value::try_from_str(nu).is_err()
    {
        return Err(IntlError::invalid_option("numberingSystem", nu));
    }
    let hour12 = o.boolean("hour12");
    let hour_cycle = o.string("hourCycle", &["h11", "h12", "h23", "h24"], None)?;
    let time_zone = match o.text("timeZone") {
        Some(name) => zone(&name)?.0,
        None => DEFAULT_ZONE.to_string(),
    };
    let mut out = Map::new();
    let mut any_component = false;
    for (name, allowed) in COMPONENTS {
        let value = if *name == "fractionalSecondDigits" {
            o.number(name, 1, 3)?.map(|n| json!(n))
        } else {
            o.string(name, allowed, None)?.map(|s| json!(s))
        };
        if let Some(v) = value {
            any_component = true;
            out.insert(name.to_string(), v);
        }
    }
    o.string("formatMatcher", &["basic", "best fit"], None)?;
    let date_style = o.string("dateStyle", STYLES, None)?;
    let time_style = o.string("timeStyle", STYLES, None)?;
    if (date_style.is_some() || time_style.is_some()) && any_component {
        let name = out.keys().next().cloned().unwrap_or_default();
        return Err(IntlError::Type(format!(
            "Can't set option {name} when {} is used",
            if date_style.is_some() {
                "dateStyle"
            } else {
                "timeStyle"
            }
        )));
    }
    if args.required == "date" && time_style.is_some() && date_style.is_none() {
        return Err(IntlError::Type("Invalid option : timeStyle".into()));
    }
    if args.required == "time" && date_style.is_some() && time_style.is_none() {
        return Err(IntlError::Type("Invalid option : dateStyle".into()));
    }
    let (locale, answer) = {
        let answer = crate::locale::negotiate(&args.tags, &["ca", "hc", "nu"])?;
        (
            answer["base"].as_str().unwrap_or("en-US").to_string(),
            answer,
        )
    };
    if date_style.is_none() && time_style.is_none() {
        let has = |names: &[&str]| names.iter().any(|n| out.contains_key(*n));
        let need_defaults = match args.required.as_str() {
            "date" => !has(&["weekday", "year", "month", "day"]),
            "time" => !has(&[
                "dayPeriod",
                "hour",
                "minute",
                "second",
                "fractionalSecondDigits",
            ]),
            _ => !has(&[
                "weekday",
                "year",
                "month",
                "day",
                "dayPeriod",
                "hour",
                "minute",
                "second",
                "fractionalSecondDigits",
            ]),
        };
        if need_defaults && matches!(args.defaults.as_str(), "date" | "all") {
            for name in ["year", "month", "day"] {
                out.insert(name.into(), json!("numeric"));
            }
        }
        if need_defaults && matches!(args.defaults.as_str(), "time" | "all") {
            for name in ["hour", "minute", "second"] {
                out.insert(name.into(), json!("numeric"));
            }
        }
    }
    let has_hour = out.contains_key("hour") || time_style.is_some();
    let mut resolved = Map::new();
    resolved.insert("locale".into(), json!(locale));
    resolved.insert("calendar".into(), json!("gregory"));
    resolved.insert("numberingSystem".into(), json!("latn"));
    resolved.insert("timeZone".into(), json!(time_zone));
    if has_hour {
        let locale_cycle = answer["extensions"]["hc"].as_str().map(String::from);
        let default_cycle = default_hour_cycle(&locale);
        let cycle = match (hour12, hour_cycle, locale_cycle) {
            (Some(true), _, _) => twelve(&default_cycle),
            (Some(false), _, _) => "h23".to_string(),
            (None, Some(hc), _) => hc,
            (None, None, Some(hc)) => hc,
            (None, None, None) => default_cycle,
        };
        resolved.insert("hourCycle".into(), json!(cycle));
        resolved.insert("hour12".into(), json!(cycle == "h11" || cycle == "h12"));
    }
    // Minutes and seconds after an hour or minute are always two digits
    // in CLDR's patterns (`6:05`), and resolvedOptions reports the pattern,
    // as V8 does.
    for (field, after) in [("minute", "hour"), ("second", "minute")] {
        if out.contains_key(after) && out.get(field) == Some(&json!("numeric")) {
            out.insert(field.into(), json!("2-digit"));
        }
    }
    for (k, v) in out {
        resolved.insert(k, v);
    }
    if let Some(s) = date_style {
        resolved.insert("dateStyle".into(), json!(s));
    }
    if let Some(s) = time_style {
        resolved.insert("timeStyle".into(), json!(s));
    }
    Ok(Value::Object(resolved))
}

/// The 12-hour cycle a locale uses (`h11` in Japanese, else `h12`).
fn twelve(default: &str) -> String {
    if default == "h11" { "h11" } else { "h12" }.to_string()
}

/// The locale's preferred hour cycle, read from how ICU4X formats 13:00
/// and 00:00.
fn default_hour_cycle(locale: &str) -> String {
    let locale = crate::locale::or_default(locale);
    let mut builder = FieldSetBuilder::new();
    builder.time_precision = Some(TimePrecision::Hour);
    let Ok(fs) = builder.build_composite() else {
        return "h23".into();
    };
    let Ok(formatter) = DateTimeFormatter::try_new((&locale).into(), fs) else {
        return "h23".into();
    };
    let at = |h: i8| -> String {
        let zoned = jiff::civil::date(2000, 1, 1)
            .at(h, 0, 0, 0)
            .to_zoned(TimeZone::UTC);
        zoned
            .map(|z| formatter.format(&z).to_string())
            .unwrap_or_default()
    };
    let (afternoon, midnight) = (at(13), at(0));
    match (
        afternoon.contains("13"),
        midnight.contains("12"),
        midnight.contains('0'),
    ) {
        (true, _, _) => "h23",
        (false, false, true) => "h11",
        _ => "h12",
    }
    .into()
}

#[derive(Deserialize)]
pub struct FormatArgs {
    options: Map<String, Value>,
    /// Milliseconds since the epoch (`TimeClip`ped by the glue).
    time: f64,
}

fn style_length(style: &str) -> Length {
    match style {
        "full" | "long" => Length::Long,
        "short" => Length::Short,
        _ => Length::Medium,
    }
}

/// The ICU4X field set for resolved options.
fn field_set(o: &Map<String, Value>) -> Result<CompositeFieldSet, IntlError> {
    let get = |k: &str| o.get(k).and_then(Value::as_str);
    let build = |b: FieldSetBuilder| {
        b.build_composite()
            .map_err(|e| IntlError::Range(format!("unsupported date-time options: {e:?}")))
    };
    if get("dateStyle").is_some() || get("timeStyle").is_some() {
        let mut b = FieldSetBuilder::new();
        if let Some(ds) = get("dateStyle") {
            b.length = Some(style_length(ds));
            b.date_fields = Some(if ds == "full" {
                DateFields::YMDE
            } else {
                DateFields::YMD
            });
        }
        if let Some(ts) = get("timeStyle") {
            if b.length.is_none() {
                b.length = Some(style_length(ts));
            }
            b.time_precision = Some(if ts == "short" {
                TimePrecision::Minute
            } else {
                TimePrecision::Second
            });
            b.zone_style = match ts {
                "full" => Some(ZoneStyle::SpecificLong),
                "long" => Some(ZoneStyle::SpecificShort),
                _ => None,
            };
        }
        return build(b);
    }
    let mut bag = DateTimeFieldBag::default();
    bag.weekday = match get("weekday") {
        Some("narrow") => Some(field::Weekday::Narrow),
        Some("short") => Some(field::Weekday::Short),
        Some("long") => Some(field::Weekday::Long),
        _ => None,
    };
    bag.era = match get("era") {
        Some("narrow") => Some(field::Era::Narrow),
        Some("short") => Some(field::Era::Short),
        Some("long") => Some(field::Era::Long),
        _ => None,
    };
    bag.year = match get("year") {
        Some("2-digit") => Some(field::Year::TwoDigit),
        Some(_) => Some(field::Year::Numeric),
        None => None,
    };
    bag.month = match get("month") {
        Some("2-digit") => Some(field::Month::TwoDigit),
        Some("numeric") => Some(field::Month::Numeric),
        Some("narrow") => Some(field::Month::Narrow),
        Some("short") => Some(field::Month::Short),
        Some("long") => Some(field::Month::Long),
        _ => None,
    };
    bag.day = match get("day") {
        Some("2-digit") => Some(field::Day::TwoDigit),
        Some(_) => Some(field::Day::Numeric),
        None => None,
    };
    bag.hour = match get("hour") {
        Some("2-digit") => Some(field::Hour::TwoDigit),
        Some(_) => Some(field::Hour::Numeric),
        None => None,
    };
    bag.day_period = match (get("dayPeriod"), bag.hour) {
        (Some("narrow"), _) => Some(field::DayPeriod::FlexibleNarrow),
        (Some("short"), _) => Some(field::DayPeriod::FlexibleShort),
        (Some("long"), _) => Some(field::DayPeriod::FlexibleLong),
        _ => None,
    };
    bag.hour_kind = match get("hourCycle") {
        Some("h11" | "h12") => Some(field::HourKind::Clock12),
        Some(_) => Some(field::HourKind::Clock24),
        None => None,
    };
    // Minutes and seconds print two digits in every CLDR pattern; asking
    // ICU4X's bag for `TwoDigit` would align the whole pattern instead.
    bag.minute = get("minute").map(|_| field::Minute::Numeric);
    bag.second = get("second").map(|_| field::Second::Numeric);
    bag.fractional_second_digits = match o.get("fractionalSecondDigits").and_then(Value::as_i64) {
        Some(1) => Some(field::FractionalSecondDigits::F1),
        Some(2) => Some(field::FractionalSecondDigits::F2),
        Some(3) => Some(field::FractionalSecondDigits::F3),
        _ => None,
    };
    bag.time_zone_name = match get("timeZoneName") {
        Some("short") => Some(field::TimeZoneName::ShortSpecific),
        Some("long") => Some(field::TimeZoneName::LongSpecific),
        Some("shortOffset") => Some(field::TimeZoneName::ShortOffset),
        Some("longOffset") => Some(field::TimeZoneName::LongOffset),
        Some("shortGeneric") => Some(field::TimeZoneName::ShortGeneric),
        Some("longGeneric") => Some(field::TimeZoneName::LongGeneric),
        _ => None,
    };
    Ok(bag.to_composite_field_set())
}

fn locale_of(o: &Map<String, Value>) -> Locale {
    let mut tag = o
        .get("locale")
        .and_then(Value::as_str)
        .unwrap_or("en-US")
        .to_string();
    if let Some(hc) = o.get("hourCycle").and_then(Value::as_str) {
        tag = format!("{tag}-u-hc-{hc}");
    }
    crate::locale::or_default(&tag)
}

fn formatter(o: &Map<String, Value>) -> Result<DateTimeFormatter<CompositeFieldSet>, IntlError> {
    DateTimeFormatter::try_new((&locale_of(o)).into(), field_set(o)?)
        .map_err(|e| IntlError::Range(format!("unsupported date-time options: {e}")))
}

fn zoned(o: &Map<String, Value>, time: f64) -> Result<jiff::Zoned, IntlError> {
    if !time.is_finite() || time.abs() > MAX_TIME {
        return Err(IntlError::Range("Invalid time value".into()));
    }
    let name = o
        .get("timeZone")
        .and_then(Value::as_str)
        .unwrap_or(DEFAULT_ZONE);
    let (_, tz) = zone(name)?;
    let ms = time.trunc() as i64;
    let ts = Timestamp::from_millisecond(ms)
        .map_err(|_| IntlError::Range("Invalid time value".into()))?;
    Ok(ts.to_zoned(tz))
}

/// Formats with V8's web-compatibility spacing: CLDR 42+ puts U+202F
/// (narrow no-break space) before a day period and U+2009 (thin space)
/// around range dashes; V8 writes plain spaces, and so do we, so scripts
/// that compare or split the text behave alike on both engines.
fn parts_of(w: &impl writeable::Writeable) -> Result<Vec<Piece>, IntlError> {
    let mut pieces = Parts::of(w)?;
    for p in &mut pieces {
        if p.value.contains(['\u{202f}', '\u{2009}']) {
            p.value = p.value.replace(['\u{202f}', '\u{2009}'], " ");
        }
    }
    Ok(pieces)
}

/// `FormatDateTime`: `{options, time}` -> the parts.
pub fn format(args: FormatArgs) -> Result<Value, IntlError> {
    let z = zoned(&args.options, args.time)?;
    let pieces = parts_of(&formatter(&args.options)?.format(&z))?;
    Ok(serde_json::to_value(pieces).unwrap_or_default())
}

#[derive(Deserialize)]
pub struct RangeArgs {
    options: Map<String, Value>,
    start: f64,
    end: f64,
}

/// `FormatDateTimeRange`: `{options, start, end}` -> the parts, each with
/// its `source`. Equal renderings collapse to one (`shared`); otherwise the
/// two are joined with CLDR's fallback range pattern `{0} – {1}`.
pub fn format_range(args: RangeArgs) -> Result<Value, IntlError> {
    let unit = shown_precision(&args.options);
    let (start, end) = (
        truncate(zoned(&args.options, args.start)?, unit),
        truncate(zoned(&args.options, args.end)?, unit),
    );
    let f = formatter(&args.options)?;
    let a = parts_of(&f.format(&start))?;
    let b = parts_of(&f.format(&end))?;
    let with = |pieces: Vec<Piece>, source: &'static str| {
        pieces.into_iter().map(move |mut p| {
            p.source = Some(source);
            p
        })
    };
    if a == b {
        let out: Vec<Piece> = with(a, "shared").collect();
        return Ok(serde_json::to_value(out).unwrap_or_default());
    }
    // CLDR's interval formats ("Mar 9 – 11, 2025", "6:30 – 8:00 AM").
    if let Ok(range) = range_formatter(&args.options) {
        let mut pieces = parts_of(&range.format(&start, &end))?;
        for p in &mut pieces {
            if p.source.is_none() {
                p.source = Some("shared");
            }
        }
        return Ok(serde_json::to_value(pieces).unwrap_or_default());
    }
    let out: Vec<Piece> = with(a, "startRange")
        .chain(std::iter::once(Piece {
            kind: "literal".into(),
            value: " – ".into(),
            source: Some("shared"),
        }))
        .chain(with(b, "endRange"))
        .collect();
    Ok(serde_json::to_value(out).unwrap_or_default())
}

/// The smallest unit the options show. ICU4X picks an interval pattern by
/// the largest field that differs, hidden fields included, so both ends are
/// first cut to what is shown (as ICU4C does).
fn shown_precision(o: &Map<String, Value>) -> jiff::Unit {
    let has = |k: &str| o.get(k).is_some_and(|v| !v.is_null());
    let time_style = o.get("timeStyle").and_then(Value::as_str);
    if has("fractionalSecondDigits") {
        jiff::Unit::Millisecond
    } else if has("second") || matches!(time_style, Some("full" | "long" | "medium")) {
        jiff::Unit::Second
    } else if has("minute") || time_style.is_some() {
        jiff::Unit::Minute
    } else if has("hour") {
        jiff::Unit::Hour
    } else {
        jiff::Unit::Day
    }
}

fn truncate(z: jiff::Zoned, unit: jiff::Unit) -> jiff::Zoned {
    let rounding = jiff::ZonedRound::new()
        .smallest(unit)
        .mode(jiff::RoundMode::Trunc);
    z.round(rounding).unwrap_or(z)
}

fn range_formatter(
    o: &Map<String, Value>,
) -> Result<icu::datetime::range::DateRangeFormatter<CompositeFieldSet>, IntlError> {
    icu::datetime::range::DateRangeFormatter::try_new((&locale_of(o)).into(), field_set(o)?)
        .map_err(|e| IntlError::Range(format!("unsupported date-time options: {e}")))
}
