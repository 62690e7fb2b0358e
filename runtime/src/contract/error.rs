//! Errors that stop a run from starting (as opposed to [`Outcome`](super::report::Outcome)s,
//! which are how a started run ended).

use std::path::PathBuf;

use coral_host_abi::bundle::BundleError;

/// Why the runtime could not load or start a program.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// Not a usable wasm module (corrupt, foreign, or failing validation):
    /// wasmtime's reason is the source.
    #[error("invalid WebAssembly module")]
    InvalidModule(#[source] wasmtime::Error),
    /// A wasm file without Coral bundle metadata, or with corrupt metadata.
    #[error(transparent)]
    NotABundle(#[from] BundleError),
    /// A bundle built for another version of the host ABI.
    #[error(
        "this bundle was built for Coral ABI v{found}, but this coral runs ABI v{expected}; rebuild it with `coral build`"
    )]
    AbiMismatch {
        /// The bundle's ABI version.
        found: u32,
        /// This host's.
        expected: u32,
    },
    /// A module whose imports or exports are not those of a Coral program,
    /// as the host's own checks find it.
    #[error("not a Coral program: {0}")]
    NotAProgram(String),
    /// A module wasmtime cannot link or instantiate as a Coral program (an
    /// import of the wrong type, a missing export): wasmtime's reason is
    /// the source.
    #[error("not a Coral program")]
    Unlinkable(#[source] wasmtime::Error),
    /// QuickJS rejected the JavaScript (the compiler's output).
    #[error("QuickJS could not compile the script: {0}")]
    Compile(String),
    /// Compiling the script needed more memory than the run may use.
    #[error("compiling the script exceeded the memory limit")]
    MemoryLimit,
    /// Compiling the script took longer than the run's `--timeout`
    /// (QuickJS's compiler grows faster than linearly on some inputs).
    #[error("compiling the script exceeded the time limit")]
    Timeout,
    /// The host failed for a reason that is not the script's: wasmtime
    /// (creating the `wasmtime::Engine`, reading guest memory), the plugin
    /// image (which could not be made), or the machine (a thread, a socket
    /// or `/dev/urandom` that cannot be had, `deno` that cannot be
    /// started). `what` says what was being done; the failure itself (a
    /// `wasmtime::Error`, an `std::io::Error`, ...) is the source. `coral`
    /// exits 70.
    #[error("internal error: {what}")]
    Internal {
        /// What the host was doing, e.g. "allocating guest memory".
        what: String,
        /// Why it failed.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// `--engine deno` without a usable `deno` binary.
    #[error("{0}")]
    DenoMissing(String),
    /// The cache directory could not be written.
    // The source's text comes after this one's in the CLI's report (`{:#}`).
    #[error("cache error at {}", path.display())]
    Cache {
        /// The entry.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

impl RuntimeError {
    /// [`RuntimeError::Internal`]: `what` the host was doing, failed with `source`.
    pub fn internal(
        what: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self::Internal {
            what: what.into(),
            source: source.into(),
        }
    }
}
