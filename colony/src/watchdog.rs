//! Interrupting queries that outlive their call: one thread per store that
//! calls DuckDB's interrupt on every armed connection whose call's deadline
//! has passed or whose client has gone away.
//!
//! DuckDB clears a connection's interrupt flag when a query starts, so one
//! interrupt landing between two statements of a read would be lost: the
//! watchdog keeps interrupting (every [`REPEAT`]) until the read disarms.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use duckdb::InterruptHandle;

use crate::call::Call;

/// How often an expired read is interrupted again, and how often armed
/// reads are checked for cancellation.
const REPEAT: Duration = Duration::from_millis(50);

/// The store's watchdog thread (stopped when dropped).
#[derive(Debug)]
pub(crate) struct Watchdog {
    shared: Arc<Shared>,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    next_id: u64,
    entries: Vec<Entry>,
    stop: bool,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("armed", &self.entries.len())
            .finish()
    }
}

struct Entry {
    id: u64,
    call: Call,
    handle: Arc<InterruptHandle>,
    fired: bool,
}

/// An armed read; disarm it (or drop it) when the read is done.
#[derive(Debug)]
pub(crate) struct Armed {
    shared: Arc<Shared>,
    id: u64,
}

impl Watchdog {
    /// Starts the thread.
    ///
    /// # Errors
    /// The operating system's, when it cannot start a thread.
    pub(crate) fn start() -> std::io::Result<Self> {
        let shared = Arc::new(Shared::default());
        let thread_shared = shared.clone();
        std::thread::Builder::new()
            .name("colony-watchdog".into())
            .spawn(move || watch(&thread_shared))?;
        Ok(Self { shared })
    }

    /// Interrupts `handle`'s query once `call`'s deadline passes or its
    /// client goes away, until the returned guard is disarmed.
    pub(crate) fn arm(&self, call: &Call, handle: Arc<InterruptHandle>) -> Armed {
        let mut state = self.shared.state.lock().unwrap_or_else(|e| e.into_inner());
        state.next_id += 1;
        let id = state.next_id;
        state.entries.push(Entry {
            id,
            call: call.clone(),
            handle,
            fired: false,
        });
        self.shared.changed.notify_one();
        Armed {
            shared: self.shared.clone(),
            id,
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.shared
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .stop = true;
        self.shared.changed.notify_one();
    }
}

impl Armed {
    /// Ends the watch; true if the query was interrupted.
    pub(crate) fn disarm(self) -> bool {
        let mut state = self.shared.state.lock().unwrap_or_else(|e| e.into_inner());
        let at = state.entries.iter().position(|e| e.id == self.id);
        at.map(|at| state.entries.swap_remove(at).fired)
            .unwrap_or(false)
    }
}

impl Drop for Armed {
    fn drop(&mut self) {
        let mut state = self.shared.state.lock().unwrap_or_else(|e| e.into_inner());
        state.entries.retain(|e| e.id != self.id);
    }
}

fn watch(shared: &Shared) {
    let mut state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if state.stop {
            return;
        }
        let now = Instant::now();
        let mut wake = None::<Instant>;
        for entry in &mut state.entries {
            let next = if entry.call.is_cancelled() || now >= entry.call.deadline() {
                entry.handle.interrupt();
                entry.fired = true;
                now + REPEAT
            } else {
                entry.call.deadline().min(now + REPEAT)
            };
            wake = Some(wake.map_or(next, |w| w.min(next)));
        }
        state = match wake {
            Some(at) => {
                shared
                    .changed
                    .wait_timeout(state, at.saturating_duration_since(now))
                    .unwrap_or_else(|e| e.into_inner())
                    .0
            }
            None => shared
                .changed
                .wait(state)
                .unwrap_or_else(|e| e.into_inner()),
        };
    }
}
