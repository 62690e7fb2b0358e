//! The Deno parity suite for the examples: every example runs on both
//! engines against the same data (the deterministic demo colony) and must
//! print the same stdout, emit the same events and exit with the same code.
//! (The spec cases' parity is `spec::<case>::deno` in `spec.rs`.) Needs a
//! real `deno` (`scripts/setup.sh` installs one; `$CORAL_DENO` or `PATH`):
//! without it this suite fails, it does not skip.

mod common;

use std::sync::Mutex;

use common::parity::{Job, compare, require_deno};
use common::repo_root;

/// Flags every example gets: the demo data and clock end at the epoch,
/// monitors stop after three ticks or at a virtual deadline.
const EXAMPLE_ARGS: &[&str] = &["--deterministic", "--timeout", "25", "--param", "ticks=3"];

/// Runs the comparisons on two threads (one per core) and reports all failures.
fn compare_all(jobs: Vec<Job>) {
    require_deno();
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
