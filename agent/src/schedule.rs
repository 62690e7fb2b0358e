//! Time on the agent: its clock (injectable, so tests drive time instead of
//! sleeping), cron schedules (`croner`, with optional seconds, in UTC or an
//! IANA time zone via jiff's bundled database) and restart backoff. The
//! rules are Kubernetes CronJob's and CrashLoopBackOff's, which users of
//! schedulers know (`docs/agent.md`).

use std::fmt::Debug;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use croner::Cron;
use croner::parser::{CronParser, Seconds};
use serde::{Deserialize, Serialize};

/// Where the agent reads the time: milliseconds since the Unix epoch.
pub trait Clock: Send + Sync + Debug {
    fn now_ms(&self) -> i64;
}

/// The machine's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        crate::script::now_ms()
    }
}

/// A clock that moves only when told to (tests).
#[derive(Debug)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// A clock reading `ms`.
    pub fn at(ms: i64) -> Self {
        Self(AtomicI64::new(ms))
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        self.0.fetch_add(by.as_millis() as i64, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// What a tick does while the previous run is still going (CronJob's
/// `concurrencyPolicy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Concurrency {
    /// Skip the tick.
    #[default]
    Forbid,
    /// Run alongside.
    Allow,
    /// Stop the running one, then run.
    Replace,
}

/// A schedule: a cron pattern in a time zone, and its concurrency policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// Five fields, or six with seconds first.
    pub cron: String,
    /// An IANA time zone name; `UTC` by default.
    pub timezone: String,
    pub concurrency: Concurrency,
}

/// More missed ticks than this start none (CronJob's rule).
pub const MAX_MISSED_TICKS: usize = 100;

/// Why a schedule cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("invalid cron pattern \"{pattern}\": {reason}")]
    Pattern { pattern: String, reason: String },
    #[error("unknown time zone \"{0}\" (use an IANA name such as Europe/Paris, or UTC)")]
    TimeZone(String),
}

/// A parsed schedule.
#[derive(Debug, Clone)]
pub struct Parsed {
    cron: Cron,
    zone: jiff::tz::TimeZone,
}

/// What the ticks between two instants come to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// No tick.
    None,
    /// One or more ticks (up to [`MAX_MISSED_TICKS`]): one run, at the
    /// latest of them (ms).
    Run { ticks: usize, latest_ms: i64 },
    /// More than [`MAX_MISSED_TICKS`]: no run; the latest tick (ms).
    TooMany { latest_ms: i64 },
}

impl Schedule {
    /// Checks and parses the pattern and the time zone.
    pub fn parse(&self) -> Result<Parsed, ScheduleError> {
        let cron = CronParser::builder()
            .seconds(Seconds::Optional)
            .build()
            .parse(&self.cron)
            .map_err(|e| ScheduleError::Pattern {
                pattern: self.cron.clone(),
                reason: e.to_string(),
            })?;
        let zone = jiff::tz::TimeZone::get(&self.timezone)
            .map_err(|_| ScheduleError::TimeZone(self.timezone.clone()))?;
        Ok(Parsed { cron, zone })
    }
}

impl Parsed {
    fn zoned(&self, ms: i64) -> Option<jiff::Zoned> {
        jiff::Timestamp::from_millisecond(ms)
            .ok()
            .map(|t| t.to_zoned(self.zone.clone()))
    }

    /// The first tick after `after_ms`, in ms.
    pub fn next_after(&self, after_ms: i64) -> Option<i64> {
        let from = self.zoned(after_ms)?;
        self.cron
            .find_next_occurrence(&from, false)
            .ok()
            .map(|t| t.timestamp().as_millisecond())
    }

