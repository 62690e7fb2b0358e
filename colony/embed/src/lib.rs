//! The colony as a shared library: the C ABI described in
//! [`coral_proto::embed`], over [`coral_colony::api::call_json`].
//!
//! `coral run` loads this library only when a script first queries, so
//! DuckDB (a large C++ library with static initialisers) stays off the
//! start-up path of scripts that never do. No panic crosses the boundary:
//! each entry point catches them and reports an `internal` failure.

use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use coral_colony::call::{Call, ClientId};
use coral_colony::readers::ABANDON_AFTER;
use coral_colony::{ColonyConfig, Store, demo};
use coral_proto::embed::{
    Buffer, CallFn, CloseFn, Failure, FreeFn, OpenConfig, OpenFn, Opened, VERSION, VersionFn,
};

// The loader calls these through the contract's function types: a signature
// that drifted from `coral_proto::embed` fails to compile here.
const _: VersionFn = coral_colony_embed_version;
const _: OpenFn = coral_colony_embed_open;
const _: CallFn = coral_colony_embed_call;
const _: FreeFn = coral_colony_embed_free;
const _: CloseFn = coral_colony_embed_close;

struct Colony {
    store: Arc<Store>,
}

/// The colony's own bound on a query: the caller's per-call timeout is
/// always the shorter one, so timeouts name the caller's limit.
const COLONY_QUERY_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

fn into_buffer(bytes: Vec<u8>) -> Buffer {
    let mut bytes = std::mem::ManuallyDrop::new(bytes);
    Buffer {
        ptr: bytes.as_mut_ptr(),
        len: bytes.len(),
        cap: bytes.capacity(),
    }
}

fn failure(code: &str, message: impl Into<String>) -> Vec<u8> {
    serde_json::to_vec(&Failure {
        code: code.into(),
        message: message.into(),
    })
    .unwrap_or_default()
}

/// The bytes at `(ptr, len)`, or an empty slice for a null pointer.
///
/// # Safety
/// A non-null `ptr` must point to `len` readable bytes that stay valid and
/// unmodified for `'a`.
unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if ptr.is_null() || len == 0 {
        &[]
    } else {
        // SAFETY: the caller guarantees `len` readable bytes at `ptr`.
        unsafe { std::slice::from_raw_parts(ptr, len) }
    }
}

fn open(config: &[u8]) -> Result<(Colony, Opened), Vec<u8>> {
    let config: OpenConfig = serde_json::from_slice(config)
        .map_err(|e| failure("invalid_argument", format!("bad colony configuration: {e}")))?;
    let colony_config = ColonyConfig {
        readers: 1,
        threads: 2,
        memory_limit: "1GB".into(),
        query_timeout: COLONY_QUERY_TIMEOUT,
        fixed_now_us: config.fixed_now_us,
        ..ColonyConfig::default()
    };
    let unavailable = |e: coral_colony::ColonyError| failure("unavailable", e.to_string());
    let (store, description) = match &config.db {
        Some(path) => {
            if !Path::new(path).is_file() {
                return Err(failure(
                    "unavailable",
                    format!(
                        "no colony database at {path} (create one with `coral colony ingest` or `coral colony demo`)"
                    ),
                ));
            }
            // Scripts only read: many runs may share one file.
            let store =
                Store::open_read_only(Path::new(path), colony_config).map_err(unavailable)?;
            (store, format!("colony database {path}"))
        }
        None => {
            let store = Store::open_in_memory(colony_config).map_err(unavailable)?;
            let counts =
                demo::generate(&store, config.demo_spans, store.now_us()).map_err(unavailable)?;
            let description = format!(
                "the demo dataset ({} services, {} spans over the last hour)",
                demo::SERVICES.len(),
                counts.spans
            );
            (store, description)
        }
    };
    Ok((
        Colony {
            store: Arc::new(store),
        },
        Opened { description },
    ))
}

/// See [`coral_proto::embed::VersionFn`].
#[unsafe(no_mangle)]
pub extern "C" fn coral_colony_embed_version() -> u32 {
    VERSION
}

