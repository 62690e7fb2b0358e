//! Runs every case in `tests/spec/` (see its README for the directives) and
//! reports all failures together.

mod common;

use std::fs;
use std::path::Path;

use common::{fuel_from_stats, repo_root, run, text};

#[derive(Debug, Default)]
struct Case {
    args: Vec<String>,
    exit: i32,
    stderr: Vec<String>,
    fuel_max: Option<u64>,
}

fn parse_directives(source: &str) -> Case {
    let mut case = Case::default();
    for line in source.lines() {
        let Some(rest) = line.strip_prefix("// @") else {
            continue;
        };
        let (key, value) = rest.split_once(' ').unwrap_or((rest, ""));
        match key {
            "args" => case.args.extend(value.split_whitespace().map(String::from)),
            "exit" => case.exit = value.trim().parse().expect("@exit is a number"),
            "stderr" => case.stderr.push(value.to_string()),
            "fuel-max" => {
                case.fuel_max = Some(value.trim().parse().expect("@fuel-max is a number"))
            }
            other => panic!("unknown directive @{other}"),
        }
    }
    case
}

fn check(path: &Path) -> Result<(), String> {
    let source = fs::read_to_string(path).unwrap();
    let case = parse_directives(&source);
    let rel = path
        .strip_prefix(repo_root())
        .unwrap()
        .to_string_lossy()
        .into_owned();
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
    for needle in &case.stderr {
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
fn spec_cases() {
    let dir = repo_root().join("tests/spec");
    let mut cases: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ts"))
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 20,
        "spec cases went missing: {}",
        cases.len()
    );
    let failures: Vec<String> = cases.iter().filter_map(|p| check(p).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} spec cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
