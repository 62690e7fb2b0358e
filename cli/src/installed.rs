//! Files installed next to the `coral` binary: `coral-bundler`,
//! `coral-colony`, `coral-agent` and the embedded colony library. Kept
//! apart so that `coral` itself links neither binaryen nor DuckDB.

use std::path::PathBuf;
use std::process::Command;

use crate::exit;
use crate::stdio::errln;

/// The path of `name` beside the running `coral`.
pub fn beside_coral(name: &str) -> std::io::Result<PathBuf> {
    Ok(std::env::current_exe()?.with_file_name(name))
}

/// Becomes `name` (installed beside `coral`) with `args`: the same pid, so
/// signals sent to `coral colony serve` or `coral agent serve` reach the
/// server and no orphan is left behind. Returns only if that failed, with
/// the exit code to end with.
pub fn exec_beside(name: &str, args: &[String]) -> u8 {
    let exe = match beside_coral(name) {
        Ok(exe) => exe,
        Err(e) => {
            errln!("error: cannot locate the coral binary: {e}");
            return exit::INTERNAL;
        }
    };
    let mut command = Command::new(&exe);
    command.args(args);
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
