//! ECMA-402 (`Intl`) services for the wasm engine, as pure host functions.
//!
//! QuickJS has no `Intl`; the engine's JavaScript glue (`engine/src/intl.js`)
//! defines the `Intl` constructors and the locale-aware built-ins, and asks
//! the host for every locale-dependent answer through one host operation
//! (`coral_host_abi::op::INTL`). This crate answers those requests with
//! ICU4X and its compiled CLDR data. It is built as `libcoral_intl.so`
//! (`embed.rs`, C ABI in `coral_host_abi::intl_library`), which `coral`
//! loads on a run's first request, so the data is never in the engine
//! image, a bundle, or the start-up of a run that formats nothing.
//!
//! Every function is pure: the answer depends only on the request (time zones
//! come from jiff's bundled, pinned IANA database, never the host's
//! `/usr/share/zoneinfo`), input sizes are bounded by the ABI's request limit,
//! and nothing here panics on guest input.
//!
//! The option handling (which options exist, their defaults and ranges, the
//! errors) follows ECMA-402 (2025 edition) and is ours; the formatting is
//! ICU4X's. Where ICU4X and the ICU in Deno's V8 differ, the differences are
//! listed in `tests/compat/differences.md`.

mod datetime;
mod embed;
mod error;
mod locale;
mod number;
mod options;
mod parts;
mod text;
mod units;

pub use error::IntlError;

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Largest string, list or segment count one request may produce, in
/// UTF-8 bytes or items; longer answers are a `RangeError`.
pub const MAX_OUTPUT: usize = 4 * 1024 * 1024;

/// Answers one `Intl` request: `function` names the service (see the match
/// below), `args` is its JSON argument object. The answer is JSON; an
/// `Err` becomes a `RangeError` or `TypeError` thrown in the guest.
pub fn call(function: &str, args: &str) -> Result<Value, IntlError> {
    match function {
        "canonicalize" => locale::canonicalize(parse(args)?),
        "resolveLocale" => locale::resolve(parse(args)?),
        "localeInfo" => locale::info(parse(args)?),
        "supportedValuesOf" => locale::supported_values_of(parse(args)?),
        "numberResolve" => number::resolve(parse(args)?),
        "numberFormat" => number::format(parse(args)?),
        "pluralResolve" => text::plural_resolve(parse(args)?),
        "pluralSelect" => text::plural_select(parse(args)?),
        "collatorResolve" => text::collator_resolve(parse(args)?),
        "collatorCompare" => text::collator_compare(parse(args)?),
        "listFormat" => text::list_format(parse(args)?),
        "relativeFormat" => text::relative_format(parse(args)?),
        "segment" => text::segment(parse(args)?),
        "displayName" => text::display_name(parse(args)?),
        "caseMap" => text::case_map(parse(args)?),
        "dateTimeResolve" => datetime::resolve(parse(args)?),
        "dateTimeFormat" => datetime::format(parse(args)?),
        "dateTimeFormatRange" => datetime::format_range(parse(args)?),
        other => Err(IntlError::Type(format!(
            "unknown Intl operation \"{other}\""
        ))),
    }
}

fn parse<T: DeserializeOwned>(args: &str) -> Result<T, IntlError> {
    serde_json::from_str(args).map_err(|e| IntlError::Type(format!("malformed Intl request: {e}")))
}

#[cfg(test)]
mod tests {
    //! ECMA-402's rounding and option rules on known values (the
    //! cross-engine behaviour is tested by `cli/tests/compat.rs`).
    use serde_json::{Value, json};

    use crate::{IntlError, call};

