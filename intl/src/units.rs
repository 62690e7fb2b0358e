//! Unit style of `Intl.NumberFormat`.
//!
//! ICU4X's compiled data names the duration units (`millisecond` … `year`)
//! in every locale; those go through its units formatter. For the other
//! sanctioned units (digital, temperature, length, mass, volume, area,
//! `X-per-Y`) ICU4X 2.4 has no data yet, so they are written with CLDR's
//! English (`en`) unit names in every locale — a documented difference from
//! V8 (`tests/compat/differences.md`).

use icu::experimental::dimension::units::categorized_formatter::CategorizedFormatter;
use icu::experimental::dimension::units::options::{UnitsFormatterOptions, Width};
use icu::experimental::measure::category::Duration;
use icu::locale::Locale;

use crate::IntlError;
use crate::parts::{Parts, Piece};

/// CLDR `en` names: (unit, short, narrow, long singular, long plural).
/// A `{0}` position is implied before the name (after it for `%` and `°`).
const EN: &[(&str, &str, &str, &str, &str)] = &[
    ("acre", "ac", "ac", "acre", "acres"),
    ("bit", "bit", "bit", "bit", "bits"),
    ("byte", "byte", "B", "byte", "bytes"),
    ("celsius", "°C", "°C", "degree Celsius", "degrees Celsius"),
    ("centimeter", "cm", "cm", "centimeter", "centimeters"),
    ("degree", "deg", "°", "degree", "degrees"),
    (
        "fahrenheit",
        "°F",
        "°",
        "degree Fahrenheit",
        "degrees Fahrenheit",
    ),
    (
        "fluid-ounce",
        "fl oz",
        "fl oz",
        "fluid ounce",
        "fluid ounces",
    ),
    ("foot", "ft", "′", "foot", "feet"),
    ("gallon", "gal", "gal", "gallon", "gallons"),
    ("gigabit", "Gb", "Gb", "gigabit", "gigabits"),
    ("gigabyte", "GB", "GB", "gigabyte", "gigabytes"),
    ("gram", "g", "g", "gram", "grams"),
    ("hectare", "ha", "ha", "hectare", "hectares"),
    ("inch", "in", "″", "inch", "inches"),
    ("kilobit", "kb", "kb", "kilobit", "kilobits"),
    ("kilobyte", "kB", "kB", "kilobyte", "kilobytes"),
    ("kilogram", "kg", "kg", "kilogram", "kilograms"),
    ("kilometer", "km", "km", "kilometer", "kilometers"),
    ("liter", "L", "L", "liter", "liters"),
    ("megabit", "Mb", "Mb", "megabit", "megabits"),
    ("megabyte", "MB", "MB", "megabyte", "megabytes"),
    ("meter", "m", "m", "meter", "meters"),
    ("mile", "mi", "mi", "mile", "miles"),
    (
        "mile-scandinavian",
        "smi",
        "smi",
        "mile-scandinavian",
        "miles-scandinavian",
    ),
    ("milliliter", "mL", "mL", "milliliter", "milliliters"),
    ("millimeter", "mm", "mm", "millimeter", "millimeters"),
    ("ounce", "oz", "oz", "ounce", "ounces"),
    ("percent", "%", "%", "percent", "percent"),
    ("petabyte", "PB", "PB", "petabyte", "petabytes"),
    ("pound", "lb", "lb", "pound", "pounds"),
    ("stone", "st", "st", "stone", "stones"),
    ("terabit", "Tb", "Tb", "terabit", "terabits"),
    ("terabyte", "TB", "TB", "terabyte", "terabytes"),
    ("yard", "yd", "yd", "yard", "yards"),
    // Durations, used as denominators of `X-per-Y`.
    ("nanosecond", "ns", "ns", "nanosecond", "nanoseconds"),
    ("microsecond", "μs", "μs", "microsecond", "microseconds"),
    ("millisecond", "ms", "ms", "millisecond", "milliseconds"),
    ("second", "s", "s", "second", "seconds"),
    ("minute", "min", "min", "minute", "minutes"),
    ("hour", "h", "h", "hour", "hours"),
    ("day", "d", "d", "day", "days"),
    ("week", "w", "w", "week", "weeks"),
    ("month", "m", "m", "month", "months"),
    ("year", "y", "y", "year", "years"),
];

