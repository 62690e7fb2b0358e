//! `Intl.NumberFormat` (ECMA-402 §16): option resolution
//! (`InitializeNumberFormat`, `SetNumberFormatDigitOptions`), rounding
//! (`FormatNumericToString`, on `fixed_decimal`) and formatting to parts
//! (ICU4X's decimal, percent, currency, compact and unit formatters).

use fixed_decimal::{
    Decimal, FloatPrecision, RoundingIncrement, SignDisplay, SignedRoundingMode,
    UnsignedRoundingMode,
};
use icu::decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu::decimal::{CompactDecimalFormatter, DecimalFormatter};
use icu::experimental::dimension::currency::CurrencyType;
use icu::experimental::dimension::currency::formatter::CurrencyFormatter;
use icu::experimental::dimension::currency::options::{CurrencyFormatterOptions, CurrencyUsage};
use icu::experimental::dimension::percent::formatter::PercentFormatter;
use icu::locale::Locale;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::IntlError;
use crate::options::Options;
use crate::parts::{Parts, Piece};

/// ECMA-402's sanctioned simple units (`IsSanctionedSingleUnitIdentifier`).
pub const SANCTIONED_UNITS: &[&str] = &[
    "acre",
    "bit",
    "byte",
    "celsius",
    "centimeter",
    "day",
    "degree",
    "fahrenheit",
    "fluid-ounce",
    "foot",
    "gallon",
    "gigabit",
    "gigabyte",
    "gram",
    "hectare",
    "hour",
    "inch",
    "kilobit",
    "kilobyte",
    "kilogram",
    "kilometer",
    "liter",
    "megabit",
    "megabyte",
    "meter",
    "microsecond",
    "mile",
    "mile-scandinavian",
    "milliliter",
    "millimeter",
    "millisecond",
    "minute",
    "month",
    "nanosecond",
    "ounce",
    "percent",
    "petabyte",
    "pound",
    "second",
    "stone",
    "terabit",
    "terabyte",
    "week",
    "yard",
    "year",
];

/// ISO 4217 codes of current currencies (what `supportedValuesOf("currency")`
/// lists; any well-formed three-letter code is accepted by the constructor).
pub const CURRENCIES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SYP", "SZL", "THB", "TJS",
    "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES",
    "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
];

/// ISO 4217 minor units where they are not 2 (`CurrencyDigits`).
fn currency_digits(code: &str) -> i64 {
    match code {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        "CLF" | "UYW" => 4,
        _ => 2,
    }
}

/// The resolved options of a NumberFormat (its `resolvedOptions()`), which
/// the glue sends back with every `format` call.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resolved {
    pub locale: String,
    pub numbering_system: String,
    pub style: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency_display: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency_sign: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_display: Option<String>,
    pub minimum_integer_digits: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_fraction_digits: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum_fraction_digits: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_significant_digits: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum_significant_digits: Option<i64>,
    pub use_grouping: Value,
    pub notation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compact_display: Option<String>,
    pub sign_display: String,
    pub rounding_increment: i64,
    pub rounding_mode: String,
    pub rounding_priority: String,
    pub trailing_zero_display: String,
}

#[derive(Deserialize)]
pub struct ResolveArgs {
    tags: Vec<String>,
    #[serde(default)]
    options: Options,
    /// Defaults that differ by caller (`toLocaleString` vs the constructor
    /// are the same; kept for `Intl.PluralRules`, which has no style).
    #[serde(default)]
    plural: bool,
}

const ROUNDING_MODES: &[&str] = &[
    "ceil",
    "floor",
    "expand",
    "trunc",
    "halfCeil",
    "halfFloor",
    "halfExpand",
    "halfTrunc",
    "halfEven",
];
const INCREMENTS: &[i64] = &[
    1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000,
];

/// `InitializeNumberFormat`: `{tags, options}` -> the resolved options.
pub fn resolve(args: ResolveArgs) -> Result<Value, IntlError> {
    Ok(
        serde_json::to_value(resolve_options(&args.tags, &args.options, args.plural)?)
            .unwrap_or_default(),
    )
}

