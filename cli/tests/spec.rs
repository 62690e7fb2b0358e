//! Runs every case in `tests/spec/` (see its README for the directives) and
//! reports all failures together.

mod common;

use std::fs;
use std::path::Path;

use common::case::{Case, spec_cases};
use common::{fuel_from_stats, run, text};

fn check(path: &Path) -> Result<(), String> {
    let case = Case::parse(path);
    let rel = case.path.clone();
    let mut args = vec!["run".to_string(), rel.clone()];
    args.extend(case.args.iter().cloned());
    if case.fuel_max.is_some() {
        args.push("--stats".into());
    }
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
    if let Some(max) = case.fuel_max {
        let fuel = fuel_from_stats(&stderr);
        if fuel > max {
            problems.push(format!("used {fuel} fuel, budget {max}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{rel}:\n  {}\n  stderr was:\n{stderr}",
            problems.join("\n  ")
        ))
    }
}

#[test]
fn every_spec_case_passes() {
    let cases = spec_cases();
    let failures: Vec<String> = cases.iter().filter_map(|p| check(p).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} spec cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// The compiler marks reads of globals the engine lacks
/// (`coral_compiler::positions`); its list must be the engine's.
#[test]
fn the_compilers_list_of_engine_globals_is_the_engines() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("globals.ts");
    fs::write(
        &script,
        "console.log(Object.getOwnPropertyNames(globalThis).filter((n) => !n.startsWith(\"__coral\")).sort().join(\"\\n\"));",
    )
    .unwrap();
    let out = run(&["run", script.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let engine: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
    assert_eq!(
        engine,
        coral_compiler::positions::ENGINE_GLOBALS,
        "update ENGINE_GLOBALS in compiler/src/positions.rs"
    );
}