/// See [`coral_proto::embed::OpenFn`].
///
/// # Safety
/// `config` must point to `len` readable bytes and `out` to a writable
/// [`Buffer`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_colony_embed_open(
    config: *const u8,
    len: usize,
    out: *mut Buffer,
) -> *mut c_void {
    // SAFETY: the caller passes `len` readable bytes at `config`.
    let config = unsafe { bytes(config, len) };
    let result = catch_unwind(|| open(config))
        .unwrap_or_else(|_| Err(failure("internal", "the colony panicked while opening")));
    let (handle, reply) = match result {
        Ok((colony, opened)) => (
            Box::into_raw(Box::new(colony)).cast::<c_void>(),
            serde_json::to_vec(&opened).unwrap_or_default(),
        ),
        Err(reply) => (std::ptr::null_mut(), reply),
    };
    // SAFETY: the caller passes a writable `Buffer` at `out`.
    unsafe { out.write(into_buffer(reply)) };
    handle
}

/// See [`coral_proto::embed::CallFn`].
///
/// # Safety
/// `handle` must come from [`coral_colony_embed_open`] and not be closed;
/// `(method, method_len)` and `(body, body_len)` must be readable; `out` must
/// point to a writable [`Buffer`]. Calls on one handle may come from any
/// thread, but not concurrently.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_colony_embed_call(
    handle: *mut c_void,
    method: *const u8,
    method_len: usize,
    body: *const u8,
    body_len: usize,
    timeout_ms: u64,
    out: *mut Buffer,
) -> i32 {
    // SAFETY: the caller guarantees a live handle from `open`; the store
    // is only read through it.
    let colony = unsafe { &*handle.cast::<Colony>() };
    // SAFETY: the caller guarantees both ranges are readable.
    let (method, body) = unsafe { (bytes(method, method_len), bytes(body, body_len)) };
    let result = catch_unwind(AssertUnwindSafe(|| {
        let method = std::str::from_utf8(method)
            .map_err(|_| failure("invalid_argument", "method name is not UTF-8"))?;
        call(
            &colony.store,
            method,
            body,
            Duration::from_millis(timeout_ms),
        )
    }))
    .unwrap_or_else(|_| Err(failure("internal", "the colony panicked during the call")));
    let (status, reply) = match result {
        Ok(reply) => (0, reply),
        Err(reply) => (1, reply),
    };
    // SAFETY: the caller passes a writable `Buffer` at `out`.
    unsafe { out.write(into_buffer(reply)) };
    status
}

/// Runs one call on a thread of its own and waits for it until the call's
/// deadline (plus [`ABANDON_AFTER`]): DuckDB cannot interrupt every query,
/// and the caller's deadline must hold regardless (`docs/abi.md`).
fn call(
    store: &Arc<Store>,
    method: &str,
    body: &[u8],
    timeout: Duration,
) -> Result<Vec<u8>, Vec<u8>> {
    let call = Call::new(ClientId::Local, store.config().query_timeout, Some(timeout));
    let (send, receive) = mpsc::channel();
    let (store, task_call, method_name, body) = (
        store.clone(),
        call.clone(),
        method.to_string(),
        body.to_vec(),
    );
    std::thread::Builder::new()
        .name("colony-call".into())
        .spawn(move || {
            let answer = coral_colony::api::call_json(&store, &task_call, &method_name, &body);
            // The caller may have given up waiting: nobody to tell then.
            let _ = send.send(answer);
        })
        .map_err(|e| failure("internal", format!("cannot start a query thread: {e}")))?;
    let wait = call
        .deadline()
        .saturating_duration_since(std::time::Instant::now())
        + ABANDON_AFTER;
    match receive.recv_timeout(wait) {
        Ok(answer) => answer.map_err(|e| failure(e.code.as_str(), e.message)),
        Err(_) => {
            call.cancel();
            Err(failure("deadline_exceeded", call.timeout().to_string()))
        }
    }
}

/// See [`coral_proto::embed::FreeFn`].
///
/// # Safety
/// `buffer` must have been returned by this library and not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_colony_embed_free(buffer: Buffer) {
    if !buffer.ptr.is_null() {
        // SAFETY: the buffer is a `Vec<u8>` this library took apart in
        // `into_buffer`, returned exactly once.
        drop(unsafe { Vec::from_raw_parts(buffer.ptr, buffer.len, buffer.cap) });
    }
}

/// See [`coral_proto::embed::CloseFn`].
///
/// # Safety
/// `handle` must come from [`coral_colony_embed_open`] and is invalid
/// afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_colony_embed_close(handle: *mut c_void) {
    if !handle.is_null() {
        // SAFETY: the handle is the `Box<Colony>` leaked by `open`, closed once.
        drop(unsafe { Box::from_raw(handle.cast::<Colony>()) });
    }
}