/// The options resolution shared with `Intl.PluralRules`.
pub fn resolve_options(tags: &[String], o: &Options, plural: bool) -> Result<Resolved, IntlError> {
    o.string("localeMatcher", &["lookup", "best fit"], None)?;
    let numbering = o.text("numberingSystem");
    if let Some(nu) = &numbering
        && icu::locale::extensions::unicode::Value::try_from_str(nu).is_err()
    {
        return Err(IntlError::invalid_option("numberingSystem", nu));
    }
    let located = crate::locale::negotiate(tags, &["nu"])?;
    let locale = located["base"].as_str().unwrap_or("en-US").to_string();
    let style = if plural {
        "decimal".to_string()
    } else {
        o.string(
            "style",
            &["decimal", "percent", "currency", "unit"],
            Some("decimal"),
        )?
        .unwrap_or_default()
    };
    let currency = o.text("currency");
    if let Some(c) = &currency
        && (c.len() != 3 || !c.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        return Err(IntlError::Range(format!("Invalid currency code : {c}")));
    }
    let currency = currency.map(|c| c.to_ascii_uppercase());
    let currency_display = o.string(
        "currencyDisplay",
        &["code", "symbol", "narrowSymbol", "name"],
        Some("symbol"),
    )?;
    let currency_sign = o.string(
        "currencySign",
        &["standard", "accounting"],
        Some("standard"),
    )?;
    let unit = o.text("unit");
    if let Some(u) = &unit
        && !well_formed_unit(u)
    {
        return Err(IntlError::Range(format!(
            "Invalid unit argument for Intl.NumberFormat() '{u}'"
        )));
    }
    let unit_display = o.string("unitDisplay", &["short", "narrow", "long"], Some("short"))?;
    if style == "currency" && currency.is_none() {
        return Err(IntlError::Type(
            "Currency code is required with currency style.".into(),
        ));
    }
    if style == "unit" && unit.is_none() {
        return Err(IntlError::Type("Unit is required with unit style.".into()));
    }
    let notation = if plural {
        "standard".to_string()
    } else {
        o.string(
            "notation",
            &["standard", "scientific", "engineering", "compact"],
            Some("standard"),
        )?
        .unwrap_or_default()
    };
    let (mnfd_default, mxfd_default) = match style.as_str() {
        "currency" if notation == "standard" => {
            let d = currency_digits(currency.as_deref().unwrap_or(""));
            (d, d)
        }
        "percent" => (0, 0),
        _ => (0, 3),
    };
    // SetNumberFormatDigitOptions
    let mnid = o.number("minimumIntegerDigits", 1, 21)?.unwrap_or(1);
    let increment = o.number("roundingIncrement", 1, 5000)?.unwrap_or(1);
    if !INCREMENTS.contains(&increment) {
        return Err(IntlError::Range(format!(
            "roundingIncrement value is out of range: {increment}"
        )));
    }
    let rounding_mode = o
        .string("roundingMode", ROUNDING_MODES, Some("halfExpand"))?
        .unwrap_or_default();
    let rounding_priority = o
        .string(
            "roundingPriority",
            &["auto", "morePrecision", "lessPrecision"],
            Some("auto"),
        )?
        .unwrap_or_default();
    let trailing_zero_display = o
        .string(
            "trailingZeroDisplay",
            &["auto", "stripIfInteger"],
            Some("auto"),
        )?
        .unwrap_or_default();
    let mxfd_default = if increment != 1 {
        mnfd_default
    } else {
        mxfd_default
    };
    let has_sd = o.has("minimumSignificantDigits") || o.has("maximumSignificantDigits");
    let has_fd = o.has("minimumFractionDigits") || o.has("maximumFractionDigits");
    let (mut need_sd, mut need_fd) = (true, true);
    if rounding_priority == "auto" {
        need_sd = has_sd;
        if need_sd || (!has_fd && notation == "compact") {
            need_fd = false;
        }
    }
    let (mut mnsd, mut mxsd, mut mnfd, mut mxfd) = (None, None, None, None);
    if need_sd {
        if has_sd {
            let min = o.number("minimumSignificantDigits", 1, 21)?.unwrap_or(1);
            let max = o.number("maximumSignificantDigits", min, 21)?.unwrap_or(21);
            (mnsd, mxsd) = (Some(min), Some(max));
        } else {
            (mnsd, mxsd) = (Some(1), Some(21));
        }
    }
    if need_fd {
        if has_fd {
            let min = o.number("minimumFractionDigits", 0, 100)?;
            let max = o.number("maximumFractionDigits", 0, 100)?;
            let (min, max) = match (min, max) {
                (None, Some(max)) => (mnfd_default.min(max), max),
                (Some(min), None) => (min, mxfd_default.max(min)),
                (Some(min), Some(max)) if min > max => {
                    return Err(IntlError::Range(
                        "maximumFractionDigits value is out of range.".into(),
                    ));
                }
                (min, max) => (min.unwrap_or(mnfd_default), max.unwrap_or(mxfd_default)),
            };
            (mnfd, mxfd) = (Some(min), Some(max));
        } else {
            (mnfd, mxfd) = (Some(mnfd_default), Some(mxfd_default));
        }
    }
    let mut computed_priority = rounding_priority.clone();
    if !need_sd && !need_fd {
        (mnfd, mxfd, mnsd, mxsd) = (Some(0), Some(0), Some(1), Some(2));
        computed_priority = "morePrecision".into();
    }
    if increment != 1 {
        if has_sd || computed_priority != "auto" {
            return Err(IntlError::Type(
                "roundingIncrement requires rounding by fraction digits".into(),
            ));
        }
        if mxfd != mnfd {
            return Err(IntlError::Range(
                "roundingIncrement requires maximumFractionDigits equal to minimumFractionDigits"
                    .into(),
            ));
        }
    }
    let compact_display = o.string("compactDisplay", &["short", "long"], Some("short"))?;
    let grouping_default = if notation == "compact" {
        "min2"
    } else {
        "auto"
    };
    let use_grouping = match o.0.get("useGrouping") {
        None | Some(Value::Null) => json!(grouping_default),
        Some(Value::Bool(true)) => json!("always"),
        Some(Value::Bool(false)) => json!(false),
        Some(Value::String(s)) if s.is_empty() => json!(false),
        Some(Value::String(s)) if s == "true" || s == "false" => json!(grouping_default),
        Some(Value::String(s)) if ["min2", "auto", "always"].contains(&s.as_str()) => json!(s),
        Some(other) => return Err(IntlError::invalid_option("useGrouping", &other.to_string())),
    };
    let sign_display = o
        .string(
            "signDisplay",
            &["auto", "never", "always", "exceptZero", "negative"],
            Some("auto"),
        )?
        .unwrap_or_default();
    let numbering_system = located["extensions"]["nu"]
        .as_str()
        .map(String::from)
        .or(numbering)
        .filter(|nu| nu == "latn")
        .unwrap_or_else(|| "latn".into());
    let is = |s: &str| style == s;
    Ok(Resolved {
        locale,
        numbering_system,
        style: style.clone(),
        currency: currency.filter(|_| is("currency")),
        currency_display: currency_display.filter(|_| is("currency")),
        currency_sign: currency_sign.filter(|_| is("currency")),
        unit: unit.filter(|_| is("unit")),
        unit_display: unit_display.filter(|_| is("unit")),
        minimum_integer_digits: mnid,
        minimum_fraction_digits: mnfd,
        maximum_fraction_digits: mxfd,
        minimum_significant_digits: mnsd,
        maximum_significant_digits: mxsd,
        use_grouping,
        notation: notation.clone(),
        compact_display: compact_display.filter(|_| notation == "compact"),
        sign_display,
        rounding_increment: increment,
        rounding_mode,
        rounding_priority: computed_priority,
        trailing_zero_display,
    })
}

