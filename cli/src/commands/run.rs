//! `coral run`: compile (or load) a script and run it in the sandbox.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use clap::{Args, ValueEnum};
use coral_proto::embed;
// The trait's `run`; `Engine` here is the `--engine` value below.
use coral_runtime::Engine as _;
use coral_runtime::{
    ColonyOptions, ColonySource, DenoEngine, DenoScript, DenoSdk, Limits, Outcome, RunOptions,
    RunReport, StdioSink, WasmScript,
};

use crate::pipeline::{Failure, Session};
use crate::stdio::errln;
use crate::{exit, installed};

/// Which engine runs the script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    /// QuickJS in wasmtime: fuel, memory and time limits, no OS access at all.
    Wasm,
    /// A real `deno` with the RFD's permissions, for parity with Coral's
    /// original runtime (`docs/cli.md` lists the differences).
    Deno,
}

/// Raw flags, as typed. [`RunCommand::resolve`] turns them into [`RunOptions`].
#[derive(Debug, Args)]
pub struct RunCommand {
    /// The script (.ts, .mts, .js, .mjs) or bundle (.wasm) to run.
    pub script: PathBuf,

    /// The engine: wasm (default) or deno.
    #[arg(long, value_enum, env = "CORAL_ENGINE", default_value = "wasm")]
    pub engine: Engine,

    /// The deno binary for --engine deno (default: `deno` on PATH).
    #[arg(long, value_name = "PATH", env = "CORAL_DENO")]
    pub deno: Option<PathBuf>,

    /// A parameter for the script, read with `params` from @coral/sdk. Repeatable.
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,

    /// Wall-clock limit in seconds (fractions allowed).
    #[arg(
        long,
        value_name = "SECS",
        env = "CORAL_SCRIPT_TIMEOUT",
        default_value = "60"
    )]
    pub timeout: f64,

    /// Memory limit in MB (the script's linear memory).
    #[arg(
        long,
        value_name = "MB",
        env = "CORAL_SCRIPT_MEMORY",
        default_value = "512"
    )]
    pub memory: u64,

    /// Instruction budget (wasmtime fuel); unlimited when not given.
    #[arg(long, value_name = "N")]
    pub fuel: Option<u64>,

    /// Most bytes the script may print (stdout and stderr together).
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024)]
    pub max_output: u64,

    /// Fix the clock (2026-01-01T00:00:00Z, advancing only on sleeps) and the
    /// random seed: the same script prints the same bytes and uses the same fuel.
    #[arg(long)]
    pub deterministic: bool,

    /// Print fuel used, peak memory and wall time on stderr.
    #[arg(long)]
    pub stats: bool,

    /// Re-run whenever the script or one of its local imports changes.
    #[arg(long)]
    pub watch: bool,

    /// The colony to query (host:port or URL, gRPC). Default: the embedded
    /// colony (see --db).
    #[arg(long, value_name = "ADDR", env = "CORAL_COLONY_ADDR")]
    pub colony: Option<String>,

    /// Query this colony database file in-process (takes precedence over
    /// --colony). Default, with no --colony either: a fresh demo dataset.
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,

    /// Longest one colony query may take, in seconds.
    #[arg(long, value_name = "SECS", default_value = "30")]
    pub colony_timeout: f64,

    /// Cache directory for compiled modules (default: $CORAL_CACHE_DIR, else
    /// $XDG_CACHE_HOME/coral, else ~/.cache/coral).
    #[arg(long, value_name = "DIR", env = "CORAL_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
}

