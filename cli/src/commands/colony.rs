//! `coral colony …`: runs `coral-colony` (installed next to `coral`), which
//! links DuckDB; `coral` itself stays free of it so `coral run` starts small.

use std::process::Command;

use clap::Args;

use crate::stdio::errln;
use crate::{exit, installed};

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
        let exe = match installed::beside_coral("coral-colony") {
            Ok(exe) => exe,
            Err(e) => {
                errln!("error: cannot locate the coral binary: {e}");
                return exit::INTERNAL;
            }
        };
        let mut command = Command::new(&exe);
        command.args(&self.args);
        // Become coral-colony (same pid), so signals sent to `coral colony
        // serve` reach the server and no orphan is left behind.
        #[cfg(unix)]
        let error = std::os::unix::process::CommandExt::exec(&mut command);
        #[cfg(not(unix))]
        let error = match command.status() {
            Ok(status) => {
                return status
                    .code()
                    .and_then(|c| u8::try_from(c).ok())
                    .unwrap_or(exit::INTERNAL);
            }
            Err(e) => e,
        };
        errln!(
            "error: cannot run {}: {error} (it is built with coral: cargo build --release)",
            exe.display()
        );
        exit::INTERNAL
    }
}
