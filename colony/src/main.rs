//! `coral-colony` (run as `coral colony …`): serve a colony, fill one
//! (ingest, demo). A binary of its own so that `coral` itself does not link
//! DuckDB, whose C++ would weigh on every `coral run`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, anyhow};
use clap::{Args, Parser, Subcommand};
use coral_colony::{ColonyConfig, Store, demo, ingest, server};

/// Run or fill a colony (the telemetry store scripts query).
#[derive(Debug, Parser)]
#[command(name = "coral colony", version)]
struct ColonyCommand {
    #[command(subcommand)]
    command: ColonySubcommand,
}

#[derive(Debug, Subcommand)]
enum ColonySubcommand {
    /// Serve QueryService (gRPC and Connect JSON) and OTLP ingest on one port.
    Serve(ServeArgs),
    /// Store OTLP/JSON files (the Collector's file-exporter format).
    Ingest(IngestArgs),
    /// Write the deterministic demo dataset.
    Demo(DemoArgs),
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The DuckDB file (created if missing).
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:9090")]
    listen: String,
    /// Seconds a raw SQL query may run before it is interrupted.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    query_timeout: u64,
    /// Answer as if it were this Unix time (seconds): windows end there and
    /// SQL now() returns it (reproducible answers over fixed data).
    #[arg(long, value_name = "UNIX_SECS")]
    fixed_now: Option<i64>,
}

#[derive(Debug, Args)]
struct IngestArgs {
    /// The DuckDB file (created if missing).
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// OTLP/JSON files.
    #[arg(required = true, value_name = "FILE.json")]
    files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
struct DemoArgs {
    /// The DuckDB file (created if missing).
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// How many spans to generate (two per request), for benchmarks.
    #[arg(long, value_name = "N", default_value_t = demo::DEFAULT_SPANS)]
    spans: u64,
    /// End the data at this Unix time (seconds) instead of now.
    #[arg(long, value_name = "UNIX_SECS")]
    fixed_now: Option<i64>,
}

fn open(db: &Path, config: ColonyConfig) -> anyhow::Result<Store> {
    Ok(Store::open(db, config)?)
}

fn main() -> ExitCode {
    let result = match ColonyCommand::parse().command {
        ColonySubcommand::Serve(args) => serve(args),
        ColonySubcommand::Ingest(args) => ingest_files(args),
        ColonySubcommand::Demo(args) => write_demo(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            // Bad input (a file, a flag, a database that will not open): exit 2,
            // as for every coral command.
            ExitCode::from(2)
        }
    }
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let config = ColonyConfig {
        query_timeout: std::time::Duration::from_secs(args.query_timeout.max(1)),
        fixed_now_us: args.fixed_now.map(|s| s.saturating_mul(1_000_000)),
        ..ColonyConfig::default()
    };
    let store = Arc::new(open(&args.db, config)?);
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let addr = listener.local_addr()?;
        eprintln!(
            "colony serving {} on {addr} (gRPC + Connect JSON + OTLP)",
            args.db.display()
        );
        tokio::select! {
            served = server::serve(listener, store) => served.context("serving"),
            _ = tokio::signal::ctrl_c() => {
                eprintln!("colony stopped");
                Ok(())
            }
        }
    })
}

fn ingest_files(args: IngestArgs) -> anyhow::Result<()> {
    let store = open(&args.db, ColonyConfig::default())?;
    for file in &args.files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let counts = ingest::ingest_otlp_json(&store, &file.display().to_string(), &text)
            .map_err(|e| anyhow!("{e} (nothing from {} was stored)", file.display()))?;
        eprintln!(
            "{}: {} spans, {} metric points",
            file.display(),
            counts.spans,
            counts.metric_points
        );
    }
    Ok(())
}

fn write_demo(args: DemoArgs) -> anyhow::Result<()> {
    let config = ColonyConfig {
        fixed_now_us: args.fixed_now.map(|s| s.saturating_mul(1_000_000)),
        ..ColonyConfig::default()
    };
    let store = open(&args.db, config)?;
    let started = std::time::Instant::now();
    let counts = demo::generate(&store, args.spans, store.now_us())?;
    eprintln!(
        "demo colony {}: {} spans, {} metric points in {:.1}s",
        args.db.display(),
        counts.spans,
        counts.metric_points,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
