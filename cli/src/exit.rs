//! Exit codes are an API: scripts and CI branch on them. Documented in
//! `docs/cli.md`; change both together.

use coral_runtime::Outcome;

/// The script finished.
pub const SUCCESS: u8 = 0;
/// The script threw an uncaught exception (or the engine trapped).
pub const SCRIPT_ERROR: u8 = 1;
/// Bad flags, a compile error (syntax, refused import), or a file that is not
/// a Coral bundle: the script never started.
pub const USAGE: u8 = 2;
/// `coral query`: the colony answered with an error (not found, rejected).
pub const QUERY_FAILED: u8 = 1;
/// The colony could not be reached: `coral query`, or a script that let a
/// `ColonyUnavailable` exception go uncaught.
pub const UNAVAILABLE: u8 = 3;
/// The `--timeout` deadline passed.
pub const TIMEOUT: u8 = 10;
/// The `--fuel` budget ran out.
pub const FUEL_EXHAUSTED: u8 = 11;
/// The `--memory` limit was hit.
pub const MEMORY_LIMIT: u8 = 12;
/// The `--max-output` limit was hit.
pub const OUTPUT_LIMIT: u8 = 13;
/// Whoever read coral's stdout or stderr stopped reading (`coral run x.ts |
/// head -1`): the command stopped quietly, with the status a shell reports
/// for a program that `SIGPIPE` ended (128 + 13).
pub const OUTPUT_CLOSED: u8 = 141;
/// coral itself failed (cache not writable, an internal error): not the script's fault.
pub const INTERNAL: u8 = 70;

/// The exit code of a finished run.
pub fn for_outcome(outcome: &Outcome) -> u8 {
    match outcome {
        Outcome::Success => SUCCESS,
        Outcome::ScriptError(error) if error.name == "ColonyUnavailable" => UNAVAILABLE,
        Outcome::ScriptError(_) => SCRIPT_ERROR,
        Outcome::Timeout => TIMEOUT,
        Outcome::FuelExhausted => FUEL_EXHAUSTED,
        Outcome::MemoryLimit => MEMORY_LIMIT,
        Outcome::OutputLimit => OUTPUT_LIMIT,
        Outcome::OutputClosed => OUTPUT_CLOSED,
        Outcome::OutputFailed(_) => INTERNAL,
        // `coral run` never raises a run's stop signal (the agent does).
        Outcome::Stopped => INTERNAL,
    }
}
