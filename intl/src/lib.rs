//! ECMA-402 (`Intl`) services for the wasm engine, as pure host functions.
//!
//! QuickJS has no `Intl`; the engine's JavaScript glue (`engine/src/intl.js`)
//! defines the `Intl` constructors and the locale-aware built-ins, and asks
//! the host for every locale-dependent answer through one host operation
//! (`coral_host_abi::op::INTL`). This crate answers those requests with
//! ICU4X and its compiled CLDR data, so the data lives in the `coral` binary
//! and never in the engine image or a bundle.
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
