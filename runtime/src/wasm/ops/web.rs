//! The host half of web globals that need a well-kept implementation:
//! WHATWG URL parsing and its setters (the `url` crate's `quirks` module,
//! written for exactly this API) and `application/x-www-form-urlencoded`
//! (`form_urlencoded`), for `engine/src/web/url.js`. Pure functions of the
//! request; a malformed request is an error the guest throws.

use serde::Deserialize;
use serde_json::{Value, json};
use url::Url;

/// Answers `{"op": "url", "fn", "args"}` (see `coral_host_abi::op::URL`):
/// `Ok(JSON)` or `Err(message)` for a `TypeError`.
pub(crate) fn url(function: &str, args: &str) -> Result<Value, String> {
    let bad = |e: serde_json::Error| format!("malformed URL request: {e}");
    match function {
        "parse" => {
            #[derive(Deserialize)]
            struct Args {
                input: String,
                base: Option<String>,
            }
            let a: Args = serde_json::from_str(args).map_err(bad)?;
            let parsed = match a.base {
                Some(base) => Url::parse(&base).and_then(|b| b.join(&a.input)),
                None => Url::parse(&a.input),
            };
            Ok(parsed.map_or(Value::Null, |u| components(&u)))
        }
        "set" => {
            #[derive(Deserialize)]
            struct Args {
                href: String,
                part: String,
                value: String,
            }
            let a: Args = serde_json::from_str(args).map_err(bad)?;
            let mut u = Url::parse(&a.href).map_err(|e| format!("Invalid URL: {e}"))?;
            use url::quirks;
            match a.part.as_str() {
                "href" => quirks::set_href(&mut u, &a.value)
                    .map_err(|_| format!("Invalid URL: '{}'", a.value))?,
                "protocol" => {
                    let _ = quirks::set_protocol(&mut u, &a.value);
                }
                "username" => {
                    let _ = quirks::set_username(&mut u, &a.value);
                }
                "password" => {
                    let _ = quirks::set_password(&mut u, &a.value);
                }
                "host" => {
                    let _ = quirks::set_host(&mut u, &a.value);
                }
                "hostname" => {
                    let _ = quirks::set_hostname(&mut u, &a.value);
                }
                "port" => {
                    let _ = quirks::set_port(&mut u, &a.value);
                }
                "pathname" => quirks::set_pathname(&mut u, &a.value),
                "search" => quirks::set_search(&mut u, &a.value),
                "hash" => quirks::set_hash(&mut u, &a.value),
                other => return Err(format!("unknown URL part {other}")),
            }
            Ok(components(&u))
        }
        "parseQuery" => {
            #[derive(Deserialize)]
            struct Args {
                query: String,
            }
            let a: Args = serde_json::from_str(args).map_err(bad)?;
            let pairs: Vec<(String, String)> = form_urlencoded::parse(a.query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            Ok(json!(pairs))
        }
        "serializeQuery" => {
            #[derive(Deserialize)]
            struct Args {
                pairs: Vec<(String, String)>,
            }
            let a: Args = serde_json::from_str(args).map_err(bad)?;
            let mut out = form_urlencoded::Serializer::new(String::new());
            for (k, v) in &a.pairs {
                out.append_pair(k, v);
            }
            Ok(json!(out.finish()))
        }
        other => Err(format!("unknown URL operation {other}")),
    }
}

/// The URL's WHATWG attributes, as the `url` crate's quirks compute them.
fn components(u: &Url) -> Value {
    use url::quirks;
    json!({
        "href": quirks::href(u),
        "origin": quirks::origin(u),
        "protocol": quirks::protocol(u),
        "username": quirks::username(u),
        "password": quirks::password(u),
        "host": quirks::host(u),
        "hostname": quirks::hostname(u),
        "port": quirks::port(u),
        "pathname": quirks::pathname(u),
        "search": quirks::search(u),
        "hash": quirks::hash(u),
    })
}
