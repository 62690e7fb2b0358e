//! The contract between a Coral Script guest (the QuickJS engine plugin running
//! inside wasm) and the host (the `coral` runtime).
//!
//! This crate owns every name, number and bound both sides must agree on: the
//! import module and its functions, the ABI version recorded in bundles, the
//! size limits the host enforces on each call, the output streams, and the
//! status codes a call can return. It depends on nothing so that the wasm
//! engine, the compiler and the host can all use it.
//!
//! # The imports (module [`IMPORT_MODULE`])
//!
//! All pointers are offsets into the guest's exported `memory`; all lengths are
//! byte counts. The host checks every `(ptr, len)` pair against the memory's
//! current size and against the bound named below; a bad pair traps the guest
//! (it never reads out of bounds and never panics).
//!
//! | import | signature | meaning |
//! |---|---|---|
//! | `write` | `(stream: i32, ptr: i32, len: i32)` | append bytes (the engine sends UTF-8) to stdout (1) or stderr (2); at most [`MAX_WRITE_BYTES`] per call |
//! | `call` | `(ptr: i32, len: i32) -> i64` | a JSON request `{"op": …, …}` of at most [`MAX_REQUEST_BYTES`]; returns the length of the JSON response the host now holds, or a negative [`CallStatus`] |
//! | `take_response` | `(ptr: i32, len: i32) -> i32` | copy the held response into guest memory; `len` must equal the length `call` returned; returns 0 |
//! | `monotonic_ms` | `() -> f64` | milliseconds since the run started (virtual in deterministic mode) |
//! | `sleep_ms` | `(ms: f64)` | block until `ms` have passed (no-op for non-finite or non-positive `ms`), or trap when that would reach the run's deadline: the deadline is exclusive, so a timer due exactly at it never runs (the Deno engine's virtual clock does the same) |
//! | `random_seed` | `() -> i64` | seed for `Math.random` (fixed in deterministic mode) |
//! | `report_error` | `(ptr: i32, len: i32)` | record an uncaught error (JSON `{name, message, stack}`, at most [`MAX_REQUEST_BYTES`]) |
//! | `exit` | `(code: i32)` | end the run now with this script status (0 = success) |
//!
//! A call's response is JSON: `{"ok": <value>}` or
//! `{"error": {"class": "<JS error class>", "message": "…"}}`; the engine turns the
//! latter into a thrown exception of that class.

pub mod bundle;

/// Name of the wasm import module holding the host functions.
pub const IMPORT_MODULE: &str = "coral";

/// Version of the guest<->host contract. Bumped whenever an import or an
/// operation is added, removed or changes meaning; bundles record it and the
/// host refuses versions outside [`MIN_ABI_VERSION`]`..=`[`ABI_VERSION`].
/// Version 2 added the [`op::INTL`], [`op::CRYPTO`] and [`op::URL`]
/// operations, version 3 [`op::ENCODING`], [`op::COMPRESSION`] and
/// [`op::STACK`].
pub const ABI_VERSION: u32 = 3;

/// Oldest bundle ABI the host still runs: each version only added
/// operations, so older bundles keep working.
pub const MIN_ABI_VERSION: u32 = 1;

/// Name of the custom section in which a bundle records its metadata
/// ([`ABI_VERSION`], source map, entry file).
pub const BUNDLE_SECTION: &str = "coral:bundle";

/// Namespace javy uses for a dynamically linked plugin's exports.
pub const ENGINE_NAMESPACE: &str = "coral-engine-v1";

/// Name QuickJS gives the compiled program (javy names it); stack frames
/// and QuickJS's compile errors refer to it.
pub const PROGRAM_MODULE_NAME: &str = "function.mjs";

/// Largest single `write` accepted (the engine splits longer text).
pub const MAX_WRITE_BYTES: u32 = 64 * 1024;

/// Largest request (`call`, `report_error`) accepted.
pub const MAX_REQUEST_BYTES: u32 = 1024 * 1024;

/// Largest response the host will hand back; larger results are an error the
/// guest sees as an exception.
pub const MAX_RESPONSE_BYTES: u32 = 64 * 1024 * 1024;