fn duration_unit(
    unit: &str,
) -> Option<icu::experimental::measure::category::CategorizedMeasureUnit<Duration>> {
    Some(match unit {
        "nanosecond" => Duration::nanosecond(),
        "microsecond" => Duration::microsecond(),
        "millisecond" => Duration::millisecond(),
        "second" => Duration::second(),
        "minute" => Duration::minute(),
        "hour" => Duration::hour(),
        "day" => Duration::day(),
        "week" => Duration::week(),
        "month" => Duration::month(),
        "year" => Duration::year(),
        _ => return None,
    })
}

fn width(display: &str) -> Width {
    match display {
        "long" => Width::Long,
        "narrow" => Width::Narrow,
        _ => Width::Short,
    }
}

/// Formats a rounded value in a duration unit with ICU4X (`None` for other
/// units). CLDR splits unit names into core, extended and outlier sets.
pub fn format_duration(
    locale: &Locale,
    unit: &str,
    display: &str,
    value: &fixed_decimal::Decimal,
) -> Result<Option<Vec<Piece>>, IntlError> {
    let Some(measure) = duration_unit(unit) else {
        return Ok(None);
    };
    let options = UnitsFormatterOptions::from(width(display));
    let formatter = CategorizedFormatter::try_new_core(locale.into(), measure, options)
        .or_else(|_| {
            let measure = duration_unit(unit).unwrap_or_else(Duration::second);
            CategorizedFormatter::try_new_extended(locale.into(), measure, options)
        })
        .or_else(|_| {
            let measure = duration_unit(unit).unwrap_or_else(Duration::second);
            CategorizedFormatter::try_new_outlier(locale.into(), measure, options)
        })?;
    let pieces = Parts::of(&formatter.format_fixed_decimal(value))?;
    Ok(Some(retype_unit(pieces)))
}

/// The unit text around the digits is the `unit` part; the space between
/// stays `literal`.
fn retype_unit(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out = Parts::default();
    for piece in pieces {
        if piece.kind == "literal" {
            let trimmed = piece.value.trim_matches(|c: char| c.is_whitespace());
            let start = piece.value.find(trimmed).unwrap_or(0);
            let (before, rest) = piece.value.split_at(start);
            let (name, after) = rest.split_at(trimmed.len());
            out.push("literal", before);
            out.push("unit", name);
            out.push("literal", after);
        } else {
            out.push(&piece.kind, &piece.value);
        }
    }
    out.pieces
}

fn names(
    unit: &str,
) -> Option<&'static (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
)> {
    EN.iter().find(|e| e.0 == unit)
}

/// Wraps formatted digits with an English unit name (see the module docs);
/// `one` says whether the value takes the singular.
pub fn wrap(
    _locale: &Locale,
    unit: &str,
    display: &str,
    pieces: Vec<Piece>,
) -> Result<Vec<Piece>, IntlError> {
    let one = Parts::text(&pieces) == "1";
    let name = |u: &str, plural_ok: bool| -> String {
        match names(u) {
            Some(&(_, short, narrow, singular, plural)) => match display {
                "long" if one || !plural_ok => singular.to_string(),
                "long" => plural.to_string(),
                "narrow" => narrow.to_string(),
                _ => short.to_string(),
            },
            None => u.to_string(),
        }
    };
    let (text, tight) = match unit.split_once("-per-") {
        Some((a, b)) => {
            let text = if display == "long" {
                format!("{} per {}", name(a, true), name(b, false))
            } else {
                format!("{}/{}", name(a, true), name(b, false))
            };
            (text, false)
        }
        None => {
            let text = name(unit, true);
            let tight = matches!(unit, "percent" | "celsius" | "fahrenheit")
                || (display == "narrow" && !matches!(unit, "byte" | "bit"));
            (text, tight && display != "long")
        }
    };
    let mut out = Parts::default();
    for p in &pieces {
        out.push(&p.kind, &p.value);
    }
    if !tight {
        out.push("literal", " ");
    }
    out.push("unit", &text);
    Ok(out.pieces)
}
