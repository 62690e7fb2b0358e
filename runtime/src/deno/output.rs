//! The output of a Deno run, shared by the stdout and stderr pumps and the
//! colony bridge: one `--max-output` allowance for all of it, as in the wasm
//! engine, and the events the script emitted.

use std::sync::Mutex;
use std::sync::mpsc::Sender;

use coral_host_abi::Stream;

use crate::contract::event::{Event, check_event};
use crate::contract::output::{OutputAllowance, OutputError, OutputSink};

/// What the supervisor ([`super::process::run`]) hears from the output
/// pumps and the waiter.
pub(crate) enum Notice {
    /// The `deno` process exited.
    Exited,
    /// The output pumps stopped showing output.
    Output(OutputStop),
    /// The run's stop signal was raised.
    Stop,
}

/// Why the output stopped being shown; the run is stopped for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OutputStop {
    /// `--max-output` was reached.
    Limit,
    /// A stream could not be written (closed by its reader, or failing).
    Error(OutputError),
}

struct State {
    sink: Box<dyn OutputSink>,
    allowance: OutputAllowance,
    /// Set once the output stops being shown: nothing more is.
    stopped: Option<OutputStop>,
    events: Vec<Event>,
}

/// Output and events of one run.
pub(crate) struct SharedOutput {
    state: Mutex<State>,
    notices: Sender<Notice>,
}

impl SharedOutput {
    pub(crate) fn new(sink: Box<dyn OutputSink>, max: u64, notices: Sender<Notice>) -> Self {
        Self {
            state: Mutex::new(State {
                sink,
                allowance: OutputAllowance::new(max),
                stopped: None,
                events: Vec::new(),
            }),
            notices,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A pump that panicked cannot leave the counters half-updated in a
        // way that matters more than losing the output: keep going.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes what fits in the allowance; past it, tells the supervisor to
    /// stop the run.
    pub(crate) fn write(&self, stream: Stream, bytes: &[u8]) {
        let mut state = self.lock();
        if state.stopped.is_some() {
            return;
        }
        let granted = state.allowance.take(bytes.len());
        if let Err(error) = state.sink.write(stream, &bytes[..granted]) {
            self.stop(&mut state, OutputStop::Error(error));
        } else if granted < bytes.len() {
            self.stop(&mut state, OutputStop::Limit);
        }
    }

    /// Shows nothing more and tells the supervisor to stop the run.
    fn stop(&self, state: &mut State, why: OutputStop) {
        state.stopped = Some(why.clone());
        let _ = self.notices.send(Notice::Output(why));
    }

    /// Why the output stopped, if it did: the supervisor may have stopped
    /// listening (deno had exited) before the pumps wrote their last bytes.
    pub(crate) fn stopped(&self) -> Option<OutputStop> {
        self.lock().stopped.clone()
    }

    pub(crate) fn write_stderr(&self, bytes: &[u8]) {
        self.write(Stream::Stderr, bytes);
    }

    /// Keeps and shows an event (the SDK already refused bad ones; a forged
    /// record that fails the host's check is dropped).
    pub(crate) fn event(&self, event: Event) {
        let mut state = self.lock();
        if state.stopped.is_some()
            || check_event(&event.name, &event.severity, state.events.len()).is_err()
        {
            return;
        }
        // Shown events count towards the output limit like printed text.
        let shown = event.to_string().len() + 1;
        if state.allowance.take(shown) < shown {
            self.stop(&mut state, OutputStop::Limit);
            return;
        }
        if let Err(error) = state.sink.event(&event) {
            self.stop(&mut state, OutputStop::Error(error));
        }
        state.events.push(event);
    }

    /// The events, in order.
    pub(crate) fn take_events(&self) -> Vec<Event> {
        std::mem::take(&mut self.lock().events)
    }
}
