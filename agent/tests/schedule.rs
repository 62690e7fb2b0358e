//! Schedules and restart policy on a manual clock: the agent's decisions
//! (ticks, skips, catch-ups, backoff) follow the clock the test moves;
//! the runs themselves are real wasm runs.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use coral_agent::agent::{Agent, AgentConfig};
use coral_agent::persist::DataDir;
use coral_agent::schedule::{Concurrency, ManualClock, Restart, Schedule};
use coral_agent::script::{Kind, Program, Spec, State};
use coral_colony::{ColonyConfig, Store};
use coral_runtime::{Cache, PluginModule, Runner};

/// 2026-01-01T00:00:00Z: a whole minute, so ticks fall where expected.
const T0: i64 = 1_767_225_600_000;

const SLOW: &str = "await new Promise((r) => setTimeout(r, 60000));\n";
const QUICK: &str = "console.log(\"hi\");\n";
const FAILS: &str = "throw new Error(\"boom\");\n";

/// The engine and plugin, made once for every test (the user's coral
/// cache keeps the compiled plugin between runs).
fn engine() -> &'static (Runner, PluginModule) {
    static ENGINE: OnceLock<(Runner, PluginModule)> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = Cache::default_dir().unwrap_or_else(|| tempfile::tempdir().unwrap().keep());
        let runner = Runner::new(Cache::new(dir)).unwrap();
        let plugin = runner
            .plugin_module(
                coral_compiler::plugin::PLUGIN_KEY,
                coral_compiler::plugin::initialise,
            )
            .unwrap();
        (runner, plugin)
    })
}

struct Test {
    _dir: tempfile::TempDir,
    clock: Arc<ManualClock>,
    agent: Arc<Agent>,
}

