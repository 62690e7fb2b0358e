//! `coral build`: compile a script into a self-contained `.wasm` bundle that
//! `coral run` and the agent accept without the sources.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::anyhow;
use clap::Args;

use crate::exit;
use crate::pipeline::{Failure, Session};

/// Flags of `coral build`.
#[derive(Debug, Args)]
pub struct BuildCommand {
    /// The script to compile.
    pub script: PathBuf,

    /// Where to write the bundle.
    #[arg(short, long, value_name = "FILE.wasm")]
    pub output: PathBuf,

    /// Cache directory (default: $CORAL_CACHE_DIR or ~/.cache/coral).
    #[arg(long, value_name = "DIR", env = "CORAL_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
}

impl BuildCommand {
    /// Runs the command; returns the exit code.
    pub fn execute(self) -> u8 {
        match self.build() {
            Ok(()) => exit::SUCCESS,
            Err(failure) => failure.report(),
        }
    }

    fn build(&self) -> Result<(), Failure> {
        let started = Instant::now();
        let session = Session::new(self.cache_dir.clone())?;
        let bundle = session.bundle(&self.script)?;
        let image = session.engine_image()?;
        let producer = format!("coral {}", env!("CARGO_PKG_VERSION"));
        let wasm = coral_compiler::wasm_bundle::build(&bundle, &image, &producer)?;
        std::fs::write(&self.output, &wasm).map_err(|e| Failure {
            code: exit::USAGE,
            error: anyhow!("cannot write {}: {e}", self.output.display()),
        })?;
        eprintln!(
            "built {} ({:.1} MiB, ABI v{}) in {:.1}s",
            self.output.display(),
            wasm.len() as f64 / (1024.0 * 1024.0),
            coral_host_abi::ABI_VERSION,
            started.elapsed().as_secs_f64()
        );
        Ok(())
    }
}
