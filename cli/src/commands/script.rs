//! `coral script …`: deploy scripts to an agent and look after them
//! (ScriptService, `docs/agent.md`). Scripts are compiled here, so policy
//! and syntax errors appear at the deployer's terminal with
//! `file:line:col` and nothing is deployed. Exit codes as `coral query`:
//! 0 ok, 1 refused or failed, 2 usage or compile error, 3 agent
//! unreachable.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Subcommand};
use coral_proto::agent::v1 as pb;
use coral_proto::agent::v1::script_service_client::ScriptServiceClient;
use coral_runtime::RunOptions;
use serde::Serialize;
use tokio_stream::StreamExt;
use tonic::transport::{Channel, Endpoint};

use crate::exit;
use crate::pipeline::Session;
use crate::stdio::{errln, outln};
use crate::table::{Cell, Column, Output, Table, rfc3339};

/// `coral script …`.
#[derive(Debug, Args)]
pub struct ScriptCommand {
    /// The agent: its socket (a path, or unix:PATH) or HOST:PORT (which
    /// needs the agent's token).
    #[arg(
        long,
        global = true,
        env = "CORAL_AGENT_ADDR",
        value_name = "PATH|HOST:PORT"
    )]
    agent: Option<String>,
    /// The agent's token for TCP (its first line); else CORAL_TOKEN.
    #[arg(long, global = true, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// Output format.
    #[arg(long, short, global = true, value_enum, default_value_t = Output::Table)]
    output: Output,
    #[command(subcommand)]
    command: ScriptSubcommand,
}

