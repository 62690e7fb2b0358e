//! The spec cases of `tests/spec/` (see its README for the directives), one
//! test per case per engine, as wasmtime runs its `.wast` files:
//!
//! * `spec::<case>::wasm`: the case's exit code, stdout (`<case>.stdout`),
//!   stderr fragments and fuel (pinned in `tests/spec/fuel.txt`, ±3%) on
//!   the wasm engine;
//! * `spec::<case>::deno`: the same script on both engines must print the
//!   same stdout, emit the same events, exit with the same code and print
//!   the case's `@stderr` fragments (so messages agree too). Needs a real
//!   `deno` (`scripts/setup.sh` installs one; `$CORAL_DENO` or `PATH`):
//!   without it these fail, they do not skip.
//!
//! Filter by name (`cargo test --test spec -- spec::hello::deno`); with
//! `CORAL_BLESS=1` the fuel each wasm case used is written to `fuel.txt`.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use common::case::{Case, spec_cases};
use common::parity::{Job, compare, require_deno};
use common::{fuel_from_stats, repo_root, run, text};
use libtest_mimic::{Arguments, Failed, Trial};

/// How far a case's fuel may drift from its pin (javy pins its fuel within
/// the same margin).
const FUEL_TOLERANCE: f64 = 0.03;

/// Where the pins live, and the command that rewrites them.
const FUEL_FILE: &str = "tests/spec/fuel.txt";
const BLESS: &str = "CORAL_BLESS=1 cargo test --release --test spec";

/// Most cases that may skip Deno (`@engine wasm <why>`): each names its
/// reason; two are syntax the engines differ on (QuickJS's regular
/// expressions, and `accessor` fields lowered as tsc does but not by Deno).
const MAX_WASM_ONLY: usize = 6;

fn main() {
    let args = Arguments::from_args();
    let bless = std::env::var_os("CORAL_BLESS").is_some_and(|v| v != "0");
    let pins = Arc::new(read_pins());
    let blessed = Arc::new(Mutex::new(BTreeMap::new()));
    let cases = spec_cases();
    let mut trials = Vec::new();
    let mut wasm_only = Vec::new();
    for path in &cases {
        let case = Arc::new(Case::parse(path));
        let name = case_name(path);
        let (pins, blessed, path) = (pins.clone(), blessed.clone(), path.clone());
        let wasm = case.clone();
        let stem = name.clone();
        trials.push(Trial::test(format!("spec::{name}::wasm"), move || {
            let fuel = check_wasm(&path, &wasm)?;
            match fuel {
                _ if wasm.fuel_unpinned.is_some() => Ok(()),
                // A case that ran without fuel (refused) loses its pin.
                _ if bless => {
                    blessed.lock().unwrap().insert(stem, fuel);
                    Ok(())
                }
                _ => check_fuel(&stem, fuel, &pins),
            }
        }));
        match &case.wasm_only {
            Some(_) => wasm_only.push(name),
            None => trials.push(Trial::test(format!("spec::{name}::deno"), move || {
                compare_engines(&case)
            })),
        }
    }
    trials.push(Trial::test("spec::wasm_only_cases_are_few", move || {
        if wasm_only.len() > MAX_WASM_ONLY {
            return Err(format!("more wasm-only cases than expected: {wasm_only:?}").into());
        }
        Ok(())
    }));
    trials.push(Trial::test(
        "spec::the_compilers_list_of_engine_globals_is_the_engines",
        engine_globals_match,
    ));
    let conclusion = libtest_mimic::run(&args, trials);
    if bless {
        write_pins(&pins, &blessed.lock().unwrap());
    }
    conclusion.exit();
}

/// `tests/spec/hello.ts` is `hello`.
fn case_name(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

/// Runs the case on the wasm engine (with `--stats`) and checks it; the fuel
/// it used (`None` when it never ran: refused by the compiler).
fn check_wasm(path: &Path, case: &Case) -> Result<Option<u64>, Failed> {
    let mut args = vec!["run".to_string(), case.path.clone()];
    args.extend(case.args.iter().cloned());
    args.push("--stats".into());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&argv);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    let mut problems = Vec::new();
    if out.status.code() != Some(case.exit) {
        problems.push(format!(
            "exit {:?}, expected {}",
            out.status.code(),
            case.exit
        ));
    }
    let expected_stdout = path.with_extension("stdout");
    if expected_stdout.exists() {
        let expected = fs::read_to_string(&expected_stdout).unwrap();
        if stdout != expected {
            problems.push(format!(
                "stdout differs\n--- expected\n{expected}--- actual\n{stdout}---"
            ));
        }
    }
    for needle in case.stderr.iter().chain(&case.stderr_wasm) {
        if !stderr.contains(needle.as_str()) {
            problems.push(format!("stderr lacks {needle:?}"));
        }
    }
    let fuel = stderr
        .lines()
        .any(|l| l.starts_with("stats: "))
        .then(|| fuel_from_stats(&stderr));
    if let (Some(max), Some(fuel)) = (case.fuel_max, fuel)
        && fuel > max
    {
        problems.push(format!("used {fuel} fuel, budget {max}"));
    }
    if problems.is_empty() {
        Ok(fuel)
    } else {
        Err(format!("{}\n  stderr was:\n{stderr}", problems.join("\n  ")).into())
    }
}

