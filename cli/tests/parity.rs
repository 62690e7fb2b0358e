//! The Deno parity suite: every spec case and every example runs on both
//! engines against the same data (the deterministic demo colony) and must
//! print the same stdout, emit the same events, exit with the same code and
//! print each case's `@stderr` fragments (so messages agree too).
//! Needs a real `deno` (`scripts/setup.sh` installs one; `$CORAL_DENO` or
//! `PATH`): without it this suite fails, it does not skip.

mod common;

use std::path::Path;
use std::sync::Mutex;

use common::case::{Case, spec_cases};
use common::{repo_root, run, text};

/// Flags every example gets: the demo data and clock end at the epoch,
/// monitors stop after three ticks or at a virtual deadline.
const EXAMPLE_ARGS: &[&str] = &["--deterministic", "--timeout", "25", "--param", "ticks=3"];

struct Ran {
    code: Option<i32>,
    stdout: String,
    events: Vec<String>,
    stderr: String,
}

fn run_on(engine: &str, script: &str, args: &[String]) -> Ran {
    let mut argv = vec!["run", "--engine", engine, script];
    argv.extend(args.iter().map(String::as_str));
    let out = run(&argv);
    let stderr = text(&out.stderr);
    Ran {
        code: out.status.code(),
        stdout: text(&out.stdout),
        events: stderr
            .lines()
            .filter(|l| l.starts_with("event "))
            .map(String::from)
            .collect(),
        stderr,
    }
}

/// One script to compare.
struct Job {
    script: String,
    args: Vec<String>,
    expected_exit: Option<i32>,
    /// Fragments both engines' stderr must contain.
    stderr: Vec<String>,
}

/// Runs `script` on both engines; `Err` describes every difference.
fn compare(job: &Job) -> Result<(), String> {
    let Job {
        script,
        args,
        expected_exit,
        stderr,
    } = job;
    let wasm = run_on("wasm", script, args);
    let deno = run_on("deno", script, args);
    let mut problems = Vec::new();
    for fragment in stderr {
        for (engine, ran) in [("wasm", &wasm), ("deno", &deno)] {
            if !ran.stderr.contains(fragment.as_str()) {
                problems.push(format!("{engine} stderr lacks {fragment:?}"));
            }
        }
    }
    if wasm.code != deno.code {
        problems.push(format!("exit: wasm {:?}, deno {:?}", wasm.code, deno.code));
    }
    if let Some(expected) = *expected_exit
        && deno.code != Some(expected)
    {
        problems.push(format!(
            "deno exit {:?}, the case expects {expected}",
            deno.code
        ));
    }
    if wasm.stdout != deno.stdout {
        problems.push(format!(
            "stdout differs\n--- wasm\n{}--- deno\n{}---",
            wasm.stdout, deno.stdout
        ));
    }
    if wasm.events != deno.events {
        problems.push(format!(
            "events differ\n--- wasm\n{:#?}\n--- deno\n{:#?}",
            wasm.events, deno.events
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{script} {}:\n  {}\n  deno stderr:\n{}",
            args.join(" "),
            problems.join("\n  "),
            deno.stderr
        ))
    }
}

/// Runs the comparisons on two threads (one per core) and reports all failures.
fn compare_all(jobs: Vec<Job>) {
    assert!(
        std::env::var_os("CORAL_DENO").is_some_and(|d| Path::new(&d).is_file())
            || std::env::var_os("PATH")
                .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("deno").is_file())),
        "the parity suite needs deno: run scripts/setup.sh (pip install deno) or set CORAL_DENO"
    );
    let total = jobs.len();
    let queue = Mutex::new(jobs);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let Some(job) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    if let Err(e) = compare(&job) {
                        failures.lock().unwrap().push(e);
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {total} scripts differ between the engines:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn spec_cases_behave_the_same_on_both_engines() {
    let mut jobs = Vec::new();
    let mut wasm_only = Vec::new();
    for path in spec_cases() {
        let case = Case::parse(&path);
        match case.wasm_only {
            Some(_) => wasm_only.push(case.path),
            None => jobs.push(Job {
                script: case.path,
                args: case.args,
                expected_exit: Some(case.exit),
                stderr: case.stderr,
            }),
        }
    }
    // Each exclusion names its reason in the case; keep them few (two are
    // syntax the engines differ on: QuickJS's regular expressions, and
    // `accessor` fields lowered as tsc does but not by Deno).
    assert!(
        wasm_only.len() <= 6,
        "more wasm-only cases than expected: {wasm_only:?}"
    );
    compare_all(jobs);
}

#[test]
fn examples_behave_the_same_on_both_engines() {
    let mut jobs = Vec::new();
    for entry in std::fs::read_dir(repo_root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ts") {
            let rel = format!("examples/{}", path.file_name().unwrap().to_string_lossy());
            jobs.push(Job {
                script: rel,
                args: EXAMPLE_ARGS.iter().map(|a| a.to_string()).collect(),
                expected_exit: None,
                stderr: Vec::new(),
            });
        }
    }
    assert!(jobs.len() >= 9, "examples went missing: {}", jobs.len());
    compare_all(jobs);
}
