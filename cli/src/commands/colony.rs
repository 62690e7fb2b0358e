//! `coral colony …`: runs `coral-colony` (installed next to `coral`), which
//! links DuckDB; `coral` itself stays free of it so `coral run` starts small.

use clap::Args;

use crate::installed;

/// Arguments passed through to `coral-colony` (see `coral colony --help`).
#[derive(Debug, Args)]
#[command(disable_help_flag = true)]
pub struct ColonyCommand {
    /// serve | ingest | demo, and their flags.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

impl ColonyCommand {
    /// Becomes `coral-colony` with the arguments; returns only on failure.
    pub fn execute(self) -> u8 {
        installed::exec_beside("coral-colony", &self.args)
    }
}
