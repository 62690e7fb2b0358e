//! Errors that stop a run from starting (as opposed to [`Outcome`](super::report::Outcome)s,
//! which are how a started run ended).

use std::path::PathBuf;

use coral_host_abi::bundle::BundleError;

/// Why the runtime could not load or start a program.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// Not a usable wasm module (corrupt, foreign, or failing validation).
    #[error("invalid WebAssembly module: {0}")]
    InvalidModule(String),
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
    /// A module whose imports or exports are not those of a Coral program.
    #[error("not a Coral program: {0}")]
    NotAProgram(String),
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
    /// (creating the `wasmtime::Engine`, reading guest memory), or the
    /// machine (a thread, a socket or `/dev/urandom` that cannot be had,
    /// `deno` that cannot be started). `coral` exits 70.
    #[error("internal error: {0}")]
    Internal(String),
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
