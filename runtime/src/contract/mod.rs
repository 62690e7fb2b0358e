//! The run contract both engines keep: what a run may use
//! ([`options::Limits`], [`options::RunOptions`]), what it may print
//! ([`output`]: sinks and the `--max-output` allowance), what it may emit
//! ([`event`]: the event rules), what `--deterministic` fixes
//! ([`determinism`]), how it ended ([`report`]), why it could not start
//! ([`error`]), and the [`engine::Engine`] trait the wasm and Deno engines
//! implement. Imports neither engine.

pub mod determinism;
pub mod engine;
pub mod error;
pub mod event;
pub mod options;
pub mod output;
pub mod report;
pub mod stop;
