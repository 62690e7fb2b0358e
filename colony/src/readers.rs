//! The pool of reader connections, shared fairly between clients.
//!
//! * A free reader goes to the waiting client that holds the fewest readers
//!   (first come, first served among equals), and no client holds more than
//!   `readers − 1` of them (all of them when there is one): one client's
//!   burst of queries cannot take the colony from the others.
//! * Waiting counts towards the call's deadline ([`Call`]).
//! * DuckDB cannot interrupt some work once it has started (one call of a
//!   scalar function on a large value). When such a query outlives its
//!   call by [`ABANDON_AFTER`], its client has been answered already
//!   (`DEADLINE_EXCEEDED`); the connection stays busy, counted against that
//!   client's share, and the pool opens a replacement — at most one per
//!   configured reader, so such queries can never hold more than the
//!   configured readers' worth of connections beyond the pool. The extra
//!   connection is closed when the query finally returns.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use duckdb::Connection;

use crate::call::{Call, ClientId};
use crate::error::ColonyError;

/// How long past its deadline a call's work may take before the client is
/// answered without it and its connection is written off as busy.
pub const ABANDON_AFTER: Duration = Duration::from_millis(200);

/// How a reader connection is set up: temporary views (read-only files,
/// whose views belong to each connection) and the fixed clock's macros.
#[derive(Debug, Default)]
pub(crate) struct ReaderSetup {
    /// SQL run on every new reader.
    pub(crate) sql: String,
}

impl ReaderSetup {
    fn open(&self, template: &Connection) -> Result<Connection, ColonyError> {
        let conn = template.try_clone()?;
        if !self.sql.is_empty() {
            conn.execute_batch(&self.sql)?;
        }
        Ok(conn)
    }
}

/// A reader lent to a call; give it back with [`Readers::give_back`].
#[derive(Debug)]
pub(crate) struct Loan {
    ticket: u64,
    pub(crate) conn: Connection,
}

#[derive(Debug)]
struct Lent {
    ticket: u64,
    client: ClientId,
    abandoned_at: Instant,
}

#[derive(Debug, Default)]
struct Pool {
    idle: Vec<Connection>,
    lent: Vec<Lent>,
    /// Calls waiting for a reader: (ticket, client), in arrival order.
    waiting: Vec<(u64, ClientId)>,
    next_ticket: u64,
}

/// The pool.
#[derive(Debug)]
pub(crate) struct Readers {
    pool: Mutex<Pool>,
    changed: Condvar,
    /// Readers configured (`ColonyConfig::readers`).
    size: usize,
    template: Mutex<Connection>,
    setup: ReaderSetup,
}

impl Pool {
    fn held_by(&self, client: ClientId) -> usize {
        self.lent.iter().filter(|l| l.client == client).count()
    }

    fn abandoned(&self, now: Instant) -> usize {
        self.lent.iter().filter(|l| now >= l.abandoned_at).count()
    }

    /// Connections the pool may have open now: the configured readers plus
    /// one replacement per abandoned query, at most doubling the pool.
    fn capacity(&self, size: usize, now: Instant) -> usize {
        size + self.abandoned(now).min(size)
    }

    /// The waiting call that gets the next reader: among clients under
    /// their share, the one holding the fewest, earliest first.
    fn next_in_line(&self, share: usize) -> Option<u64> {
        self.waiting
            .iter()
            .map(|&(ticket, client)| (self.held_by(client), ticket))
            .filter(|&(held, _)| held < share)
            .min()
            .map(|(_, ticket)| ticket)
    }

    fn stop_waiting(&mut self, ticket: u64) {
        self.waiting.retain(|&(t, _)| t != ticket);
    }
}

impl Readers {
    /// A pool of `size` readers cloned from `template`, each set up with
    /// `setup`.
    pub(crate) fn new(
        template: Connection,
        size: usize,
        setup: ReaderSetup,
    ) -> Result<Self, ColonyError> {
        let size = size.max(1);
        let idle = (0..size)
            .map(|_| setup.open(&template))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            pool: Mutex::new(Pool {
                idle,
                ..Pool::default()
            }),
            changed: Condvar::new(),
            size,
            template: Mutex::new(template),
            setup,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Pool> {
        self.pool.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Most readers one client may hold.
    fn share(&self) -> usize {
        if self.size > 1 { self.size - 1 } else { 1 }
    }

    /// Waits for a reader for `call`, until its deadline or cancellation.
    ///
    /// # Errors
    /// The call's timeout or cancellation; DuckDB's error when a
    /// replacement connection cannot be opened.
    pub(crate) fn lend(&self, call: &Call) -> Result<Loan, ColonyError> {
        let mut pool = self.lock();
        let ticket = pool.next_ticket;
        pool.next_ticket += 1;
        pool.waiting.push((ticket, call.client()));
        loop {
            if let Err(e) = call.check() {
                pool.stop_waiting(ticket);
                // Another waiter may be next in line now.
                self.changed.notify_all();
                return Err(e);
            }
            let now = Instant::now();
            if pool.next_in_line(self.share()) == Some(ticket) {
                let open = pool.idle.len() + pool.lent.len();
                let idle = pool.idle.pop();
                if idle.is_some() || open < pool.capacity(self.size, now) {
                    pool.stop_waiting(ticket);
                    pool.lent.push(Lent {
                        ticket,
                        client: call.client(),
                        abandoned_at: call.deadline() + ABANDON_AFTER,
                    });
                    drop(pool);
                    let conn = match idle {
                        Some(conn) => Ok(conn),
                        None => self.open_replacement(),
                    };
                    return conn.map(|conn| Loan { ticket, conn }).inspect_err(|_| {
                        self.lock().lent.retain(|l| l.ticket != ticket);
                        self.changed.notify_all();
                    });
                }
            }
            // Woken by a returned reader; otherwise look again soon, for the
            // deadline, a cancellation or a query that has been abandoned.
            let wait = call
                .deadline()
                .saturating_duration_since(now)
                .min(Duration::from_millis(50));
            pool = self
                .changed
                .wait_timeout(pool, wait)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    fn open_replacement(&self) -> Result<Connection, ColonyError> {
        let template = self.template.lock().unwrap_or_else(|e| e.into_inner());
        self.setup.open(&template)
    }

    /// Returns a reader; a replacement no longer needed is closed.
    pub(crate) fn give_back(&self, loan: Loan) {
        let mut pool = self.lock();
        pool.lent.retain(|l| l.ticket != loan.ticket);
        let open = pool.idle.len() + pool.lent.len() + 1;
        if open <= pool.capacity(self.size, Instant::now()) {
            pool.idle.push(loan.conn);
        }
        drop(pool);
        self.changed.notify_all();
    }
}
