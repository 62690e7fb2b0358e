//! What a deployed script is: its kind, its state, what was deployed
//! ([`Spec`], [`Program`]) and how its runs went ([`Record`]). The states
//! and kinds are `../shared/design.md` §9's and the proto's
//! (`coral.agent.v1`); `docs/agent.md` describes the transitions.

use std::collections::BTreeMap;
use std::time::Duration;

use coral_proto::agent::v1 as pb;
use serde::{Deserialize, Serialize};

/// How long a script may live unless the deployer says otherwise.
pub const ADHOC_TTL: Duration = Duration::from_secs(60);
/// See [`ADHOC_TTL`]; renewable (`coral script renew`).
pub const DAEMON_TTL: Duration = Duration::from_secs(24 * 3600);
/// Linear memory a script may use unless the deployer says otherwise (the
/// status note's per-script quota).
pub const DEFAULT_MEMORY_BYTES: u64 = 128 * 1024 * 1024;
/// Longest time to live a deploy or renew may give (longer ones are cut
/// to it): ten years, which keeps every expiry time representable.
pub const MAX_TTL: Duration = Duration::from_secs(10 * 365 * 24 * 3600);
/// Longest name a script may have.
pub const MAX_NAME_CHARS: usize = 64;

/// Runs once (`adhoc`) or until stopped or expired (`daemon`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Runs once; 60 s to live by default.
    Adhoc,
    /// Runs until stopped; 24 h to live by default, renewable.
    Daemon,
}

impl Kind {
    /// The time to live a deploy or renew without one gets.
    pub fn default_ttl(self) -> Duration {
        match self {
            Self::Adhoc => ADHOC_TTL,
            Self::Daemon => DAEMON_TTL,
        }
    }

    /// The proto's value.
    pub fn to_proto(self) -> pb::ScriptKind {
        match self {
            Self::Adhoc => pb::ScriptKind::Adhoc,
            Self::Daemon => pb::ScriptKind::Daemon,
        }
    }
}

/// Where a script is in its life (design §9's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Deployed, about to run.
    Pending,
    /// Running (also while it sleeps in a timer).
    Running,
    /// Stopped by `Stop`; `Start` runs it again.
    Stopped,
    /// The run ended with an uncaught error or a limit.
    Failed,
    /// Its time to live ran out.
    Expired,
    /// The run finished.
    Succeeded,
}

impl State {
    /// The proto's value.
    pub fn to_proto(self) -> pb::ScriptState {
        match self {
            Self::Pending => pb::ScriptState::Pending,
            Self::Running => pb::ScriptState::Running,
            Self::Stopped => pb::ScriptState::Stopped,
            Self::Failed => pb::ScriptState::Failed,
            Self::Expired => pb::ScriptState::Expired,
            Self::Succeeded => pb::ScriptState::Succeeded,
        }
    }

    /// Pending or running: a run is (about to be) under way.
    pub fn is_active(self) -> bool {
        matches!(self, Self::Pending | Self::Running)
    }
}

/// What was deployed, besides the program itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    pub name: String,
    pub kind: Kind,
    /// Time to live from each deploy, start or renew, in milliseconds.
    pub ttl_ms: u64,
    /// `--param` values.
    pub params: BTreeMap<String, String>,
    /// Linear-memory limit, in bytes.
    pub memory_bytes: u64,
    /// The entry file (or the bundle's), as the deployer named it.
    pub entry: String,
    pub deployed_at_ms: i64,
}

/// The program of a deployed script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Program {
    /// A script the CLI compiled: one JS program, its source map and the
    /// original files.
    Script {
        js: String,
        source_map: String,
        sources: BTreeMap<String, String>,
    },
    /// A `coral build` bundle.
    Bundle(Vec<u8>),
}

/// How a script's runs went; persisted after every change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub state: State,
    pub restarts: u32,
    pub last_error: String,
    /// The current or last run (0 before the first).
    pub run_id: u64,
    pub started_at_ms: i64,
    pub expires_at_ms: i64,
    /// Peak linear memory of the last finished run, in bytes.
    pub memory_bytes: u64,
    /// Fuel the last finished run used.
    pub fuel_used: u64,
}

impl Record {
    /// A script just deployed, to expire `ttl` from `now_ms`.
    pub fn new(now_ms: i64, ttl: Duration) -> Self {
        Self {
            state: State::Pending,
            restarts: 0,
            last_error: String::new(),
            run_id: 0,
            started_at_ms: 0,
            expires_at_ms: now_ms.saturating_add(ttl.as_millis() as i64),
            memory_bytes: 0,
            fuel_used: 0,
        }
    }
}

/// Whether `name` may name a script: 1 to 64 of `A-Z a-z 0-9 . _ -`, not
/// starting with a dot (it names a folder in the data directory).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// The proto status of a script.
pub fn status(spec: &Spec, record: &Record) -> pb::ScriptStatus {
    pb::ScriptStatus {
        name: spec.name.clone(),
        kind: spec.kind.to_proto().into(),
        state: record.state.to_proto().into(),
        restarts: record.restarts,
        last_error: record.last_error.clone(),
        memory_bytes: record.memory_bytes,
        fuel_used: record.fuel_used,
        run_id: record.run_id,
        deployed_at_unix_ms: spec.deployed_at_ms,
        started_at_unix_ms: record.started_at_ms,
        expires_at_unix_ms: record.expires_at_ms,
        entry: spec.entry.clone(),
    }
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_folder_names() {
        for good in ["latency", "p99-check", "a.b_c", "x"] {
            assert!(valid_name(good), "{good}");
        }
        for bad in ["", ".", "..", ".hidden", "a/b", "a b", "é", &"x".repeat(65)] {
            assert!(!valid_name(bad), "{bad}");
        }
    }
}
