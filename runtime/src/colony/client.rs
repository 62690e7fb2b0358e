//! [`Colony`]: a run's colony, its backend opened on the first query (and
//! the notices that opening prints). Both engines call through it: the wasm
//! host for the `colony` operation, the Deno engine's loopback bridge.

use std::time::Duration;

use super::backend::{Backend, BackendError, ErrorCode};
use super::embedded::EmbeddedBackend;
use super::grpc::GrpcBackend;
use super::options::ColonySource;

/// How far a `--db` file's newest span may be before the pinned clock
/// before windowed queries are reported as likely empty: a day, in µs.
const STALE_DATA_US: i64 = 24 * 3600 * 1_000_000;

/// Under `--deterministic` the embedded colony's clock is pinned to the
/// virtual epoch; a `--db` file whose data ends elsewhere would answer every
/// windowed query (metrics, traces) with nothing. One probe of its newest
/// span, and a warning naming the fix (design §9, "clocks and data").
fn warn_if_data_elsewhere(
    backend: &mut dyn Backend,
    db: &std::path::Path,
    now_us: i64,
    timeout: Duration,
    announce: &mut dyn FnMut(&str),
) {
    let probe = br#"{"sql":"SELECT max(start_time_unix_nano) // 1000 AS last_us FROM spans","noAutoLimits":true}"#;
    let Ok(answer) = backend.call("ExecuteQuery", probe, timeout) else {
        return;
    };
    let last_us = serde_json::from_slice::<serde_json::Value>(&answer)
        .ok()
        .and_then(|v| v["rows"][0]["values"][0].as_object().cloned())
        .and_then(|cell| {
            cell.values().find_map(|v| {
                v.as_i64()
                    .or_else(|| v.as_str().and_then(|s| s.parse::<i64>().ok()))
            })
        });
    let Some(last_us) = last_us else {
        return;
    };
    let days = (last_us - now_us) as f64 / 86_400e6;
    let (amount, side) = if days < 0.0 {
        (-days, "before")
    } else {
        (days, "after")
    };
    if last_us < now_us - STALE_DATA_US || last_us > now_us + 60_000_000 {
        announce(&format!(
            "coral: warning: --deterministic pins the colony clock to 2026-01-01T00:00:00Z, but the newest span in {} is {amount:.1} days {side} it: time-windowed queries (metrics, traces) will find nothing. Make the file with `coral colony demo --fixed-now {}`, or run without --deterministic.\n",
            db.display(),
            now_us / 1_000_000
        ));
    }
}

/// A run's colony, opened on the first query.
pub(crate) struct Colony {
    source: ColonySource,
    /// Pin the embedded colony's clock here (deterministic runs).
    fixed_now_us: Option<i64>,
    backend: Option<Box<dyn Backend>>,
    /// Calls answered, and time spent in them (for `--stats`).
    pub calls: u64,
    pub busy: Duration,
}

impl Colony {
    pub fn new(source: ColonySource, fixed_now_us: Option<i64>) -> Self {
        Self {
            source,
            fixed_now_us,
            backend: None,
            calls: 0,
            busy: Duration::ZERO,
        }
    }

    /// Runs one call, opening the backend first if needed. `announce`
    /// receives the one-line notice of an embedded demo colony.
    pub fn call(
        &mut self,
        method: &str,
        request: &[u8],
        timeout: Duration,
        announce: &mut dyn FnMut(&str),
    ) -> Result<Vec<u8>, BackendError> {
        let started = std::time::Instant::now();
        if self.backend.is_none() {
            self.backend = Some(self.open(timeout, announce)?);
        }
        let backend = self.backend.as_mut().expect("opened above");
        let result = backend.call(method, request, timeout);
        self.calls += 1;
        self.busy += started.elapsed();
        result
    }

    fn open(
        &self,
        timeout: Duration,
        announce: &mut dyn FnMut(&str),
    ) -> Result<Box<dyn Backend>, BackendError> {
        match &self.source {
            ColonySource::Disabled => Err(BackendError::new(
                ErrorCode::Unavailable,
                "no colony is configured for this run",
            )),
            ColonySource::Remote { address } => {
                Ok(Box::new(GrpcBackend::connect(address, timeout)?))
            }
            ColonySource::Embedded {
                library,
                db,
                demo_spans,
            } => {
                let (mut backend, description) =
                    EmbeddedBackend::open(library, db.as_deref(), *demo_spans, self.fixed_now_us)?;
                if db.is_none() {
                    announce(&format!(
                        "coral: no colony given; querying an embedded colony with {description} (use --db <file> or --colony <addr> for real data)\n"
                    ));
                }
                if let (Some(db), Some(now_us)) = (db.as_deref(), self.fixed_now_us) {
                    warn_if_data_elsewhere(&mut backend, db, now_us, timeout, announce);
                }
                Ok(Box::new(backend))
            }
        }
    }
}