impl RunCommand {
    /// Resolves the raw flags into run options.
    pub fn resolve(&self) -> Result<RunOptions, String> {
        if !(self.timeout.is_finite() && self.timeout > 0.0 && self.timeout <= 7.0 * 24.0 * 3600.0)
        {
            return Err(format!(
                "--timeout must be between 0 and 604800 seconds, got {}",
                self.timeout
            ));
        }
        if self.memory == 0 || self.memory > 4096 {
            return Err(format!(
                "--memory must be between 1 and 4096 MB, got {}",
                self.memory
            ));
        }
        if self.engine == Engine::Deno && self.fuel.is_some() {
            return Err("--fuel counts wasm instructions and has no meaning with --engine deno; bound the run with --timeout instead".into());
        }
        if self.fuel == Some(0) {
            return Err("--fuel must be at least 1".into());
        }
        if !(self.colony_timeout.is_finite()
            && self.colony_timeout > 0.0
            && self.colony_timeout <= 3600.0)
        {
            return Err(format!(
                "--colony-timeout must be between 0 and 3600 seconds, got {}",
                self.colony_timeout
            ));
        }
        let mut params = BTreeMap::new();
        for raw in &self.params {
            let (key, value) = raw
                .split_once('=')
                .ok_or_else(|| format!("--param expects KEY=VALUE, got \"{raw}\""))?;
            if key.is_empty() {
                return Err(format!("--param has an empty key: \"{raw}\""));
            }
            params.insert(key.to_string(), value.to_string());
        }
        Ok(RunOptions {
            limits: Limits {
                timeout: Duration::from_secs_f64(self.timeout),
                memory_bytes: (self.memory * 1024 * 1024) as usize,
                fuel: self.fuel,
                max_output_bytes: self.max_output,
            },
            deterministic: self.deterministic,
            params,
            colony: ColonyOptions {
                source: self.colony_source(),
                call_timeout: Duration::from_secs_f64(self.colony_timeout),
            },
            stop: Default::default(),
        })
    }

    fn colony_source(&self) -> ColonySource {
        match (&self.db, &self.colony) {
            (None, Some(address)) => ColonySource::Remote {
                address: address.clone(),
            },
            (db, _) => embedded_colony(db.clone()),
        }
    }

    /// Runs the command; returns the exit code.
    pub fn execute(self) -> u8 {
        let options = match self.resolve() {
            Ok(options) => options,
            Err(message) => {
                errln!("error: {message}");
                return exit::USAGE;
            }
        };
        let session = match Session::new(self.cache_dir.clone()) {
            Ok(session) => session,
            Err(failure) => return failure.report(),
        };
        if !self.watch {
            return self.run_once(&session, &options).0;
        }
        self.watch(&session, &options)
    }

    /// One run; also returns the files to watch.
    fn run_once(&self, session: &Session, options: &RunOptions) -> (u8, Vec<PathBuf>) {
        if self.engine == Engine::Deno {
            return self.run_on_deno(session, options);
        }
        let loaded = match session.load(&self.script, options) {
            Ok(loaded) => loaded,
            Err(failure) if failure.is_memory_limit() || failure.is_timeout() => {
                let report = RunReport {
                    outcome: if failure.is_timeout() {
                        Outcome::Timeout
                    } else {
                        Outcome::MemoryLimit
                    },
                    stats: Default::default(),
                    events: Vec::new(),
                };
                return (self.report(&report, options), vec![self.script.clone()]);
            }
            Err(failure) => return (failure.report(), vec![self.script.clone()]),
        };
        let files = loaded.watched_files();
        let script = WasmScript {
            program: loaded.program(),
            source_map: Some(loaded.source_map()),
        };
        let report = session.runner().run(script, options, Box::new(StdioSink));
        let code = match report {
            Ok(report) => self.report(&report, options),
            Err(e) => Failure::from(e).report(),
        };
        (code, files)
    }

    /// One run on Deno: the compiler checks the script and its imports
    /// exactly as for the wasm engine (same refusals, exit 2), then `deno`
    /// runs the original sources.
    fn run_on_deno(&self, session: &Session, options: &RunOptions) -> (u8, Vec<PathBuf>) {
        let unchanged = vec![self.script.clone()];
        if self.script.extension().is_some_and(|e| e == "wasm") {
            errln!(
                "error: {} is a compiled bundle, which only the wasm engine runs; give --engine deno the .ts script",
                self.script.display()
            );
            return (exit::USAGE, unchanged);
        }
        let compiled = match session.compile(&self.script) {
            Ok(compiled) => compiled,
            Err(failure) => return (failure.report(), unchanged),
        };
        let engine = match DenoEngine::locate(self.deno.as_deref(), session.cache_dir()) {
            Ok(engine) => engine,
            Err(e) => return (Failure::from(e).report(), compiled.files),
        };
        let specifiers = coral_compiler::sdk::specifiers();
        let sdk = DenoSdk {
            files: coral_compiler::sdk::files(),
            specifiers: &specifiers,
        };
        let config = compiled.compiler_options.deno_config();
        let script = DenoScript {
            path: &self.script,
            config: &config,
            sdk,
        };
        let code = match engine.run(script, options, Box::new(StdioSink)) {
            Ok(report) => self.report(&report, options),
            Err(e) => Failure::from(e).report(),
        };
        (code, compiled.files)
    }

