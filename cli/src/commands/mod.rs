//! One module per subcommand, each a clap struct with `execute()` returning
//! the process exit code.

pub mod agent;
pub mod build;
pub mod check;
pub mod colony;
pub mod init;
pub mod query;
pub mod run;
pub mod script;
pub mod types;
