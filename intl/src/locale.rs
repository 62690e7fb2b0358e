//! Locale lists, negotiation and `Intl.Locale` (ECMA-402 §9, §14), on
//! ICU4X's locale canonicalizer and likely-subtags data.

use std::collections::BTreeMap;

use icu::locale::{Locale, LocaleCanonicalizer, LocaleExpander};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::IntlError;

/// The locale used when no requested locale is available (and by
/// `toLocaleString()` without arguments): the same on every machine.
pub const DEFAULT_LOCALE: &str = "en-US";

/// A resolved tag as a [`Locale`] ([`DEFAULT_LOCALE`] if it does not parse,
/// which a tag this crate resolved always does).
pub fn or_default(tag: &str) -> Locale {
    Locale::try_from_str(tag).unwrap_or(icu::locale::locale!("en-US"))
}

/// Parses and canonicalizes one BCP 47 tag (`CanonicalizeUnicodeLocaleId`).
pub fn parse(tag: &str) -> Result<Locale, IntlError> {
    let mut locale = Locale::try_from_str(tag)
        .map_err(|_| IntlError::Range(format!("Incorrect locale information provided: {tag}")))?;
    LocaleCanonicalizer::new_extended().canonicalize(&mut locale);
    Ok(locale)
}

#[derive(Deserialize)]
pub struct Tags {
    tags: Vec<String>,
}

/// `CanonicalizeLocaleList`: `{tags}` -> the canonical tags, duplicates
/// removed, in order.
pub fn canonicalize(args: Tags) -> Result<Value, IntlError> {
    Ok(json!(canonical_list(&args.tags)?))
}

/// Most locales one list may hold (a longer list is a `RangeError`): keeps
/// a request's host work bounded whatever the guest sends.
pub const MAX_LOCALES: usize = 1_000;

fn canonical_list(tags: &[String]) -> Result<Vec<String>, IntlError> {
    if tags.len() > MAX_LOCALES {
        return Err(IntlError::Range(format!(
            "too many locales: {} (at most {MAX_LOCALES})",
            tags.len()
        )));
    }
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let canonical = parse(tag)?.to_string();
        if seen.insert(canonical.clone()) {
            out.push(canonical);
        }
    }
    Ok(out)
}

/// Whether ICU4X's data knows the locale's language (so formatting in it is
/// more than a fallback to the root locale).
fn available(locale: &Locale) -> bool {
    let mut language = icu::locale::langid!("und");
    language.language = locale.id.language;
    !locale.id.language.is_unknown()
        && LocaleExpander::new_extended()
            .get_likely_script(&language)
            .is_some()
}

#[derive(Deserialize)]
pub struct ResolveArgs {
    tags: Vec<String>,
    /// Unicode extension keys the service reads (`nu`, `hc`, `ca`, `co`,
    /// `kn`, `kf`).
    #[serde(default)]
    keys: Vec<String>,
}

/// `ResolveLocale` (lookup matching): `{tags, keys}` -> `{locale, base,
/// extensions: {key: value}}`. The first requested locale whose language
/// ICU4X has wins; otherwise [`DEFAULT_LOCALE`]. `extensions` holds the
/// requested Unicode extension values for `keys`.
pub fn resolve(args: ResolveArgs) -> Result<Value, IntlError> {
    negotiate(&args.tags, &args.keys)
}

/// [`resolve`] for a service: the requested `tags` and the extension `keys`
/// it reads.
pub fn negotiate<K: AsRef<str>>(tags: &[String], keys: &[K]) -> Result<Value, IntlError> {
    let tags = canonical_list(tags)?;
    let chosen = tags
        .iter()
        .filter_map(|t| Locale::try_from_str(t).ok())
        .find(available);
    let Some(locale) = chosen else {
        return Ok(json!({"locale": DEFAULT_LOCALE, "base": DEFAULT_LOCALE, "extensions": {}}));
    };
    let base = locale.id.to_string();
    let mut extensions = BTreeMap::new();
    for (key, value) in locale.extensions.unicode.keywords.iter() {
        if keys.iter().any(|k| k.as_ref() == key.as_str()) {
            let value = value.to_string();
            // `-u-kn` alone means `kn-true`.
            let value = if value.is_empty() {
                "true".into()
            } else {
                value
            };
            extensions.insert(key.as_str().to_string(), value);
        }
    }
    Ok(json!({"locale": locale.to_string(), "base": base, "extensions": extensions}))
}

