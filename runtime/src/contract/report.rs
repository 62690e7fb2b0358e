//! How a run ended: its [`Outcome`], the [`ScriptError`] of an uncaught
//! exception (held to [`MAX_REPORT_BYTES`] whatever was thrown), its
//! [`RunStats`] and events. Both engines report through these.

use std::time::Duration;

use super::event::Event;

/// How a run ended. Each variant is a distinct exit code in the CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The script finished.
    Success,
    /// An uncaught exception (or trap inside the engine), with its report.
    ScriptError(ScriptError),
    /// The wall-clock (or virtual-clock) deadline passed.
    Timeout,
    /// The fuel budget ran out.
    FuelExhausted,
    /// The guest tried to grow memory past the limit.
    MemoryLimit,
    /// The script printed more than the output limit.
    OutputLimit,
    /// Whoever read the script's stdout or stderr stopped reading (a pipe
    /// into `head`): the run was stopped, as `SIGPIPE` stops other programs.
    OutputClosed,
    /// Stdout or stderr failed otherwise (a full disk behind a redirect):
    /// the run was stopped; the message says which stream and why.
    OutputFailed(String),
    /// The run's owner raised its [`StopSignal`](super::stop::StopSignal)
    /// (the agent's `Stop`, a time to live running out).
    Stopped,
}

/// An uncaught error, with its stack mapped to the original sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    /// `TypeError`, `Error`, …; empty when a non-Error value was thrown.
    pub name: String,
    /// The message.
    pub message: String,
    /// Stack frames, innermost first, e.g. `at check (latency.ts:12:9)`.
    pub frames: Vec<String>,
}

/// This process's peak resident set size so far, in bytes
/// (`getrusage(RUSAGE_SELF)`); 0 if the system does not say.
pub(crate) fn own_peak_rss_bytes() -> u64 {
    // SAFETY: rusage is plain data, and getrusage only writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is valid for writes.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0;
    }
    u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024
}

/// The most bytes an uncaught error's report may take, whatever was thrown
/// and however long its stack: the final report is printed past
/// `--max-output`, so it must be bounded on its own.
pub const MAX_REPORT_BYTES: usize = 64 * 1024;
/// Of [`MAX_REPORT_BYTES`]: the error's name.
const MAX_NAME_BYTES: usize = 256;
/// Of [`MAX_REPORT_BYTES`]: its message.
const MAX_MESSAGE_BYTES: usize = 15 * 1024;
/// Of [`MAX_REPORT_BYTES`]: one stack frame.
const MAX_FRAME_BYTES: usize = 1024;

