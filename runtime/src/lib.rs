//! The Coral Script runtime: runs compiled scripts in wasmtime, sandboxed.
//!
//! It owns everything between "here is a program" and "here is how it
//! ended": the wasmtime engine (fuel metering, epoch deadlines), per-run
//! [`Limits`] (time, memory via `StoreLimits`, fuel, output), the WASI context
//! (captured stdio only: no files, environment, arguments or sockets), the
//! host half of the `coral` ABI (and the colony [`Backend`]s SDK queries
//! go to), the clock (real or deterministic), the
//! on-disk [`Cache`] of compiled modules and bytecode, and mapping uncaught
//! errors back to the original sources; and the Deno engine, which runs the
//! same script under a real `deno` with the same limits and colony. It never parses TypeScript (that is
//! `coral-compiler`) and has no CLI.

mod backend;
mod cache;
mod clock;
mod compression;
mod deno;
mod encoding;
mod error;
mod host;
mod intl;
mod limits;
mod ops;
mod output;
mod runner;
mod stack;
mod web;

pub use backend::{
    Backend, BackendError, ColonyOptions, ColonySource, EmbeddedBackend, ErrorCode, GrpcBackend,
    endpoint_url,
};
pub use cache::{Cache, content_key};
pub use clock::{Clock, DETERMINISTIC_EPOCH};
pub use deno::{DenoEngine, DenoSdk};
pub use error::RuntimeError;
pub use limits::{Limits, MAX_REPORT_BYTES, Outcome, RunOptions, RunReport, RunStats, ScriptError};
pub use ops::{Event, INTL_FUEL_BASE, INTL_FUEL_PER_BYTE, MAX_EVENTS, SEVERITIES};
pub use output::{CaptureSink, Captured, OutputError, OutputSink, StdioSink};
pub use runner::{DETERMINISTIC_SEED, EngineModule, LoadedBundle, Program, Runner};
pub use stack::StackMapper;