#[derive(Debug, Subcommand)]
enum ScriptSubcommand {
    /// Compile a script (or take a .wasm bundle) and run it on the agent.
    Deploy {
        /// The script (.ts, .js) or bundle (.wasm).
        file: PathBuf,
        /// The script's name on the agent (default: the file's stem); a
        /// script of that name is replaced.
        #[arg(long)]
        name: Option<String>,
        /// Run until stopped (24h to live unless --ttl; renewable) instead
        /// of once (60s to live unless --ttl).
        #[arg(long)]
        daemon: bool,
        /// Time to live (30s, 24h, 7d; a unit is required).
        #[arg(long, value_name = "DURATION", value_parser = duration)]
        ttl: Option<Duration>,
        /// A parameter for the script (KEY=VALUE, repeatable).
        #[arg(long = "param", value_name = "KEY=VALUE")]
        params: Vec<String>,
        /// Memory limit in MB (default: the agent's --script-memory).
        #[arg(long, value_name = "MB")]
        memory: Option<u64>,
        /// Run at each tick of this cron pattern (five fields, or six with
        /// seconds first) instead of once.
        #[arg(long, value_name = "CRON", conflicts_with = "daemon")]
        schedule: Option<String>,
        /// The schedule's time zone (an IANA name; default UTC).
        #[arg(long, value_name = "ZONE", requires = "schedule")]
        timezone: Option<String>,
        /// A tick while a run is still going: skip it (forbid), run
        /// alongside (allow) or stop the running one (replace).
        #[arg(long, value_enum, requires = "schedule", default_value_t = ConcurrencyFlag::Forbid)]
        concurrency: ConcurrencyFlag,
        /// A daemon's failed run: stay failed (never) or run again after
        /// an exponential backoff (on-failure).
        #[arg(long, value_enum, requires = "daemon", default_value_t = RestartFlag::Never)]
        restart: RestartFlag,
        /// With --restart on-failure: most restarts in a row (default: no
        /// limit).
        #[arg(long, value_name = "N", requires = "restart")]
        max_restarts: Option<u32>,
        /// Past runs to keep (default 20).
        #[arg(long, value_name = "N")]
        keep_runs: Option<u32>,
    },
    /// Start a run now (a schedule's next tick does not move).
    RunNow { name: String },
    /// A script's past runs and its next tick.
    Runs { name: String },
    /// The agent's scripts.
    List,
    /// One script's state.
    Status { name: String },
    /// A script's retained log: its own lines, verbatim.
    Logs {
        name: String,
        /// Keep printing new lines.
        #[arg(long, short)]
        follow: bool,
        /// Start each line with its time (RFC 3339).
        #[arg(long)]
        timestamps: bool,
    },
    /// The events a script emitted.
    Events {
        name: String,
        /// Keep printing new events.
        #[arg(long, short)]
        follow: bool,
    },
    /// Stop a running script.
    Stop { name: String },
    /// Run a stopped or finished script again.
    Start { name: String },
    /// Extend a script's time to live from now.
    Renew {
        name: String,
        /// The new time to live (default: the script's own).
        #[arg(long, value_name = "DURATION", value_parser = duration)]
        ttl: Option<Duration>,
    },
    /// Stop a script and remove it with its log.
    Delete { name: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ConcurrencyFlag {
    Forbid,
    Allow,
    Replace,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum RestartFlag {
    Never,
    OnFailure,
}

/// What `deploy` runs and when.
#[derive(Debug)]
struct Timing {
    daemon: bool,
    ttl: Option<Duration>,
    schedule: Option<String>,
    timezone: Option<String>,
    concurrency: ConcurrencyFlag,
    restart: RestartFlag,
    max_restarts: Option<u32>,
    keep_runs: Option<u32>,
}

/// A duration with its unit; a bare number is refused (design §9).
fn duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text).map_err(|e| format!("{e} (write a unit: 30s, 5m, 24h, 7d)"))
}

/// A script's state as `-o json` prints it (design §9).
#[derive(Debug, Serialize)]
struct ScriptState {
    name: String,
    kind: &'static str,
    state: &'static str,
    restarts: u32,
    last_error: String,
    memory_bytes: u64,
    fuel_used: u64,
    run_id: u64,
    entry: String,
    deployed_at: String,
    started_at: String,
    expires_at: String,
    /// A schedule's pattern and time zone, and its next tick.
    #[serde(skip_serializing_if = "String::is_empty")]
    schedule: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    next_tick: String,
    /// When a failed daemon runs again.
    #[serde(skip_serializing_if = "String::is_empty")]
    restart_at: String,
}

impl From<&pb::ScriptStatus> for ScriptState {
    fn from(s: &pb::ScriptStatus) -> Self {
        Self {
            name: s.name.clone(),
            kind: match s.kind() {
                pb::ScriptKind::Daemon => "daemon",
                pb::ScriptKind::Schedule => "schedule",
                _ => "adhoc",
            },
            state: state_name(s.state()),
            restarts: s.restarts,
            last_error: s.last_error.clone(),
            memory_bytes: s.memory_bytes,
            fuel_used: s.fuel_used,
            run_id: s.run_id,
            entry: s.entry.clone(),
            deployed_at: rfc3339_ms(s.deployed_at_unix_ms),
            started_at: rfc3339_ms(s.started_at_unix_ms),
            expires_at: rfc3339_ms(s.expires_at_unix_ms),
            schedule: s.schedule.clone(),
            next_tick: rfc3339_ms(s.next_tick_unix_ms),
            restart_at: rfc3339_ms(s.restart_at_unix_ms),
        }
    }
}

fn state_name(state: pb::ScriptState) -> &'static str {
    match state {
        pb::ScriptState::Pending | pb::ScriptState::Unspecified => "pending",
        pb::ScriptState::Running => "running",
        pb::ScriptState::Stopped => "stopped",
        pb::ScriptState::Failed => "failed",
        pb::ScriptState::Expired => "expired",
        pb::ScriptState::Succeeded => "succeeded",
    }
}

/// Milliseconds since the epoch as RFC 3339 (empty for 0).
fn rfc3339_ms(ms: i64) -> String {
    if ms == 0 {
        return String::new();
    }
    rfc3339(&Some(pbjson_types::Timestamp {
        seconds: ms.div_euclid(1000),
        nanos: (ms.rem_euclid(1000) * 1_000_000) as i32,
    }))
}

