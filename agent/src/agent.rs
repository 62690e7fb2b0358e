//! The agent's scripts: deploy, run, stop, start, renew, delete, and what
//! becomes of them across an agent restart.
//!
//! Each run has a thread of its own, which runs the script on the wasm
//! engine ([`coral_runtime::Runner`]) and, when the run ends, records how
//! (state, error, memory, fuel). A run ends by itself (the script finished
//! or failed), or by its [`StopSignal`]: `Stop`, `Delete`, a redeploy, its
//! time to live running out (the expiry thread), or the agent shutting
//! down, which leaves the record `running` so that the next start resumes
//! it. Every change of a record is written to the data directory before it
//! is answered.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use coral_colony::Store;
use coral_host_abi::Stream;
use coral_proto::agent::v1::ScriptStatus;
use coral_runtime::{
    ColonyOptions, ColonySource, Engine, Event, Limits, Outcome, OutputError, OutputSink,
    PluginModule, Program as RunProgram, RunOptions, RunReport, Runner, RuntimeError, StopSignal,
    WasmScript,
};

use crate::events::{Emitted, Events};
use crate::logs::{LineSplitter, Log, Source};
use crate::persist::{DataDir, Skipped};
use crate::schedule::{self, Clock, Concurrency, Due, Restart};
use crate::script::{self, Kind, Program, Record, RunSummary, Spec, State, Trigger};

/// Why an operation on a script was refused.
#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    /// No script of that name.
    #[error("no script named \"{0}\" on this agent")]
    NotFound(String),
    /// The request itself is wrong (a bad name, an empty program).
    #[error("{0}")]
    Invalid(String),
    /// The program cannot run here (QuickJS refused it, a bundle of another
    /// ABI version, not a Coral bundle).
    #[error("the program cannot run: {0}")]
    Program(#[source] RuntimeError),
    /// The operation does not apply in the script's state.
    #[error("{0}")]
    State(String),
    /// The data directory or the store failed.
    #[error("the agent's data directory: {0}")]
    Storage(#[from] std::io::Error),
}

/// Why a run was stopped from outside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StopReason {
    /// `Stop`: the script is `stopped`.
    Stopped,
    /// Its time to live ran out: `expired`.
    Expired,
    /// `Delete` or a redeploy: the record goes away.
    Replaced,
    /// The agent is shutting down: the record stays `running`, to resume.
    Shutdown,
    /// A schedule's tick replaced it (concurrency `replace`): recorded in
    /// the history, the script's state left to the next run.
    Superseded,
}

/// A run under way.
#[derive(Debug)]
struct ActiveRun {
    generation: u64,
    stop: StopSignal,
    reason: Arc<Mutex<Option<StopReason>>>,
    thread: JoinHandle<()>,
}

/// A deployed script.
#[derive(Debug)]
struct Entry {
    spec: Spec,
    program: Arc<Program>,
    record: Record,
    log: Arc<Log>,
    /// Runs under way (more than one only for a schedule that allows it).
    runs: Vec<ActiveRun>,
    /// Which deploy this entry is (agent-wide, from 1): a finishing run
    /// records its end only in the deploy that started it, so a run
    /// stopped for a redeploy cannot touch its successor.
    epoch: u64,
}

impl Entry {
    fn take_runs(&mut self) -> Vec<ActiveRun> {
        std::mem::take(&mut self.runs)
    }
}

/// Stops `runs` for `reason` and waits for each to record its end.
fn stop_all(runs: Vec<ActiveRun>, reason: StopReason) {
    for run in &runs {
        lock(&run.reason).get_or_insert(reason);
        run.stop.stop();
    }
    for run in runs {
        let _ = run.thread.join();
    }
}

/// How the agent runs scripts.
#[derive(Debug, Clone)]
pub struct AgentConfig {
    /// Memory limit of a script deployed without one, in bytes.
    pub default_memory_bytes: u64,
    /// The QueryService scripts query (the local store, on loopback).
    pub colony_address: String,
    /// Longest one colony call of a script may take.
    pub colony_call_timeout: Duration,
    /// The agent's clock: TTLs, schedules and restart backoff read it.
    pub clock: Arc<dyn Clock>,
}