/// Function names within [`IMPORT_MODULE`].
pub mod import {
    /// See the crate docs for each signature.
    pub const WRITE: &str = "write";
    /// See the crate docs.
    pub const CALL: &str = "call";
    /// See the crate docs.
    pub const TAKE_RESPONSE: &str = "take_response";
    /// See the crate docs.
    pub const MONOTONIC_MS: &str = "monotonic_ms";
    /// See the crate docs.
    pub const SLEEP_MS: &str = "sleep_ms";
    /// See the crate docs.
    pub const RANDOM_SEED: &str = "random_seed";
    /// See the crate docs.
    pub const REPORT_ERROR: &str = "report_error";
    /// See the crate docs.
    pub const EXIT: &str = "exit";
}

/// Output streams accepted by `write`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum Stream {
    /// Script output (`console.log`, `console.info`, `console.debug`).
    Stdout = 1,
    /// Diagnostics (`console.error`, `console.warn`).
    Stderr = 2,
}

impl Stream {
    /// Decodes the raw value passed across the ABI.
    pub fn from_raw(raw: i32) -> Option<Self> {
        match raw {
            1 => Some(Self::Stdout),
            2 => Some(Self::Stderr),
            _ => None,
        }
    }
}

/// Negative results of `call`. A non-negative result is a response length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i64)]
pub enum CallStatus {
    /// The request was larger than [`MAX_REQUEST_BYTES`].
    RequestTooLarge = -1,
    /// The request was not JSON. (JSON without a string `op` gets an
    /// `{"error": …}` response instead.)
    MalformedRequest = -2,
    /// The response would be larger than [`MAX_RESPONSE_BYTES`].
    ResponseTooLarge = -3,
}

impl CallStatus {
    /// Decodes a negative `call` result.
    pub fn from_raw(raw: i64) -> Option<Self> {
        match raw {
            -1 => Some(Self::RequestTooLarge),
            -2 => Some(Self::MalformedRequest),
            -3 => Some(Self::ResponseTooLarge),
            _ => None,
        }
    }

    /// What the guest reports when a call fails this way.
    pub fn message(self) -> &'static str {
        match self {
            Self::RequestTooLarge => "host call request exceeds the ABI size limit",
            Self::MalformedRequest => "host call request is not valid JSON with an `op`",
            Self::ResponseTooLarge => "host call response exceeds the ABI size limit",
        }
    }
}

/// Operations accepted by `call` in ABI v1.
pub mod op {
    /// `{"op": "params"}` -> `{"ok": {"k": "v", …}}`: the run's `--param` values.
    pub const PARAMS: &str = "params";
    /// `{"op": "main_done"}` -> `{"ok": null}`: the entry module finished its
    /// top level. A run that ends without it had a top-level `await` that
    /// never settled.
    pub const MAIN_DONE: &str = "main_done";
    /// `{"op": "colony", "method": "ListServices", "request": {…}}` -> `{"ok":
    /// {…}}`: one QueryService call (`coral.colony.v1`), request and response
    /// in protojson, exactly as the Connect protocol carries them. A failure
    /// is `{"error": {"class": "Error", "code": "<connect code>", "message"}}`
    /// with codes `unavailable`, `not_found`, `invalid_argument`,
    /// `failed_precondition` (query rejected), `resource_exhausted`,
    /// `deadline_exceeded`, `unimplemented`, `internal`.
    pub const COLONY: &str = "colony";
    /// `{"op": "emit", "name": "…", "data": <any JSON>, "severity": "info"}`
    /// -> `{"ok": null}`: a structured event (severity one of `debug`,
    /// `info`, `warning`, `error`, `critical`; at most 10,000 per run).
    pub const EMIT: &str = "emit";
    /// `{"op": "intl", "fn": "<service>", "args": {…}}` -> `{"ok": <answer>}`:
    /// one ECMA-402 question (format a number, compare two strings, …)
    /// answered by the host's ICU4X (`coral-intl` documents each `fn`). A
    /// bad option is `{"error": {"class": "RangeError" | "TypeError",
    /// "message"}}`. Since ABI v2. The host charges the run's fuel for the
    /// work (see `coral_runtime`'s `INTL_FUEL_*`).
    pub const INTL: &str = "intl";
    /// Web Crypto's host half. `{"op": "crypto", "fn": "random", "len": n}`
    /// -> `{"ok": "<hex>"}`: `n` (at most 65,536) bytes from the operating
    /// system's generator, or `{"ok": null}` under `--deterministic` (the
    /// guest then draws from its seeded `Math.random` generator, as the Deno
    /// engine does, so both print the same). `{"op": "crypto", "fn":
    /// "digest", "algorithm": "SHA-256", "data": "<hex>"}` -> `{"ok":
    /// "<hex>"}` (SHA-1, SHA-256, SHA-384, SHA-512; RustCrypto). Since ABI
    /// v2.
    pub const CRYPTO: &str = "crypto";
    /// WHATWG URL's host half (`coral_runtime`'s `web.rs`, the `url`
    /// crate): `{"op": "url", "fn": "parse" | "set" | "parseQuery" |
    /// "serializeQuery", "args": {…}}` -> `{"ok": …}`; `parse` answers the
    /// URL's attributes or `null` for an invalid URL. Since ABI v2.
    pub const URL: &str = "url";
    /// WHATWG Encoding's decoders for `TextDecoder` (`coral_runtime`'s
    /// `encoding.rs`, `encoding_rs`): `{"op": "encoding", "fn": "label" |
    /// "decode", "args": {…}}` -> `{"ok": …}`; `label` answers the
    /// encoding's name or `null`, `decode` `{text, handle}` (a handle
    /// while a stream goes on). Since ABI v3.
    pub const ENCODING: &str = "encoding";
    /// The Compression Standard's streams (`coral_runtime`'s
    /// `compression.rs`, `flate2`): `{"op": "compression", "fn": "open" |
    /// "write" | "finish" | "close", "args": {…}}` -> `{"ok": …}`: a handle, then the
    /// hex bytes each chunk gives. Since ABI v3.
    pub const COMPRESSION: &str = "compression";
    /// `{"op": "stack", "args": {"stack": "<an Error's stack>"}}` -> `{"ok":
    /// ["at f (lib/a.ts:3:9)", …]}`: the frames in the script's own files
    /// (as an uncaught error's report shows them), for `console.log` of an
    /// error. Since ABI v3.
    pub const STACK: &str = "stack";
}