    /// The ticks in (`after_ms`, `now_ms`].
    pub fn due(&self, after_ms: i64, now_ms: i64) -> Due {
        let mut ticks = 0;
        let mut latest = None;
        let mut at = after_ms;
        while let Some(next) = self.next_after(at) {
            if next > now_ms {
                break;
            }
            ticks += 1;
            latest = Some(next);
            at = next;
            if ticks > MAX_MISSED_TICKS {
                // The latest tick, without walking every one of them.
                let latest_ms = self
                    .zoned(now_ms)
                    .and_then(|now| self.cron.find_previous_occurrence(&now, true).ok())
                    .map_or(next, |t| t.timestamp().as_millisecond());
                return Due::TooMany { latest_ms };
            }
        }
        match latest {
            None => Due::None,
            Some(latest_ms) => Due::Run { ticks, latest_ms },
        }
    }
}

/// What a daemon does when a run fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "policy", rename_all = "kebab-case")]
pub enum Restart {
    /// Stays `failed`.
    #[default]
    Never,
    /// Runs again after a backoff, at most `max_restarts` times in a row
    /// (unbounded when absent).
    OnFailure { max_restarts: Option<u32> },
}

/// The first restart's delay; each failure in a row doubles it.
pub const BACKOFF_BASE: Duration = Duration::from_secs(1);
/// The longest delay (CrashLoopBackOff's five minutes).
pub const BACKOFF_CAP: Duration = Duration::from_secs(300);

/// The delay before restart number `failures_in_a_row` (from 1).
pub fn backoff(failures_in_a_row: u32) -> Duration {
    let doublings = failures_in_a_row.saturating_sub(1).min(16);
    (BACKOFF_BASE * 2u32.pow(doublings)).min(BACKOFF_CAP)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every(cron: &str) -> Parsed {
        Schedule {
            cron: cron.into(),
            timezone: "UTC".into(),
            concurrency: Concurrency::Forbid,
        }
        .parse()
        .unwrap()
    }

    #[test]
    fn ticks_are_counted_and_too_many_start_none() {
        let minutely = every("* * * * *");
        let t0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
        assert_eq!(minutely.next_after(t0), Some(t0 + 60_000));
        assert_eq!(minutely.due(t0, t0 + 59_999), Due::None);
        assert_eq!(
            minutely.due(t0, t0 + 60_000),
            Due::Run {
                ticks: 1,
                latest_ms: t0 + 60_000
            }
        );
        assert_eq!(
            minutely.due(t0, t0 + 100 * 60_000 + 5),
            Due::Run {
                ticks: 100,
                latest_ms: t0 + 100 * 60_000
            }
        );
        assert_eq!(
            minutely.due(t0, t0 + 150 * 60_000),
            Due::TooMany {
                latest_ms: t0 + 150 * 60_000
            }
        );
        let secondly = every("*/2 * * * * *");
        assert_eq!(secondly.next_after(t0), Some(t0 + 2_000));
    }

    #[test]
    fn time_zones_and_bad_patterns() {
        let paris = Schedule {
            cron: "0 9 * * *".into(),
            timezone: "Europe/Paris".into(),
            concurrency: Concurrency::Allow,
        }
        .parse()
        .unwrap();
        // 09:00 in Paris on 2026-01-01 is 08:00 UTC.
        assert_eq!(
            paris.next_after(1_767_225_600_000),
            Some(1_767_225_600_000 + 8 * 3_600_000)
        );
        let bad = |cron: &str, timezone: &str| {
            Schedule {
                cron: cron.into(),
                timezone: timezone.into(),
                concurrency: Concurrency::Forbid,
            }
            .parse()
            .unwrap_err()
            .to_string()
        };
        assert!(bad("61 * * * *", "UTC").contains("invalid cron pattern"));
        assert!(bad("* * * * *", "Mars/Olympus").contains("unknown time zone"));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        assert_eq!(backoff(1), Duration::from_secs(1));
        assert_eq!(backoff(2), Duration::from_secs(2));
        assert_eq!(backoff(4), Duration::from_secs(8));
        assert_eq!(backoff(10), BACKOFF_CAP);
        assert_eq!(backoff(u32::MAX), BACKOFF_CAP);
    }
}
