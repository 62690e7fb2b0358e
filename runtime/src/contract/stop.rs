//! Stopping a run from outside it: the agent's `Stop`, a script's time to
//! live running out. Both engines honour a [`StopSignal`]: the wasm engine
//! at its next epoch check or timer sleep, the Deno engine by killing its
//! process. The run then ends with [`Outcome::Stopped`](super::report::Outcome::Stopped).

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A flag a run's owner raises to stop it, shared by clones. The default
/// signal is never raised (as for `coral run`).
#[derive(Clone, Default)]
pub struct StopSignal {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    state: Mutex<State>,
    raised: Condvar,
}

#[derive(Default)]
struct State {
    stopped: bool,
    /// Run when the signal is raised (or at once, when added after it).
    hooks: Vec<Box<dyn Fn() + Send>>,
}

impl std::fmt::Debug for StopSignal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StopSignal")
            .field("stopped", &self.is_stopped())
            .finish()
    }
}

impl StopSignal {
    /// A signal not yet raised.
    pub fn new() -> Self {
        Self::default()
    }

    /// Raises the signal: wakes a run sleeping in a timer and calls every
    /// hook an engine registered. Raising it again does nothing.
    pub fn stop(&self) {
        let hooks = {
            let mut state = self.lock();
            if state.stopped {
                return;
            }
            state.stopped = true;
            std::mem::take(&mut state.hooks)
        };
        self.inner.raised.notify_all();
        for hook in hooks {
            hook();
        }
    }

    /// True once [`StopSignal::stop`] was called.
    pub fn is_stopped(&self) -> bool {
        self.lock().stopped
    }

    /// Blocks for `duration` or until the signal is raised; true if it was.
    pub fn sleep(&self, duration: Duration) -> bool {
        let until = Instant::now() + duration;
        let mut state = self.lock();
        loop {
            if state.stopped {
                return true;
            }
            let Some(left) = until.checked_duration_since(Instant::now()) else {
                return false;
            };
            state = self
                .inner
                .raised
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Calls `hook` when the signal is raised (at once if it already was).
    /// Engines use it to interrupt work that does not sleep.
    pub(crate) fn on_stop(&self, hook: impl Fn() + Send + 'static) {
        let mut state = self.lock();
        if state.stopped {
            drop(state);
            hook();
        } else {
            state.hooks.push(Box::new(hook));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raised_signal_wakes_a_sleeper_and_calls_hooks() {
        let signal = StopSignal::new();
        let called = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = called.clone();
        signal.on_stop(move || {
            seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        });
        assert!(!signal.sleep(Duration::from_millis(1)));
        let raiser = signal.clone();
        let thread = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            raiser.stop();
        });
        let started = Instant::now();
        assert!(signal.sleep(Duration::from_secs(60)));
        assert!(started.elapsed() < Duration::from_secs(30));
        thread.join().unwrap();
        signal.stop();
        assert_eq!(called.load(std::sync::atomic::Ordering::SeqCst), 1);
        // A hook added after the signal was raised runs at once.
        let late = called.clone();
        signal.on_stop(move || {
            late.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        });
        assert_eq!(called.load(std::sync::atomic::Ordering::SeqCst), 2);
    }
}
