//! The DuckDB database: opening it with the schema and the sandbox settings,
//! one writer connection for ingest, and a pool of reader connections for
//! queries ([`crate::readers`], shared fairly between clients), each read
//! bounded by its call's deadline ([`crate::call`], enforced by
//! [`crate::watchdog`]).
//!
//! The settings applied at open are database-wide and then locked
//! (`lock_configuration`), so no later statement — ours or a user's — can turn
//! external access, extension loading or the resource caps back on.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use coral_proto::colony::v1 as pb;
use duckdb::Connection;

use crate::call::{Call, ClientId};
use crate::error::ColonyError;
use crate::readers::{ReaderSetup, Readers};
use crate::schema;
use crate::watchdog::Watchdog;

/// Limits and sizes of a colony.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColonyConfig {
    /// Reader connections (concurrent queries; one client holds at most
    /// all but one of them, see [`crate::readers`]).
    pub readers: usize,
    /// DuckDB worker threads.
    pub threads: usize,
    /// DuckDB memory limit, e.g. `"2GB"`.
    pub memory_limit: String,
    /// How long one call may wait for a reader and run before its query is
    /// interrupted (`coral colony serve --query-timeout`); a client's own
    /// deadline may end it sooner.
    pub query_timeout: Duration,
    /// Rows returned by raw SQL unless the caller asks for fewer.
    pub default_rows: usize,
    /// Most rows raw SQL may return, whatever the caller asks.
    pub max_rows: usize,
    /// Answer as if it were this time (Unix microseconds): query windows end
    /// here and SQL's clock (`now()`, `current_timestamp`, `current_date`,
    /// …) returns it. `None`: the system clock. Used for
    /// deterministic runs and tests over data generated at a fixed time.
    pub fixed_now_us: Option<i64>,
}

impl Default for ColonyConfig {
    fn default() -> Self {
        Self {
            readers: 4,
            threads: 2,
            memory_limit: "2GB".into(),
            query_timeout: Duration::from_secs(30),
            default_rows: 10_000,
            max_rows: coral_proto::MAX_ROWS,
            fixed_now_us: None,
        }
    }
}

/// DuckDB's functions for the current instant, pinned by
/// [`ColonyConfig::fixed_now_us`].
const CLOCK_FUNCTIONS: [&str; 4] = [
    "now",
    "get_current_timestamp",
    "transaction_timestamp",
    "current_localtimestamp",
];
/// DuckDB's functions for the current date, pinned likewise.
const DATE_FUNCTIONS: [&str; 2] = ["current_date", "today"];

/// Whether a [`Store`] may write its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    ReadWrite,
    ReadOnly,
}

/// DuckDB's "Could not set lock on file" becomes [`ColonyError::Locked`],
/// naming the holder (DuckDB's words: `…is held in NAME (PID N) by user U`)
/// and what to do instead; anything else [`ColonyError::Open`].
fn open_error(path: &Path, e: &duckdb::Error, access: Access) -> ColonyError {
    let message = e.to_string();
    const HELD: &str = "Conflicting lock is held in ";
    if let Some(at) = message.find(HELD) {
        let rest = &message[at + HELD.len()..];
        let pid_end = rest
            .find("(PID ")
            .and_then(|p| rest[p..].find(')').map(|end| p + end));
        let holder = match pid_end {
            Some(end) => &rest[..=end],
            None => rest.split(". ").next().unwrap_or(rest),
        };
        let advice = match access {
            Access::ReadOnly => {
                "while a colony server has it open, query it through the server (`coral run --colony ADDR`, `coral query --colony ADDR`) and send it telemetry over OTLP"
            }
            Access::ReadWrite => {
                "a file that is being read (`coral run --db`) or served cannot be written by another process: wait for that process or stop it, or send telemetry over OTLP to the server that has the file open"
            }
        };
        return ColonyError::Locked {
            path: path.display().to_string(),
            holder: holder.to_string(),
            advice,
        };
    }
    ColonyError::Open {
        path: path.display().to_string(),
        message,
    }
}