#[derive(Deserialize)]
pub struct InfoArgs {
    tag: String,
    #[serde(default)]
    options: BTreeMap<String, String>,
}

/// `Intl.Locale`: `{tag, options}` -> the locale's parts, with options
/// (`language`, `script`, `region`, `calendar`, `collation`, `hourCycle`,
/// `caseFirst`, `numeric`, `numberingSystem`) applied as ECMA-402 §14.1.1
/// says, plus its `maximize()` and `minimize()` tags.
pub fn info(args: InfoArgs) -> Result<Value, IntlError> {
    let mut locale = parse(&args.tag)?;
    let subtag_error = |name: &str, v: &str| IntlError::invalid_option(name, v);
    for (name, value) in &args.options {
        match name.as_str() {
            "language" => {
                locale.id.language = value.parse().map_err(|_| subtag_error(name, value))?;
            }
            "script" => {
                locale.id.script = Some(value.parse().map_err(|_| subtag_error(name, value))?);
            }
            "region" => {
                locale.id.region = Some(value.parse().map_err(|_| subtag_error(name, value))?);
            }
            _ => {
                let key = match name.as_str() {
                    "calendar" => "ca",
                    "collation" => "co",
                    "hourCycle" => "hc",
                    "caseFirst" => "kf",
                    "numeric" => "kn",
                    "numberingSystem" => "nu",
                    _ => continue,
                };
                let allowed = match key {
                    "hc" => Some(&["h11", "h12", "h23", "h24"][..]),
                    "kf" => Some(&["upper", "lower", "false"][..]),
                    _ => None,
                };
                if allowed.is_some_and(|a| !a.contains(&value.as_str())) {
                    return Err(subtag_error(name, value));
                }
                let key: icu::locale::extensions::unicode::Key =
                    key.parse().map_err(|_| subtag_error(name, value))?;
                let parsed = icu::locale::extensions::unicode::Value::try_from_str(value)
                    .map_err(|_| subtag_error(name, value))?;
                locale.extensions.unicode.keywords.set(key, parsed);
            }
        }
    }
    let tag = parse(&locale.to_string())?;
    let keyword = |k: &str| -> Value {
        tag.extensions
            .unicode
            .keywords
            .iter()
            .find(|(key, _)| key.as_str() == k)
            .map(|(_, v)| {
                let v = v.to_string();
                Value::String(if v.is_empty() { "true".into() } else { v })
            })
            .unwrap_or(Value::Null)
    };
    let expander = LocaleExpander::new_extended();
    let mut max = tag.clone();
    expander.maximize(&mut max.id);
    let mut min = tag.clone();
    expander.minimize(&mut min.id);
    Ok(json!({
        "tag": tag.to_string(),
        "baseName": tag.id.to_string(),
        "language": tag.id.language.to_string(),
        "script": tag.id.script.map(|s| s.to_string()),
        "region": tag.id.region.map(|r| r.to_string()),
        "calendar": keyword("ca"),
        "collation": keyword("co"),
        "hourCycle": keyword("hc"),
        "caseFirst": keyword("kf"),
        "numeric": keyword("kn") == json!("true"),
        "numberingSystem": keyword("nu"),
        "maximal": max.to_string(),
        "minimal": min.to_string(),
    }))
}

#[derive(Deserialize)]
pub struct KeyArgs {
    key: String,
}

/// `Intl.supportedValuesOf(key)`: the sorted identifiers this engine
/// supports for `calendar`, `collation`, `currency`, `numberingSystem`,
/// `timeZone` (jiff's bundled IANA database) or `unit` (ECMA-402's
/// sanctioned units).
pub fn supported_values_of(args: KeyArgs) -> Result<Value, IntlError> {
    let mut values: Vec<String> = match args.key.as_str() {
        "calendar" => ["gregory", "iso8601"].map(String::from).to_vec(),
        "collation" => crate::text::COLLATIONS
            .iter()
            .map(|c| c.to_string())
            .collect(),
        "currency" => crate::number::CURRENCIES
            .iter()
            .map(|c| c.to_string())
            .collect(),
        "numberingSystem" => ["latn"].map(String::from).to_vec(),
        "timeZone" => crate::datetime::zone_names(),
        "unit" => crate::number::SANCTIONED_UNITS
            .iter()
            .map(|u| u.to_string())
            .collect(),
        other => return Err(IntlError::invalid_option("key", other)),
    };
    values.sort();
    Ok(json!(values))
}
