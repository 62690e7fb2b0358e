//! Files installed next to the `coral` binary: `coral-bundler`,
//! `coral-colony` and the embedded colony library. Kept apart so that
//! `coral` itself links neither binaryen nor DuckDB.

use std::path::PathBuf;

/// The path of `name` beside the running `coral`.
pub fn beside_coral(name: &str) -> std::io::Result<PathBuf> {
    Ok(std::env::current_exe()?.with_file_name(name))
}
