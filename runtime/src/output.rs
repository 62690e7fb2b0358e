//! Where a script's output goes. The host writes each `console` call through
//! as it happens, so a long-running script's output streams.

use std::io::Write;
use std::sync::{Arc, Mutex};

use coral_host_abi::Stream;

use crate::ops::Event;

/// The `--max-output` allowance, shared by printed text and shown events.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OutputAllowance {
    max: u64,
    used: u64,
}

impl OutputAllowance {
    pub(crate) fn new(max: u64) -> Self {
        Self { max, used: 0 }
    }

    /// Takes up to `wanted` bytes and returns how many were granted; fewer
    /// than `wanted` means the limit is reached.
    pub(crate) fn take(&mut self, wanted: usize) -> usize {
        let room = self.max.saturating_sub(self.used);
        let granted = wanted.min(usize::try_from(room).unwrap_or(usize::MAX));
        self.used += granted as u64;
        granted
    }
}

/// The reader of a stream went away (`coral run x.ts | head -1` after the
/// first line): the run stops with [`crate::Outcome::OutputClosed`], as a
/// program killed by `SIGPIPE` would, instead of printing into nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{stream:?} was closed by its reader")]
pub struct OutputClosed {
    /// The stream that failed.
    pub stream: Stream,
}

/// Receives script output.
pub trait OutputSink: Send {
    /// Appends `bytes` to `stream`.
    ///
    /// # Errors
    /// [`OutputClosed`] when the stream can no longer be written; the run
    /// then stops.
    fn write(&mut self, stream: Stream, bytes: &[u8]) -> Result<(), OutputClosed>;

    /// Receives an event from `emit`; by default it is shown as one line on
    /// stderr.
    ///
    /// # Errors
    /// As [`OutputSink::write`].
    fn event(&mut self, event: &Event) -> Result<(), OutputClosed> {
        self.write(Stream::Stderr, format!("{event}\n").as_bytes())
    }
}

/// The process's stdout and stderr, flushed on every write.
#[derive(Debug, Default, Clone, Copy)]
pub struct StdioSink;

impl OutputSink for StdioSink {
    fn write(&mut self, stream: Stream, bytes: &[u8]) -> Result<(), OutputClosed> {
        let written = match stream {
            Stream::Stdout => {
                let mut out = std::io::stdout().lock();
                out.write_all(bytes).and_then(|_| out.flush())
            }
            Stream::Stderr => {
                let mut err = std::io::stderr().lock();
                err.write_all(bytes).and_then(|_| err.flush())
            }
        };
        // Any failure means the text is lost (EPIPE from a closed pipe above
        // all, but also a full disk behind a redirect): stop rather than run
        // on unheard.
        written.map_err(|_| OutputClosed { stream })
    }
}

/// Output captured in memory (tests, `coral check`).
#[derive(Debug, Default, Clone)]
pub struct CaptureSink {
    inner: Arc<Mutex<Captured>>,
}

/// What a [`CaptureSink`] has received.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Captured {
    /// Everything written to stdout.
    pub stdout: Vec<u8>,
    /// Everything written to stderr.
    pub stderr: Vec<u8>,
}

impl CaptureSink {
    /// A copy of what was captured so far.
    pub fn captured(&self) -> Captured {
        self.inner.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

impl OutputSink for CaptureSink {
    fn write(&mut self, stream: Stream, bytes: &[u8]) -> Result<(), OutputClosed> {
        if let Ok(mut c) = self.inner.lock() {
            match stream {
                Stream::Stdout => c.stdout.extend_from_slice(bytes),
                Stream::Stderr => c.stderr.extend_from_slice(bytes),
            }
        }
        Ok(())
    }
}
