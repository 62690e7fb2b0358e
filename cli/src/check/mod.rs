//! `coral check`: scripts validated for CI (`docs/check.md`). For each
//! entry script under the given paths (a script no other one imports):
//! `compile` (swc, the import policy and QuickJS's own parse, as `coral
//! run` does them), `types` (`deno check` against `@coral/sdk`'s types)
//! and, with `--run`, `run` (deterministically, on a fixture colony, within
//! its fuel budget and with its expected exit code).

pub mod budget;
pub mod report;
pub mod types;
pub mod walk;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use coral_compiler::{CompileError, CompiledScript};
use coral_runtime::{
    CaptureSink, ColonyOptions, DenoEngine, Engine, Limits, Outcome, Program, RunOptions,
    WasmScript,
};

use crate::pipeline::Session;

/// A problem a check found, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    /// The checker's code (`TS2322`), if it has one.
    pub code: Option<String>,
    pub message: String,
}

/// One check of one script.
#[derive(Debug, Clone)]
pub struct CheckOutcome {
    /// The script, as shown.
    pub script: String,
    /// `compile`, `types` or `run`.
    pub check: &'static str,
    /// Empty when it passed.
    pub findings: Vec<Finding>,
    /// What a passing check measured (a run's fuel).
    pub note: String,
}

impl CheckOutcome {
    /// No findings.
    pub fn passed(&self) -> bool {
        self.findings.is_empty()
    }
}

/// Where `--run` runs take their data.
#[derive(Debug, Clone)]
pub enum Fixture {
    /// The embedded demo colony.
    Demo,
    /// A colony file.
    Db(PathBuf),
}

/// What to check.
#[derive(Debug)]
pub struct Request {
    pub paths: Vec<PathBuf>,
    /// Run each entry too, on this data.
    pub run: Option<Fixture>,
    /// Rewrite snapshots instead of comparing them.
    pub update: bool,
}

