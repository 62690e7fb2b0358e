//! The Coral Script runtime: runs scripts sandboxed, on either of two peer
//! engines that keep one run contract.
//!
//! * the run contract: what a run may use ([`Limits`],
//!   [`RunOptions`]), what it may print and emit, what `--deterministic`
//!   fixes, how it ended ([`RunReport`], [`Outcome`]) and the [`Engine`]
//!   trait both engines implement;
//! * `wasm`: QuickJS in wasmtime ([`Runner`]) with fuel, a memory limit and
//!   an epoch deadline, the WASI context (captured stdio only: no files,
//!   environment, arguments or sockets) and the host half of the `coral`
//!   ABI;
//! * `deno`: the same script under a real `deno` ([`DenoEngine`]) with the
//!   same limits and colony;
//! * shared by both: the colony client ([`ColonyOptions`]: SDK queries go
//!   to a colony server over gRPC or to the embedded colony) and the on-disk
//!   [`Cache`].
//!
//! The engines never import each other, and the shared modules import
//! neither (`scripts/check-layers.py`, run by `.ci/run`). It never parses
//! TypeScript (that is `coral-compiler`) and has no CLI.

mod cache;
mod colony;
mod contract;
mod deno;
mod wasm;

pub use cache::Cache;
pub use colony::{ColonyOptions, ColonySource, endpoint_url};
pub use contract::engine::Engine;
pub use contract::error::RuntimeError;
pub use contract::event::Event;
pub use contract::options::{Limits, RunOptions};
pub use contract::output::{CaptureSink, Captured, OutputError, OutputSink, StdioSink};
pub use contract::report::{MAX_REPORT_BYTES, Outcome, RunReport, RunStats, ScriptError};
pub use contract::stop::StopSignal;
pub use deno::{DenoEngine, DenoScript, DenoSdk};
pub use wasm::{
    INTL_FUEL_BASE, INTL_FUEL_PER_BYTE, LoadedBundle, PluginModule, Program, Runner, StackMapper,
    WasmScript,
};
