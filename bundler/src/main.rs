//! `coral-bundler`: the javy-codegen half of `coral build`, in its own
//! process (see the library docs for why). It reads a compiled script
//! (`CompiledScript` as JSON) on stdin and writes the `.wasm` bundle to `--out`,
//! using the plugin image at `--plugin`.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

/// Internal helper of `coral build`; not meant to be run by hand.
#[derive(Debug, Parser)]
struct Args {
    /// The pre-initialised plugin image.
    #[arg(long)]
    plugin: PathBuf,
    /// Where to write the bundle.
    #[arg(long)]
    out: PathBuf,
    /// Recorded in the bundle.
    #[arg(long)]
    producer: String,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("reading the script from stdin")?;
    let script: coral_compiler::CompiledScript =
        serde_json::from_str(&input).context("parsing the script")?;
    let image = std::fs::read(&args.plugin)
        .with_context(|| format!("reading {}", args.plugin.display()))?;
    let wasm = coral_bundler::build(&script, &image, &args.producer)?;
    std::fs::write(&args.out, wasm).with_context(|| format!("writing {}", args.out.display()))?;
    Ok(())
}