/// The agent's scripts, their runs and their history.
#[derive(Debug)]
pub struct Agent {
    data: DataDir,
    events: Events,
    runner: Runner,
    plugin: PluginModule,
    config: AgentConfig,
    scripts: Mutex<BTreeMap<String, Entry>>,
    /// Held for the whole of each operation that changes a script (deploy,
    /// stop, start, renew, delete), so they never interleave; runs that end
    /// and the expiry thread take only `scripts`.
    operations: Mutex<()>,
    /// The last run generation or deploy epoch handed out.
    counter: std::sync::atomic::AtomicU64,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// A script's runs never end by the engine's deadline: their time to live
/// is the agent's to enforce (and renewable while they run).
const RUN_DEADLINE: Duration = script::MAX_TTL;

impl Agent {
    /// An agent on `data`, with the scripts stored there loaded (not yet
    /// resumed: see [`Agent::resume`]).
    pub fn open(
        data: DataDir,
        store: Arc<Store>,
        runner: Runner,
        plugin: PluginModule,
        config: AgentConfig,
    ) -> Result<(Arc<Self>, Vec<Skipped>), AgentError> {
        let events = Events::open(store).map_err(|e| std::io::Error::other(e.to_string()))?;
        let (stored, skipped) = data.load_scripts()?;
        let mut scripts = BTreeMap::new();
        for stored in stored {
            let log = Arc::new(Log::open(
                data.script_dir(&stored.spec.name).join("log.jsonl"),
            ));
            scripts.insert(
                stored.spec.name.clone(),
                Entry {
                    spec: stored.spec,
                    program: Arc::new(stored.program),
                    record: stored.record,
                    log,
                    runs: Vec::new(),
                    epoch: 0,
                },
            );
        }
        let agent = Arc::new(Self {
            data,
            events,
            runner,
            plugin,
            config,
            scripts: Mutex::new(scripts),
            operations: Mutex::new(()),
            counter: std::sync::atomic::AtomicU64::new(0),
        });
        for entry in lock(&agent.scripts).values_mut() {
            entry.epoch = agent.next_number();
        }
        Ok((agent, skipped))
    }