/// How a command failed: its message and exit code.
struct Failed {
    code: u8,
    message: String,
}

impl Failed {
    fn usage(message: impl Into<String>) -> Self {
        Self {
            code: exit::USAGE,
            message: message.into(),
        }
    }
}

impl From<tonic::Status> for Failed {
    fn from(status: tonic::Status) -> Self {
        use tonic::Code;
        let code = match status.code() {
            Code::Unavailable => exit::UNAVAILABLE,
            _ => exit::QUERY_FAILED,
        };
        Self {
            code,
            message: status.message().to_string(),
        }
    }
}

impl ScriptCommand {
    /// Runs the command; returns the exit code.
    pub fn execute(self) -> u8 {
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                errln!("error: cannot start the async runtime: {e}");
                return exit::INTERNAL;
            }
        };
        match runtime.block_on(self.run()) {
            Ok(()) => exit::SUCCESS,
            Err(failed) => {
                errln!("error: {}", failed.message);
                failed.code
            }
        }
    }

    async fn run(self) -> Result<(), Failed> {
        let Some(agent) = self.agent.clone() else {
            return Err(Failed::usage(
                "name the agent with --agent PATH|HOST:PORT (or set CORAL_AGENT_ADDR)",
            ));
        };
        // Compile first: a script with errors never reaches the agent.
        let deploy = match &self.command {
            ScriptSubcommand::Deploy {
                file,
                name,
                daemon,
                ttl,
                params,
                memory,
                schedule,
                timezone,
                concurrency,
                restart,
                max_restarts,
                keep_runs,
            } => {
                let timing = Timing {
                    daemon: *daemon,
                    ttl: *ttl,
                    schedule: schedule.clone(),
                    timezone: timezone.clone(),
                    concurrency: *concurrency,
                    restart: *restart,
                    max_restarts: *max_restarts,
                    keep_runs: *keep_runs,
                };
                Some(deploy_request(file, name, &timing, params, *memory)?)
            }
            _ => None,
        };
        let token = self.token()?;
        let mut client = connect(&agent, token).await?;
        let output = self.output;
        match self.command {
            ScriptSubcommand::Deploy { .. } => {
                let request = deploy.expect("built above");
                let status = client.deploy(request).await?.into_inner();
                print_state(output, status);
            }
            ScriptSubcommand::List => {
                let scripts = client.list(pb::ListRequest {}).await?.into_inner().scripts;
                print_states(output, &scripts);
            }
            ScriptSubcommand::Status { name } => {
                let status = client
                    .get_status(pb::ScriptRef { name })
                    .await?
                    .into_inner();
                print_state(output, status);
            }
            ScriptSubcommand::Stop { name } => {
                let status = client.stop(pb::ScriptRef { name }).await?.into_inner();
                print_state(output, status);
            }
            ScriptSubcommand::Start { name } => {
                let status = client.start(pb::ScriptRef { name }).await?.into_inner();
                print_state(output, status);
            }
            ScriptSubcommand::Renew { name, ttl } => {
                let ttl_ms = ttl.map_or(0, |t| t.as_millis() as u64);
                let status = client
                    .renew(pb::RenewRequest { name, ttl_ms })
                    .await?
                    .into_inner();
                print_state(output, status);
            }
            ScriptSubcommand::RunNow { name } => {
                let status = client.run_now(pb::ScriptRef { name }).await?.into_inner();
                print_state(output, status);
            }
            ScriptSubcommand::Runs { name } => {
                let runs = client.list_runs(pb::ScriptRef { name }).await?.into_inner();
                print_runs(output, &runs);
            }
            ScriptSubcommand::Delete { name } => {
                client.delete(pb::ScriptRef { name: name.clone() }).await?;
                errln!("deleted {name}");
            }
            ScriptSubcommand::Logs {
                name,
                follow,
                timestamps,
            } => {
                let mut lines = client
                    .stream_logs(pb::StreamLogsRequest { name, follow })
                    .await?
                    .into_inner();
                while let Some(line) = lines.next().await {
                    print_line(&line?, timestamps);
                }
            }
            ScriptSubcommand::Events { name, follow } => {
                let mut events = client
                    .stream_events(pb::StreamEventsRequest { name, follow })
                    .await?
                    .into_inner();
                while let Some(event) = events.next().await {
                    print_event(output, &event?);
                }
            }
        }
        Ok(())
    }

    /// The token for a TCP agent: --token-file, then CORAL_TOKEN.
    fn token(&self) -> Result<Option<String>, Failed> {
        if let Some(path) = &self.token_file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Failed::usage(format!(
                    "cannot read the token file {}: {e}",
                    path.display()
                ))
            })?;
            let token = text.lines().next().unwrap_or("").trim().to_string();
            if token.is_empty() {
                return Err(Failed::usage(format!(
                    "the token file {} is empty",
                    path.display()
                )));
            }
            return Ok(Some(token));
        }
        Ok(std::env::var("CORAL_TOKEN").ok().filter(|t| !t.is_empty()))
    }
}

