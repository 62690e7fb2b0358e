//! The DuckDB database: opening it with the schema and the sandbox settings,
//! one writer connection for ingest, and a pool of reader connections for
//! queries.
//!
//! The settings applied at open are database-wide and then locked
//! (`lock_configuration`), so no later statement — ours or a user's — can turn
//! external access, extension loading or the resource caps back on.

use std::path::Path;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use duckdb::Connection;

use crate::error::ColonyError;
use crate::schema;

/// Limits and sizes of a colony.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColonyConfig {
    /// Reader connections (concurrent queries).
    pub readers: usize,
    /// DuckDB worker threads.
    pub threads: usize,
    /// DuckDB memory limit, e.g. `"2GB"`.
    pub memory_limit: String,
    /// How long one query may run before it is interrupted.
    pub query_timeout: Duration,
    /// Rows returned by raw SQL unless the caller asks for fewer.
    pub default_rows: usize,
    /// Most rows raw SQL may return, whatever the caller asks.
    pub max_rows: usize,
}

impl Default for ColonyConfig {
    fn default() -> Self {
        Self {
            readers: 4,
            threads: 2,
            memory_limit: "2GB".into(),
            query_timeout: Duration::from_secs(30),
            default_rows: 10_000,
            max_rows: 100_000,
        }
    }
}

/// An open colony database.
#[derive(Debug)]
pub struct Store {
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    available: Condvar,
    config: ColonyConfig,
}

impl Store {
    /// Opens (or creates) the database file at `path`.
    pub fn open(path: &Path, config: ColonyConfig) -> Result<Self, ColonyError> {
        let conn = Connection::open(path).map_err(|e| ColonyError::Open {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::init(conn, config)
    }

    /// An in-memory database (tests, throwaway demo colonies).
    pub fn open_in_memory(config: ColonyConfig) -> Result<Self, ColonyError> {
        let conn = Connection::open_in_memory().map_err(|e| ColonyError::Open {
            path: ":memory:".into(),
            message: e.to_string(),
        })?;
        Self::init(conn, config)
    }

    fn init(conn: Connection, config: ColonyConfig) -> Result<Self, ColonyError> {
        conn.execute_batch(schema::TABLES)?;
        conn.execute_batch(schema::VIEWS)?;
        // Official DuckDB builds include ICU, where TIMESTAMP/TIMESTAMPTZ
        // comparisons (`timestamp > now() - INTERVAL 1 HOUR`) follow the
        // session time zone: pin it so answers do not depend on the host's TZ.
        // Builds without ICU are UTC already and refuse the setting.
        let _ = conn.execute_batch("SET TimeZone = 'UTC'");
        let memory_limit = config.memory_limit.replace('\'', "");
        conn.execute_batch(&format!(
            "SET enable_external_access = false;
             SET autoinstall_known_extensions = false;
             SET autoload_known_extensions = false;
             SET allow_community_extensions = false;
             SET memory_limit = '{memory_limit}';
             SET max_temp_directory_size = '{memory_limit}';
             SET threads = {threads};
             SET lock_configuration = true;",
            threads = config.threads.max(1),
        ))?;
        let readers = (0..config.readers.max(1))
            .map(|_| conn.try_clone())
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            writer: Mutex::new(conn),
            readers: Mutex::new(readers),
            available: Condvar::new(),
            config,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ColonyConfig {
        &self.config
    }

    /// Runs `f` on a reader connection, waiting for one to be free.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, ColonyError>,
    ) -> Result<T, ColonyError> {
        let conn = {
            let mut pool = self.readers.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if let Some(conn) = pool.pop() {
                    break conn;
                }
                pool = self.available.wait(pool).unwrap_or_else(|e| e.into_inner());
            }
        };
        // The connection goes back to the pool even if the query panics
        // (duckdb-rs panics on some result types), or the pool would shrink
        // for good.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&conn)));
        self.readers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(conn);
        self.available.notify_one();
        result.unwrap_or_else(|_| {
            Err(ColonyError::Internal(
                "the query failed inside the database driver".into(),
            ))
        })
    }

    /// Runs `f` on the writer connection (one writer at a time).
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, ColonyError>,
    ) -> Result<T, ColonyError> {
        let mut conn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut conn)
    }
}