/// An open colony database.
#[derive(Debug)]
pub struct Store {
    writer: Mutex<Connection>,
    readers: Readers,
    watchdog: Watchdog,
    config: ColonyConfig,
    /// Bumped by every write, so answers cached from the data can tell
    /// they are stale.
    generation: AtomicU64,
    /// The service registry as of a generation (`services` changes only on
    /// ingest, and scripts list it often).
    services: Mutex<Option<(u64, Arc<Vec<pb::Service>>)>>,
}

impl Store {
    /// Opens (or creates) the database file at `path`.
    ///
    /// # Errors
    /// [`ColonyError::Locked`] when another process has the file open,
    /// [`ColonyError::Open`] for any other reason DuckDB gives.
    pub fn open(path: &Path, config: ColonyConfig) -> Result<Self, ColonyError> {
        let conn = Connection::open(path).map_err(|e| open_error(path, &e, Access::ReadWrite))?;
        Self::init(conn, config, Access::ReadWrite)
    }

    /// Opens an existing colony file for queries only. DuckDB lets any number
    /// of processes read a file this way at once (concurrent `coral run
    /// --db`), but not while one process writes it.
    ///
    /// The views are created as this connection's temporary views, so they
    /// are this version's whatever version wrote the file.
    ///
    /// # Errors
    /// [`ColonyError::Locked`] when a process has the file open for writing;
    /// [`ColonyError::Open`] when it is not a DuckDB file or lacks the
    /// colony's tables.
    pub fn open_read_only(path: &Path, config: ColonyConfig) -> Result<Self, ColonyError> {
        let conn = duckdb::Config::default()
            .access_mode(duckdb::AccessMode::ReadOnly)
            .and_then(|flags| Connection::open_with_flags(path, flags))
            .map_err(|e| open_error(path, &e, Access::ReadOnly))?;
        let tables: usize = conn
            .query_row(
                "SELECT count(*) FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main' AND list_contains(string_split(?, ','), table_name)",
                [schema::TABLE_NAMES.join(",")],
                |row| row.get(0),
            )
            .map_err(|e| open_error(path, &e, Access::ReadOnly))?;
        if tables != schema::TABLE_NAMES.len() {
            return Err(ColonyError::Open {
                path: path.display().to_string(),
                message: "not a colony database (it lacks the resources, spans and metric_points tables; create one with `coral colony ingest` or `coral colony demo`)".into(),
            });
        }
        let (table, column) = schema::NEWEST_COLUMN;
        let current: usize = conn
            .query_row(
                "SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ? AND column_name = ?",
                [table, column],
                |row| row.get(0),
            )
            .map_err(|e| open_error(path, &e, Access::ReadOnly))?;
        if current == 0 {
            return Err(ColonyError::Open {
                path: path.display().to_string(),
                message: "written by an older coral, whose metric points lack the histogram columns; open it for writing once (`coral colony serve --db FILE`, or `coral colony ingest --db FILE` with any file) to add them".into(),
            });
        }
        Self::init(conn, config, Access::ReadOnly)
    }

    /// An in-memory database (tests, throwaway demo colonies).
    pub fn open_in_memory(config: ColonyConfig) -> Result<Self, ColonyError> {
        let conn = Connection::open_in_memory().map_err(|e| ColonyError::Open {
            path: ":memory:".into(),
            message: e.to_string(),
        })?;
        Self::init(conn, config, Access::ReadWrite)
    }