/// Checks every entry script under `request.paths`; an error is a usage
/// problem (a path that does not exist, no checker).
pub fn check(session: &Session, request: &Request) -> Result<Vec<CheckOutcome>, String> {
    let files = walk::scripts(&request.paths)
        .map_err(|e| format!("cannot read the scripts to check: {e}"))?;
    // coral.json's globs: each folder's apply to the files in it.
    let mut kept = Vec::new();
    let mut included = BTreeSet::new();
    for file in files {
        let folder = file.parent().unwrap_or(Path::new(".")).to_path_buf();
        let config = budget::folder_config(&folder)?;
        if budget::matches(&folder, &config.exclude, &file)? {
            continue;
        }
        if budget::matches(&folder, &config.include, &file)? {
            included.insert(canonical(&file));
        }
        kept.push(file);
    }
    let files = kept;
    if files.is_empty() {
        return Err("no scripts (.ts, .mts, .js, .mjs) under the given paths".into());
    }
    let compiled: Vec<(PathBuf, Result<CompiledScript, CompileError>)> = files
        .iter()
        .map(|file| (file.clone(), coral_compiler::compile(file)))
        .collect();
    // Entries: files no other file imports.
    let mut imported = BTreeSet::new();
    for (file, result) in &compiled {
        let own = canonical(file);
        if let Ok(script) = result {
            imported.extend(
                script
                    .files
                    .iter()
                    .map(|f| canonical(f))
                    .filter(|f| *f != own),
            );
        }
    }
    let entries: Vec<&(PathBuf, Result<CompiledScript, CompileError>)> = compiled
        .iter()
        .filter(|(file, _)| {
            let file = canonical(file);
            !imported.contains(&file) || included.contains(&file)
        })
        .collect();

    let mut outcomes = Vec::new();
    let mut typed = Vec::new();
    for (file, result) in &entries {
        let script = report::shown(file);
        let findings = match result {
            Ok(compiled) => quickjs_refusals(session, file, compiled),
            Err(error) => vec![compile_finding(file, error)],
        };
        if findings.is_empty() {
            typed.push((file.clone(), script.clone()));
        }
        outcomes.push(CheckOutcome {
            script,
            check: "compile",
            findings,
            note: String::new(),
        });
    }

    let explicit = std::env::var_os("CORAL_DENO").map(PathBuf::from);
    let deno = DenoEngine::locate(explicit.as_deref(), session.cache_dir())
        .map_err(|e| format!("the type check needs deno: {e}"))?;
    let work = tempfile::tempdir().map_err(|e| format!("no temporary directory: {e}"))?;
    let paths: Vec<PathBuf> = typed.iter().map(|(file, _)| file.clone()).collect();
    let type_errors = types::check(deno.binary(), work.path(), &paths)?;
    for (file, script) in &typed {
        let own_files: BTreeSet<PathBuf> = entries
            .iter()
            .find(|(f, _)| f == file)
            .and_then(|(_, r)| r.as_ref().ok())
            .map(|c| c.files.iter().map(|f| canonical(f)).collect())
            .unwrap_or_default();
        let findings = type_errors
            .iter()
            .filter(|f| own_files.contains(&canonical(&f.file)))
            .cloned()
            .collect();
        outcomes.push(CheckOutcome {
            script: script.clone(),
            check: "types",
            findings,
            note: String::new(),
        });
    }

    if let Some(fixture) = &request.run {
        for (file, result) in &entries {
            let Ok(compiled) = result else { continue };
            outcomes.push(run(session, file, compiled, fixture, request.update));
        }
    }
    Ok(outcomes)
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// A compile error where the compiler places it (1:1 of the file when it
/// names no place).
fn compile_finding(file: &Path, error: &CompileError) -> Finding {
    let location = match error {
        CompileError::Syntax { location, .. }
        | CompileError::ImportRefused { location, .. }
        | CompileError::ModuleNotFound { location, .. }
        | CompileError::MissingExport { location, .. }
        | CompileError::DynamicImport { location, .. }
        | CompileError::TooDeep { location, .. }
        | CompileError::CircularImport { location, .. } => Some(location),
        _ => None,
    };
    // The compiler's message starts with the place, which the finding
    // carries apart, and ends with an excerpt for terminals.
    let text = error.to_string();
    let first = text.lines().next().unwrap_or_default();
    let message = location
        .and_then(|l| first.strip_prefix(&format!("{}:{}:{}: ", l.file, l.line, l.col)))
        .unwrap_or(first)
        .to_string();
    match location {
        Some(location) => Finding {
            file: resolve(file, &location.file),
            line: location.line,
            col: location.col,
            code: None,
            message,
        },
        None => Finding {
            file: file.to_path_buf(),
            line: 1,
            col: 1,
            code: None,
            message,
        },
    }
}

/// The file a compile error names (as shown, relative to the working
/// directory or the entry's folder).
fn resolve(entry: &Path, shown: &str) -> PathBuf {
    let as_given = PathBuf::from(shown);
    if as_given.exists() {
        return as_given;
    }
    entry
        .parent()
        .map(|dir| dir.join(shown))
        .filter(|p| p.exists())
        .unwrap_or(as_given)
}

/// What QuickJS refuses in a program swc accepted (`coral run`'s own
/// check, located in the script by `refused`).
fn quickjs_refusals(session: &Session, file: &Path, compiled: &CompiledScript) -> Vec<Finding> {
    let plugin = match session.plugin() {
        Ok(plugin) => plugin,
        Err(failure) => return vec![at_start(file, format!("{:#}", failure.error))],
    };
    match session.bytecode(&plugin, compiled, &RunOptions::default()) {
        Ok(_) => Vec::new(),
        Err(failure) => vec![at_start(file, format!("{:#}", failure.error))],
    }
}

fn at_start(file: &Path, message: String) -> Finding {
    Finding {
        file: file.to_path_buf(),
        line: 1,
        col: 1,
        code: None,
        message,
    }
}

/// Runs `compiled` deterministically on `fixture` within its budget.
fn run(
    session: &Session,
    file: &Path,
    compiled: &CompiledScript,
    fixture: &Fixture,
    update: bool,
) -> CheckOutcome {
    let script = report::shown(file);
    let fail = |message: String| CheckOutcome {
        script: script.clone(),
        check: "run",
        findings: vec![at_start(file, message)],
        note: String::new(),
    };
    let budget = match budget::for_script(file) {
        Ok(budget) => budget,
        Err(message) => return fail(message),
    };
    let defaults = Limits::default();
    let options = RunOptions {
        limits: Limits {
            timeout: budget
                .timeout
                .and_then(|s| Duration::try_from_secs_f64(s).ok())
                .unwrap_or(Duration::from_secs(60)),
            memory_bytes: budget.memory.map_or(defaults.memory_bytes, |mb| {
                (mb as usize).saturating_mul(1 << 20)
            }),
            fuel: budget.fuel,
            max_output_bytes: defaults.max_output_bytes,
        },
        deterministic: true,
        params: budget.params.clone(),
        colony: ColonyOptions {
            source: match fixture {
                Fixture::Demo => crate::commands::run::embedded_colony(None),
                Fixture::Db(db) => crate::commands::run::embedded_colony(Some(db.clone())),
            },
            ..ColonyOptions::default()
        },
        stop: Default::default(),
    };
    let plugin = match session.plugin() {
        Ok(plugin) => plugin,
        Err(failure) => return fail(format!("{:#}", failure.error)),
    };
    let bytecode = match session.bytecode(&plugin, compiled, &options) {
        Ok(bytecode) => bytecode,
        Err(failure) => return fail(format!("{:#}", failure.error)),
    };
    let sink = CaptureSink::default();
    let report = session.runner().run(
        WasmScript {
            program: Program::Bytecode {
                plugin: &plugin,
                bytecode: &bytecode,
            },
            source_map: Some(&compiled.source_map),
        },
        &options,
        Box::new(sink.clone()),
    );
    let report = match report {
        Ok(report) => report,
        Err(e) => return fail(e.to_string()),
    };
    let code = crate::exit::for_outcome(&report.outcome);
    let expected = budget.exit.unwrap_or(0);
    let fuel = report.stats.fuel_used;
    let problem = match &report.outcome {
        Outcome::FuelExhausted => Some(format!(
            "used more than its fuel budget of {} instructions (coral.json \"fuel\" or // @fuel-max)",
            budget.fuel.unwrap_or(0)
        )),
        Outcome::ScriptError(error) if code != expected => {
            // Placed where it was thrown, when a frame says so.
            let message = format!(
                "exited {code}, expected {expected} (coral.json \"exit\" or // @exit): Uncaught {}: {}",
                error.name, error.message
            );
            if let Some(finding) = error
                .frames
                .first()
                .and_then(|frame| thrown_at(frame, &message))
            {
                return CheckOutcome {
                    script,
                    check: "run",
                    findings: vec![finding],
                    note: String::new(),
                };
            }
            Some(message)
        }
        _ if code != expected => Some(format!(
            "exited {code}, expected {expected} (coral.json \"exit\" or // @exit)"
        )),
        _ => None,
    };
    if let Some(message) = problem {
        return fail(message);
    }
    let findings = match budget.snapshot {
        Some(true) => snapshot(file, &sink.captured().stdout, update)
            .into_iter()
            .collect(),
        _ => Vec::new(),
    };
    CheckOutcome {
        script,
        check: "run",
        findings,
        note: format!("fuel {fuel}"),
    }
}

/// A finding at a stack frame's place (`at f (file:line:col)` or
/// `at file:line:col`, as the runtime maps frames).
fn thrown_at(frame: &str, message: &str) -> Option<Finding> {
    let place = frame.trim().strip_prefix("at ")?;
    let place = place
        .rsplit_once(" (")
        .map_or(place, |(_, inner)| inner.trim_end_matches(')'));
    let mut parts = place.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some(Finding {
        file: PathBuf::from(parts.next()?),
        line,
        col,
        code: None,
        message: message.to_string(),
    })
}

/// Compares `stdout` with `<script>.stdout` (or, with `update`, writes
/// it); a difference is placed at its first differing line.
fn snapshot(script: &Path, stdout: &[u8], update: bool) -> Option<Finding> {
    let path = script.with_extension("stdout");
    let at = |line: usize, message: String| Finding {
        file: path.clone(),
        line,
        col: 1,
        code: None,
        message,
    };
    if update {
        return std::fs::write(&path, stdout)
            .err()
            .map(|e| at(1, format!("cannot write the snapshot: {e}")));
    }
    let Ok(expected) = std::fs::read(&path) else {
        return Some(at(
            1,
            "no snapshot yet: write it with `coral check --run --update`".into(),
        ));
    };
    if expected == stdout {
        return None;
    }
    let expected = String::from_utf8_lossy(&expected).into_owned();
    let actual = String::from_utf8_lossy(stdout).into_owned();
    let mut want = expected.lines();
    let mut got = actual.lines();
    let mut line = 1;
    loop {
        match (want.next(), got.next()) {
            (Some(w), Some(g)) if w == g => line += 1,
            (w, g) => {
                return Some(at(
                    line,
                    format!(
                        "stdout differs from the snapshot: expected {:?}, got {:?} (`coral check --run --update` rewrites it)",
                        w.unwrap_or("(end)"),
                        g.unwrap_or("(end)")
                    ),
                ));
            }
        }
    }
}