    fn format(locale: &str, options: Value, value: &str) -> String {
        let resolved = call(
            "numberResolve",
            &json!({"tags": [locale], "options": options}).to_string(),
        )
        .expect("options resolve");
        let parts = call(
            "numberFormat",
            &json!({"options": resolved, "value": value}).to_string(),
        )
        .expect("formats");
        parts
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["value"].as_str().unwrap())
            .collect()
    }

    #[test]
    fn rounding_modes_follow_ecma_402() {
        let at = |mode: &str, v: &str| {
            format(
                "en-US",
                json!({"maximumFractionDigits": 0, "roundingMode": mode}),
                v,
            )
        };
        assert_eq!(at("halfExpand", "2.5"), "3");
        assert_eq!(at("halfExpand", "-2.5"), "-3");
        assert_eq!(at("halfEven", "2.5"), "2");
        assert_eq!(at("halfEven", "3.5"), "4");
        assert_eq!(at("ceil", "-1.5"), "-1");
        assert_eq!(at("floor", "-1.5"), "-2");
        assert_eq!(at("trunc", "-1.9"), "-1");
        assert_eq!(at("expand", "1.1"), "2");
        assert_eq!(at("halfTrunc", "2.5"), "2");
        // Exact decimal input: 1.005 is not a binary approximation here.
        assert_eq!(
            format("en-US", json!({"maximumFractionDigits": 2}), "1.005"),
            "1.01"
        );
    }

    #[test]
    fn digit_options_and_priorities() {
        assert_eq!(
            format("en-US", json!({"maximumSignificantDigits": 2}), "123456"),
            "120,000"
        );
        assert_eq!(
            format("en-US", json!({"minimumSignificantDigits": 3}), "0.5"),
            "0.500"
        );
        assert_eq!(
            format("en-US", json!({"minimumIntegerDigits": 3}), "7"),
            "007"
        );
        assert_eq!(
            format("en-US", json!({"minimumFractionDigits": 2}), "1"),
            "1.00"
        );
        assert_eq!(
            format(
                "en-US",
                json!({"minimumFractionDigits": 2, "trailingZeroDisplay": "stripIfInteger"}),
                "1"
            ),
            "1"
        );
        // morePrecision picks the significant-digits result here (more digits).
        assert_eq!(
            format(
                "en-US",
                json!({"maximumSignificantDigits": 3, "maximumFractionDigits": 0, "roundingPriority": "morePrecision"}),
                "1.2345"
            ),
            "1.23"
        );
        assert_eq!(
            format(
                "en-US",
                json!({"maximumSignificantDigits": 3, "maximumFractionDigits": 0, "roundingPriority": "lessPrecision"}),
                "1.2345"
            ),
            "1"
        );
        assert_eq!(
            format(
                "en-US",
                json!({"maximumFractionDigits": 2, "minimumFractionDigits": 2, "roundingIncrement": 25}),
                "1.13"
            ),
            "1.25"
        );
    }

    #[test]
    fn styles_signs_and_special_values() {
        assert_eq!(format("de-DE", json!({}), "1234567.891"), "1.234.567,891");
        assert_eq!(format("en-US", json!({"style": "percent"}), "0.256"), "26%");
        assert_eq!(
            format("en-US", json!({"signDisplay": "exceptZero"}), "0"),
            "0"
        );
        assert_eq!(format("en-US", json!({"signDisplay": "always"}), "5"), "+5");
        assert_eq!(
            format("en-US", json!({"signDisplay": "negative"}), "-0"),
            "0"
        );
        assert_eq!(format("en-US", json!({}), "-0"), "-0");
        assert_eq!(format("en-US", json!({}), "NaN"), "NaN");
        assert_eq!(format("en-US", json!({}), "-Infinity"), "-∞");
        assert_eq!(
            format("en-US", json!({}), "1e+21"),
            "1,000,000,000,000,000,000,000"
        );
        assert_eq!(
            format("en-US", json!({"notation": "compact"}), "1250"),
            "1.3K"
        );
        assert_eq!(
            format("en-US", json!({"notation": "scientific"}), "123456"),
            "1.235E5"
        );
        assert_eq!(
            format(
                "en-US",
                json!({"style": "currency", "currency": "JPY"}),
                "1234.5"
            ),
            "¥1,235"
        );
        assert_eq!(
            format(
                "en-US",
                json!({"style": "currency", "currency": "USD", "maximumFractionDigits": 0}),
                "1234.5"
            ),
            "$1,235"
        );
    }

    #[test]
    fn compact_notation_edges() {
        let compact = |locale: &str, extra: Value, v: &str| {
            let mut options = json!({"notation": "compact"});
            for (k, x) in extra.as_object().unwrap() {
                options[k] = x.clone();
            }
            format(locale, options, v)
        };
        assert_eq!(compact("en-US", json!({}), "0.5"), "0.5");
        assert_eq!(compact("en-US", json!({}), "999999"), "1M");
        assert_eq!(
            compact("fr-FR", json!({"compactDisplay": "long"}), "999.6"),
            "mille"
        );
        assert_eq!(
            compact(
                "en-US",
                json!({"style": "currency", "currency": "USD"}),
                "1234"
            ),
            "$1.2K"
        );
        assert_eq!(compact("en-US", json!({"style": "percent"}), "0.25"), "25%");
        assert_eq!(format("en-US", json!({}), "1e309"), "∞");
    }

    #[test]
    fn forged_and_oversized_requests_are_refused() {
        let tags: Vec<String> = (0..1001).map(|i| format!("x-{i:05}")).collect();
        assert!(matches!(
            call("canonicalize", &json!({"tags": tags}).to_string()),
            Err(IntlError::Range(_))
        ));
        let mut resolved = call("numberResolve", r#"{"tags": ["en"], "options": {}}"#).unwrap();
        resolved["minimumIntegerDigits"] = json!(30000);
        assert!(matches!(
            call(
                "numberFormat",
                &json!({"options": resolved, "value": "1"}).to_string()
            ),
            Err(IntlError::Range(_))
        ));
        let text = "a".repeat(256 * 1024 + 1);
        assert!(matches!(
            call(
                "segment",
                &json!({"tags": ["en"], "text": text}).to_string()
            ),
            Err(IntlError::Range(_))
        ));
    }

    #[test]
    fn bad_options_are_range_and_type_errors() {
        let resolve = |options: Value| {
            call(
                "numberResolve",
                &json!({"tags": ["en"], "options": options}).to_string(),
            )
        };
        assert!(matches!(
            resolve(json!({"maximumFractionDigits": 101})),
            Err(IntlError::Range(_))
        ));
        assert!(matches!(
            resolve(json!({"maximumFractionDigits": "NaN"})),
            Err(IntlError::Range(_))
        ));
        assert!(matches!(
            resolve(json!({"style": "currency"})),
            Err(IntlError::Type(_))
        ));
        assert!(matches!(
            resolve(json!({"style": "bogus"})),
            Err(IntlError::Range(_))
        ));
        assert!(matches!(
            resolve(json!({"unit": "furlong"})),
            Err(IntlError::Range(_))
        ));
        assert!(matches!(
            call("canonicalize", r#"{"tags": ["en_US"]}"#),
            Err(IntlError::Range(_))
        ));
        assert!(matches!(call("nope", "{}"), Err(IntlError::Type(_))));
        assert!(matches!(
            call("numberFormat", "not json"),
            Err(IntlError::Type(_))
        ));
    }

    #[test]
    fn time_zones_come_from_the_bundled_database() {
        let resolve = |tz: &str| {
            call(
                "dateTimeResolve",
                &json!({"tags": ["en-US"], "options": {"timeZone": tz, "timeStyle": "short"}})
                    .to_string(),
            )
        };
        let resolved = resolve("asia/kolkata").expect("case-insensitive IANA name");
        let time = call(
            "dateTimeFormat",
            &json!({"options": resolved, "time": 0.0}).to_string(),
        )
        .unwrap();
        let text: String = time
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["value"].as_str().unwrap())
            .collect();
        assert_eq!(text, "5:30 AM");
        assert_eq!(resolve("Etc/UTC").unwrap()["timeZone"], "UTC");
        assert_eq!(resolve("+05:30").unwrap()["timeZone"], "+05:30");
        assert!(matches!(resolve("Mars/Olympus"), Err(IntlError::Range(_))));
    }
}
