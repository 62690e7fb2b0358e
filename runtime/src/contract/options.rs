//! What a run may use and how it runs: [`Limits`] and [`RunOptions`], the
//! same for both engines (`coral run --timeout/--memory/--fuel/--max-output`,
//! `--deterministic`, `--param`, `--colony`/`--db`).

use std::collections::BTreeMap;
use std::time::Duration;

use super::stop::StopSignal;
use crate::colony::ColonyOptions;

/// Resource limits of one run. Every limit, when hit, ends the run with its
/// own [`Outcome`](super::report::Outcome).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock budget (virtual time too, under `deterministic`).
    pub timeout: Duration,
    /// Largest linear memory the guest may grow to, in bytes.
    pub memory_bytes: usize,
    /// Instruction budget (wasmtime fuel); `None` is unlimited.
    pub fuel: Option<u64>,
    /// Most bytes the script may print (stdout and stderr together).
    pub max_output_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(60),
            memory_bytes: 512 * 1024 * 1024,
            fuel: None,
            max_output_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Everything about a run besides the program.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Resource limits.
    pub limits: Limits,
    /// Fixed clock and random seed: same output and fuel on every run.
    pub deterministic: bool,
    /// `--param` values, visible to the script through `@coral/sdk`.
    pub params: BTreeMap<String, String>,
    /// Where SDK queries go.
    pub colony: ColonyOptions,
    /// Raised by the run's owner to stop it ([`Outcome::Stopped`](super::report::Outcome::Stopped));
    /// never, by default.
    pub stop: StopSignal,
}
