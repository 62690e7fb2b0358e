//! The run's clock: real, or virtual under `--deterministic`.
//!
//! One clock feeds everything a script can observe (WASI clocks behind `Date`
//! and `performance.now`, and the host's `monotonic_ms`/`sleep_ms` behind
//! timers), so virtual time is consistent: it starts at a fixed instant and
//! moves only when the script sleeps.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use wasmtime_wasi::{HostMonotonicClock, HostWallClock};

use crate::contract::determinism::DETERMINISTIC_EPOCH;

/// A clock shared by the host functions and the WASI context.
#[derive(Debug, Clone)]
pub struct Clock {
    inner: Arc<Inner>,
}

#[derive(Debug)]
enum Inner {
    Real {
        start: Instant,
        wall_start: Duration,
    },
    Virtual {
        elapsed_ns: AtomicU64,
    },
}

impl Clock {
    /// The machine's clocks.
    pub fn real() -> Self {
        let wall_start = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Self {
            inner: Arc::new(Inner::Real {
                start: Instant::now(),
                wall_start,
            }),
        }
    }

    /// A virtual clock starting at [`DETERMINISTIC_EPOCH`].
    pub fn deterministic() -> Self {
        Self {
            inner: Arc::new(Inner::Virtual {
                elapsed_ns: AtomicU64::new(0),
            }),
        }
    }

    /// True for the virtual clock.
    pub fn is_virtual(&self) -> bool {
        matches!(*self.inner, Inner::Virtual { .. })
    }

    /// Time since the run started.
    pub fn elapsed(&self) -> Duration {
        match &*self.inner {
            Inner::Real { start, .. } => start.elapsed(),
            Inner::Virtual { elapsed_ns } => {
                Duration::from_nanos(elapsed_ns.load(Ordering::Relaxed))
            }
        }
    }

    /// Wall-clock time since the Unix epoch.
    pub fn wall(&self) -> Duration {
        match &*self.inner {
            Inner::Real { start, wall_start } => *wall_start + start.elapsed(),
            Inner::Virtual { .. } => DETERMINISTIC_EPOCH + self.elapsed(),
        }
    }

    /// Moves virtual time forward (no effect on the real clock).
    pub fn advance(&self, by: Duration) {
        if let Inner::Virtual { elapsed_ns } = &*self.inner {
            elapsed_ns.fetch_add(
                u64::try_from(by.as_nanos()).unwrap_or(u64::MAX),
                Ordering::Relaxed,
            );
        }
    }

    /// The clock as WASI's wall clock.
    pub fn wasi_wall(&self) -> impl HostWallClock + 'static {
        WasiClock(self.clone())
    }

    /// The clock as WASI's monotonic clock.
    pub fn wasi_monotonic(&self) -> impl HostMonotonicClock + 'static {
        WasiClock(self.clone())
    }
}

struct WasiClock(Clock);

impl HostWallClock for WasiClock {
    fn resolution(&self) -> Duration {
        Duration::from_micros(1)
    }
    fn now(&self) -> Duration {
        self.0.wall()
    }
}

impl HostMonotonicClock for WasiClock {
    fn resolution(&self) -> u64 {
        1_000
    }
    fn now(&self) -> u64 {
        u64::try_from(self.0.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_time_moves_only_when_advanced() {
        let clock = Clock::deterministic();
        assert_eq!(clock.elapsed(), Duration::ZERO);
        assert_eq!(clock.wall(), DETERMINISTIC_EPOCH);
        clock.advance(Duration::from_millis(1500));
        assert_eq!(clock.elapsed(), Duration::from_millis(1500));
        assert_eq!(
            clock.wall(),
            DETERMINISTIC_EPOCH + Duration::from_millis(1500)
        );
    }
}
