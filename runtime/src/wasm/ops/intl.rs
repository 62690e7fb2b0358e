//! The host's `Intl` answers: `libcoral_intl.so` (`coral-intl`, ICU4X and its
//! compiled CLDR data), loaded with `dlopen` on a run's first `intl` request
//! and kept for the life of the process, through the C ABI of
//! `coral_host_abi::intl_library`. Keeping ICU4X out of `coral` keeps the
//! start-up memory of runs that never format anything unchanged.

use std::path::PathBuf;
use std::sync::OnceLock;

use coral_host_abi::intl_library::{Buffer, CallFn, FILE, FreeFn, VERSION, VersionFn, symbol};
use libloading::Library;

#[derive(Debug, Clone, Copy)]
struct Entry {
    call: CallFn,
    free: FreeFn,
}

/// Where the library is looked for: beside the running executable, and for
/// cargo's test binaries (in `target/<profile>/deps`) one level up.
fn candidates() -> Vec<PathBuf> {
    let Ok(exe) = std::env::current_exe() else {
        return Vec::new();
    };
    let mut out = vec![exe.with_file_name(FILE)];
    let dir = exe.parent();
    if dir.and_then(|d| d.file_name()).is_some_and(|n| n == "deps")
        && let Some(profile) = dir.and_then(|d| d.parent())
    {
        out.push(profile.join(FILE));
    }
    out
}

fn load() -> Result<Entry, String> {
    let paths = candidates();
    // The messages reach the script, so they name no host path (a broken
    // library is the installation's problem: `coral` itself runs fine).
    let Some(path) = paths.iter().find(|p| p.is_file()) else {
        return Err(format!(
            "Intl is unavailable: {FILE} is not installed beside the coral binary (`bash scripts/install.sh` installs it with coral)"
        ));
    };
    let broken = |_: libloading::Error| {
        format!(
            "Intl is unavailable: {FILE} beside the coral binary cannot be loaded; reinstall coral"
        )
    };
    // SAFETY: this is our own library (found beside `coral`), whose
    // initialisers are Rust's; it is never unloaded (leaked below).
    let library = unsafe { Library::new(path) }.map_err(broken)?;
    let library: &'static Library = Box::leak(Box::new(library));
    // SAFETY: each symbol has the type `coral_host_abi::intl_library`
    // declares, which both sides compile against, and the library stays
    // loaded for the life of the process.
    unsafe {
        let version = *library.get::<VersionFn>(symbol::VERSION).map_err(broken)?;
        let found = version();
        if found != VERSION {
            return Err(format!(
                "Intl is unavailable: {FILE} speaks C ABI v{found}, this coral needs v{VERSION}"
            ));
        }
        Ok(Entry {
            call: *library.get::<CallFn>(symbol::CALL).map_err(broken)?,
            free: *library.get::<FreeFn>(symbol::FREE).map_err(broken)?,
        })
    }
}

fn entry() -> Result<Entry, &'static str> {
    static ENTRY: OnceLock<Result<Entry, String>> = OnceLock::new();
    ENTRY
        .get_or_init(load)
        .as_ref()
        .copied()
        .map_err(String::as_str)
}

/// Answers one request: `Ok(JSON answer)` or `Err(JSON {"class",
/// "message"})`, the error the guest throws. A missing library is an
/// `Error` naming the file.
pub(crate) fn call(function: &str, args: &str) -> Result<Vec<u8>, Vec<u8>> {
    let entry = match entry() {
        Ok(entry) => entry,
        Err(message) => {
            return Err(serde_json::to_vec(
                &serde_json::json!({"class": "Error", "message": message}),
            )
            .unwrap_or_default());
        }
    };
    let mut out = Buffer {
        ptr: std::ptr::null_mut(),
        len: 0,
        cap: 0,
    };
    // SAFETY: both slices are valid for the call and `out` is writable; the
    // library fills `out` with a buffer it allocated.
    let status = unsafe {
        (entry.call)(
            function.as_ptr(),
            function.len(),
            args.as_ptr(),
            args.len(),
            &mut out,
        )
    };
    let bytes = if out.ptr.is_null() {
        Vec::new()
    } else {
        // SAFETY: the library returned `len` initialised bytes at `ptr`,
        // valid until freed just below.
        unsafe { std::slice::from_raw_parts(out.ptr, out.len) }.to_vec()
    };
    // SAFETY: the buffer came from this library and is freed once.
    unsafe { (entry.free)(out) };
    if status == 0 { Ok(bytes) } else { Err(bytes) }
}