/// `IsWellFormedUnitIdentifier`: a sanctioned unit or `X-per-Y` of two.
fn well_formed_unit(unit: &str) -> bool {
    if SANCTIONED_UNITS.contains(&unit) {
        return true;
    }
    match unit.split_once("-per-") {
        Some((a, b)) => SANCTIONED_UNITS.contains(&a) && SANCTIONED_UNITS.contains(&b),
        None => false,
    }
}

/// A number to format, as the glue sends it: `String(x)` of a Number
/// (`"-0"` for negative zero, `"NaN"`, `"Infinity"`), a BigInt's digits, or
/// a numeric string (`ToIntlMathematicalValue`).
#[derive(Deserialize)]
pub struct Input {
    value: String,
}

/// An exact value, or one of the non-finite values.
pub enum Numeric {
    Finite(Decimal),
    Nan,
    Infinity { negative: bool },
}

impl Numeric {
    /// Parses the glue's text (see [`Input`]).
    pub fn parse(text: &str) -> Result<Self, IntlError> {
        let t = text.trim();
        match t {
            "NaN" | "" => return Ok(Self::Nan),
            "Infinity" | "+Infinity" => return Ok(Self::Infinity { negative: false }),
            "-Infinity" => return Ok(Self::Infinity { negative: true }),
            _ => {}
        }
        if let Ok(d) = Decimal::try_from_str(t) {
            // Beyond the largest Number, the value rounds to infinity
            // (ECMA-402's ToIntlMathematicalValue).
            if !d.absolute.is_zero() && d.absolute.nonzero_magnitude_start() > 308 {
                return Ok(Self::Infinity {
                    negative: d.sign == fixed_decimal::Sign::Negative,
                });
            }
            return Ok(Self::Finite(d));
        }
        // Exponent forms (`1e+21`, `5e-7`) go through f64, which the
        // glue's `String(x)` round-trips exactly.
        match t.parse::<f64>() {
            Ok(f) if f.is_finite() => Decimal::try_from_f64(f, FloatPrecision::RoundTrip)
                .map(|mut d| {
                    if t.starts_with('-') {
                        d.sign = fixed_decimal::Sign::Negative;
                    }
                    Self::Finite(d)
                })
                .map_err(|_| IntlError::Range(format!("cannot format {t}"))),
            Ok(f) if f.is_infinite() => Ok(Self::Infinity { negative: f < 0.0 }),
            _ => Ok(Self::Nan),
        }
    }
}

