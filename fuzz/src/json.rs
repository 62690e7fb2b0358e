//! Arbitrary JSON values for the JSON boundaries (host requests, Connect
//! JSON), biased towards what their decoders look at: the field names they
//! know, numbers at the edges of their types, strings that are locales,
//! time zones, URLs and SQL.

use arbitrary::Unstructured;
use serde_json::{Map, Value};

use crate::pick;

/// Deepest value [`value`] builds (decoders are expected to take this).
const MAX_DEPTH: usize = 24;

/// Strings worth trying anywhere.
const STRINGS: &[&str] = &[
    "",
    "en-US",
    "de-DE-u-co-phonebk",
    "ar-EG-u-nu-arab",
    "und",
    "x-private",
    "UTC",
    "America/New_York",
    "Etc/GMT+14",
    "https://user:pw@example.com:8080/p/a/t/h?query=1#frag",
    "http://[::1]/",
    "file:///etc/passwd",
    "data:text/plain,x",
    "/etc/passwd",
    "../../",
    "SELECT 1",
    "SELECT * FROM spans",
    "COPY spans TO '/tmp/x'",
    "utf-8",
    "windows-1252",
    "shift_jis",
    "gzip",
    "deflate",
    "deflate-raw",
    "SHA-256",
    "SHA-1",
    "MD5",
    "currency",
    "unit",
    "percent",
    "compact",
    "long",
    "short",
    "narrow",
    "numeric",
    "2-digit",
    "api",
    "checkout",
    "p99",
    "NaN",
    "Infinity",
    "-0",
    "1e309",
    "\u{0}",
    "\u{feff}",
    "\u{1f600}",
    "\u{10ffff}",
];

/// Numbers worth trying anywhere.
const NUMBERS: &[f64] = &[
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    99.0,
    100.0,
    101.0,
    255.0,
    65_536.0,
    2_147_483_647.0,
    2_147_483_648.0,
    -2_147_483_649.0,
    9_007_199_254_740_993.0,
    1e21,
    -1e308,
    1.7976931348623157e308,
    5e-324,
];

/// A JSON value built from `u`, using `keys` for object fields most of the
/// time.
pub fn value(u: &mut Unstructured<'_>, keys: &[&str]) -> Value {
    value_at(u, keys, 0)
}

fn value_at(u: &mut Unstructured<'_>, keys: &[&str], depth: usize) -> Value {
    let choice = u.int_in_range(0..=9u8).unwrap_or(0);
    match choice {
        _ if depth >= MAX_DEPTH => Value::Null,
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary().unwrap_or(false)),
        2 => number(u),
        3 => Value::from(u.arbitrary::<i64>().unwrap_or(0)),
        4 => Value::String(string(u)),
        5 => Value::String(pick(u, STRINGS).to_owned()),
        6 | 7 => {
            let n = u.int_in_range(0..=6).unwrap_or(0);
            Value::Array((0..n).map(|_| value_at(u, keys, depth + 1)).collect())
        }
        _ => object(u, keys, depth),
    }
}

/// An object whose fields are mostly from `keys`.
pub fn object(u: &mut Unstructured<'_>, keys: &[&str], depth: usize) -> Value {
    let mut map = Map::new();
    for _ in 0..u.int_in_range(0..=6).unwrap_or(0) {
        let key = if keys.is_empty() || u.ratio(1, 6).unwrap_or(false) {
            string(u)
        } else {
            pick(u, keys).to_owned()
        };
        map.insert(key, value_at(u, keys, depth + 1));
    }
    Value::Object(map)
}

fn number(u: &mut Unstructured<'_>) -> Value {
    let n = if u.ratio(1, 2).unwrap_or(true) {
        NUMBERS[u.choose_index(NUMBERS.len()).unwrap_or(0)]
    } else {
        u.arbitrary::<f64>().unwrap_or(0.0)
    };
    serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
}

/// A short string from the input, sometimes repeated to a long one.
fn string(u: &mut Unstructured<'_>) -> String {
    let s: String = u.arbitrary().unwrap_or_default();
    let repeat = match u.int_in_range(0..=15u8).unwrap_or(0) {
        15 => 10_000,
        14 => 100,
        _ => 1,
    };
    s.repeat(repeat)
}
