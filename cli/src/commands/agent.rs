//! `coral agent …`: runs `coral-agent` (installed next to `coral`), which
//! links DuckDB for the agent's local store (`docs/agent.md`).

use clap::Args;

use crate::installed;

/// Arguments passed through to `coral-agent` (see `coral agent --help`).
#[derive(Debug, Args)]
#[command(disable_help_flag = true)]
pub struct AgentCommand {
    /// serve, and its flags.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

impl AgentCommand {
    /// Becomes `coral-agent` with the arguments; returns only on failure.
    pub fn execute(self) -> u8 {
        installed::exec_beside("coral-agent", &self.args)
    }
}
