//! The operations a guest can request through the `call` import (see
//! `coral_host_abi::op`): parameters, the end of the entry module, colony
//! queries and events. Requests and responses are JSON; a colony answer is
//! spliced into the response as the backend produced it, never re-encoded.
//! The web APIs the engine's JavaScript asks the host for live in the
//! submodules: [`compression`], [`encoding`], [`intl`] and [`web`] (URL).

pub(crate) mod compression;
pub(crate) mod encoding;
mod hex;
mod intl;
mod web;

use hex::unhex;

use coral_host_abi::{ABI_VERSION, op};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

use super::state::{HostState, HostTrap};
use crate::colony::{BackendError, ErrorCode};
use crate::contract::event::{Event, check_event, compact, null_json};

#[derive(Deserialize)]
struct Request<'a> {
    #[serde(borrow)]
    op: Cow<'a, str>,
    #[serde(borrow, default)]
    method: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    request: Option<&'a RawValue>,
    #[serde(default)]
    name: Option<String>,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(borrow, default, rename = "fn")]
    function: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    args: Option<&'a RawValue>,
    #[serde(default)]
    len: Option<usize>,
    #[serde(default)]
    algorithm: Option<String>,
}

/// Most random bytes one `crypto` request returns (Web Crypto's quota).
pub const MAX_RANDOM_BYTES: usize = 65_536;

/// Fuel charged for every `intl` call: about what the guest spends on a
/// small host call's JSON, so formatting is never free.
pub const INTL_FUEL_BASE: u64 = 2_000;

/// Fuel charged per byte of an `intl` request and response: ICU4X's work
/// grows with the text it reads and writes.
pub const INTL_FUEL_PER_BYTE: u64 = 20;

/// Fuel per byte of a `segment` request: dictionary word breaking costs
/// about what 500 interpreted instructions do per byte.
pub const INTL_SEGMENT_FUEL_PER_BYTE: u64 = 500;

/// Fuel charged for every `encoding`, `compression` and `stack` call (as
/// for `intl`).
pub const ENCODING_FUEL_BASE: u64 = 2_000;

/// Fuel per byte of an `encoding`, `compression` or `stack` request and
/// response:
/// the codec's work per byte is small beside the hex and JSON around it.
pub const ENCODING_FUEL_PER_BYTE: u64 = 10;

/// The answer to a request: the response bytes, or a trap.
pub(crate) type Answer = Result<Vec<u8>, HostTrap>;

fn ok_raw(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + 7);
    out.extend_from_slice(b"{\"ok\":");
    out.extend_from_slice(json);
    out.push(b'}');
    out
}

/// `{"error": {"class", "code"?, "message"}}`: the engine throws `class`; the
/// SDK maps `code` (colony failures) to its own classes.
fn error(class: &str, code: Option<&str>, message: &str) -> Vec<u8> {
    let mut error = serde_json::json!({ "class": class, "message": message });
    if let Some(code) = code {
        error["code"] = code.into();
    }
    serde_json::to_vec(&serde_json::json!({ "error": error })).unwrap_or_default()
}

fn backend_error(e: &BackendError) -> Vec<u8> {
    error("Error", Some(e.code.as_str()), &e.message)
}