#[derive(Deserialize)]
pub struct FormatArgs {
    options: Resolved,
    #[serde(flatten)]
    input: Input,
}

impl Resolved {
    /// Checks options that came back from the guest: the glue sends what
    /// `resolve` answered, but a script can forge the request.
    pub fn check(&self) -> Result<(), IntlError> {
        let within =
            |v: Option<i64>, min: i64, max: i64| v.is_none_or(|v| (min..=max).contains(&v));
        let ok = within(Some(self.minimum_integer_digits), 1, 21)
            && within(self.minimum_fraction_digits, 0, 100)
            && within(self.maximum_fraction_digits, 0, 100)
            && within(self.minimum_significant_digits, 1, 21)
            && within(self.maximum_significant_digits, 1, 21)
            && INCREMENTS.contains(&self.rounding_increment);
        if ok {
            Ok(())
        } else {
            Err(IntlError::Range("NumberFormat options out of range".into()))
        }
    }
}

/// `FormatNumeric`: `{options, value}` -> the parts.
pub fn format(args: FormatArgs) -> Result<Value, IntlError> {
    args.options.check()?;
    let numeric = Numeric::parse(&args.input.value)?;
    Ok(serde_json::to_value(format_parts(&args.options, numeric)?).unwrap_or_default())
}

fn locale_of(r: &Resolved) -> Locale {
    crate::locale::or_default(&r.locale)
}

fn rounding_mode(name: &str) -> SignedRoundingMode {
    use SignedRoundingMode as S;
    use UnsignedRoundingMode as U;
    match name {
        "ceil" => S::Ceil,
        "floor" => S::Floor,
        "expand" => S::Unsigned(U::Expand),
        "trunc" => S::Unsigned(U::Trunc),
        "halfCeil" => S::HalfCeil,
        "halfFloor" => S::HalfFloor,
        "halfTrunc" => S::Unsigned(U::HalfTrunc),
        "halfEven" => S::Unsigned(U::HalfEven),
        _ => S::Unsigned(U::HalfExpand),
    }
}

/// Rounds to fraction digits, with an ECMA-402 increment (1, 2, 5 or 25
/// times a power of ten).
fn round_fraction(d: &mut Decimal, min: i64, max: i64, increment: i64, mode: SignedRoundingMode) {
    let (mut inc, mut position) = (increment, -(max as i16));
    while inc >= 10 && inc % 10 == 0 {
        inc /= 10;
        position += 1;
    }
    let increment = match inc {
        2 => RoundingIncrement::MultiplesOf2,
        5 => RoundingIncrement::MultiplesOf5,
        25 => RoundingIncrement::MultiplesOf25,
        _ => RoundingIncrement::MultiplesOf1,
    };
    d.round_with_mode_and_increment(position, mode, increment);
    d.absolute.trim_end();
    d.absolute.pad_end(-(min as i16));
}

