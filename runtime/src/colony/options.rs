//! Which colony a run queries and for how long a call may take: part of the
//! run's options on both engines (`--colony`, `--db`, `--colony-timeout`).

use std::path::PathBuf;
use std::time::Duration;

/// Which colony a run's SDK queries go to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ColonySource {
    /// None: every query fails with `ColonyUnavailable`.
    #[default]
    Disabled,
    /// A colony server, `host:port` or a URL, over gRPC.
    Remote {
        /// The address as the user gave it.
        address: String,
    },
    /// The in-process colony (loaded from `library` on first use): on the
    /// DuckDB file `db`, or on a fresh demo dataset of `demo_spans` spans.
    Embedded {
        /// The colony shared library (`coral_proto::embed::LIBRARY_FILE`).
        library: PathBuf,
        /// An existing colony database.
        db: Option<PathBuf>,
        /// Size of the demo dataset when there is no `db`.
        demo_spans: u64,
    },
}

/// The colony settings of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColonyOptions {
    /// Where queries go.
    pub source: ColonySource,
    /// Longest one query may take (also capped by the run's deadline).
    pub call_timeout: Duration,
}

impl Default for ColonyOptions {
    fn default() -> Self {
        Self {
            source: ColonySource::Disabled,
            call_timeout: Duration::from_secs(30),
        }
    }
}