    fn next_number(&self) -> u64 {
        1 + self
            .counter
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    fn now_ms(&self) -> i64 {
        self.config.clock.now_ms()
    }

    /// After a restart (graceful or `kill -9`): daemons that were running
    /// run again (one more restart each) unless their time ran out; an
    /// ad-hoc run or a schedule's run interrupted mid-way failed (a
    /// schedule ticks on: [`Agent::tick`] deals with the ticks it missed).
    pub fn resume(self: &Arc<Self>) {
        let now = self.now_ms();
        let mut scripts = lock(&self.scripts);
        let names: Vec<String> = scripts.keys().cloned().collect();
        for name in names {
            let Some(entry) = scripts.get_mut(&name) else {
                continue;
            };
            if !entry.record.state.is_active()
                || (entry.spec.kind == Kind::Schedule && entry.record.state == State::Pending)
            {
                continue;
            }
            let run_id = entry.record.run_id;
            if entry.record.expires_at_ms <= now {
                entry.record.state = State::Expired;
                entry.record.last_error =
                    "its time to live ran out while the agent was down".into();
            } else if entry.spec.kind == Kind::Daemon {
                entry.log.push(
                    run_id,
                    Source::Agent,
                    "agent restarted: resuming the daemon",
                );
                entry.record.restarts += 1;
                if let Err(e) = self.start_run(entry, Trigger::Resume) {
                    entry.log.push(run_id, Source::Agent, &e.to_string());
                }
                continue;
            } else {
                entry.record.state = State::Failed;
                entry.record.last_error = "the agent restarted during the run".into();
            }
            entry
                .log
                .push(run_id, Source::Agent, &entry.record.last_error);
            if let Err(e) = self.data.write_record(&name, &entry.record) {
                entry.log.push(
                    run_id,
                    Source::Agent,
                    &format!("its record could not be saved: {e}"),
                );
            }
        }
    }

    /// Deploys `program` as `spec.name` (replacing a script of that name,
    /// whose run is stopped first) and starts it. The program is checked
    /// before anything is replaced: a program that cannot run deploys
    /// nothing.
    pub fn deploy(
        self: &Arc<Self>,
        mut spec: Spec,
        program: Program,
    ) -> Result<ScriptStatus, AgentError> {
        if !script::valid_name(&spec.name) {
            return Err(AgentError::Invalid(format!(
                "invalid script name \"{}\": use 1 to {} letters, digits, '.', '_' or '-', not starting with '.'",
                spec.name,
                script::MAX_NAME_CHARS
            )));
        }
        if spec.memory_bytes == 0 {
            spec.memory_bytes = self.config.default_memory_bytes;
        }
        match (&spec.schedule, spec.kind) {
            (Some(schedule), Kind::Schedule) => {
                schedule
                    .parse()
                    .map_err(|e| AgentError::Invalid(e.to_string()))?;
            }
            (None, Kind::Schedule) => {
                return Err(AgentError::Invalid(
                    "a schedule script needs its schedule".into(),
                ));
            }
            (Some(_), _) => {
                return Err(AgentError::Invalid(
                    "only a schedule script has a schedule".into(),
                ));
            }
            (None, _) => {}
        }
        if spec.restart != Restart::Never && spec.kind != Kind::Daemon {
            return Err(AgentError::Invalid(
                "a restart policy is for daemons".into(),
            ));
        }
        let _operation = lock(&self.operations);
        self.check_program(&program, spec.memory_bytes)?;
        let ttl = Duration::from_millis(spec.ttl_ms);
        let mut record = Record::new(self.now_ms(), ttl);
        // Run numbers go on across redeploys, so a name's events never
        // share one.
        record.run_id = self
            .with_entry(&spec.name, |e| Ok(e.record.run_id))
            .unwrap_or(0);
        // Written aside first: if that fails, the old script runs on.
        self.data.stage_script(&spec, &program, &record)?;
        let previous = lock(&self.scripts)
            .get_mut(&spec.name)
            .map(Entry::take_runs)
            .unwrap_or_default();
        stop_all(previous, StopReason::Replaced);
        let installed = self.data.install_staged(&spec.name);
        let mut scripts = lock(&self.scripts);
        if let Err(e) = installed {
            // The old folder is still in place; its run was stopped.
            if let Some(old) = scripts.get_mut(&spec.name) {
                old.record.state = State::Failed;
                old.record.last_error = format!("a redeploy could not be saved: {e}");
            }
            return Err(e.into());
        }
        let log = Arc::new(Log::open(
            self.data.script_dir(&spec.name).join("log.jsonl"),
        ));
        // A redeploy keeps nothing of the old script but its events.
        let name = spec.name.clone();
        scripts.insert(
            name.clone(),
            Entry {
                spec,
                program: Arc::new(program),
                record,
                log,
                runs: Vec::new(),
                epoch: self.next_number(),
            },
        );
        let entry = scripts.get_mut(&name).expect("inserted above");
        if entry.spec.kind == Kind::Schedule {
            // Its first run is its first tick.
            self.data.write_record(&name, &entry.record)?;
        } else {
            self.start_run(entry, Trigger::Deploy)?;
        }
        Ok(script::status(&entry.spec, &entry.record))
    }

    /// Stops a script's runs (`stopped`); a schedule stops ticking and a
    /// pending restart is called off.
    pub fn stop(&self, name: &str) -> Result<ScriptStatus, AgentError> {
        let _operation = lock(&self.operations);
        let runs = self.with_entry(name, |entry| {
            let idle = entry.runs.is_empty();
            if idle && (entry.spec.kind == Kind::Schedule || entry.record.restart_at_ms != 0) {
                entry.record.state = State::Stopped;
                entry.record.restart_at_ms = 0;
                self.data.write_record(name, &entry.record)?;
            }
            Ok(entry.take_runs())
        })?;
        stop_all(runs, StopReason::Stopped);
        self.status(name)
    }

    /// Runs a script that is not running again, with a fresh time to live.
    pub fn start(self: &Arc<Self>, name: &str) -> Result<ScriptStatus, AgentError> {
        let _operation = lock(&self.operations);
        let now = self.now_ms();
        self.with_entry(name, |entry| {
            if !entry.runs.is_empty() {
                return Err(AgentError::State(format!(
                    "script \"{name}\" is already running; stop it first"
                )));
            }
            let ttl = Duration::from_millis(entry.spec.ttl_ms);
            entry.record.expires_at_ms = now.saturating_add(ttl.as_millis() as i64);
            entry.record.restart_at_ms = 0;
            entry.record.failures_in_a_row = 0;
            if entry.spec.kind == Kind::Schedule {
                // Ticking again from now (the ticks while stopped are not
                // missed ones).
                entry.record.state = State::Pending;
                entry.record.last_tick_ms = now;
                self.data.write_record(name, &entry.record)?;
                return Ok(script::status(&entry.spec, &entry.record));
            }
            if entry.record.run_id > 0 {
                entry.record.restarts += 1;
            }
            self.start_run(entry, Trigger::Start)?;
            Ok(script::status(&entry.spec, &entry.record))
        })
    }

    /// Gives a script `ttl` (or its kind's default) to live from now.
    pub fn renew(&self, name: &str, ttl: Option<Duration>) -> Result<ScriptStatus, AgentError> {
        let _operation = lock(&self.operations);
        self.with_entry(name, |entry| {
            let ttl = ttl.unwrap_or(Duration::from_millis(entry.spec.ttl_ms));
            entry.record.expires_at_ms = self.now_ms().saturating_add(ttl.as_millis() as i64);
            self.data.write_record(name, &entry.record)?;
            Ok(script::status(&entry.spec, &entry.record))
        })
    }

    /// Stops a script and removes it with its log (its events stay).
    pub fn delete(&self, name: &str) -> Result<(), AgentError> {
        let _operation = lock(&self.operations);
        if !self.exists(name) {
            return Err(AgentError::NotFound(name.to_string()));
        }
        // Gone from the data directory first: a crash from here on cannot
        // bring the script back.
        self.data.remove_script(name)?;
        let runs = lock(&self.scripts)
            .remove(name)
            .map(|mut entry| entry.take_runs())
            .unwrap_or_default();
        stop_all(runs, StopReason::Replaced);
        Ok(())
    }

    /// A script's status.
    pub fn status(&self, name: &str) -> Result<ScriptStatus, AgentError> {
        self.with_entry(name, |entry| Ok(script::status(&entry.spec, &entry.record)))
    }

    /// Every script's status, by name.
    pub fn list(&self) -> Vec<ScriptStatus> {
        lock(&self.scripts)
            .values()
            .map(|entry| script::status(&entry.spec, &entry.record))
            .collect()
    }

    /// A script's log.
    pub fn log(&self, name: &str) -> Result<Arc<Log>, AgentError> {
        self.with_entry(name, |entry| Ok(entry.log.clone()))
    }

    /// The agent's event table.
    pub fn events(&self) -> &Events {
        &self.events
    }

    /// Whether a script of this name exists.
    pub fn exists(&self, name: &str) -> bool {
        lock(&self.scripts).contains_key(name)
    }

    /// A script's past runs, oldest first, and its next tick.
    pub fn runs(&self, name: &str) -> Result<(Vec<RunSummary>, Option<i64>), AgentError> {
        self.with_entry(name, |entry| {
            Ok((
                entry.record.history.clone(),
                script::next_tick(&entry.spec, &entry.record),
            ))
        })
    }

    /// Starts a run at once, whatever the schedule (whose next tick does
    /// not move). A schedule's concurrency policy applies, except that a
    /// run refused by `forbid` is an error rather than a skipped tick; any
    /// other script must not be running.
    pub fn run_now(self: &Arc<Self>, name: &str) -> Result<ScriptStatus, AgentError> {
        let _operation = lock(&self.operations);
        let (busy, concurrency) = self.with_entry(name, |entry| {
            Ok((
                !entry.runs.is_empty(),
                entry.spec.schedule.as_ref().map(|s| s.concurrency),
            ))
        })?;
        if busy && matches!(concurrency, None | Some(Concurrency::Forbid)) {
            return Err(AgentError::State(format!(
                "script \"{name}\" is running; its policy forbids a second run"
            )));
        }
        self.launch(name, Trigger::RunNow, concurrency.unwrap_or_default())?;
        self.status(name)
    }

    /// What time did: runs past their time to live are stopped
    /// (`expired`), schedules whose ticks are due run (by their
    /// concurrency policy; more than [`schedule::MAX_MISSED_TICKS`] missed
    /// ticks start none), and failed daemons whose backoff is over restart.
    /// Called a few times a second by the agent's clock thread, and by
    /// tests after moving a manual clock.
    pub fn tick(self: &Arc<Self>) {
        let _operation = lock(&self.operations);
        let now = self.now_ms();
        let mut due = Vec::new();
        for (name, entry) in lock(&self.scripts).iter_mut() {
            if entry.record.expires_at_ms <= now {
                for run in &entry.runs {
                    lock(&run.reason).get_or_insert(StopReason::Expired);
                    run.stop.stop();
                }
                let waiting = entry.runs.is_empty()
                    && (entry.record.restart_at_ms != 0
                        || script::next_tick(&entry.spec, &entry.record).is_some());
                if waiting {
                    entry.record.state = State::Expired;
                    entry.record.restart_at_ms = 0;
                    entry.record.last_error = expired_message(name);
                    self.save(name, entry);
                }
                continue;
            }
            if entry.record.restart_at_ms != 0
                && entry.record.restart_at_ms <= now
                && entry.runs.is_empty()
            {
                entry.record.restart_at_ms = 0;
                entry.record.restarts += 1;
                due.push((name.clone(), Trigger::Restart, Concurrency::Forbid));
                continue;
            }
            let Some(schedule) = entry.spec.schedule.as_ref() else {
                continue;
            };
            if !script::ticking(&entry.record) {
                continue;
            }
            // Parsed once per tick (deploy refused a pattern that does not parse).
            let Ok(parsed) = schedule.parse() else {
                continue;
            };
            match parsed.due(entry.record.last_tick_ms, now) {
                Due::None => {}
                Due::TooMany { latest_ms } => {
                    entry.record.last_tick_ms = latest_ms;
                    entry.record.last_error = format!(
                        "more than {} ticks were missed (was the agent down?): none was started, as Kubernetes CronJob does",
                        schedule::MAX_MISSED_TICKS
                    );
                    entry
                        .log
                        .push(entry.record.run_id, Source::Agent, &entry.record.last_error);
                    self.save(name, entry);
                }
                Due::Run { ticks, latest_ms } => {
                    entry.record.last_tick_ms = latest_ms;
                    if ticks > 1 {
                        entry.log.push(
                            entry.record.run_id,
                            Source::Agent,
                            &format!("{ticks} ticks were due: one catch-up run"),
                        );
                    }
                    if !entry.runs.is_empty() && schedule.concurrency == Concurrency::Forbid {
                        entry.log.push(
                            entry.record.run_id,
                            Source::Agent,
                            "tick skipped: the previous run is still going (concurrency forbid)",
                        );
                        self.save(name, entry);
                        continue;
                    }
                    self.save(name, entry);
                    due.push((name.clone(), Trigger::Tick, schedule.concurrency));
                }
            }
        }
        for (name, trigger, concurrency) in due {
            if let Err(e) = self.launch(&name, trigger, concurrency) {
                let _ = self.with_entry(&name, |entry| {
                    entry
                        .log
                        .push(entry.record.run_id, Source::Agent, &e.to_string());
                    Ok(())
                });
            }
        }
    }

    /// Starts a run of `name` for `trigger`, first stopping the running
    /// ones when `concurrency` is `replace`. The caller holds
    /// `operations`.
    fn launch(
        self: &Arc<Self>,
        name: &str,
        trigger: Trigger,
        concurrency: Concurrency,
    ) -> Result<(), AgentError> {
        if concurrency == Concurrency::Replace {
            let runs = self.with_entry(name, |entry| Ok(entry.take_runs()))?;
            stop_all(runs, StopReason::Superseded);
        }
        self.with_entry(name, |entry| self.start_run(entry, trigger))
    }

    /// Writes `entry`'s record; a failure is told in its log.
    fn save(&self, name: &str, entry: &Entry) {
        if let Err(e) = self.data.write_record(name, &entry.record) {
            entry.log.push(
                entry.record.run_id,
                Source::Agent,
                &format!("its record could not be saved: {e}"),
            );
        }
    }

    /// Stops every run, leaving each record as it is (`running` daemons
    /// resume at the next start).
    pub fn shutdown(&self) {
        let _operation = lock(&self.operations);
        let runs: Vec<ActiveRun> = lock(&self.scripts)
            .values_mut()
            .flat_map(Entry::take_runs)
            .collect();
        stop_all(runs, StopReason::Shutdown);
    }

    fn with_entry<T>(
        &self,
        name: &str,
        f: impl FnOnce(&mut Entry) -> Result<T, AgentError>,
    ) -> Result<T, AgentError> {
        let mut scripts = lock(&self.scripts);
        let entry = scripts
            .get_mut(name)
            .ok_or_else(|| AgentError::NotFound(name.to_string()))?;
        f(entry)
    }

    /// Refuses a program the engine cannot run, with the engine's reason.
    fn check_program(&self, program: &Program, memory_bytes: u64) -> Result<(), AgentError> {
        match program {
            Program::Script { js, .. } => {
                if js.is_empty() {
                    return Err(AgentError::Invalid("the deploy carries no program".into()));
                }
                self.bytecode(js, memory_bytes).map(drop)
            }
            Program::Bundle(wasm) => self
                .runner
                .load_bundle(wasm)
                .map(drop)
                .map_err(AgentError::Program),
        }
    }

    /// QuickJS bytecode for `js` (cached on disk by the runner).
    fn bytecode(&self, js: &str, memory_bytes: u64) -> Result<Vec<u8>, AgentError> {
        let options = RunOptions {
            limits: Limits {
                memory_bytes: memory_bytes as usize,
                ..Limits::default()
            },
            ..RunOptions::default()
        };
        self.runner
            .compile_bytecode(&self.plugin, js, &options)
            .map_err(AgentError::Program)
    }

    /// Starts a new run of `entry` (the caller holds the lock and has set
    /// its time to live) once its record says so on disk.
    fn start_run(self: &Arc<Self>, entry: &mut Entry, trigger: Trigger) -> Result<(), AgentError> {
        let mut record = entry.record.clone();
        record.run_id += 1;
        record.state = State::Running;
        record.last_error.clear();
        record.started_at_ms = self.now_ms();
        self.data.write_record(&entry.spec.name, &record)?;
        entry.record = record;
        let run_id = entry.record.run_id;
        let started_at_ms = entry.record.started_at_ms;
        let generation = self.next_number();
        let epoch = entry.epoch;
        let stop = StopSignal::new();
        let reason = Arc::new(Mutex::new(None));
        let options = RunOptions {
            limits: Limits {
                timeout: RUN_DEADLINE,
                memory_bytes: entry.spec.memory_bytes as usize,
                fuel: None,
                max_output_bytes: u64::MAX,
            },
            deterministic: false,
            params: entry.spec.params.clone(),
            colony: ColonyOptions {
                source: ColonySource::Remote {
                    address: self.config.colony_address.clone(),
                },
                call_timeout: self.config.colony_call_timeout,
            },
            stop: stop.clone(),
        };
        let agent = self.clone();
        let name = entry.spec.name.clone();
        let program = entry.program.clone();
        let log = entry.log.clone();
        let run_reason = reason.clone();
        let word = serde_json::to_value(trigger)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        log.push(
            run_id,
            Source::Agent,
            &format!("run {run_id} started ({word})"),
        );
        let thread = std::thread::Builder::new()
            .name(format!("coral-script-{name}"))
            .spawn(move || {
                let sink = AgentSink::new(&agent, &name, run_id, log);
                // A panic in the host (a thread that cannot be had) fails the
                // run; it must not leave it `running` for ever.
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    agent.run_program(&program, &options, Box::new(sink))
                }))
                .unwrap_or_else(|_| {
                    Err(AgentError::State(
                        "the run stopped on an internal error of the agent".into(),
                    ))
                });
                let run = FinishedRun {
                    epoch,
                    generation,
                    run_id,
                    trigger,
                    started_at_ms,
                };
                agent.finish(&name, run, result, &run_reason);
            });
        match thread {
            Ok(thread) => {
                entry.runs.push(ActiveRun {
                    generation,
                    stop,
                    reason,
                    thread,
                });
                Ok(())
            }
            Err(e) => {
                entry.record.state = State::Failed;
                entry.record.last_error = format!("cannot start a thread for the run: {e}");
                self.data.write_record(&entry.spec.name, &entry.record)?;
                Ok(())
            }
        }
    }

    fn run_program(
        &self,
        program: &Program,
        options: &RunOptions,
        sink: Box<dyn OutputSink>,
    ) -> Result<RunReport, AgentError> {
        match program {
            Program::Script { js, source_map, .. } => {
                let bytecode = self.bytecode(js, options.limits.memory_bytes as u64)?;
                let script = WasmScript {
                    program: RunProgram::Bytecode {
                        plugin: &self.plugin,
                        bytecode: &bytecode,
                    },
                    source_map: Some(source_map),
                };
                self.runner
                    .run(script, options, sink)
                    .map_err(AgentError::Program)
            }
            Program::Bundle(wasm) => {
                let (bundle, _) = self.runner.load_bundle(wasm).map_err(AgentError::Program)?;
                self.runner
                    .run(RunProgram::Bundle(&bundle).into(), options, sink)
                    .map_err(AgentError::Program)
            }
        }
    }

    /// Records how a run of `name` ended (in its history, and as the
    /// script's state when it was the last run going), unless the script
    /// was deleted or redeployed meanwhile; a failed daemon with a restart
    /// policy is given its restart time.
    fn finish(
        &self,
        name: &str,
        run: FinishedRun,
        result: Result<RunReport, AgentError>,
        reason: &Mutex<Option<StopReason>>,
    ) {
        let mut scripts = lock(&self.scripts);
        // After `scripts`, as `tick` takes them: one order, no deadlock.
        let reason = *lock(reason);
        let Some(entry) = scripts.get_mut(name) else {
            return;
        };
        if entry.epoch != run.epoch
            || matches!(reason, Some(StopReason::Replaced | StopReason::Shutdown))
        {
            return;
        }
        // Ended by itself, nobody will join this thread; stopped, its
        // stopper took the handle already.
        entry
            .runs
            .retain(|active| active.generation != run.generation);
        let run_id = run.run_id;
        let (state, error) = match (&result, reason) {
            (_, Some(StopReason::Stopped)) => (State::Stopped, String::new()),
            (_, Some(StopReason::Superseded)) => (
                State::Stopped,
                "replaced by the next tick (concurrency replace)".into(),
            ),
            (_, Some(StopReason::Expired)) => (State::Expired, expired_message(name)),
            (Ok(report), _) => ended(&report.outcome, &entry.spec),
            (Err(e), _) => (State::Failed, e.to_string()),
        };
        let (fuel, memory, events) = match &result {
            Ok(report) => (
                report.stats.fuel_used,
                report.stats.peak_memory_bytes as u64,
                report.events.len() as u64,
            ),
            Err(_) => (0, 0, 0),
        };
        entry.record.history.push(RunSummary {
            run_id,
            trigger: run.trigger,
            started_at_ms: run.started_at_ms,
            ended_at_ms: self.now_ms(),
            state,
            error: error.clone(),
            fuel_used: fuel,
            memory_bytes: memory,
            events,
        });
        let keep = entry.spec.keep_runs.max(1);
        let extra = entry.record.history.len().saturating_sub(keep);
        entry.record.history.drain(..extra);
        entry.record.memory_bytes = memory;
        entry.record.fuel_used = fuel;
        let line = match state {
            State::Succeeded => format!("run {run_id} succeeded"),
            State::Stopped if error.is_empty() => format!("run {run_id} stopped"),
            _ => format!("run {run_id} {}: {error}", state_word(state)),
        };
        entry.log.push(run_id, Source::Agent, &line);
        if !entry.runs.is_empty() {
            // Others of its runs go on: the script is still running.
            self.save(name, entry);
            return;
        }
        let (state, error) = self.after_failure(entry, state, error, reason.is_none());
        entry.record.state = state;
        entry.record.last_error = error;
        self.save(name, entry);
    }

    /// A daemon's restart policy: a run that failed by itself is run again
    /// after the backoff (`pending`, `restart_at`), unless it failed too
    /// often in a row.
    fn after_failure(
        &self,
        entry: &mut Entry,
        state: State,
        error: String,
        by_itself: bool,
    ) -> (State, String) {
        if state != State::Failed || !by_itself {
            if state == State::Succeeded {
                entry.record.failures_in_a_row = 0;
            }
            return (state, error);
        }
        let Restart::OnFailure { max_restarts } = entry.spec.restart else {
            return (state, error);
        };
        entry.record.failures_in_a_row += 1;
        let failures = entry.record.failures_in_a_row;
        if max_restarts.is_some_and(|max| failures > max) {
            return (
                State::Failed,
                format!("{error} (gave up after {} restarts in a row)", failures - 1),
            );
        }
        let delay = schedule::backoff(failures);
        entry.record.restart_at_ms = self.now_ms().saturating_add(delay.as_millis() as i64);
        let line = format!(
            "restarting in {} (restart policy on-failure)",
            humantime::format_duration(delay)
        );
        entry.log.push(entry.record.run_id, Source::Agent, &line);
        (State::Pending, format!("{error}; {line}"))
    }
}

