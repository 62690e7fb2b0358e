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
use crate::script::{self, Kind, Program, Record, Spec, State};

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
}

/// A run under way.
#[derive(Debug)]
struct ActiveRun {
    stop: StopSignal,
    reason: Arc<Mutex<Option<StopReason>>>,
    thread: JoinHandle<()>,
}

impl ActiveRun {
    /// Stops the run for `reason` and waits for its thread to record how
    /// it ended.
    fn stop_and_wait(self, reason: StopReason) {
        lock(&self.reason).get_or_insert(reason);
        self.stop.stop();
        let _ = self.thread.join();
    }
}

/// A deployed script.
#[derive(Debug)]
struct Entry {
    spec: Spec,
    program: Arc<Program>,
    record: Record,
    log: Arc<Log>,
    run: Option<ActiveRun>,
    /// The agent-wide number of the latest run started for this entry
    /// (0: none): a finishing run records its end only if it is still the
    /// latest, so a run stopped for a redeploy cannot touch its successor.
    generation: u64,
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
    /// The last run generation handed out.
    generations: std::sync::atomic::AtomicU64,
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
                    run: None,
                    generation: 0,
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
            generations: std::sync::atomic::AtomicU64::new(0),
        });
        Ok((agent, skipped))
    }

    /// After a restart (graceful or `kill -9`): daemons that were running
    /// run again (one more restart each) unless their time ran out; an
    /// ad-hoc script interrupted mid-run failed.
    pub fn resume(self: &Arc<Self>) {
        let now = script::now_ms();
        let mut scripts = lock(&self.scripts);
        let names: Vec<String> = scripts.keys().cloned().collect();
        for name in names {
            let Some(entry) = scripts.get_mut(&name) else {
                continue;
            };
            if !entry.record.state.is_active() {
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
                if let Err(e) = self.start_run(entry) {
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
        let _operation = lock(&self.operations);
        self.check_program(&program, spec.memory_bytes)?;
        let ttl = Duration::from_millis(spec.ttl_ms);
        let mut record = Record::new(script::now_ms(), ttl);
        // Run numbers go on across redeploys, so a name's events never
        // share one.
        record.run_id = self
            .with_entry(&spec.name, |e| Ok(e.record.run_id))
            .unwrap_or(0);
        // Written aside first: if that fails, the old script runs on.
        self.data.stage_script(&spec, &program, &record)?;
        let previous = lock(&self.scripts)
            .get_mut(&spec.name)
            .and_then(|entry| entry.run.take());
        if let Some(run) = previous {
            run.stop_and_wait(StopReason::Replaced);
        }
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
                run: None,
                generation: 0,
            },
        );
        let entry = scripts.get_mut(&name).expect("inserted above");
        self.start_run(entry)?;
        Ok(script::status(&entry.spec, &entry.record))
    }

    /// Stops a running script (`stopped`); a script not running is left as
    /// it is.
    pub fn stop(&self, name: &str) -> Result<ScriptStatus, AgentError> {
        let _operation = lock(&self.operations);
        let run = self.with_entry(name, |entry| Ok(entry.run.take()))?;
        if let Some(run) = run {
            run.stop_and_wait(StopReason::Stopped);
        }
        self.status(name)
    }

    /// Runs a script that is not running again, with a fresh time to live.
    pub fn start(self: &Arc<Self>, name: &str) -> Result<ScriptStatus, AgentError> {
        let _operation = lock(&self.operations);
        self.with_entry(name, |entry| {
            if entry.run.is_some() {
                return Err(AgentError::State(format!(
                    "script \"{name}\" is already running; stop it first"
                )));
            }
            let ttl = Duration::from_millis(entry.spec.ttl_ms);
            entry.record.expires_at_ms = script::now_ms().saturating_add(ttl.as_millis() as i64);
            if entry.record.run_id > 0 {
                entry.record.restarts += 1;
            }
            self.start_run(entry)?;
            Ok(script::status(&entry.spec, &entry.record))
        })
    }

    /// Gives a script `ttl` (or its kind's default) to live from now.
    pub fn renew(&self, name: &str, ttl: Option<Duration>) -> Result<ScriptStatus, AgentError> {
        let _operation = lock(&self.operations);
        self.with_entry(name, |entry| {
            let ttl = ttl.unwrap_or(Duration::from_millis(entry.spec.ttl_ms));
            entry.record.expires_at_ms = script::now_ms().saturating_add(ttl.as_millis() as i64);
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
        let run = lock(&self.scripts).remove(name).and_then(|entry| entry.run);
        if let Some(run) = run {
            run.stop_and_wait(StopReason::Replaced);
        }
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

    /// Stops every run whose time to live ran out (`expired`). Called by
    /// the expiry thread a few times a second.
    pub fn expire(&self) {
        let now = script::now_ms();
        for entry in lock(&self.scripts).values() {
            if let Some(run) = &entry.run
                && entry.record.expires_at_ms <= now
            {
                lock(&run.reason).get_or_insert(StopReason::Expired);
                run.stop.stop();
            }
        }
    }

    /// Stops every run, leaving each record as it is (`running` daemons
    /// resume at the next start).
    pub fn shutdown(&self) {
        let _operation = lock(&self.operations);
        let runs: Vec<ActiveRun> = lock(&self.scripts)
            .values_mut()
            .filter_map(|entry| entry.run.take())
            .collect();
        for run in &runs {
            lock(&run.reason).get_or_insert(StopReason::Shutdown);
            run.stop.stop();
        }
        for run in runs {
            let _ = run.thread.join();
        }
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
    fn start_run(self: &Arc<Self>, entry: &mut Entry) -> Result<(), AgentError> {
        let mut record = entry.record.clone();
        record.run_id += 1;
        record.state = State::Running;
        record.last_error.clear();
        record.started_at_ms = script::now_ms();
        self.data.write_record(&entry.spec.name, &record)?;
        entry.record = record;
        let run_id = entry.record.run_id;
        let generation = 1 + self
            .generations
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        entry.generation = generation;
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
        log.push(run_id, Source::Agent, &format!("run {run_id} started"));
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
                agent.finish(&name, generation, run_id, result, &run_reason);
            });
        match thread {
            Ok(thread) => {
                entry.run = Some(ActiveRun {
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

    /// Records how run `run_id` (of `generation`) of `name` ended, unless
    /// the script was deleted, redeployed or started again meanwhile.
    fn finish(
        &self,
        name: &str,
        generation: u64,
        run_id: u64,
        result: Result<RunReport, AgentError>,
        reason: &Mutex<Option<StopReason>>,
    ) {
        let mut scripts = lock(&self.scripts);
        // After `scripts`, as `expire` takes them: one order, no deadlock.
        let reason = *lock(reason);
        let Some(entry) = scripts.get_mut(name) else {
            return;
        };
        if entry.generation != generation || reason == Some(StopReason::Replaced) {
            return;
        }
        // Ended by itself, nobody will join this thread; stopped, its
        // stopper took the handle already.
        entry.run = None;
        let (state, error) = match (&result, reason) {
            (_, Some(StopReason::Shutdown)) => return,
            (_, Some(StopReason::Stopped)) => (State::Stopped, String::new()),
            (_, Some(StopReason::Expired)) => (
                State::Expired,
                format!(
                    "its time to live ran out (renew it with `coral script renew {name} --ttl DURATION`)"
                ),
            ),
            (Ok(report), _) => ended(&report.outcome, &entry.spec),
            (Err(e), _) => (State::Failed, e.to_string()),
        };
        if let Ok(report) = &result {
            entry.record.memory_bytes = report.stats.peak_memory_bytes as u64;
            entry.record.fuel_used = report.stats.fuel_used;
        }
        let line = match state {
            State::Succeeded => format!("run {run_id} succeeded"),
            State::Stopped => format!("run {run_id} stopped"),
            _ => format!("run {run_id} {}: {error}", state_word(state)),
        };
        entry.log.push(run_id, Source::Agent, &line);
        entry.record.state = state;
        entry.record.last_error = error;
        if let Err(e) = self.data.write_record(name, &entry.record) {
            entry.log.push(
                run_id,
                Source::Agent,
                &format!("its record could not be saved: {e}"),
            );
        }
    }
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
