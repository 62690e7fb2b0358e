//! `coral build`: compile a script into a self-contained `.wasm` bundle that
//! `coral run` accepts without the sources.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::anyhow;
use clap::Args;
use coral_compiler::CompiledScript;
use coral_runtime::RunOptions;

use crate::pipeline::{Failure, Session};
use crate::stdio::errln;
use crate::{exit, installed};

/// Flags of `coral build`.
#[derive(Debug, Args)]
pub struct BuildCommand {
    /// The script to compile.
    pub script: PathBuf,

    /// Where to write the bundle.
    #[arg(short, long, value_name = "FILE.wasm")]
    pub output: PathBuf,

    /// Cache directory (default: $CORAL_CACHE_DIR, else $XDG_CACHE_HOME/coral,
    /// else ~/.cache/coral).
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
        let compiled = session.compile(&self.script)?;
        // What QuickJS refuses is the script's fault (exit 2, located in its
        // files), found before the bundler, which could only say it failed.
        session.bytecode(&session.plugin()?, &compiled, &RunOptions::default())?;
        let plugin = session.plugin_image_path()?;
        let producer = format!("coral {}", env!("CARGO_PKG_VERSION"));
        run_bundler(&compiled, &plugin, &self.output, &producer)?;
        let size = std::fs::metadata(&self.output)
            .map(|m| m.len())
            .unwrap_or(0);
        errln!(
            "built {} ({:.1} MiB, ABI v{}) in {:.1}s",
            self.output.display(),
            size as f64 / (1024.0 * 1024.0),
            coral_host_abi::ABI_VERSION,
            started.elapsed().as_secs_f64()
        );
        Ok(())
    }
}

/// Runs `coral-bundler` (installed next to `coral`) on the compiled script.
fn run_bundler(
    compiled: &CompiledScript,
    plugin: &Path,
    output: &Path,
    producer: &str,
) -> Result<(), Failure> {
    let internal = |error: anyhow::Error| Failure {
        code: exit::INTERNAL,
        error,
    };
    let exe = installed::beside_coral("coral-bundler")
        .map_err(|e| internal(anyhow!("cannot locate the coral binary: {e}")))?;
    let mut child = Command::new(&exe)
        .arg("--plugin")
        .arg(plugin)
        .arg("--out")
        .arg(output)
        .arg("--producer")
        .arg(producer)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| internal(anyhow!("cannot run {}: {e}", exe.display())))?;
    let input = serde_json::to_vec(compiled).map_err(|e| internal(e.into()))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(&input)
            .map_err(|e| internal(anyhow!("writing to coral-bundler: {e}")))?;
    }
    let out = child.wait_with_output().map_err(|e| internal(e.into()))?;
    if !out.status.success() {
        return Err(internal(anyhow!(
            "building the wasm bundle failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}