    fn init(conn: Connection, config: ColonyConfig, access: Access) -> Result<Self, ColonyError> {
        if access == Access::ReadWrite {
            conn.execute_batch(schema::TABLES)?;
            conn.execute_batch(schema::METRIC_POINT_COLUMNS)?;
            conn.execute_batch(&schema::staging())?;
            conn.execute_batch(schema::VIEWS)?;
        }
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
        let mut setup = ReaderSetup::default();
        if access == Access::ReadOnly {
            // Temporary objects belong to one connection: each reader gets
            // its own views.
            setup.sql.push_str(&schema::temporary_views());
        }
        if let Some(now_us) = config.fixed_now_us {
            // Temporary macros shadow the built-in clock functions on this
            // connection only. DuckDB parses `current_timestamp` into
            // `get_current_timestamp()` and `current_date` into
            // `current_date()`, so the macros pin those spellings too.
            let at = format!("CAST(make_timestamp({now_us}::BIGINT) AS TIMESTAMPTZ)");
            for name in CLOCK_FUNCTIONS {
                setup
                    .sql
                    .push_str(&format!("CREATE TEMP MACRO {name}() AS {at};\n"));
            }
            for name in DATE_FUNCTIONS {
                setup.sql.push_str(&format!(
                    "CREATE TEMP MACRO {name}() AS CAST(make_timestamp({now_us}::BIGINT) AS DATE);\n"
                ));
            }
        }
        let readers = Readers::new(conn.try_clone()?, config.readers, setup)?;
        let watchdog = Watchdog::start().map_err(|e| {
            ColonyError::Internal(format!("cannot start the query watchdog thread: {e}"))
        })?;
        Ok(Self {
            writer: Mutex::new(conn),
            readers,
            watchdog,
            config,
            generation: AtomicU64::new(0),
            services: Mutex::new(None),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ColonyConfig {
        &self.config
    }

    /// The colony's idea of now, in Unix microseconds (see
    /// [`ColonyConfig::fixed_now_us`]).
    pub fn now_us(&self) -> i64 {
        self.config.fixed_now_us.unwrap_or_else(system_now_us)
    }

    /// A call by the process itself (tests, `coral colony` tools),
    /// bounded by the query timeout from now.
    pub fn local_call(&self) -> Call {
        Call::new(ClientId::Local, self.config.query_timeout, None)
    }

    /// Runs `f` on a reader connection for [`Store::local_call`].
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, ColonyError>,
    ) -> Result<T, ColonyError> {
        self.read_for(&self.local_call(), f)
    }

    /// Runs `f` on a reader connection for `call`: waits for the client's
    /// share of the readers, and interrupts DuckDB when the call's deadline
    /// passes or its client goes away.
    ///
    /// # Errors
    /// `f`'s; [`ColonyError::Timeout`] when the deadline passed while
    /// waiting or running (DuckDB's "interrupted" becomes this);
    /// [`ColonyError::Cancelled`]; [`ColonyError::Internal`] when the
    /// driver panics.
    pub fn read_for<T>(
        &self,
        call: &Call,
        f: impl FnOnce(&Connection) -> Result<T, ColonyError>,
    ) -> Result<T, ColonyError> {
        let loan = self.readers.lend(call)?;
        let armed = self.watchdog.arm(call, loan.conn.interrupt_handle());
        // The connection goes back to the pool even if the query panics
        // (duckdb-rs panics on some result types), or the pool would shrink
        // for good.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&loan.conn)));
        let interrupted = armed.disarm();
        self.readers.give_back(loan);
        match result {
            Ok(Err(_)) | Err(_) if interrupted => Err(if call.is_cancelled() {
                ColonyError::Cancelled
            } else {
                call.timeout()
            }),
            Ok(answer) => answer,
            Err(_) => Err(ColonyError::Internal(
                "the query failed inside the database driver".into(),
            )),
        }
    }

    /// Runs `f` on the writer connection (one writer at a time).
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, ColonyError>,
    ) -> Result<T, ColonyError> {
        let mut conn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let result = f(&mut conn);
        self.generation.fetch_add(1, Ordering::SeqCst);
        result
    }

    /// The service registry, from `load` (run for `call`) unless a write
    /// has happened since it was last loaded.
    pub fn services(
        &self,
        call: &Call,
        load: impl FnOnce(&Connection) -> Result<Vec<pb::Service>, ColonyError>,
    ) -> Result<Arc<Vec<pb::Service>>, ColonyError> {
        let generation = self.generation.load(Ordering::SeqCst);
        if let Some((cached_at, services)) =
            &*self.services.lock().unwrap_or_else(|e| e.into_inner())
            && *cached_at == generation
        {
            return Ok(services.clone());
        }
        let services = Arc::new(self.read_for(call, load)?);
        *self.services.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((generation, services.clone()));
        Ok(services)
    }
}

/// The system clock in Unix microseconds.
pub fn system_now_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_micros() as i64
}
