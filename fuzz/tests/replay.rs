//! Every fuzz target, replayed on stable: each seed in
//! `fuzz/corpus/<target>/` and `CORAL_FUZZ_CASES` (default 200) inputs
//! generated from them with fixed seeds (`coral_fuzz::generate`). A failing
//! input is written to `$CARGO_TARGET_TMPDIR/fuzz-failures/` so it can be
//! replayed alone (`docs/fuzzing.md`).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use coral_fuzz::{TARGETS, Target, generate};

/// Generated inputs per target unless `CORAL_FUZZ_CASES` says otherwise.
const DEFAULT_CASES: u64 = 200;

fn corpus(target: &Target) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target.name);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("a readable seed");
            (path, bytes)
        })
        .collect()
}

/// Runs `target` on `input`; on a panic, saves the input and fails naming
/// where it came from.
fn run(target: &Target, origin: &str, input: &[u8]) {
    if let Err(panic) = catch_unwind(AssertUnwindSafe(|| (target.check)(input))) {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
        std::fs::create_dir_all(&dir).expect("a folder for failures");
        let saved = dir.join(format!("{}-{}", target.name, origin.replace('/', "_")));
        std::fs::write(&saved, input).expect("save the failing input");
        let why = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("a panic");
        panic!(
            "fuzz target `{}` failed on {origin} (saved as {}): {why}",
            target.name,
            saved.display()
        );
    }
}

fn replay(name: &str) {
    let target = TARGETS
        .iter()
        .find(|t| t.name == name)
        .expect("a target of that name");
    let seeds = corpus(target);
    assert!(!seeds.is_empty(), "fuzz/corpus/{name} has no seeds");
    for (path, bytes) in &seeds {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy())
            .unwrap_or_default();
        run(target, &format!("seed {file}"), bytes);
    }
    let cases = std::env::var("CORAL_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let seeds: Vec<Vec<u8>> = seeds.into_iter().map(|(_, b)| b).collect();
    for n in 0..cases {
        run(
            target,
            &format!("generated input {n}"),
            &generate(&seeds, n),
        );
    }
}

#[test]
fn every_target_is_replayed() {
    let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
    assert_eq!(
        names,
        [
            "abi", "bundle", "console", "compiler", "sql", "connect", "otlp"
        ],
        "a new target needs a test below and a cargo-fuzz target in fuzz/libfuzzer"
    );
}

#[test]
fn abi() {
    replay("abi");
}

#[test]
fn bundle() {
    replay("bundle");
}

#[test]
fn console() {
    replay("console");
}

#[test]
fn compiler() {
    replay("compiler");
}

#[test]
fn sql() {
    replay("sql");
}

#[test]
fn connect() {
    replay("connect");
}

#[test]
fn otlp() {
    replay("otlp");
}