/// Rounds to significant digits; returns the rounding magnitude.
fn round_significant(d: &mut Decimal, min: i64, max: i64, mode: SignedRoundingMode) {
    if d.absolute.is_zero() {
        d.absolute.trim_end();
        d.absolute.pad_end(-(min as i16 - 1));
        return;
    }
    let e = d.absolute.nonzero_magnitude_start();
    d.round_with_mode(e - max as i16 + 1, mode);
    let e = d.absolute.nonzero_magnitude_start();
    d.absolute.trim_end();
    d.absolute.pad_end(e - min as i16 + 1);
}

/// `FormatNumericToString` on a finite value (already scaled for percent
/// or compact notation).
pub fn round(r: &Resolved, mut d: Decimal) -> Decimal {
    let mode = rounding_mode(&r.rounding_mode);
    let sig = r
        .minimum_significant_digits
        .zip(r.maximum_significant_digits);
    let frac = r.minimum_fraction_digits.zip(r.maximum_fraction_digits);
    match (r.rounding_priority.as_str(), sig, frac) {
        ("auto", Some((min, max)), _) => round_significant(&mut d, min, max, mode),
        ("auto", None, Some((min, max))) => {
            round_fraction(&mut d, min, max, r.rounding_increment, mode)
        }
        (priority, Some((smin, smax)), Some((fmin, fmax))) => {
            let mut s = d.clone();
            round_significant(&mut s, smin, smax, mode);
            let mut f = d.clone();
            round_fraction(&mut f, fmin, fmax, 1, mode);
            let s_magnitude = if d.absolute.is_zero() {
                1 - smax as i16
            } else {
                d.absolute.nonzero_magnitude_start() - smax as i16 + 1
            };
            let f_magnitude = -(fmax as i16);
            let pick_s = if priority == "morePrecision" {
                s_magnitude <= f_magnitude
            } else {
                s_magnitude > f_magnitude
            };
            d = if pick_s { s } else { f };
        }
        _ => {}
    }
    d.absolute.pad_start(r.minimum_integer_digits as i16);
    if r.trailing_zero_display == "stripIfInteger" {
        d.absolute.trim_end_if_integer();
    }
    d
}

fn sign_display(name: &str) -> SignDisplay {
    match name {
        "never" => SignDisplay::Never,
        "always" => SignDisplay::Always,
        "exceptZero" => SignDisplay::ExceptZero,
        "negative" => SignDisplay::Negative,
        _ => SignDisplay::Auto,
    }
}

fn grouping(r: &Resolved) -> GroupingStrategy {
    match r.use_grouping.as_str() {
        Some("always") => GroupingStrategy::Always,
        Some("min2") => GroupingStrategy::Min2,
        Some(_) => GroupingStrategy::Auto,
        None => GroupingStrategy::Never,
    }
}

fn decimal_formatter(r: &Resolved, locale: &Locale) -> Result<DecimalFormatter, IntlError> {
    let mut options = DecimalFormatterOptions::default();
    options.grouping_strategy = Some(grouping(r));
    Ok(DecimalFormatter::try_new(locale.into(), options)?)
}

