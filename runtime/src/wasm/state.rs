//! [`HostState`], wasmtime's store data for one run: the WASI context, the
//! memory limiter, the output and its allowance, the clock, the colony and
//! what the guest has reported; and [`HostTrap`], why the host stopped the
//! guest, carried as the trap's error and downcast by the runner.

use std::collections::BTreeMap;
use std::time::Duration;

use wasmtime::{ResourceLimiter, StoreLimits};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;

use super::clock::Clock;
use super::ops::compression::CompressionStreams;
use super::ops::encoding::TextDecoders;
use super::stack::StackMapper;
use crate::colony::Colony;
use crate::contract::event::Event;
use crate::contract::output::{OutputAllowance, OutputError, OutputSink};
use crate::contract::stop::StopSignal;

/// Why the host stopped the guest. Carried as the trap's error so the runner
/// can tell a limit from a script failure.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum HostTrap {
    /// The script called `exit` (after reporting an error, for non-zero).
    #[error("script exited with status {0}")]
    Exit(i32),
    /// The deadline passed while the host was sleeping for a timer.
    #[error("deadline reached")]
    Timeout,
    /// The run's owner raised its stop signal.
    #[error("stopped")]
    Stopped,
    /// Linear memory would grow past the limit.
    #[error("memory limit reached")]
    MemoryLimit,
    /// The script printed more than allowed.
    #[error("output limit reached")]
    OutputLimit,
    /// Stdout or stderr could not be written (closed by its reader, or
    /// failing).
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The guest broke the ABI contract (bad pointer, oversize, bad order).
    #[error("ABI violation: {0}")]
    Abi(String),
}

/// An uncaught error as the guest reported it, before source mapping.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub(crate) struct ErrorReport {
    pub name: String,
    pub message: String,
    #[serde(default)]
    pub stack: String,
}

/// Memory limits plus the peak seen and whether the limit was hit.
pub(crate) struct MemoryLimiter {
    limits: StoreLimits,
    pub peak_bytes: usize,
    pub hit: bool,
}

impl MemoryLimiter {
    pub fn new(limits: StoreLimits) -> Self {
        Self {
            limits,
            peak_bytes: 0,
            hit: false,
        }
    }
}

impl ResourceLimiter for MemoryLimiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let allowed = self.limits.memory_growing(current, desired, maximum);
        match allowed {
            Ok(true) => {
                self.peak_bytes = self.peak_bytes.max(desired);
                Ok(true)
            }
            _ => {
                self.hit = true;
                Err(wasmtime::Error::new(HostTrap::MemoryLimit))
            }
        }
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.limits.table_growing(current, desired, maximum)
    }

    fn instances(&self) -> usize {
        self.limits.instances()
    }

    fn tables(&self) -> usize {
        self.limits.tables()
    }

    fn memories(&self) -> usize {
        self.limits.memories()
    }
}

/// Per-run host state (wasmtime's store data).
pub(crate) struct HostState {
    pub wasi: WasiP1Ctx,
    /// What the engine wrote to WASI stderr (javy's abort message).
    pub wasi_stderr: MemoryOutputPipe,
    pub limiter: MemoryLimiter,
    pub output: Box<dyn OutputSink>,
    pub output_allowance: OutputAllowance,
    pub params: BTreeMap<String, String>,
    pub response: Option<Vec<u8>>,
    /// Fuel the last host call's work costs (ICU4X formatting), taken from
    /// the store once the call returns.
    pub fuel_debt: u64,
    /// The bundle's source map, for the `stack` operation and the report of
    /// an uncaught error.
    pub stack_mapper: StackMapper,
    /// `TextDecoder`s in the middle of a stream ([`super::ops::encoding`]).
    pub text_decoders: TextDecoders,
    /// Open `CompressionStream`s and `DecompressionStream`s
    /// ([`super::ops::compression`]).
    pub compression_streams: CompressionStreams,
    pub clock: Clock,
    pub timeout: Duration,
    /// The run's stop signal: timer sleeps wait on it.
    pub stop: StopSignal,
    pub seed: u64,
    /// `--deterministic`: the guest's `crypto` draws from its seeded
    /// generator instead of the operating system's.
    pub deterministic: bool,
    pub error_report: Option<ErrorReport>,
    pub main_done: bool,
    pub colony: Colony,
    pub colony_timeout: Duration,
    pub events: Vec<Event>,
}

impl HostState {
    /// Takes up to `wanted` bytes of the output allowance (`--max-output`)
    /// and returns how many were granted; fewer than `wanted` means the
    /// limit is reached.
    pub(crate) fn take_output_room(&mut self, wanted: usize) -> usize {
        self.output_allowance.take(wanted)
    }

    pub fn wasi_stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.wasi_stderr.contents()).into_owned()
    }

    pub(crate) fn remaining(&self) -> Duration {
        self.timeout.saturating_sub(self.clock.elapsed())
    }
}