/// The deploy request for `file`, compiled and checked here.
fn deploy_request(
    file: &Path,
    name: &Option<String>,
    timing: &Timing,
    params: &[String],
    memory: Option<u64>,
) -> Result<pb::DeployRequest, Failed> {
    let name = match name {
        Some(name) => name.clone(),
        None => file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string(),
    };
    let mut parsed = HashMap::new();
    for raw in params {
        let (key, value) = raw
            .split_once('=')
            .filter(|(key, _)| !key.is_empty())
            .ok_or_else(|| Failed::usage(format!("--param expects KEY=VALUE, got \"{raw}\"")))?;
        parsed.insert(key.to_string(), value.to_string());
    }
    let program = if file.extension().is_some_and(|e| e == "wasm") {
        let wasm = std::fs::read(file)
            .map_err(|e| Failed::usage(format!("cannot read {}: {e}", file.display())))?;
        pb::deploy_request::Program::WasmBundle(wasm)
    } else {
        pb::deploy_request::Program::Script(compile(file)?)
    };
    Ok(pb::DeployRequest {
        name,
        kind: match (timing.daemon, &timing.schedule) {
            (true, _) => pb::ScriptKind::Daemon,
            (false, Some(_)) => pb::ScriptKind::Schedule,
            (false, None) => pb::ScriptKind::Adhoc,
        }
        .into(),
        ttl_ms: timing.ttl.map_or(0, |t| t.as_millis() as u64),
        schedule: timing.schedule.clone().unwrap_or_default(),
        timezone: timing.timezone.clone().unwrap_or_default(),
        concurrency: match timing.concurrency {
            ConcurrencyFlag::Forbid => pb::Concurrency::Forbid,
            ConcurrencyFlag::Allow => pb::Concurrency::Allow,
            ConcurrencyFlag::Replace => pb::Concurrency::Replace,
        }
        .into(),
        restart_on_failure: timing.restart == RestartFlag::OnFailure,
        max_restarts: timing.max_restarts.unwrap_or(0),
        keep_runs: timing.keep_runs.unwrap_or(0),
        params: parsed,
        memory_bytes: match memory {
            None => 0,
            Some(mb) => mb
                .checked_mul(1024 * 1024)
                .filter(|bytes| *bytes > 0)
                .ok_or_else(|| {
                    Failed::usage(format!("--memory {mb} is not a usable size in MB"))
                })?,
        },
        program: Some(program),
    })
}

