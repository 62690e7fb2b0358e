//! `coral-agent` (run as `coral agent …`): serve deployed scripts. A binary
//! of its own because it links DuckDB, as `coral-colony` does.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, anyhow};
use clap::{Args, Parser, Subcommand};
use coral_agent::agent::{Agent, AgentConfig};
use coral_agent::persist::DataDir;
use coral_agent::server::{self, Listeners, UnixSocket};
use coral_agent::{auth, host_metrics, script};
use coral_colony::{ColonyConfig, Store};
use coral_runtime::{Cache, Runner};

/// `eprintln!` that cannot panic on a closed stderr.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Run deployed scripts next to the services they watch.
#[derive(Debug, Parser)]
#[command(name = "coral agent", bin_name = "coral agent", version)]
struct AgentCommand {
    #[command(subcommand)]
    command: AgentSubcommand,
}

#[derive(Debug, Subcommand)]
enum AgentSubcommand {
    /// Serve ScriptService, the local store and its OTLP receiver.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Where deployed scripts, their logs and the local store live
    /// (created if missing).
    #[arg(long, value_name = "DIR")]
    data_dir: PathBuf,
    /// The ScriptService socket (mode 0600; default DIR/agent.sock).
    #[arg(long, value_name = "PATH")]
    socket: Option<PathBuf>,
    /// Also serve ScriptService (and QueryService) over TCP here; needs
    /// --token-file. Tokens travel in clear text: keep it on loopback or a
    /// private network.
    #[arg(long, value_name = "ADDR", requires = "token_file")]
    listen: Option<String>,
    /// The token TCP callers must send (its first line).
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// The OTLP receiver (gRPC and HTTP on one port; tokenless: keep it on
    /// loopback). "off" disables it.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:4317")]
    otlp_listen: String,
    /// How often this machine's CPU and memory are recorded.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = duration)]
    host_metrics_interval: Duration,
    /// Memory limit of a script deployed without --memory, in MB.
    #[arg(long, value_name = "MB", default_value_t = script::DEFAULT_MEMORY_BYTES / (1024 * 1024))]
    script_memory: u64,
}

/// A duration with its unit (`500ms`, `10s`, `24h`, `7d`); a bare number
/// is refused.
fn duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text)
        .map_err(|e| format!("{e} (write a unit: 500ms, 10s, 5m, 24h, 7d)"))
}

fn main() -> ExitCode {
    let result = match AgentCommand::parse().command {
        AgentSubcommand::Serve(args) => serve(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            note!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let data = DataDir::create(&args.data_dir).with_context(|| {
        format!(
            "cannot create the data directory {}",
            args.data_dir.display()
        )
    })?;
    let token = match &args.token_file {
        Some(path) => Some(auth::read_token(path).map_err(|e| anyhow!(e))?),
        None => None,
    };
    let store = Arc::new(
        Store::open(&data.database(), ColonyConfig::default())
            .context("opening the agent's store")?,
    );
    let runner =
        Runner::new(Cache::new(args.data_dir.join("cache"))).context("starting the wasm engine")?;
    let plugin = runner
        .plugin_module(
            coral_compiler::plugin::PLUGIN_KEY,
            coral_compiler::plugin::initialise,
        )
        .context("preparing the script engine")?;
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let queries = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .context("cannot open the scripts' query listener on 127.0.0.1")?;
        let config = AgentConfig {
            default_memory_bytes: args
                .script_memory
                .checked_mul(1024 * 1024)
                .ok_or_else(|| anyhow!("--script-memory {} MB is too large", args.script_memory))?,
            colony_address: server::local(&queries),
            colony_call_timeout: Duration::from_secs(30),
            clock: Arc::new(coral_agent::schedule::SystemClock),
        };
        let (agent, skipped) = Agent::open(data.clone(), store.clone(), runner, plugin, config)?;
        for skipped in skipped {
            note!(
                "agent: skipped the stored script {}: {}",
                skipped.name,
                skipped.reason
            );
        }
        let socket = UnixSocket::bind(&args.socket.clone().unwrap_or_else(|| data.socket()))?;
        let tcp = match (&args.listen, token) {
            (Some(addr), Some(token)) => Some((
                tokio::net::TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("cannot listen on {addr}"))?,
                token,
            )),
            _ => None,
        };
        let otlp = match args.otlp_listen.as_str() {
            "off" => None,
            addr => Some(tokio::net::TcpListener::bind(addr).await.with_context(|| {
                format!("cannot listen for OTLP on {addr} (--otlp-listen ADDR, or off)")
            })?),
        };
        note!("agent: scripts in {}", args.data_dir.display());
        note!("agent: ScriptService on unix:{}", socket.path().display());
        if let Some((listener, _)) = &tcp {
            note!(
                "agent: ScriptService (token) and QueryService on {}",
                server::local(listener)
            );
        }
        if let Some(listener) = &otlp {
            note!("agent: OTLP receiver on {}", server::local(listener));
        }
        host_metrics::start(store.clone(), args.host_metrics_interval)
            .context("starting the host metrics sampler")?;
        agent.resume();
        // The agent's clock thread: TTLs, schedule ticks, restarts.
        let ticking = agent.clone();
        std::thread::Builder::new()
            .name("coral-clock".into())
            .spawn(move || {
                loop {
                    ticking.tick();
                    std::thread::sleep(Duration::from_millis(200));
                }
            })
            .context("starting the clock thread")?;
        let listeners = Listeners {
            socket,
            tcp,
            otlp,
            queries,
        };
        let served = server::serve(agent.clone(), store, listeners, stop_requested()).await;
        note!("agent: stopping");
        let stopping = agent.clone();
        let _ = tokio::task::spawn_blocking(move || stopping.shutdown()).await;
        served
    })
}

/// Completes on SIGINT or SIGTERM.
async fn stop_requested() {
    let mut terminate =
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(signal) => signal,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
}