    fn report(&self, report: &RunReport, options: &RunOptions) -> u8 {
        let limits = &options.limits;
        match &report.outcome {
            Outcome::Success => {}
            Outcome::ScriptError(error) => errln!("error: Uncaught {error}"),
            Outcome::Timeout => errln!(
                "error: script timed out: the {}s limit (--timeout) was reached; raise it with --timeout SECS or CORAL_SCRIPT_TIMEOUT",
                limits.timeout.as_secs_f64()
            ),
            Outcome::FuelExhausted => errln!(
                "error: script ran out of fuel: the budget of {} instructions (--fuel) was used up; raise it with --fuel N",
                limits.fuel.unwrap_or(u64::MAX)
            ),
            Outcome::MemoryLimit => errln!(
                "error: script exceeded the memory limit of {} MB (--memory); raise it with --memory MB or CORAL_SCRIPT_MEMORY",
                limits.memory_bytes / (1024 * 1024)
            ),
            Outcome::OutputLimit => errln!(
                "error: script output exceeded {} bytes (--max-output); raise it with --max-output BYTES",
                limits.max_output_bytes
            ),
            // The reader went away: nobody is left to tell.
            Outcome::OutputClosed => return exit::OUTPUT_CLOSED,
            Outcome::OutputFailed(message) => errln!("error: {message}"),
            Outcome::Stopped => errln!("error: the run was stopped"),
        }
        if self.stats {
            let s = &report.stats;
            if self.engine == Engine::Deno {
                errln!(
                    "stats: engine=deno peak_rss={}B ({:.1} MiB) coral_peak_rss={}B ({:.1} MiB) wall={:.2}ms",
                    s.peak_memory_bytes,
                    mib(s.peak_memory_bytes as u64),
                    s.host_peak_rss_bytes,
                    mib(s.host_peak_rss_bytes),
                    s.wall_time.as_secs_f64() * 1000.0
                );
            } else {
                errln!(
                    "stats: fuel={} peak_memory={}B ({:.1} MiB) coral_peak_rss={}B ({:.1} MiB) wall={:.2}ms",
                    s.fuel_used,
                    s.peak_memory_bytes,
                    mib(s.peak_memory_bytes as u64),
                    s.host_peak_rss_bytes,
                    mib(s.host_peak_rss_bytes),
                    s.wall_time.as_secs_f64() * 1000.0
                );
            }
            if s.colony_calls > 0 {
                errln!(
                    "stats: colony_calls={} colony_time={:.2}ms ({:.1}us per call)",
                    s.colony_calls,
                    s.colony_time.as_secs_f64() * 1000.0,
                    s.colony_time.as_secs_f64() * 1e6 / s.colony_calls as f64
                );
            }
        }
        exit::for_outcome(&report.outcome)
    }

    fn watch(&self, session: &Session, options: &RunOptions) -> u8 {
        // Files from the last successful compile stay watched when a later
        // compile fails, so fixing an imported file triggers the next run.
        let entry = self
            .script
            .canonicalize()
            .unwrap_or_else(|_| self.script.clone());
        let mut watched: Vec<PathBuf> = vec![entry];
        loop {
            let started = SystemTime::now();
            let (code, files) = self.run_once(session, options);
            if code == exit::OUTPUT_CLOSED {
                return code;
            }
            for file in files {
                if !watched.contains(&file) {
                    watched.push(file);
                }
            }
            errln!(
                "watching {} file{} for changes (Ctrl-C to stop)",
                watched.len(),
                if watched.len() == 1 { "" } else { "s" }
            );
            let before = mtimes(&watched);
            // An edit made while the script compiled or ran counts too.
            let edited_during_run = before.iter().flatten().any(|t| *t > started);
            while !edited_during_run && mtimes(&watched) == before {
                std::thread::sleep(Duration::from_millis(200));
            }
            errln!("change detected; re-running {}", self.script.display());
        }
    }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn mtimes(files: &[PathBuf]) -> Vec<Option<SystemTime>> {
    files
        .iter()
        .map(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok())
        .collect()
}

/// The embedded colony on `db`, or on a fresh demo dataset.
pub fn embedded_colony(db: Option<PathBuf>) -> ColonySource {
    ColonySource::Embedded {
        // Installed next to `coral`; loaded only if the script queries.
        // Without a path to our own binary, loading fails on first use
        // with a message naming this file.
        library: installed::beside_coral(embed::LIBRARY_FILE)
            .unwrap_or_else(|_| embed::LIBRARY_FILE.into()),
        db,
        demo_spans: embed::DEFAULT_DEMO_SPANS,
    }
}
