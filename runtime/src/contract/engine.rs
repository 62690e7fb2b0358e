//! [`Engine`]: what the two engines have in common. A caller (the CLI's
//! `coral run`, and later the agent, `coral check` and the MCP server)
//! gives an engine its kind of script, the run's options and where output
//! goes, and gets a [`RunReport`] on the same terms from either: the same
//! [`Outcome`](super::report::Outcome)s for the same limits, the same event
//! rules, the same `--max-output` allowance.

use super::error::RuntimeError;
use super::options::RunOptions;
use super::output::OutputSink;
use super::report::RunReport;

/// A peer engine: the wasm engine (`Runner`, QuickJS in wasmtime) or the
/// Deno engine (`DenoEngine`, a real `deno`), `coral run --engine`.
pub trait Engine {
    /// What the engine runs: a compiled program and its source map (wasm),
    /// or the script's own sources (Deno).
    type Script<'a>;

    /// Runs `script` to its end or to a limit, writing its output to
    /// `output` as it is produced.
    ///
    /// # Errors
    /// [`RuntimeError`] when the run could not start (an invalid program, a
    /// missing `deno`, an unwritable cache); how a started run ended, limits
    /// included, is the report's [`Outcome`](super::report::Outcome).
    fn run(
        &self,
        script: Self::Script<'_>,
        options: &RunOptions,
        output: Box<dyn OutputSink>,
    ) -> Result<RunReport, RuntimeError>;
}