/// Formats a value to ECMA-402 parts.
pub fn format_parts(r: &Resolved, numeric: Numeric) -> Result<Vec<Piece>, IntlError> {
    let locale = locale_of(r);
    let mut d = match numeric {
        Numeric::Finite(d) => d,
        Numeric::Nan => return Ok(special(r, "nan", "NaN", false)),
        Numeric::Infinity { negative } => return Ok(special(r, "infinity", "∞", negative)),
    };
    if r.style == "percent" {
        d.absolute.multiply_pow10(2);
    }
    let sign = sign_display(&r.sign_display);
    match r.notation.as_str() {
        "compact" => {
            let formatter = if r.compact_display.as_deref() == Some("long") {
                CompactDecimalFormatter::try_new_long((&locale).into(), Default::default())?
            } else {
                CompactDecimalFormatter::try_new_short((&locale).into(), Default::default())?
            };
            let (rounded, significand) = compact_round(r, &formatter, &locale, d)?;
            let signed = rounded.clone().with_sign_display(sign);
            match r.style.as_str() {
                // The compact number (unsigned) goes where the currency or
                // percent rendering has its digits: `$1.2K`, `-25%`.
                "currency" | "percent" => {
                    let mut unsigned = rounded;
                    unsigned.sign = fixed_decimal::Sign::None;
                    let mut inner_significand = significand;
                    inner_significand.sign = fixed_decimal::Sign::None;
                    let inner = compact_parts(
                        &formatter.format(&unsigned).to_string(),
                        &inner_significand,
                        r,
                        &locale,
                    )?;
                    let frame = if r.style == "currency" {
                        currency_frame(r, &locale, &signed)?
                    } else {
                        percent_frame(r, &locale, &signed)?
                    };
                    Ok(splice_digits(frame, inner))
                }
                _ => {
                    let pieces = compact_parts(
                        &formatter.format(&signed).to_string(),
                        &significand,
                        r,
                        &locale,
                    )?;
                    decorate(r, &locale, &significand, pieces)
                }
            }
        }
        "scientific" | "engineering" => {
            let exponent = if d.absolute.is_zero() {
                0
            } else {
                d.absolute.nonzero_magnitude_start()
            };
            let step = if r.notation == "engineering" { 3 } else { 1 };
            let mut e = exponent.div_euclid(step) * step;
            let mut m = d.clone();
            m.absolute.multiply_pow10(-e);
            m = round(r, m);
            if !m.absolute.is_zero() && m.absolute.nonzero_magnitude_start() >= step {
                e += step;
                let mut scaled = d.clone();
                scaled.absolute.multiply_pow10(-e);
                m = round(r, scaled);
            }
            let m = m.with_sign_display(sign);
            let mut parts = Parts::default();
            parts.write(&decimal_formatter(r, &locale)?.format(&m))?;
            parts.push("exponentSeparator", "E");
            if e < 0 {
                parts.push("exponentMinusSign", "-");
            }
            parts.push("exponentInteger", &e.unsigned_abs().to_string());
            decorate(r, &locale, &m, parts.pieces)
        }
        _ => {
            let d = round(r, d).with_sign_display(sign);
            match r.style.as_str() {
                "currency" => currency(r, &locale, &d),
                "percent" => percent_frame(r, &locale, &d),
                "unit" => {
                    let pieces = Parts::of(&decimal_formatter(r, &locale)?.format(&d))?;
                    decorate(r, &locale, &d, pieces)
                }
                _ => Parts::of(&decimal_formatter(r, &locale)?.format(&d)),
            }
        }
    }
}

/// Rounds for compact notation with the format's own rounding options and
/// mode. ICU4X's compact formatter rounds half-even to two significant
/// digits; its first rendering tells the compact exponent (how many integer
/// digits the significand shows), the value is rounded at ECMA-402's
/// position in that scale, and the second rendering then rounds nothing.
fn compact_round(
    r: &Resolved,
    formatter: &CompactDecimalFormatter,
    formatter_locale: &Locale,
    d: Decimal,
) -> Result<(Decimal, Decimal), IntlError> {
    if d.absolute.is_zero() {
        let zero = round(r, d);
        return Ok((zero.clone(), zero));
    }
    let magnitude = d.absolute.nonzero_magnitude_start();
    // The significand's integer digits: the digits of the first run of
    // digits and separators in the text, up to the decimal separator
    // (ICU4X's compact output carries no part annotations; beyond the largest
    // compact unit the significand is grouped, `98,765,432T`).
    let probe = formatter.format(&d).to_string();
    let decimal = decimal_separator(formatter_locale);
    let integer_digits = probe
        .chars()
        .skip_while(|c| !c.is_numeric())
        .take_while(|c| c.is_numeric() || (*c != decimal && is_separator(*c)))
        .filter(|c| c.is_numeric())
        .count()
        .max(1) as i16;
    // No compact scaling below 1 (`0.5` stays `0.5`), nor when the
    // pattern shows no digits at all (French `mille`).
    let exponent = if probe.chars().any(char::is_numeric) {
        (magnitude - (integer_digits - 1)).max(0)
    } else {
        0
    };
    let mut significand = d;
    significand.absolute.multiply_pow10(-exponent);
    let significand = round(r, significand);
    if exponent > 0
        && !significand.absolute.is_zero()
        && significand.absolute.nonzero_magnitude_start() >= integer_digits
        && integer_digits < 4
        && d_magnitude_changed(magnitude, &significand, exponent)
    {
        // Rounding carried into a new digit (999,999 -> 1,000K): the
        // compact exponent may change, so start again (once) from the
        // carried value, whose magnitude is larger.
        let mut carried = significand;
        carried.absolute.multiply_pow10(exponent);
        return compact_round(r, formatter, formatter_locale, carried);
    }
    let mut rounded = significand.clone();
    rounded.absolute.multiply_pow10(exponent);
    // What ICU4X will print: two significant digits of the rounded value.
    rounded.absolute.trim_end();
    Ok((rounded, significand))
}