impl HostState {
    /// Answers one request; `None` when the bytes are not JSON at all (the
    /// caller returns `CallStatus::MalformedRequest`). JSON that is not a
    /// request gets an error response.
    pub(crate) fn dispatch(&mut self, bytes: &[u8]) -> Result<Option<Vec<u8>>, HostTrap> {
        match serde_json::from_slice::<Request<'_>>(bytes) {
            Ok(request) => self.answer(request).map(Some),
            // Checked only on this cold path, so a good request is parsed once.
            Err(_) if serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_err() => Ok(None),
            Err(e) => Ok(Some(error(
                "TypeError",
                None,
                &format!("malformed host request (ABI v{ABI_VERSION}): {e}"),
            ))),
        }
    }

    fn answer(&mut self, request: Request<'_>) -> Answer {
        match &*request.op {
            op::PARAMS => Ok(ok_raw(
                &serde_json::to_vec(&self.params).unwrap_or_default(),
            )),
            op::MAIN_DONE => {
                self.main_done = true;
                Ok(ok_raw(b"null"))
            }
            op::COLONY => self.colony_call(&request),
            op::EMIT => self.emit(request),
            op::INTL => Ok(self.intl(&request)),
            op::CRYPTO => Ok(self.crypto(&request)),
            op::URL => {
                let function = request.function.as_deref().unwrap_or("");
                let args = request.args.map_or("{}", RawValue::get);
                Ok(answer_value(web::url(function, args)))
            }
            op::STACK => {
                #[derive(serde::Deserialize)]
                struct Args {
                    stack: String,
                }
                let args = request.args.map_or("{}", RawValue::get);
                let response = answer_value(
                    serde_json::from_str::<Args>(args)
                        .map(|a| serde_json::json!(self.stack_mapper.map_stack(&a.stack)))
                        .map_err(|e| format!("malformed stack request: {e}")),
                );
                self.fuel_debt += ENCODING_FUEL_BASE
                    + ENCODING_FUEL_PER_BYTE * (args.len() + response.len()) as u64;
                Ok(response)
            }
            op::ENCODING | op::COMPRESSION => {
                let function = request.function.as_deref().unwrap_or("");
                let args = request.args.map_or("{}", RawValue::get);
                let result = if request.op == op::ENCODING {
                    self.text_decoders.call(function, args)
                } else {
                    self.compression_streams.call(function, args)
                };
                let response = answer_value(result);
                self.fuel_debt += ENCODING_FUEL_BASE
                    + ENCODING_FUEL_PER_BYTE * (args.len() + response.len()) as u64;
                Ok(response)
            }
            other => Ok(error(
                "Error",
                None,
                &format!("unknown host operation \"{other}\" (ABI v{ABI_VERSION})"),
            )),
        }
    }

    fn colony_call(&mut self, request: &Request<'_>) -> Answer {
        let Some(method) = request.method.as_deref() else {
            return Ok(error("TypeError", None, "colony request without a method"));
        };
        let body = request.request.map_or("{}", RawValue::get);
        let remaining = self.remaining();
        if remaining.is_zero() {
            return Err(HostTrap::Timeout);
        }
        let timeout = self.colony_timeout.min(remaining);
        let (colony, output) = (&mut self.colony, &mut self.output);
        // A closed stderr is found (and ends the run) at the script's next write.
        let mut announce = |line: &str| {
            let _ = output.write(coral_host_abi::Stream::Stderr, line.as_bytes());
        };
        let result = colony.call(method, body.as_bytes(), timeout, &mut announce);
        match result {
            Ok(json) => Ok(ok_raw(&json)),
            // The run's own deadline, not the colony, cut the call short.
            Err(_) if self.remaining().is_zero() => Err(HostTrap::Timeout),
            Err(e) => Ok(backend_error(&e)),
        }
    }

    /// Answers an `Intl` question with `libcoral_intl.so` and charges its
    /// fuel.
    fn intl(&mut self, request: &Request<'_>) -> Vec<u8> {
        let function = request.function.as_deref().unwrap_or("");
        let args = request.args.map_or("{}", RawValue::get);
        let response = match intl::call(function, args) {
            Ok(answer) => ok_raw(&answer),
            Err(error) => {
                let mut out = b"{\"error\":".to_vec();
                out.extend_from_slice(&error);
                out.push(b'}');
                out
            }
        };
        let per_byte = if function == "segment" {
            INTL_SEGMENT_FUEL_PER_BYTE
        } else {
            INTL_FUEL_PER_BYTE
        };
        self.fuel_debt += INTL_FUEL_BASE + per_byte * (args.len() + response.len()) as u64;
        response
    }

    /// Random bytes and digests for the guest's `crypto` (see
    /// `coral_host_abi::op::CRYPTO`).
    fn crypto(&mut self, request: &Request<'_>) -> Vec<u8> {
        match request.function.as_deref() {
            Some("random") => {
                if self.deterministic {
                    return ok_raw(b"null");
                }
                let len = request.len.unwrap_or(0).min(MAX_RANDOM_BYTES);
                let mut bytes = vec![0u8; len];
                use cap_rand::RngCore;
                cap_rand::rngs::OsRng::default(cap_rand::ambient_authority())
                    .fill_bytes(&mut bytes);
                ok_raw(format!("\"{}\"", const_hex::encode(&bytes)).as_bytes())
            }
            Some("digest") => {
                let data = request
                    .data
                    .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok())
                    .and_then(|h| unhex(&h));
                let Some(data) = data else {
                    return error("TypeError", None, "digest: data must be hex bytes");
                };
                use sha2::Digest;
                let digest = match request.algorithm.as_deref() {
                    Some("SHA-1") => sha1::Sha1::digest(&data).to_vec(),
                    Some("SHA-256") => sha2::Sha256::digest(&data).to_vec(),
                    Some("SHA-384") => sha2::Sha384::digest(&data).to_vec(),
                    Some("SHA-512") => sha2::Sha512::digest(&data).to_vec(),
                    _ => return error("NotSupportedError", None, "Unrecognized algorithm name"),
                };
                ok_raw(format!("\"{}\"", const_hex::encode(&digest)).as_bytes())
            }
            _ => error("TypeError", None, "unknown crypto operation"),
        }
    }

    fn emit(&mut self, request: Request<'_>) -> Answer {
        let name = request.name.unwrap_or_default();
        let severity = request.severity.unwrap_or_else(|| "info".into());
        if let Err(refusal) = check_event(&name, &severity, self.events.len()) {
            return Ok(error(
                refusal.class,
                refusal.code.map(ErrorCode::as_str),
                &refusal.message,
            ));
        }
        let event = Event {
            name,
            severity,
            data: request.data.map_or_else(null_json, compact),
            at_ms: self.clock.elapsed().as_secs_f64() * 1000.0,
        };
        // Shown events count towards the output limit like printed text.
        let shown = event.to_string().len() + 1;
        if self.take_output_room(shown) < shown {
            return Err(HostTrap::OutputLimit);
        }
        self.output.event(&event)?;
        self.events.push(event);
        Ok(ok_raw(b"null"))
    }
}

/// The response for a host function's value, or its `TypeError`.
fn answer_value(result: Result<serde_json::Value, String>) -> Vec<u8> {
    match result {
        Ok(value) => ok_raw(&serde_json::to_vec(&value).unwrap_or_default()),
        Err(message) => error("TypeError", None, &message),
    }
}