/// A run as its thread reports it.
#[derive(Debug, Clone, Copy)]
struct FinishedRun {
    epoch: u64,
    generation: u64,
    run_id: u64,
    trigger: Trigger,
    started_at_ms: i64,
}

fn expired_message(name: &str) -> String {
    format!("its time to live ran out (renew it with `coral script renew {name} --ttl DURATION`)")
}

fn state_word(state: State) -> &'static str {
    match state {
        State::Failed => "failed",
        State::Expired => "expired",
        _ => "ended",
    }
}

/// The state a run's outcome leaves a script in, and why it failed.
fn ended(outcome: &Outcome, spec: &Spec) -> (State, String) {
    let mb = spec.memory_bytes / (1024 * 1024);
    match outcome {
        Outcome::Success => (State::Succeeded, String::new()),
        Outcome::ScriptError(error) => (State::Failed, format!("Uncaught {error}")),
        Outcome::Timeout => (State::Expired, "its time to live ran out".into()),
        Outcome::FuelExhausted => (State::Failed, "it ran out of fuel".into()),
        Outcome::MemoryLimit => (
            State::Failed,
            format!("it exceeded its memory limit of {mb} MB (deploy with --memory MB)"),
        ),
        Outcome::OutputLimit => (
            State::Failed,
            "it printed more than its output limit".into(),
        ),
        Outcome::OutputClosed => (State::Failed, "its log could not be written".into()),
        Outcome::OutputFailed(message) => (State::Failed, message.clone()),
        Outcome::Stopped => (State::Stopped, String::new()),
    }
}

