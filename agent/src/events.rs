//! Events scripts `emit` on the agent: rows of the local store's
//! `script_events` table, which scripts (through `db.query`) and `coral
//! query sql` against the agent read, and a broadcast for `coral script
//! events -f`. The table is the agent's own: a colony without an agent has
//! none.

use std::sync::Arc;

use coral_colony::{ColonyError, Store};
use coral_proto::agent::v1 as pb;
use duckdb::params;
use tokio::sync::broadcast;

/// `script_events`: one row per `emit` of a script run on this agent.
pub const TABLE: &str = "CREATE TABLE IF NOT EXISTS script_events (
    script   VARCHAR NOT NULL,
    run_id   BIGINT NOT NULL,
    time     TIMESTAMP NOT NULL,
    name     VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    data     JSON
)";

/// Most events [`Events::retained`] returns (the newest ones).
pub const MAX_RETAINED: usize = 10_000;

/// One emitted event, as stored and streamed.
#[derive(Debug, Clone, PartialEq)]
pub struct Emitted {
    pub script: String,
    pub run_id: u64,
    pub time_ms: i64,
    pub name: String,
    pub severity: String,
    /// The event's data as JSON.
    pub data: String,
}

impl Emitted {
    /// The proto message.
    pub fn to_proto(&self) -> pb::ScriptEvent {
        pb::ScriptEvent {
            run_id: self.run_id,
            time_unix_ms: self.time_ms,
            name: self.name.clone(),
            severity: self.severity.clone(),
            data_json: self.data.clone(),
        }
    }
}

/// The event table and its followers.
#[derive(Debug)]
pub struct Events {
    store: Arc<Store>,
    followers: broadcast::Sender<Emitted>,
}

impl Events {
    /// Creates the table in `store` if it is not there.
    pub fn open(store: Arc<Store>) -> Result<Self, ColonyError> {
        store.write(|conn| Ok(conn.execute_batch(TABLE)?))?;
        let (followers, _) = broadcast::channel(1024);
        Ok(Self { store, followers })
    }

    /// Stores an event and passes it to followers (under the store's
    /// writer lock, as [`Events::retained`] subscribes: a follower sees each
    /// event once, either retained or followed).
    pub fn record(&self, event: Emitted) -> Result<(), ColonyError> {
        self.store.write(|conn| {
            conn.execute(
                "INSERT INTO script_events VALUES (?, ?, make_timestamp(? * 1000), ?, ?, ?::JSON)",
                params![
                    event.script,
                    event.run_id as i64,
                    event.time_ms,
                    event.name,
                    event.severity,
                    event.data
                ],
            )?;
            let _ = self.followers.send(event.clone());
            Ok(())
        })
    }

    /// The newest [`MAX_RETAINED`] events of `script`, oldest first, and a
    /// receiver for later ones (taken together under the writer lock, so
    /// no event falls between or arrives twice).
    pub fn retained(
        &self,
        script: &str,
    ) -> Result<(Vec<Emitted>, broadcast::Receiver<Emitted>), ColonyError> {
        self.store.write(|conn| {
            let receiver = self.followers.subscribe();
            let mut statement = conn.prepare(
                "SELECT run_id, ms, name, severity, data FROM (
                     SELECT run_id, epoch_ms(time) AS ms, name, severity,
                            CAST(data AS VARCHAR) AS data, rowid AS seq
                     FROM script_events WHERE script = ? ORDER BY seq DESC LIMIT ?)
                 ORDER BY seq",
            )?;
            let rows = statement.query_map(params![script, MAX_RETAINED as i64], |row| {
                Ok(Emitted {
                    script: script.to_string(),
                    run_id: row.get::<_, i64>(0)? as u64,
                    time_ms: row.get(1)?,
                    name: row.get(2)?,
                    severity: row.get(3)?,
                    data: row
                        .get::<_, Option<String>>(4)?
                        .unwrap_or_else(|| "null".into()),
                })
            })?;
            Ok((rows.collect::<Result<Vec<_>, _>>()?, receiver))
        })
    }
}
