//! Fixtures of the module rewrite (`compiler/src/module.rs`): each folder of
//! `compiler/tests/rewrite/` holds a `main.ts` and the modules it imports;
//! the program `coral_compiler::compile` makes of it must equal the folder's
//! `expected.js` byte for byte. A change to the rewrite shows as a diff of
//! these files; when it is meant, rewrite them and review the diff:
//!
//! ```sh
//! CORAL_BLESS=1 cargo test --release --test rewrite
//! ```

use std::path::{Path, PathBuf};

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rewrite");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("main.ts").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 6, "rewrite fixtures went missing: {dirs:?}");
    dirs
}

#[test]
fn every_fixture_bundles_to_its_expected_program() {
    let bless = std::env::var_os("CORAL_BLESS").is_some_and(|v| v != "0");
    let mut failures = Vec::new();
    for dir in fixtures() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let compiled = coral_compiler::compile(&dir.join("main.ts"))
            .unwrap_or_else(|e| panic!("{name}: {e:#}"));
        let expected_path = dir.join("expected.js");
        if bless {
            std::fs::write(&expected_path, &compiled.js).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if compiled.js != expected {
            failures.push(format!(
                "{name}: the program differs from {}\n--- expected\n{expected}--- actual\n{}---",
                expected_path.display(),
                compiled.js
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\nIf the change is meant: CORAL_BLESS=1 cargo test --release --test rewrite",
        failures.join("\n\n")
    );
}
