//! The C ABI of the embedded colony: `coral run` loads the colony (and with
//! it DuckDB) as a shared library on a script's first query, so scripts that
//! never query do not pay for loading DuckDB. Both sides share these names
//! and types; requests and responses are protojson, as in Connect.
//!
//! Every buffer the library returns is freed with [`FREE`]; a handle from
//! [`OPEN`] is released with [`CLOSE`] once and then never used again.

use std::ffi::c_void;

use serde::{Deserialize, Serialize};

/// Version of this C ABI; the loader refuses a library reporting another.
/// Version 2 moved the query timeout from [`OpenConfig`] to each call
/// ([`CallFn`]'s `timeout_ms`).
pub const VERSION: u32 = 2;

/// Spans in the demo dataset when nothing else is asked for.
pub const DEFAULT_DEMO_SPANS: u64 = 12_000;

/// File name of the library (next to the `coral` binary).
pub const LIBRARY_FILE: &str = "libcoral_colony_embed.so";

/// Exported symbol names (NUL-terminated, as `dlsym` wants them).
pub mod symbol {
    /// [`super::VersionFn`].
    pub const VERSION: &[u8] = b"coral_colony_embed_version\0";
    /// [`super::OpenFn`].
    pub const OPEN: &[u8] = b"coral_colony_embed_open\0";
    /// [`super::CallFn`].
    pub const CALL: &[u8] = b"coral_colony_embed_call\0";
    /// [`super::FreeFn`].
    pub const FREE: &[u8] = b"coral_colony_embed_free\0";
    /// [`super::CloseFn`].
    pub const CLOSE: &[u8] = b"coral_colony_embed_close\0";
}

/// Bytes owned by the library (a Rust `Vec<u8>` taken apart).
#[repr(C)]
#[derive(Debug)]
pub struct Buffer {
    /// Start of the bytes (null for an empty buffer).
    pub ptr: *mut u8,
    /// Length in bytes.
    pub len: usize,
    /// Capacity, needed to free it.
    pub cap: usize,
}

impl Buffer {
    /// An empty buffer, for out-parameters.
    pub const EMPTY: Self = Self {
        ptr: std::ptr::null_mut(),
        len: 0,
        cap: 0,
    };
}

/// Returns [`VERSION`].
pub type VersionFn = unsafe extern "C" fn() -> u32;
/// Opens a colony from an [`OpenConfig`] (JSON). Returns a handle and writes
/// an [`Opened`] (JSON) to `out`, or returns null and writes a [`Failure`].
pub type OpenFn =
    unsafe extern "C" fn(config: *const u8, len: usize, out: *mut Buffer) -> *mut c_void;
/// Calls a QueryService method (`ListServices`, …) with a protojson request.
/// Returns 0 and writes the protojson response to `out`, or non-zero and
/// writes a [`Failure`]. Returns within `timeout_ms` (milliseconds, waiting
/// for the database included) plus a 200 ms grace, with a
/// `deadline_exceeded` failure if the query has not finished by then; the
/// query is interrupted, and work DuckDB cannot interrupt finishes in the
/// background on a connection of its own.
pub type CallFn = unsafe extern "C" fn(
    handle: *mut c_void,
    method: *const u8,
    method_len: usize,
    body: *const u8,
    body_len: usize,
    timeout_ms: u64,
    out: *mut Buffer,
) -> i32;
/// Frees a buffer the library returned.
pub type FreeFn = unsafe extern "C" fn(buffer: Buffer);
/// Closes a colony.
pub type CloseFn = unsafe extern "C" fn(handle: *mut c_void);

/// What colony to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenConfig {
    /// An existing colony database file; `None` generates the demo dataset in
    /// memory.
    pub db: Option<String>,
    /// Spans in the demo dataset.
    pub demo_spans: u64,
    /// Pin the colony's clock (Unix µs); the demo data then ends there.
    pub fixed_now_us: Option<i64>,
}

/// What [`OpenFn`] reports on success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opened {
    /// One line saying what was opened, e.g. "demo colony: 6 services, …".
    pub description: String,
}

/// A failure: a Connect/gRPC code name and a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// `not_found`, `invalid_argument`, `unavailable`, …
    pub code: String,
    /// What went wrong.
    pub message: String,
}