impl Test {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::at(T0));
        let (runner, plugin) = engine();
        let store = Arc::new(Store::open_in_memory(ColonyConfig::default()).unwrap());
        let config = AgentConfig {
            default_memory_bytes: 128 << 20,
            colony_address: "127.0.0.1:1".into(),
            colony_call_timeout: Duration::from_secs(1),
            clock: clock.clone(),
        };
        let data = DataDir::create(&dir.path().join("data")).unwrap();
        let (agent, _) = Agent::open(data, store, runner.clone(), plugin.clone(), config).unwrap();
        Self {
            _dir: dir,
            clock,
            agent,
        }
    }

    fn program(&self, source: &str) -> Program {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("main.ts");
        std::fs::write(&file, source).unwrap();
        let compiled = coral_compiler::compile(&file).unwrap();
        Program::Script {
            js: compiled.js,
            source_map: compiled.source_map,
            sources: BTreeMap::new(),
        }
    }

    fn deploy(
        &self,
        name: &str,
        kind: Kind,
        source: &str,
        schedule: Option<(&str, Concurrency)>,
        restart: Restart,
    ) {
        let spec = Spec {
            name: name.into(),
            kind,
            ttl_ms: 24 * 3_600_000,
            params: BTreeMap::new(),
            memory_bytes: 0,
            entry: "main.ts".into(),
            deployed_at_ms: T0,
            schedule: schedule.map(|(cron, concurrency)| Schedule {
                cron: cron.into(),
                timezone: "UTC".into(),
                concurrency,
            }),
            restart,
            keep_runs: 20,
        };
        self.agent.deploy(spec, self.program(source)).unwrap();
    }

    /// Moves the clock and lets the agent act on it.
    fn advance(&self, by: Duration) {
        self.clock.advance(by);
        self.agent.tick();
    }

    fn state(&self, name: &str) -> coral_proto::agent::v1::ScriptStatus {
        self.agent.status(name).unwrap()
    }

    /// Waits (real time: the runs are real) until `name` has `n` finished
    /// runs in its history.
    fn wait_for_runs(&self, name: &str, n: usize) -> Vec<coral_agent::script::RunSummary> {
        let started = Instant::now();
        loop {
            let (runs, _) = self.agent.runs(name).unwrap();
            if runs.len() >= n {
                return runs;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{name}: {runs:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn log(&self, name: &str) -> String {
        let (lines, _) = self.agent.log(name).unwrap().snapshot();
        lines.iter().map(|l| format!("{}\n", l.text)).collect()
    }
}

impl Drop for Test {
    fn drop(&mut self) {
        self.agent.shutdown();
    }
}

fn running(status: &coral_proto::agent::v1::ScriptStatus) -> bool {
    status.state() == coral_proto::agent::v1::ScriptState::Running
}

#[test]
fn forbid_skips_a_tick_while_a_run_goes_on() {
    let t = Test::new();
    t.deploy(
        "s",
        Kind::Schedule,
        SLOW,
        Some(("* * * * * *", Concurrency::Forbid)),
        Restart::Never,
    );
    assert!(
        !running(&t.state("s")),
        "a schedule waits for its first tick"
    );
    assert_eq!(t.state("s").next_tick_unix_ms, T0 + 1000);
    t.advance(Duration::from_secs(1));
    assert!(running(&t.state("s")));
    assert_eq!(t.state("s").run_id, 1);
    t.advance(Duration::from_secs(1));
    assert_eq!(t.state("s").run_id, 1, "the second tick was skipped");
    assert!(t.log("s").contains("tick skipped"), "{}", t.log("s"));
    t.agent.stop("s").unwrap();
    let runs = t.wait_for_runs("s", 1);
    assert_eq!(runs[0].state, State::Stopped);
    // A stopped schedule does not tick.
    t.advance(Duration::from_secs(5));
    assert_eq!(t.state("s").run_id, 1);
    assert_eq!(t.state("s").next_tick_unix_ms, 0);
}

#[test]
fn allow_runs_alongside_and_replace_stops_the_running_one() {
    let t = Test::new();
    t.deploy(
        "allow",
        Kind::Schedule,
        SLOW,
        Some(("* * * * * *", Concurrency::Allow)),
        Restart::Never,
    );
    t.deploy(
        "replace",
        Kind::Schedule,
        SLOW,
        Some(("* * * * * *", Concurrency::Replace)),
        Restart::Never,
    );
    t.advance(Duration::from_secs(1));
    t.advance(Duration::from_secs(1));
    // Allow: two runs going, none finished.
    assert_eq!(t.state("allow").run_id, 2);
    assert!(t.agent.runs("allow").unwrap().0.is_empty());
    // Replace: the first run was stopped for the second.
    let runs = t.wait_for_runs("replace", 1);
    assert_eq!(runs[0].run_id, 1);
    assert_eq!(runs[0].state, State::Stopped);
    assert!(
        runs[0].error.contains("replaced by the next tick"),
        "{runs:?}"
    );
    assert_eq!(t.state("replace").run_id, 2);
    assert!(running(&t.state("replace")));
    t.agent.stop("allow").unwrap();
    let runs = t.wait_for_runs("allow", 2);
    assert!(runs.iter().all(|r| r.state == State::Stopped), "{runs:?}");
}

#[test]
fn missed_ticks_start_one_catch_up_run_or_none_past_a_hundred() {
    let t = Test::new();
    t.deploy(
        "m",
        Kind::Schedule,
        QUICK,
        Some(("0 * * * * *", Concurrency::Forbid)),
        Restart::Never,
    );
    // The agent was down for 150 minutes: 150 ticks missed.
    t.advance(Duration::from_secs(150 * 60));
    let status = t.state("m");
    assert_eq!(status.run_id, 0, "no run");
    assert!(
        status
            .last_error
            .contains("more than 100 ticks were missed"),
        "{status:?}"
    );
    // Then down for 50: one catch-up run.
    t.advance(Duration::from_secs(50 * 60));
    let runs = t.wait_for_runs("m", 1);
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].state, State::Succeeded);
    assert!(
        t.log("m").contains("50 ticks were due: one catch-up run"),
        "{}",
        t.log("m")
    );
    assert_eq!(t.state("m").next_tick_unix_ms, T0 + 201 * 60_000);
}

#[test]
fn run_now_is_in_the_history_and_does_not_move_the_next_tick() {
    let t = Test::new();
    t.deploy(
        "r",
        Kind::Schedule,
        QUICK,
        Some(("0 * * * * *", Concurrency::Forbid)),
        Restart::Never,
    );
    let next = t.state("r").next_tick_unix_ms;
    assert_eq!(next, T0 + 60_000);
    t.agent.run_now("r").unwrap();
    let runs = t.wait_for_runs("r", 1);
    assert_eq!(runs[0].trigger, coral_agent::script::Trigger::RunNow);
    assert_eq!(runs[0].state, State::Succeeded);
    assert!(runs[0].fuel_used > 0);
    assert_eq!(t.state("r").next_tick_unix_ms, next);
    t.advance(Duration::from_secs(60));
    let runs = t.wait_for_runs("r", 2);
    assert_eq!(runs[1].trigger, coral_agent::script::Trigger::Tick);
}

#[test]
fn a_failing_daemon_restarts_with_backoff_then_gives_up() {
    let t = Test::new();
    t.deploy(
        "d",
        Kind::Daemon,
        FAILS,
        None,
        Restart::OnFailure {
            max_restarts: Some(2),
        },
    );
    t.wait_for_runs("d", 1);
    let status = t.state("d");
    assert_eq!(status.state(), coral_proto::agent::v1::ScriptState::Pending);
    assert_eq!(
        status.restart_at_unix_ms,
        T0 + 1000,
        "1 s after the first failure"
    );
    t.advance(Duration::from_millis(999));
    assert_eq!(t.state("d").run_id, 1, "not before the backoff");
    t.advance(Duration::from_millis(1));
    t.wait_for_runs("d", 2);
    let status = t.state("d");
    assert_eq!(status.restarts, 1);
    assert_eq!(status.restart_at_unix_ms, T0 + 1000 + 2000, "then 2 s");
    t.advance(Duration::from_secs(2));
    t.wait_for_runs("d", 3);
    let status = t.state("d");
    assert_eq!(status.restarts, 2);
    assert_eq!(status.state(), coral_proto::agent::v1::ScriptState::Failed);
    assert!(
        status.last_error.contains("gave up after 2 restarts"),
        "{status:?}"
    );
    assert_eq!(status.restart_at_unix_ms, 0);
}
