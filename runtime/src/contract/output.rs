//! Where a script's output goes. The host writes each `console` call through
//! as it happens, so a long-running script's output streams.

use std::io::Write;
use std::sync::{Arc, Mutex};

use coral_host_abi::Stream;

use super::event::Event;
use super::report::Outcome;

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

/// Why a stream could not be written; either way the run stops rather than
/// run on unheard.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutputError {
    /// The reader went away (`EPIPE`: `coral run x.ts | head -1` after the
    /// first line): the run ends with [`Outcome::OutputClosed`], as a
    /// program killed by `SIGPIPE` would.
    #[error("{} was closed by its reader", stream_name(*.0))]
    Closed(Stream),
    /// Any other failure (a full disk behind `> out.txt`): the run ends with
    /// [`Outcome::OutputFailed`].
    #[error("cannot write the script's {}: {message}", stream_name(*stream))]
    Failed {
        /// The stream.
        stream: Stream,
        /// The operating system's reason.
        message: String,
    },
}

impl OutputError {
    /// Sorts an I/O error from writing `stream`.
    pub fn from_io(stream: Stream, error: &std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            Self::Closed(stream)
        } else {
            Self::Failed {
                stream,
                message: error.to_string(),
            }
        }
    }

    /// How a run that met this error ended.
    pub fn outcome(&self) -> Outcome {
        match self {
            Self::Closed(_) => Outcome::OutputClosed,
            Self::Failed { .. } => Outcome::OutputFailed(self.to_string()),
        }
    }
}

fn stream_name(stream: Stream) -> &'static str {
    match stream {
        Stream::Stdout => "stdout",
        Stream::Stderr => "stderr",
    }
}

/// Receives script output.
pub trait OutputSink: Send {
    /// Appends `bytes` to `stream`.
    ///
    /// # Errors
    /// [`OutputError`] when the stream can no longer be written; the run
    /// then stops.
    fn write(&mut self, stream: Stream, bytes: &[u8]) -> Result<(), OutputError>;

    /// Receives an event from `emit`; by default it is shown as one line on
    /// stderr.
    ///
    /// # Errors
    /// As [`OutputSink::write`].
    fn event(&mut self, event: &Event) -> Result<(), OutputError> {
        self.write(Stream::Stderr, format!("{event}\n").as_bytes())
    }
}

/// The process's stdout and stderr, flushed on every write.
#[derive(Debug, Default, Clone, Copy)]
pub struct StdioSink;

impl OutputSink for StdioSink {
    fn write(&mut self, stream: Stream, bytes: &[u8]) -> Result<(), OutputError> {
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
        written.map_err(|e| OutputError::from_io(stream, &e))
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
    fn write(&mut self, stream: Stream, bytes: &[u8]) -> Result<(), OutputError> {
        if let Ok(mut c) = self.inner.lock() {
            match stream {
                Stream::Stdout => c.stdout.extend_from_slice(bytes),
                Stream::Stderr => c.stderr.extend_from_slice(bytes),
            }
        }
        Ok(())
    }
}
