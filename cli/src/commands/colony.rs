//! `coral colony …`: runs `coral-colony` (installed next to `coral`), which
//! links DuckDB; `coral` itself stays free of it so `coral run` starts small.

use std::process::Command;

use clap::Args;

use crate::exit;

/// Arguments passed through to `coral-colony` (see `coral colony --help`).
#[derive(Debug, Args)]
#[command(disable_help_flag = true)]
pub struct ColonyCommand {
    /// serve | ingest | demo, and their flags.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

impl ColonyCommand {
    /// Runs `coral-colony` with the arguments; returns its exit code.
    pub fn execute(self) -> u8 {
        let exe = match std::env::current_exe() {
            Ok(exe) => exe.with_file_name("coral-colony"),
            Err(e) => {
                eprintln!("error: cannot locate the coral binary: {e}");
                return exit::INTERNAL;
            }
        };
        match Command::new(&exe).args(&self.args).status() {
            Ok(status) => status
                .code()
                .and_then(|c| u8::try_from(c).ok())
                .unwrap_or(exit::INTERNAL),
            Err(e) => {
                eprintln!(
                    "error: cannot run {}: {e} (it is built with coral: cargo build --release)",
                    exe.display()
                );
                exit::INTERNAL
            }
        }
    }
}