/// Whether rounding moved the value to a higher power of ten (so the
/// carried value is strictly larger in magnitude and recursion ends).
fn d_magnitude_changed(before: i16, significand: &Decimal, exponent: i16) -> bool {
    significand.absolute.nonzero_magnitude_start() + exponent > before
}

/// The parts of a compact rendering: ICU4X's significand (the first run of
/// digits and separators) is replaced by ours, formatted with the options'
/// digits; the letters around it are the `compact` part.
fn compact_parts(
    text: &str,
    significand: &Decimal,
    r: &Resolved,
    locale: &Locale,
) -> Result<Vec<Piece>, IntlError> {
    affixed_parts(text, significand, r, locale, "compact")
}

/// The parts of an unannotated rendering (ICU4X's compact and percent
/// output): the first run of digits and separators is replaced by the parts
/// of `value` formatted with the options' digits; other non-space text
/// around it is `affix` (signs are `minusSign`/`plusSign`).
fn affixed_parts(
    text: &str,
    value: &Decimal,
    r: &Resolved,
    locale: &Locale,
    affix: &str,
) -> Result<Vec<Piece>, IntlError> {
    let Some(start) = text.find(char::is_numeric) else {
        // A pattern without digits (French `mille` for 1000).
        let mut out = Parts::default();
        push_affix(&mut out, text, affix);
        return Ok(out.pieces);
    };
    let mut end = start;
    for (i, c) in text[start..].char_indices() {
        if c.is_numeric() {
            end = start + i + c.len_utf8();
        } else if !is_separator(c) {
            break;
        }
    }
    let digits = unsigned_digits(r, locale, value)?;
    let mut out = Parts::default();
    let (before, after) = (&text[..start], &text[end..]);
    push_affix(&mut out, before, affix);
    for d in digits {
        out.push(&d.kind, &d.value);
    }
    push_affix(&mut out, after, affix);
    Ok(out.pieces)
}

/// The digit parts of `|value|` as the options format them: what replaces
/// the digits of an ICU4X frame (currency, percent, compact), whose sign
/// stays the frame's.
fn unsigned_digits(
    r: &Resolved,
    locale: &Locale,
    value: &Decimal,
) -> Result<Vec<Piece>, IntlError> {
    let mut unsigned = value.clone();
    unsigned.sign = fixed_decimal::Sign::None;
    Parts::of(&decimal_formatter(r, locale)?.format(&unsigned))
}

/// Characters CLDR uses between digits (group and decimal separators).
fn is_separator(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | '\'' | '\u{a0}' | '\u{202f}' | '\u{66b}' | '\u{66c}'
    )
}

/// The locale's decimal separator (what ICU4X writes in `1.5`).
fn decimal_separator(locale: &Locale) -> char {
    let mut half = Decimal::from(15);
    half.absolute.multiply_pow10(-1);
    DecimalFormatter::try_new(locale.into(), Default::default())
        .map(|f| f.format(&half).to_string())
        .ok()
        .and_then(|text| text.chars().find(|c| !c.is_numeric()))
        .unwrap_or('.')
}

/// Text around formatted digits: signs, spaces (literal) and the affix.
fn push_affix(out: &mut Parts, text: &str, affix: &str) {
    for c in text.chars() {
        let kind = match c {
            '-' | '\u{2212}' => "minusSign",
            '+' => "plusSign",
            c if c.is_whitespace() => "literal",
            _ => affix,
        };
        out.push(kind, c.encode_utf8(&mut [0; 4]));
    }
}

