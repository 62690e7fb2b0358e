//! `coral`: run and build sandboxed TypeScript scripts, and fill and query
//! the colony they read.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod commands;
mod duration;
mod exit;
mod installed;
mod pipeline;
mod refused;
mod stdio;
mod table;

/// Sandboxed TypeScript for Coral observability.
#[derive(Debug, Parser)]
#[command(name = "coral", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a script (.ts/.js) or a bundle (.wasm) in the sandbox.
    Run(commands::run::RunCommand),
    /// Compile a script into a self-contained .wasm bundle.
    Build(commands::build::BuildCommand),
    /// Run or fill a colony (the telemetry store scripts query).
    Colony(commands::colony::ColonyCommand),
    /// Query a colony: services, metrics, traces, SQL.
    Query(commands::query::QueryCommand),
    /// Check scripts for CI: compile, types, and (--run) fuel and exit.
    Check(commands::check::CheckCommand),
    /// Make a scripts folder editors and CI understand (SDK types, budget,
    /// workflow).
    Init(commands::init::InitCommand),
    /// Print (or write) the SDK's TypeScript declarations.
    Types(commands::types::TypesCommand),
    /// Run an agent: deployed scripts beside the services they watch.
    Agent(commands::agent::AgentCommand),
    /// Deploy scripts to an agent and look after them.
    Script(commands::script::ScriptCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Run(cmd) => cmd.execute(),
        Command::Build(cmd) => cmd.execute(),
        Command::Colony(cmd) => cmd.execute(),
        Command::Query(cmd) => cmd.execute(),
        Command::Check(cmd) => cmd.execute(),
        Command::Init(cmd) => cmd.execute(),
        Command::Types(cmd) => cmd.execute(),
        Command::Agent(cmd) => cmd.execute(),
        Command::Script(cmd) => cmd.execute(),
    };
    ExitCode::from(code)
}