/// Compiles `file` as `coral run` would, including QuickJS's own check.
fn compile(file: &Path) -> Result<pb::CompiledScript, Failed> {
    let fail = |failure: crate::pipeline::Failure| Failed {
        code: failure.code,
        message: format!("{:#}", failure.error),
    };
    let session = Session::new(None).map_err(fail)?;
    let compiled = session.compile(file).map_err(fail)?;
    let plugin = session.plugin().map_err(fail)?;
    session
        .bytecode(&plugin, &compiled, &RunOptions::default())
        .map_err(fail)?;
    // Named as the deployer sees them (relative to here when inside), not
    // by this machine's absolute paths.
    let here = std::env::current_dir().unwrap_or_default();
    let sources = compiled
        .files
        .iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).ok()?;
            let name = path.strip_prefix(&here).unwrap_or(path);
            Some((name.display().to_string(), text))
        })
        .collect();
    Ok(pb::CompiledScript {
        js: compiled.js,
        source_map: compiled.source_map,
        entry: compiled.entry,
        sources,
    })
}

/// A client for the agent at `address` (a socket path or HOST:PORT).
async fn connect(
    address: &str,
    token: Option<String>,
) -> Result<
    ScriptServiceClient<tonic::service::interceptor::InterceptedService<Channel, Bearer>>,
    Failed,
> {
    let unavailable = |e: &dyn std::fmt::Display| Failed {
        code: exit::UNAVAILABLE,
        message: format!(
            "the agent at {address} is unavailable ({e}); start one with `coral agent serve`"
        ),
    };
    let socket = address
        .strip_prefix("unix:")
        .or_else(|| (address.contains('/')).then_some(address));
    let channel = match socket {
        Some(path) => {
            let path = PathBuf::from(path);
            Endpoint::from_static("http://agent.sock")
                .connect_with_connector(tower::service_fn(move |_| {
                    let path = path.clone();
                    async move {
                        tokio::net::UnixStream::connect(path)
                            .await
                            .map(hyper_util::rt::TokioIo::new)
                    }
                }))
                .await
                .map_err(|e| unavailable(&e))?
        }
        None => Endpoint::from_shared(coral_runtime::endpoint_url(address))
            .map_err(|e| Failed::usage(format!("invalid agent address \"{address}\": {e}")))?
            .connect()
            .await
            .map_err(|e| unavailable(&e))?,
    };
    Ok(
        ScriptServiceClient::with_interceptor(channel, Bearer(token))
            .max_decoding_message_size(coral_proto::MAX_MESSAGE_BYTES)
            .max_encoding_message_size(coral_proto::MAX_MESSAGE_BYTES),
    )
}

/// Adds `authorization: Bearer <token>` to every call (TCP agents).
#[derive(Debug, Clone)]
struct Bearer(Option<String>);

impl tonic::service::Interceptor for Bearer {
    fn call(
        &mut self,
        mut request: tonic::Request<()>,
    ) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(token) = &self.0 {
            let value = format!("Bearer {token}").parse().map_err(|_| {
                tonic::Status::invalid_argument("the token is not valid header text")
            })?;
            request.metadata_mut().insert("authorization", value);
        }
        Ok(request)
    }
}

/// One script's state (`-o json`: an object).
fn print_state(output: Output, script: pb::ScriptStatus) {
    if output == Output::Json {
        let state = ScriptState::from(&script);
        outln!(
            "{}",
            serde_json::to_string_pretty(&state).unwrap_or_default()
        );
    } else {
        print_states(output, &[script]);
    }
}