/// `NaN` and `∞`, with the sign rules of `signDisplay`.
fn special(r: &Resolved, kind: &str, text: &str, negative: bool) -> Vec<Piece> {
    let mut parts = Parts::default();
    let sign = match (r.sign_display.as_str(), negative, kind) {
        ("never", _, _) => None,
        (_, true, _) => Some(("minusSign", "-")),
        ("always" | "exceptZero", false, "infinity") => Some(("plusSign", "+")),
        ("always", false, _) => Some(("plusSign", "+")),
        _ => None,
    };
    if let Some((k, s)) = sign {
        parts.push(k, s);
    }
    parts.push(kind, text);
    if r.style == "percent" {
        parts.push("percentSign", "%");
    }
    parts.pieces
}

/// Currency style through ICU4X's currency formatter (symbol, narrow
/// symbol, code or name; accounting patterns for `currencySign`).
fn currency(r: &Resolved, locale: &Locale, d: &Decimal) -> Result<Vec<Piece>, IntlError> {
    let digits = unsigned_digits(r, locale, d)?;
    Ok(splice_digits(currency_frame(r, locale, d)?, digits))
}

/// ICU4X's currency rendering of `d` (sign, symbol or name, accounting
/// parentheses), whose digits the caller replaces with its own.
fn currency_frame(r: &Resolved, locale: &Locale, d: &Decimal) -> Result<Vec<Piece>, IntlError> {
    let code = r.currency.as_deref().unwrap_or("USD");
    let code = CurrencyType::try_from_str(code)
        .map_err(|_| IntlError::Range(format!("Invalid currency code : {code}")))?;
    let mut options = CurrencyFormatterOptions::default();
    if r.currency_sign.as_deref() == Some("accounting") {
        options.usage = CurrencyUsage::Accounting;
    }
    let prefs = locale.into();
    let formatter = match r.currency_display.as_deref() {
        Some("code") => CurrencyFormatter::try_new_code(prefs, code, options)?,
        Some("narrowSymbol") => CurrencyFormatter::try_new_symbol_narrow(prefs, code, options)?,
        Some("name") => CurrencyFormatter::try_new_name(prefs, code)?,
        _ => CurrencyFormatter::try_new_symbol(prefs, code, options)?,
    };
    // The currency formatter rounds to the currency's digits itself; its
    // digits are replaced by ours, rounded as the options say.
    let mut pieces = Parts::of(&formatter.format_fixed_decimal(d))?;
    // ICU4X leaves the symbol or name unannotated: it is the `currency`.
    for p in &mut pieces {
        if p.kind == "literal" && !p.value.trim().is_empty() && !matches!(p.value.trim(), "(" | ")")
        {
            p.kind = "currency".into();
        }
    }
    Ok(pieces)
}

/// ICU4X's percent rendering of `d` (no part annotations of its own).
fn percent_frame(r: &Resolved, locale: &Locale, d: &Decimal) -> Result<Vec<Piece>, IntlError> {
    let formatter = PercentFormatter::try_new_with_decimal_formatter(
        locale.into(),
        decimal_formatter(r, locale)?,
        Default::default(),
    )?;
    let text = formatter.format(d).to_string();
    affixed_parts(&text, d, r, locale, "percentSign")
}

const DIGIT_PARTS: &[&str] = &["integer", "group", "decimal", "fraction"];

/// Replaces the first run of digit parts in `pieces` with `digits`.
fn splice_digits(pieces: Vec<Piece>, digits: Vec<Piece>) -> Vec<Piece> {
    let mut out = Parts::default();
    let mut digits = Some(digits);
    let mut in_run = false;
    for p in pieces {
        if DIGIT_PARTS.contains(&p.kind.as_str()) {
            if !in_run && let Some(ds) = digits.take() {
                for d in ds {
                    out.push(&d.kind, &d.value);
                }
            }
            in_run = true;
            continue;
        }
        in_run = false;
        out.push(&p.kind, &p.value);
    }
    out.pieces
}

/// Adds a unit (style `unit`) around the formatted digits of `value`.
fn decorate(
    r: &Resolved,
    locale: &Locale,
    value: &Decimal,
    pieces: Vec<Piece>,
) -> Result<Vec<Piece>, IntlError> {
    if r.style != "unit" {
        return Ok(pieces);
    }
    let unit = r.unit.as_deref().unwrap_or("");
    let width = r.unit_display.as_deref().unwrap_or("short");
    crate::units::wrap(locale, unit, width, value, pieces)
}
