//! `coral check [PATH…]`: validate scripts for CI (`docs/check.md`). Exit
//! codes: 0 every check passed, 1 one failed, 2 a usage error.

use std::path::PathBuf;

use clap::Args;

use crate::check::report::{self, Format};
use crate::check::{self, Fixture, Request};
use crate::exit;
use crate::pipeline::Session;
use crate::stdio::errln;

/// `coral check …`.
#[derive(Debug, Args)]
pub struct CheckCommand {
    /// Scripts or folders (default: the current folder).
    paths: Vec<PathBuf>,
    /// Also run each entry script, deterministically, within its budget
    /// (coral.json, // @fuel-max, // @exit).
    #[arg(long)]
    run: bool,
    /// With --run: the colony file the runs query (default: the demo
    /// colony).
    #[arg(
        long,
        value_name = "FILE",
        requires = "run",
        conflicts_with = "fixture"
    )]
    db: Option<PathBuf>,
    /// With --run: OTLP/JSON files the runs query, stored in a temporary
    /// colony (repeatable).
    #[arg(long, value_name = "FILE.json", requires = "run")]
    fixture: Vec<PathBuf>,
    /// With --run: write each snapshot (`<script>.stdout`, for scripts
    /// with `"snapshot": true` or `// @snapshot`) instead of comparing.
    #[arg(long, requires = "run")]
    update: bool,
    /// The report's format.
    #[arg(long, short, alias = "format", value_enum, default_value_t = Format::Human)]
    output: Format,
}

impl CheckCommand {
    /// Runs the command; returns the exit code.
    pub fn execute(self) -> u8 {
        let session = match Session::new(None) {
            Ok(session) => session,
            Err(failure) => return failure.report(),
        };
        let scratch = match tempfile::tempdir() {
            Ok(dir) => dir,
            Err(e) => {
                errln!("error: no temporary directory: {e}");
                return exit::INTERNAL;
            }
        };
        let run = match (self.run, &self.db, self.fixture.is_empty()) {
            (false, _, _) => None,
            (true, Some(db), _) => Some(Fixture::Db(db.clone())),
            (true, None, true) => Some(Fixture::Demo),
            (true, None, false) => {
                match ingest(&self.fixture, &scratch.path().join("fixture.duckdb")) {
                    Ok(db) => Some(Fixture::Db(db)),
                    Err(message) => {
                        errln!("error: {message}");
                        return exit::USAGE;
                    }
                }
            }
        };
        let paths = if self.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            self.paths.clone()
        };
        let request = Request {
            paths,
            run,
            update: self.update,
        };
        match check::check(&session, &request) {
            Ok(outcomes) => {
                report::print(self.output, &outcomes);
                if outcomes.iter().all(|o| o.passed()) {
                    exit::SUCCESS
                } else {
                    exit::SCRIPT_ERROR
                }
            }
            Err(message) => {
                errln!("error: {message}");
                exit::USAGE
            }
        }
    }
}

/// Stores `files` in a new colony file at `db` with `coral-colony ingest`.
fn ingest(files: &[PathBuf], db: &std::path::Path) -> Result<PathBuf, String> {
    let exe = crate::installed::beside_coral("coral-colony")
        .map_err(|e| format!("cannot locate the coral binary: {e}"))?;
    let out = std::process::Command::new(&exe)
        .arg("ingest")
        .arg("--db")
        .arg(db)
        .args(files)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    if !out.status.success() {
        return Err(format!(
            "the fixtures could not be stored: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(db.to_path_buf())
}
