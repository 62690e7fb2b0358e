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
    /// Runs at each tick of a cron schedule; 24 h to live by default,
    /// renewable.
    Schedule,
}

impl Kind {
    /// The time to live a deploy or renew without one gets.
    pub fn default_ttl(self) -> Duration {
        match self {
            Self::Adhoc => ADHOC_TTL,
            Self::Daemon | Self::Schedule => DAEMON_TTL,
        }
    }

    /// The proto's value.
    pub fn to_proto(self) -> pb::ScriptKind {
        match self {
            Self::Adhoc => pb::ScriptKind::Adhoc,
            Self::Daemon => pb::ScriptKind::Daemon,
            Self::Schedule => pb::ScriptKind::Schedule,
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
    /// A schedule script's schedule.
    #[serde(default)]
    pub schedule: Option<crate::schedule::Schedule>,
    /// What a daemon does when a run fails.
    #[serde(default)]
    pub restart: crate::schedule::Restart,
    /// How many past runs [`Record::history`] keeps.
    #[serde(default = "default_keep_runs")]
    pub keep_runs: usize,
}

/// Past runs kept unless the deploy says otherwise.
pub const DEFAULT_KEEP_RUNS: usize = 20;

fn default_keep_runs() -> usize {
    DEFAULT_KEEP_RUNS
}

/// What started a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trigger {
    Deploy,
    Start,
    /// An agent restart resuming a daemon.
    Resume,
    /// A schedule's tick (or the catch-up run of missed ones).
    Tick,
    /// `coral script run-now`.
    RunNow,
    /// The restart policy, after a failure.
    Restart,
}

/// A finished run, as the history keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunSummary {
    pub run_id: u64,
    pub trigger: Trigger,
    pub started_at_ms: i64,
    pub ended_at_ms: i64,
    pub state: State,
    pub error: String,
    pub fuel_used: u64,
    pub memory_bytes: u64,
    /// Events it emitted.
    pub events: u64,
}

impl RunSummary {
    /// The proto message.
    pub fn to_proto(&self) -> pb::RunSummary {
        pb::RunSummary {
            run_id: self.run_id,
            trigger: serde_json::to_value(self.trigger)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            started_at_unix_ms: self.started_at_ms,
            ended_at_unix_ms: self.ended_at_ms,
            state: self.state.to_proto().into(),
            error: self.error.clone(),
            fuel_used: self.fuel_used,
            memory_bytes: self.memory_bytes,
            events: self.events,
        }
    }
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
    /// A schedule's last tick handled (ms): ticks after it are due.
    #[serde(default)]
    pub last_tick_ms: i64,
    /// When the restart policy runs a failed daemon again (ms; 0: not).
    #[serde(default)]
    pub restart_at_ms: i64,
    /// Failed runs in a row (the restart backoff's exponent).
    #[serde(default)]
    pub failures_in_a_row: u32,
    /// Finished runs, oldest first (the newest `Spec::keep_runs`).
    #[serde(default)]
    pub history: Vec<RunSummary>,
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
            last_tick_ms: now_ms,
            restart_at_ms: 0,
            failures_in_a_row: 0,
            history: Vec::new(),
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
        next_tick_unix_ms: next_tick(spec, record).unwrap_or(0),
        schedule: spec
            .schedule
            .as_ref()
            .map(|s| format!("{} ({})", s.cron, s.timezone))
            .unwrap_or_default(),
        restart_at_unix_ms: record.restart_at_ms,
    }
}

/// Whether a schedule in this state ticks (it does unless stopped or
/// expired).
pub fn ticking(record: &Record) -> bool {
    !matches!(record.state, State::Stopped | State::Expired)
}

/// A schedule's next tick, if it will tick.
pub fn next_tick(spec: &Spec, record: &Record) -> Option<i64> {
    if !ticking(record) {
        return None;
    }
    spec.schedule
        .as_ref()?
        .parse()
        .ok()?
        .next_after(record.last_tick_ms)
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