/// The host's `Intl` library: `coral-intl` built as `libcoral_intl.so`,
/// installed beside `coral` and loaded with `dlopen` on a run's first
/// [`op::INTL`] request. ICU4X's compiled data is large and full of
/// pointers (relocated when a binary starts), so keeping it out of `coral`
/// keeps every other run's start-up memory where it was.
pub mod intl_library {
    /// File name beside the `coral` binary.
    pub const FILE: &str = "libcoral_intl.so";

    /// Version of this C ABI; the host refuses a library of another one.
    pub const VERSION: u32 = 1;

    /// Exported symbol names (NUL-terminated for `dlsym`).
    pub mod symbol {
        /// [`super::VersionFn`].
        pub const VERSION: &[u8] = b"coral_intl_version\0";
        /// [`super::CallFn`].
        pub const CALL: &[u8] = b"coral_intl_call\0";
        /// [`super::FreeFn`].
        pub const FREE: &[u8] = b"coral_intl_free\0";
    }

    /// Bytes the library allocated; given back to [`FreeFn`] exactly once.
    #[repr(C)]
    #[derive(Debug)]
    pub struct Buffer {
        /// Start of the bytes (null for none).
        pub ptr: *mut u8,
        /// Number of bytes.
        pub len: usize,
        /// Allocation capacity (the library's business).
        pub cap: usize,
    }

    /// `() -> VERSION`.
    pub type VersionFn = unsafe extern "C" fn() -> u32;
    /// `(function, function_len, args, args_len, out) -> status`: answers one
    /// request (`function` and `args` as in [`crate::op::INTL`], UTF-8). On
    /// status 0, `out` holds the JSON answer; on 1, the JSON error
    /// `{"class", "message"}`.
    pub type CallFn = unsafe extern "C" fn(*const u8, usize, *const u8, usize, *mut Buffer) -> i32;
    /// Frees a [`Buffer`] the library returned.
    pub type FreeFn = unsafe extern "C" fn(Buffer);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_and_status_round_trip() {
        assert_eq!(
            Stream::from_raw(Stream::Stdout as i32),
            Some(Stream::Stdout)
        );
        assert_eq!(
            Stream::from_raw(Stream::Stderr as i32),
            Some(Stream::Stderr)
        );
        assert_eq!(Stream::from_raw(0), None);
        for s in [
            CallStatus::RequestTooLarge,
            CallStatus::MalformedRequest,
            CallStatus::ResponseTooLarge,
        ] {
            assert_eq!(CallStatus::from_raw(s as i64), Some(s));
            assert!(!s.message().is_empty());
        }
        assert_eq!(CallStatus::from_raw(5), None);
    }
}