/// Scripts' states (`-o json`: an array).
fn print_states(output: Output, scripts: &[pb::ScriptStatus]) {
    let states: Vec<ScriptState> = scripts.iter().map(ScriptState::from).collect();
    let table = Table {
        columns: vec![
            Column::new("NAME", "name"),
            Column::new("KIND", "kind"),
            Column::new("STATE", "state"),
            Column::new("RESTARTS", "restarts"),
            Column::new("MEMORY", "memory_bytes"),
            Column::new("EXPIRES", "expires_at"),
            Column::new("LAST ERROR", "last_error"),
        ],
        rows: states
            .iter()
            .map(|s| {
                vec![
                    Cell::text(&s.name),
                    Cell::text(s.kind),
                    Cell::text(s.state),
                    Cell::text(s.restarts.to_string()),
                    Cell::shown_as(
                        format!("{:.1} MiB", s.memory_bytes as f64 / (1024.0 * 1024.0)),
                        s.memory_bytes,
                    ),
                    Cell::text(&s.expires_at),
                    Cell::text(&s.last_error),
                ]
            })
            .collect(),
    };
    table.print(output, &states);
}

/// Past runs, then (table) the next tick; `-o json`: an object with
/// `runs` and `next_tick`.
fn print_runs(output: Output, runs: &pb::ListRunsResponse) {
    #[derive(Serialize)]
    struct Run {
        run_id: u64,
        trigger: String,
        started_at: String,
        ended_at: String,
        state: &'static str,
        error: String,
        fuel_used: u64,
        memory_bytes: u64,
        events: u64,
    }
    let rows: Vec<Run> = runs
        .runs
        .iter()
        .map(|r| Run {
            run_id: r.run_id,
            trigger: r.trigger.clone(),
            started_at: rfc3339_ms(r.started_at_unix_ms),
            ended_at: rfc3339_ms(r.ended_at_unix_ms),
            state: state_name(r.state()),
            error: r.error.clone(),
            fuel_used: r.fuel_used,
            memory_bytes: r.memory_bytes,
            events: r.events,
        })
        .collect();
    let next_tick = rfc3339_ms(runs.next_tick_unix_ms);
    if output == Output::Json {
        let json = serde_json::json!({ "runs": rows, "next_tick": next_tick });
        outln!(
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
        return;
    }
    let table = Table {
        columns: vec![
            Column::new("RUN", "run_id"),
            Column::new("TRIGGER", "trigger"),
            Column::new("STARTED", "started_at"),
            Column::new("ENDED", "ended_at"),
            Column::new("STATE", "state"),
            Column::new("FUEL", "fuel_used"),
            Column::new("EVENTS", "events"),
            Column::new("ERROR", "error"),
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::text(r.run_id.to_string()),
                    Cell::text(&r.trigger),
                    Cell::text(&r.started_at),
                    Cell::text(&r.ended_at),
                    Cell::text(r.state),
                    Cell::text(r.fuel_used.to_string()),
                    Cell::text(r.events.to_string()),
                    Cell::text(&r.error),
                ]
            })
            .collect(),
    };
    table.print(output, &rows);
    if output == Output::Table && !next_tick.is_empty() {
        errln!("next tick: {next_tick}");
    }
}

/// A log line: the script's own lines verbatim (stdout to stdout, stderr
/// to stderr), the agent's on stderr marked as such.
fn print_line(line: &pb::LogLine, timestamps: bool) {
    let time = if timestamps {
        format!("{} ", rfc3339_ms(line.time_unix_ms))
    } else {
        String::new()
    };
    match line.stream() {
        pb::LogStream::Stderr => errln!("{time}{}", line.text),
        pb::LogStream::Agent => errln!("{time}[agent] {}", line.text),
        _ => outln!("{time}{}", line.text),
    }
}

/// An event: one table line, or one JSON object per line.
fn print_event(output: Output, event: &pb::ScriptEvent) {
    let time = rfc3339_ms(event.time_unix_ms);
    if output == Output::Json {
        let data: serde_json::Value =
            serde_json::from_str(&event.data_json).unwrap_or(serde_json::Value::Null);
        outln!(
            "{}",
            serde_json::json!({
                "time": time,
                "run_id": event.run_id,
                "name": event.name,
                "severity": event.severity,
                "data": data,
            })
        );
    } else {
        outln!(
            "{time}  run {}  {}  {}  {}",
            event.run_id,
            event.severity,
            event.name,
            event.data_json
        );
    }
}