/// `text` cut to at most `max` bytes at a character boundary, marked.
fn clip(text: &str, max: usize) -> String {
    const MARK: &str = "… (truncated)";
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max.saturating_sub(MARK.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{MARK}", &text[..end])
}

/// Collects stack frames until the report's frame budget is used up, then
/// counts the rest in one last line; nothing past the budget is kept.
#[derive(Debug, Default)]
pub(crate) struct FrameBudget {
    frames: Vec<String>,
    bytes: usize,
    /// No room is left: every later frame is counted, not kept.
    full: bool,
    left_out: usize,
}

impl FrameBudget {
    /// Room for frames: the report's budget less the name and message.
    const BYTES: usize = MAX_REPORT_BYTES - MAX_NAME_BYTES - MAX_MESSAGE_BYTES - 64;

    /// Offers the next frame (built only if there is room for it).
    pub(crate) fn offer(&mut self, frame: impl FnOnce() -> Option<String>) {
        if self.full || self.bytes >= Self::BYTES - MAX_FRAME_BYTES {
            self.full = true;
            self.left_out = self.left_out.saturating_add(1);
            return;
        }
        if let Some(frame) = frame() {
            let frame = clip(&frame, MAX_FRAME_BYTES);
            self.bytes += frame.len() + 5;
            self.frames.push(frame);
        }
    }

    /// Counts `n` frames left out before they reached the host.
    pub(crate) fn left_out_before(&mut self, n: usize) {
        self.left_out = self.left_out.saturating_add(n);
    }

    /// The frames, with a last line counting those left out.
    pub(crate) fn finish(mut self) -> Vec<String> {
        if self.left_out > 0 {
            self.frames
                .push(format!("... {} more frames not shown", self.left_out));
        }
        self.frames
    }
}

/// `frames` held to the report's frame budget (see [`FrameBudget`]).
pub(crate) fn bounded_frames(frames: Vec<String>) -> Vec<String> {
    let mut budget = FrameBudget::default();
    for frame in frames {
        budget.offer(|| Some(frame));
    }
    budget.finish()
}

impl ScriptError {
    /// An uncaught error's report held to [`MAX_REPORT_BYTES`]: the name
    /// and message clipped; `frames` must already be held to the frame
    /// budget ([`FrameBudget`], [`bounded_frames`]).
    pub(crate) fn reported(name: &str, message: &str, frames: Vec<String>) -> Self {
        Self {
            name: clip(name, MAX_NAME_BYTES),
            message: clip(message, MAX_MESSAGE_BYTES),
            frames,
        }
    }

    /// The entry module's top-level await is waiting on a promise that
    /// nothing can settle any more (no timers, no colony calls left): the
    /// same report on both engines (Deno's own words are replaced).
    pub fn top_level_await_never_settled() -> Self {
        Self {
            name: "Error".into(),
            message:
                "the script's top-level await never settled (a promise that nothing resolves?)"
                    .into(),
            frames: Vec::new(),
        }
    }
}

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A thrown non-Error value has no name: show just the value, as Deno does.
        if self.name.is_empty() {
            write!(f, "{}", self.message)?;
        } else {
            write!(f, "{}: {}", self.name, self.message)?;
        }
        for frame in &self.frames {
            write!(f, "\n    {frame}")?;
        }
        Ok(())
    }
}

/// Measurements of a finished run (`--stats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RunStats {
    /// Fuel consumed by the script (deterministic).
    pub fuel_used: u64,
    /// Largest linear memory size reached, in bytes (Deno engine: the
    /// `deno` process's peak resident set size).
    pub peak_memory_bytes: usize,
    /// This process's peak resident set size, in bytes: what the host held
    /// for the run (output, events, colony answers, DuckDB when the colony
    /// is embedded; on Deno, the colony endpoint) beside the script.
    pub host_peak_rss_bytes: u64,
    /// Wall time of the run, excluding compilation.
    pub wall_time: Duration,
    /// Colony queries made.
    pub colony_calls: u64,
    /// Wall time spent in them (including opening the colony).
    pub colony_time: Duration,
}

/// How a run on either engine ended ([`crate::Engine::run`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// How it ended.
    pub outcome: Outcome,
    /// What it used.
    pub stats: RunStats,
    /// Events the script emitted, in order.
    pub events: Vec<Event>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_keeps_what_fits_and_counts_the_rest() {
        let mut budget = FrameBudget::default();
        budget.left_out_before(7);
        for i in 0..1000 {
            budget.offer(|| Some(format!("at f{i} ({})", "p".repeat(500))));
        }
        let frames = budget.finish();
        let kept = frames.len() - 1;
        assert!(kept > 50 && kept < 100, "{kept}");
        assert_eq!(
            frames.last().unwrap(),
            &format!("... {} more frames not shown", 1000 - kept + 7)
        );
        let report = ScriptError::reported(&"n".repeat(1000), &"m".repeat(100_000), frames);
        let size = report.name.len()
            + report.message.len()
            + report.frames.iter().map(|f| f.len() + 5).sum::<usize>();
        assert!(size <= MAX_REPORT_BYTES, "{size}");
        assert!(report.message.ends_with("… (truncated)"));
        assert_eq!(clip("é".repeat(10).as_str(), 16), "… (truncated)");
    }
}