/// Where a run's output and events go: the script's log and the agent's
/// event table.
struct AgentSink {
    agent: Arc<Agent>,
    name: String,
    run_id: u64,
    log: Arc<Log>,
    stdout: LineSplitter,
    stderr: LineSplitter,
}

impl AgentSink {
    fn new(agent: &Arc<Agent>, name: &str, run_id: u64, log: Arc<Log>) -> Self {
        Self {
            agent: agent.clone(),
            name: name.to_string(),
            run_id,
            log,
            stdout: LineSplitter::default(),
            stderr: LineSplitter::default(),
        }
    }
}

impl OutputSink for AgentSink {
    fn write(&mut self, stream: Stream, bytes: &[u8]) -> Result<(), OutputError> {
        let (splitter, source) = match stream {
            Stream::Stdout => (&mut self.stdout, Source::Stdout),
            Stream::Stderr => (&mut self.stderr, Source::Stderr),
        };
        for line in splitter.feed(bytes) {
            self.log.push(self.run_id, source, &line);
        }
        Ok(())
    }

    fn event(&mut self, event: &Event) -> Result<(), OutputError> {
        self.agent
            .events
            .record(Emitted {
                script: self.name.clone(),
                run_id: self.run_id,
                time_ms: script::now_ms(),
                name: event.name.clone(),
                severity: event.severity.clone(),
                data: event.data.get().to_string(),
            })
            .map_err(|e| OutputError::Failed {
                stream: Stream::Stderr,
                message: format!("the event could not be stored: {e}"),
            })
    }
}

impl Drop for AgentSink {
    fn drop(&mut self) {
        if let Some(line) = self.stdout.finish() {
            self.log.push(self.run_id, Source::Stdout, &line);
        }
        if let Some(line) = self.stderr.finish() {
            self.log.push(self.run_id, Source::Stderr, &line);
        }
    }
}
