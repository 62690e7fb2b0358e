//! One QueryService call's claim on the colony: which client makes it (for
//! the fair share of reader connections, see [`crate::readers`]), until when
//! its work may run, and whether the client still waits for the answer.
//!
//! A call's deadline is the earlier of the colony's query timeout
//! (`coral colony serve --query-timeout`) and the client's own deadline
//! (gRPC's `grpc-timeout` header, Connect's `connect-timeout-ms`, or the
//! per-call timeout of the embedded colony). Waiting for a reader counts
//! towards it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::error::ColonyError;

/// Who makes a call: one TCP connection of a server, or the single client
/// of an embedded colony. Each gets a fair share of the readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientId {
    /// A connection to `coral colony serve` (its peer's address and port).
    Connection(SocketAddr),
    /// The process itself: an embedded colony, tests, `coral colony` tools.
    Local,
}

/// Which limit ends a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitedBy {
    /// The colony's query timeout (`--query-timeout`).
    Colony,
    /// The client's deadline (`grpc-timeout`, `connect-timeout-ms`, the
    /// embedded colony's per-call timeout).
    Client,
}

/// One call: client, deadline, and a flag set when the client goes away.
#[derive(Debug, Clone)]
pub struct Call {
    client: ClientId,
    started: Instant,
    limit: Duration,
    limited_by: LimitedBy,
    cancelled: Arc<AtomicBool>,
}

impl Call {
    /// A call by `client`, bounded by `query_timeout` (the colony's) and
    /// `client_timeout` (the client's, if it set one), from now.
    pub fn new(
        client: ClientId,
        query_timeout: Duration,
        client_timeout: Option<Duration>,
    ) -> Self {
        let (limit, limited_by) = match client_timeout {
            Some(t) if t < query_timeout => (t, LimitedBy::Client),
            _ => (query_timeout, LimitedBy::Colony),
        };
        // Far beyond any real limit, and `Instant + limit` cannot overflow.
        let limit = limit.min(Duration::from_secs(366 * 24 * 3600));
        Self {
            client,
            started: Instant::now(),
            limit,
            limited_by,
            cancelled: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The client.
    pub fn client(&self) -> ClientId {
        self.client
    }

    /// When the call's time is up.
    pub fn deadline(&self) -> Instant {
        self.started + self.limit
    }

    /// Whether the client has gone away or the call was abandoned.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    /// Marks the call as no longer awaited: its wait for a reader ends and
    /// its running query is interrupted.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    /// A guard that cancels the call when dropped before
    /// [`CancelOnDrop::disarm`]: held by a server's request future, which
    /// the server drops when the client disconnects or resets the stream.
    pub fn cancel_on_drop(&self) -> CancelOnDrop {
        CancelOnDrop(Some(self.cancelled.clone()))
    }

    /// The error for this call's time running out (waiting or running).
    pub fn timeout(&self) -> ColonyError {
        ColonyError::Timeout {
            limit: self.limit,
            limited_by: self.limited_by,
        }
    }

    /// The error when the call has been cancelled or its time is up, if so.
    pub fn check(&self) -> Result<(), ColonyError> {
        if self.is_cancelled() {
            Err(ColonyError::Cancelled)
        } else if Instant::now() >= self.deadline() {
            Err(self.timeout())
        } else {
            Ok(())
        }
    }
}

/// See [`Call::cancel_on_drop`].
#[derive(Debug)]
pub struct CancelOnDrop(Option<Arc<AtomicBool>>);

impl CancelOnDrop {
    /// The call was answered: dropping the guard no longer cancels it.
    pub fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(flag) = &self.0 {
            flag.store(true, Ordering::SeqCst);
        }
    }
}

/// Parses gRPC's `grpc-timeout` header: at most 8 digits and a unit (`H`,
/// `M`, `S`, `m`, `u`, `n`), per the gRPC over HTTP/2 specification.
/// `None` for anything else (the header is then ignored, as gRPC servers do).
pub fn parse_grpc_timeout(value: &str) -> Option<Duration> {
    let (digits, unit) = value.split_at(value.len().checked_sub(1)?);
    if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n.checked_mul(3600)?),
        "M" => Duration::from_secs(n.checked_mul(60)?),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

/// Parses Connect's `connect-timeout-ms` header: at most 10 digits of
/// milliseconds, per the Connect protocol. `None` for anything else.
pub fn parse_connect_timeout(value: &str) -> Option<Duration> {
    if value.is_empty() || value.len() > 10 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok().map(Duration::from_millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_timeouts_follow_the_specification() {
        assert_eq!(parse_grpc_timeout("3S"), Some(Duration::from_secs(3)));
        assert_eq!(parse_grpc_timeout("250m"), Some(Duration::from_millis(250)));
        assert_eq!(parse_grpc_timeout("2H"), Some(Duration::from_secs(7200)));
        assert_eq!(
            parse_grpc_timeout("99999999n"),
            Some(Duration::from_nanos(99_999_999))
        );
        assert_eq!(parse_grpc_timeout("123456789S"), None);
        assert_eq!(parse_grpc_timeout("S"), None);
        assert_eq!(parse_grpc_timeout("5x"), None);
        assert_eq!(parse_grpc_timeout(""), None);
        assert_eq!(parse_grpc_timeout("-1S"), None);
        assert_eq!(
            parse_connect_timeout("1500"),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(parse_connect_timeout("12345678901"), None);
        assert_eq!(parse_connect_timeout("1.5"), None);
    }

    #[test]
    fn the_earlier_limit_wins_and_is_named() {
        let call = Call::new(
            ClientId::Local,
            Duration::from_secs(30),
            Some(Duration::from_secs(2)),
        );
        assert!(matches!(
            call.timeout(),
            ColonyError::Timeout {
                limited_by: LimitedBy::Client,
                ..
            }
        ));
        let call = Call::new(
            ClientId::Local,
            Duration::from_secs(5),
            Some(Duration::from_secs(60)),
        );
        assert!(matches!(
            call.timeout(),
            ColonyError::Timeout {
                limited_by: LimitedBy::Colony,
                ..
            }
        ));
        let guard = call.cancel_on_drop();
        drop(guard);
        assert!(call.is_cancelled());
    }
}
