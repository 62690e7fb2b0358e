//! `coral-colony` (run as `coral colony …`): serve a colony, fill one
//! (ingest, demo). A binary of its own so that `coral` itself does not link
//! DuckDB, whose C++ would weigh on every `coral run`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, anyhow};
use clap::{Args, Parser, Subcommand};
use coral_colony::{ColonyConfig, Store, demo, ingest, otlp_file, server};

/// `eprintln!` that cannot panic: a closed stderr (`coral colony serve 2>&1 |
/// head -1`) loses the line, never the server or the command's exit code.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Run or fill a colony (the telemetry store scripts query).
#[derive(Debug, Parser)]
#[command(name = "coral colony", bin_name = "coral colony", version)]
struct ColonyCommand {
    #[command(subcommand)]
    command: ColonySubcommand,
}

#[derive(Debug, Subcommand)]
enum ColonySubcommand {
    /// Serve QueryService (gRPC and Connect JSON) and OTLP ingest on one port.
    Serve(ServeArgs),
    /// Store OTLP/JSON files (the Collector's file-exporter format: plain,
    /// gzip or zstd; log records are counted and skipped).
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
    /// Seconds a query may wait for a reader and run before it is
    /// interrupted (a client's own deadline may end it sooner).
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    query_timeout: u64,
    /// Reader connections: queries answered at once (one client holds at
    /// most all but one of them).
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    readers: u16,
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
    /// OTLP/JSON files, plain or compressed (gzip, zstd).
    #[arg(required = true, value_name = "FILE.json")]
    files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
struct DemoArgs {
    /// The DuckDB file to create. An existing file is refused (the demo data
    /// would be added a second time) unless --replace is given.
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// Delete an existing --db file first and write the demo data afresh.
    #[arg(long)]
    replace: bool,
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
            note!("error: {}", chain(&e));
            // Bad input (a file, a flag, a database that will not open): exit 2,
            // as for every coral command.
            ExitCode::from(2)
        }
    }
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let config = ColonyConfig {
        query_timeout: std::time::Duration::from_secs(args.query_timeout.max(1)),
        readers: args.readers.into(),
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
        note!(
            "colony serving {} on {addr} (gRPC + Connect JSON + OTLP)",
            args.db.display()
        );
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .context("watching for SIGTERM")?;
        tokio::select! {
            served = server::serve(listener, store) => served.context("serving"),
            _ = tokio::signal::ctrl_c() => {
                note!("colony stopped");
                Ok(())
            }
            _ = terminate.recv() => {
                note!("colony stopped");
                Ok(())
            }
        }
    })
}

fn ingest_files(args: IngestArgs) -> anyhow::Result<()> {
    let store = open(&args.db, ColonyConfig::default())?;
    for file in &args.files {
        let name = file.display().to_string();
        let bytes = std::fs::read(file).with_context(|| format!("cannot read {name}"))?;
        let counts = otlp_file::decode(&name, bytes)
            .and_then(|text| ingest::ingest_otlp_json(&store, &name, &text))
            .map_err(|e| anyhow!("{e} (nothing from {name} was stored)"))?;
        // This line's form is stable (scripts parse it); new counts go after it.
        let mut skipped = match counts.log_records_skipped {
            0 => String::new(),
            n => format!(", {n} log records skipped (the colony stores no logs)"),
        };
        if counts.duplicates_skipped > 0 {
            skipped += &format!(
                ", {} duplicates skipped (already stored)",
                counts.duplicates_skipped
            );
        }
        note!(
            "{name}: {} spans, {} metric points{skipped}",
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
    let replaced = args.db.exists();
    if replaced {
        if !args.replace {
            return Err(anyhow!(
                "{} already exists; writing the demo data into it again would count every span twice. Pass --replace to delete it and start afresh, or choose another --db",
                args.db.display()
            ));
        }
        remove_database(&args.db)?;
    }
    let store = open(&args.db, config)?;
    let started = std::time::Instant::now();
    let counts = demo::generate(&store, args.spans, store.now_us())?;
    note!(
        "demo colony {}{}: {} spans, {} metric points in {:.1}s",
        args.db.display(),
        if replaced { " (replaced)" } else { "" },
        counts.spans,
        counts.metric_points,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Deletes a DuckDB file and its write-ahead log, after checking that it is
/// one and that no process has it open (a server would go on writing into
/// a deleted file, and lose it all when it stops).
fn remove_database(db: &Path) -> anyhow::Result<()> {
    // DuckDB's file header has its magic bytes at offset 8.
    let mut header = [0u8; 12];
    let is_duckdb = std::fs::File::open(db)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
        .is_ok()
        && &header[8..12] == b"DUCK";
    if !is_duckdb {
        return Err(anyhow!(
            "{} is not a DuckDB file; --replace only replaces colony databases",
            db.display()
        ));
    }
    // Taking the write lock proves nobody else has the file open.
    drop(open(db, ColonyConfig::default())?);
    std::fs::remove_file(db).with_context(|| format!("cannot replace {}", db.display()))?;
    let mut wal = db.as_os_str().to_owned();
    wal.push(".wal");
    match std::fs::remove_file(PathBuf::from(wal)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot replace {}.wal", db.display()))
        }
        _ => Ok(()),
    }
}

/// The error and its causes, each once: `{:#}` would repeat a cause whose
/// text the error's own message already holds (`database error: X: X`).
fn chain(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}
