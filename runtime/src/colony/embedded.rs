//! The in-process colony: `libcoral_colony_embed.so` (the colony and DuckDB)
//! is loaded with `dlopen` on a run's first query and driven through the C
//! ABI of `coral_proto::embed`.
//!
//! The library is never unloaded: DuckDB keeps worker threads and C++
//! statics whose code must outlive every colony, so each loaded library is
//! leaked for the life of the process (and shared by later runs, e.g.
//! under `--watch`).

use std::collections::HashMap;
use std::ffi::c_void;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use coral_proto::embed::{
    self, Buffer, CallFn, CloseFn, Failure, FreeFn, OpenConfig, OpenFn, Opened, VersionFn,
};
use libloading::Library;

use super::backend::{Backend, BackendError, ErrorCode};

/// The entry points of a loaded library.
#[derive(Debug, Clone, Copy)]
struct Entry {
    open: OpenFn,
    call: CallFn,
    free: FreeFn,
    close: CloseFn,
}

static LOADED: Mutex<Option<HashMap<PathBuf, Entry>>> = Mutex::new(None);

fn unavailable(message: String) -> BackendError {
    BackendError::new(ErrorCode::Unavailable, message)
}

fn load(path: &Path) -> Result<Entry, BackendError> {
    let mut loaded = LOADED.lock().unwrap_or_else(|e| e.into_inner());
    let loaded = loaded.get_or_insert_with(HashMap::new);
    if let Some(entry) = loaded.get(path) {
        return Ok(*entry);
    }
    let broken = |e: libloading::Error| {
        unavailable(format!(
            "cannot load the embedded colony from {}: {e}; it and libduckdb.so belong beside the coral binary (`bash scripts/install.sh` installs all five files together), or query a colony server with --colony ADDR",
            path.display()
        ))
    };
    // SAFETY: loading runs the library's initialisers; this is our own colony
    // library (found next to the `coral` binary), whose initialisers are
    // DuckDB's and Rust's, which are safe to run on any thread.
    let library = unsafe { Library::new(path) }.map_err(broken)?;
    // Leaked on purpose: see the module docs.
    let library: &'static Library = Box::leak(Box::new(library));
    // SAFETY: each symbol is declared in `coral_proto::embed` with the type
    // the library defines it with (both sides compile against that module),
    // and the library stays loaded for the life of the process.
    let entry = unsafe {
        let version: VersionFn = *library
            .get::<VersionFn>(embed::symbol::VERSION)
            .map_err(broken)?;
        let found = version();
        if found != embed::VERSION {
            return Err(unavailable(format!(
                "the embedded colony at {} speaks C ABI v{found}, this coral needs v{}",
                path.display(),
                embed::VERSION
            )));
        }
        Entry {
            open: *library.get::<OpenFn>(embed::symbol::OPEN).map_err(broken)?,
            call: *library.get::<CallFn>(embed::symbol::CALL).map_err(broken)?,
            free: *library.get::<FreeFn>(embed::symbol::FREE).map_err(broken)?,
            close: *library
                .get::<CloseFn>(embed::symbol::CLOSE)
                .map_err(broken)?,
        }
    };
    loaded.insert(path.to_path_buf(), entry);
    Ok(entry)
}

impl Entry {
    /// Copies a returned buffer and frees it.
    fn take(&self, buffer: Buffer) -> Vec<u8> {
        let bytes = if buffer.ptr.is_null() {
            Vec::new()
        } else {
            // SAFETY: the library returned `len` initialised bytes at `ptr`,
            // which stay valid until freed just below.
            unsafe { std::slice::from_raw_parts(buffer.ptr, buffer.len) }.to_vec()
        };
        // SAFETY: the buffer came from this library and is freed once.
        unsafe { (self.free)(buffer) };
        bytes
    }
}

fn failure(bytes: &[u8]) -> BackendError {
    match serde_json::from_slice::<Failure>(bytes) {
        Ok(f) => BackendError::new(ErrorCode::from_connect(&f.code), f.message),
        Err(_) => BackendError::new(
            ErrorCode::Internal,
            String::from_utf8_lossy(bytes).into_owned(),
        ),
    }
}

/// A colony open in this process.
#[derive(Debug)]
pub struct EmbeddedBackend {
    entry: Entry,
    handle: *mut c_void,
}

// SAFETY: the library allows calls on a handle from any thread as long as
// they are not concurrent; `call` takes `&mut self`, so they never are.
unsafe impl Send for EmbeddedBackend {}

impl EmbeddedBackend {
    /// Loads the library and opens a colony on `db` (or a demo dataset of
    /// `demo_spans` spans). Returns the backend and what it opened.
    pub fn open(
        library: &Path,
        db: Option<&Path>,
        demo_spans: u64,
        fixed_now_us: Option<i64>,
    ) -> Result<(Self, String), BackendError> {
        let entry = load(library)?;
        let config = serde_json::to_vec(&OpenConfig {
            db: db.map(|p| p.display().to_string()),
            demo_spans,
            fixed_now_us,
        })
        .map_err(|e| BackendError::new(ErrorCode::Internal, e.to_string()))?;
        let mut out = Buffer::EMPTY;
        // SAFETY: `config` is readable for its length and `out` writable; the
        // library writes `out` before returning.
        let handle = unsafe { (entry.open)(config.as_ptr(), config.len(), &mut out) };
        let reply = entry.take(out);
        if handle.is_null() {
            return Err(failure(&reply));
        }
        let description = serde_json::from_slice::<Opened>(&reply)
            .map(|o| o.description)
            .unwrap_or_default();
        Ok((Self { entry, handle }, description))
    }
}

impl Backend for EmbeddedBackend {
    fn call(
        &mut self,
        method: &str,
        request: &[u8],
        timeout: Duration,
    ) -> Result<Vec<u8>, BackendError> {
        let mut out = Buffer::EMPTY;
        // SAFETY: the handle is open (closed only in Drop); both byte ranges
        // are readable for their lengths; `out` is writable.
        let status = unsafe {
            (self.entry.call)(
                self.handle,
                method.as_ptr(),
                method.len(),
                request.as_ptr(),
                request.len(),
                // Rounded up: a deadline a fraction of a millisecond early
                // would let the answer beat the run's own deadline.
                timeout
                    .as_micros()
                    .div_ceil(1000)
                    .try_into()
                    .unwrap_or(u64::MAX),
                &mut out,
            )
        };
        let reply = self.entry.take(out);
        if status == 0 {
            return Ok(reply);
        }
        let error = failure(&reply);
        if error.code == ErrorCode::DeadlineExceeded {
            return Err(BackendError::new(
                ErrorCode::DeadlineExceeded,
                format!(
                    "the embedded colony did not answer {method} within {timeout:?} (raise it with --colony-timeout)"
                ),
            ));
        }
        Err(error)
    }
}

impl Drop for EmbeddedBackend {
    fn drop(&mut self) {
        // SAFETY: the handle came from `open` and is closed exactly once.
        unsafe { (self.entry.close)(self.handle) };
    }
}
