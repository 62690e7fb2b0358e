//! A spec case's directives (`tests/spec/README.md`), shared by the spec
//! suite and the Deno parity suite.

use std::path::{Path, PathBuf};

use super::repo_root;

#[derive(Debug, Default)]
pub struct Case {
    /// The script, relative to the repository root.
    pub path: String,
    pub args: Vec<String>,
    pub exit: i32,
    /// Stderr fragments both engines must print.
    pub stderr: Vec<String>,
    /// Stderr fragments only the wasm engine is held to (`@stderr-wasm`:
    /// stack columns, which V8 counts differently).
    pub stderr_wasm: Vec<String>,
    pub fuel_max: Option<u64>,
    /// `@fuel-unpinned <why>`: the fuel it uses is not a function of the
    /// script (it runs until a wall-clock deadline).
    pub fuel_unpinned: Option<String>,
    /// `@engine wasm <why>`: the case tests something only the wasm engine has.
    pub wasm_only: Option<String>,
}

impl Case {
    pub fn parse(path: &Path) -> Self {
        let source = std::fs::read_to_string(path).unwrap();
        let mut case = Case {
            path: path
                .strip_prefix(repo_root())
                .unwrap()
                .to_string_lossy()
                .into_owned(),
            ..Case::default()
        };
        for line in source.lines() {
            let Some(rest) = line.strip_prefix("// @") else {
                continue;
            };
            let (key, value) = rest.split_once(' ').unwrap_or((rest, ""));
            match key {
                "args" => case.args.extend(value.split_whitespace().map(String::from)),
                "exit" => case.exit = value.trim().parse().expect("@exit is a number"),
                "stderr" => case.stderr.push(value.to_string()),
                "stderr-wasm" => case.stderr_wasm.push(value.to_string()),
                "fuel-max" => {
                    case.fuel_max = Some(value.trim().parse().expect("@fuel-max is a number"))
                }
                "fuel-unpinned" => {
                    assert!(!value.trim().is_empty(), "@fuel-unpinned needs a reason");
                    case.fuel_unpinned = Some(value.trim().to_string());
                }
                "engine" => {
                    let reason = value
                        .strip_prefix("wasm ")
                        .expect("@engine wasm <why the case is wasm-only>");
                    assert!(!reason.trim().is_empty(), "@engine wasm needs a reason");
                    case.wasm_only = Some(reason.trim().to_string());
                }
                other => panic!("unknown directive @{other} in {}", path.display()),
            }
        }
        case
    }
}

/// Every spec case, sorted.
pub fn spec_cases() -> Vec<PathBuf> {
    let dir = repo_root().join("tests/spec");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
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
    cases
}