/// Checks `fuel` against the case's pin: a case that ran has one, a case
/// the compiler refused has none.
fn check_fuel(name: &str, fuel: Option<u64>, pins: &BTreeMap<String, u64>) -> Result<(), Failed> {
    let (fuel, pinned) = match (fuel, pins.get(name)) {
        (None, None) => return Ok(()),
        (Some(fuel), Some(&pinned)) => (fuel, pinned),
        (Some(fuel), None) => {
            return Err(format!(
                "no fuel pinned for {name} in {FUEL_FILE} (used {fuel}); run `{BLESS}`"
            )
            .into());
        }
        (None, Some(pinned)) => {
            return Err(format!(
                "{FUEL_FILE} pins {pinned} fuel for {name}, but it did not run; run `{BLESS}`"
            )
            .into());
        }
    };
    let drift = (fuel as f64 - pinned as f64) / pinned.max(1) as f64;
    if drift.abs() > FUEL_TOLERANCE {
        return Err(format!(
            "used {fuel} fuel, pinned {pinned} ({:+.1}%, more than ±{}%): if the change is meant, run `{BLESS}`",
            drift * 100.0,
            FUEL_TOLERANCE * 100.0
        )
        .into());
    }
    Ok(())
}

fn fuel_file() -> PathBuf {
    repo_root().join(FUEL_FILE)
}

/// `<case> <fuel>` lines; `#` starts a comment.
fn read_pins() -> BTreeMap<String, u64> {
    let text = fs::read_to_string(fuel_file()).unwrap_or_default();
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|line| !line.is_empty())
        .map(|line| {
            let (name, fuel) = line
                .split_once(' ')
                .unwrap_or_else(|| panic!("{FUEL_FILE}: `{line}` is not `<case> <fuel>`"));
            let fuel = fuel
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{FUEL_FILE}: `{line}` has no fuel number"));
            (name.to_string(), fuel)
        })
        .collect()
}

/// Rewrites the pins: cases this run reached get the fuel they used (none
/// when they did not run); cases it did not reach (filtered out) keep their
/// pins; cases gone are dropped.
fn write_pins(old: &BTreeMap<String, u64>, blessed: &BTreeMap<String, Option<u64>>) {
    let cases: Vec<String> = spec_cases().iter().map(|p| case_name(p)).collect();
    let mut out = format!(
        "# Fuel each spec case uses on the wasm engine, held within ±{}% by\n# cli/tests/spec.rs. After a change that is meant to move it: {BLESS}\n",
        FUEL_TOLERANCE * 100.0
    );
    for name in cases {
        let fuel = match blessed.get(&name) {
            Some(ran) => *ran,
            None => old.get(&name).copied(),
        };
        if let Some(fuel) = fuel {
            out.push_str(&format!("{name} {fuel}\n"));
        }
    }
    fs::write(fuel_file(), out).expect("fuel.txt is writable");
}

/// The case on both engines: same stdout, events and exit code, and its
/// `@stderr` fragments on each.
fn compare_engines(case: &Case) -> Result<(), Failed> {
    require_deno();
    compare(&Job {
        script: case.path.clone(),
        args: case.args.clone(),
        expected_exit: Some(case.exit),
        stderr: case.stderr.clone(),
    })
    .map_err(Failed::from)
}

/// The compiler marks reads of globals the engine lacks
/// (`coral_compiler::positions`); its list must be the engine's.
fn engine_globals_match() -> Result<(), Failed> {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("globals.ts");
    fs::write(
        &script,
        "console.log(Object.getOwnPropertyNames(globalThis).filter((n) => !n.startsWith(\"__coral\")).sort().join(\"\\n\"));",
    )
    .unwrap();
    let out = run(&["run", script.to_str().unwrap()]);
    if out.status.code() != Some(0) {
        return Err(text(&out.stderr).into());
    }
    let engine: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
    if engine != coral_compiler::positions::ENGINE_GLOBALS {
        return Err(
            format!("update ENGINE_GLOBALS in compiler/src/positions.rs:\n{engine:#?}").into(),
        );
    }
    Ok(())
}
