//! `coral check` on `tests/check/`: each kind of finding at its file, line
//! and column, in every output format; JUnit read with a real XML parser
//! (Python's ElementTree) for the attributes GitLab reads; the examples
//! pass their own budgets.

mod common;

use common::{coral, repo_root, run_with_guard, text};
use std::time::Duration;

/// `coral check <args>` from the repository root: (code, stdout, stderr).
fn check(args: &[&str]) -> (i32, String, String) {
    let mut cmd = coral();
    cmd.arg("check").args(args);
    let out = run_with_guard(cmd, Duration::from_secs(300));
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

/// (file, check, place or None for a pass) of every fixture.
const EXPECTED: &[(&str, &str, Option<&str>)] = &[
    ("good.ts", "compile", None),
    ("good.ts", "types", None),
    ("good.ts", "run", None),
    ("types.ts", "types", Some("tests/check/types.ts:2:7")),
    ("syntax.ts", "compile", Some("tests/check/syntax.ts:3:")),
    (
        "forbidden.ts",
        "compile",
        Some("tests/check/forbidden.ts:2:"),
    ),
    ("fuel.ts", "run", Some("tests/check/fuel.ts:1:1")),
    ("exit.ts", "run", Some("tests/check/exit.ts:2:11")),
    ("expected-exit.ts", "run", None),
    (
        "snapshot.ts",
        "run",
        Some("tests/check/snapshot.stdout:2:1"),
    ),
];

#[test]
fn every_finding_is_placed_in_every_format() {
    let (code, human, err) = check(&["tests/check", "--run"]);
    assert_eq!(code, 1, "a check failed: {human}{err}");
    for (file, check_name, place) in EXPECTED {
        let script = format!("tests/check/{file}");
        match place {
            None => assert!(
                human.contains(&format!("ok    {script} {check_name}")),
                "{script} {check_name} passes: {human}"
            ),
            Some(place) => {
                assert!(
                    human.contains(&format!("FAIL  {script} {check_name}")),
                    "{script} {check_name} fails: {human}"
                );
                assert!(human.contains(place), "{place} in {human}");
            }
        }
    }
    assert!(human.contains("TS2322"), "{human}");
    assert!(human.contains("fuel budget of 100000"), "{human}");
    assert!(human.contains("exited 1, expected 0"), "{human}");
    assert!(human.contains("Uncaught Error: not ready"), "{human}");
    assert!(
        !human.contains("forbidden.ts:2:30: tests/check"),
        "the place once: {human}"
    );

    let (code, json, _) = check(&["tests/check", "--run", "-o", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["passed"], false);
    let checks = json["checks"].as_array().unwrap();
    for (file, check_name, place) in EXPECTED {
        let found = checks
            .iter()
            .find(|c| c["script"] == format!("tests/check/{file}") && c["check"] == *check_name)
            .unwrap_or_else(|| panic!("{file} {check_name} in {checks:?}"));
        assert_eq!(found["passed"], place.is_none(), "{found}");
        if let Some(place) = place {
            let f = &found["findings"][0];
            let at = format!("{}:{}:{}", f["file"].as_str().unwrap(), f["line"], f["col"]);
            assert!(at.starts_with(place), "{at} vs {place}");
        }
    }

    let (code, github, _) = check(&["tests/check", "--run", "--format", "github"]);
    assert_eq!(code, 1);
    assert!(
        github.contains(
            "::error file=tests/check/types.ts,line=2,col=7,title=coral check types::TS2322"
        ),
        "{github}"
    );

    let (code, junit, _) = check(&["tests/check", "--run", "-o", "junit"]);
    assert_eq!(code, 1);
    let parsed = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, xml.etree.ElementTree as ET\n\
             root = ET.fromstring(sys.stdin.read())\n\
             for case in root.iter('testcase'):\n\
             \x20   failure = case.find('failure')\n\
             \x20   print(case.get('classname'), case.get('name'), failure.get('message') if failure is not None else 'ok')\n",
        )
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(junit.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(parsed.status.success(), "the JUnit parses: {junit}");
    let cases = text(&parsed.stdout);
    for (file, check_name, place) in EXPECTED {
        let line = cases
            .lines()
            .find(|l| l.starts_with(&format!("tests/check/{file} {check_name} ")))
            .unwrap_or_else(|| panic!("{file} {check_name} in {cases}"));
        match place {
            None => assert!(line.ends_with(" ok"), "{line}"),
            Some(place) => assert!(line.contains(&format!(" {place}")), "{line} vs {place}"),
        }
    }
}

#[test]
fn update_rewrites_a_snapshot_which_then_passes() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("snap.ts");
    std::fs::write(&script, "// @snapshot\nconsole.log(\"one\");\n").unwrap();
    let path = script.to_str().unwrap();
    let (code, out, _) = check(&[path, "--run"]);
    assert_eq!(code, 1, "no snapshot yet: {out}");
    assert!(out.contains("no snapshot yet"), "{out}");
    let (code, out, err) = check(&[path, "--run", "--update"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("snap.stdout")).unwrap(),
        "one\n"
    );
    let (code, out, err) = check(&[path, "--run"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn the_examples_pass_within_their_budgets() {
    let (code, out, err) = check(&["examples", "--run"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("checked 9 scripts"), "{out}");
    assert!(
        std::fs::read_to_string(repo_root().join("examples/coral.json"))
            .unwrap()
            .contains("\"fuel\""),
        "the examples' budgets live in examples/coral.json"
    );
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, err) = check(&["no/such/folder"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no/such/folder"), "the path is named: {err}");
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = check(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no scripts"), "{err}");
}

#[test]
fn an_initialised_folder_checks_clean_with_coral_and_deno() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("scripts");
    let out = common::run(&["init", folder.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for file in [
        "deno.json",
        "tsconfig.json",
        "p99.ts",
        "coral.json",
        ".github/workflows/coral-check.yml",
        ".coral/sdk/mod.ts",
    ] {
        assert!(folder.join(file).exists(), "{file}");
    }
    let (code, out, err) = check(&[folder.to_str().unwrap(), "--run"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("p99.ts run (fuel "), "{out}");
    // Deno, as an editor would, with the folder's own deno.json.
    let deno = std::env::var("CORAL_DENO").unwrap_or_else(|_| "deno".into());
    let typed = std::process::Command::new(deno)
        .args(["check", "--quiet", "p99.ts"])
        .current_dir(&folder)
        .env("NO_COLOR", "1")
        .output()
        .expect("deno runs (scripts/setup.sh --test installs it)");
    assert!(typed.status.success(), "{}", text(&typed.stderr));
    // Again: the user's files are kept.
    std::fs::write(folder.join("p99.ts"), "console.log(1);\n").unwrap();
    let out = common::run(&["init", folder.to_str().unwrap()]);
    assert!(text(&out.stderr).contains("kept"), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(folder.join("p99.ts")).unwrap(),
        "console.log(1);\n"
    );
}

#[test]
fn entries_are_the_scripts_nothing_imports_plus_coral_json_globs() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "main.ts",
        "import { twice } from \"./lib.ts\";\nconsole.log(twice(2));\n",
    );
    write(
        "lib.ts",
        "export const twice = (n: number): number => n * 2;\n",
    );
    write("draft.ts", "const broken: number = \"not yet\";\n");
    write("helper.ts", "export const unused = 1;\n");
    let folder = dir.path().to_str().unwrap();
    let (code, out, _) = check(&[folder, "-o", "json"]);
    assert_eq!(code, 1, "draft.ts has a type error: {out}");
    let scripts = |out: &str| -> Vec<String> {
        let json: serde_json::Value = serde_json::from_str(out).unwrap();
        let mut names: Vec<String> = json["checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                c["script"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        names.sort();
        names.dedup();
        names
    };
    // lib.ts is imported: not an entry of its own.
    assert_eq!(scripts(&out), ["draft.ts", "helper.ts", "main.ts"]);
    write(
        "coral.json",
        r#"{"include": ["lib.ts"], "exclude": ["draft*.ts"]}"#,
    );
    let (code, out, _) = check(&[folder, "-o", "json"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(scripts(&out), ["helper.ts", "lib.ts", "main.ts"]);
}

#[test]
fn regenerating_the_sdk_declarations_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh");
    let out = std::process::Command::new("bash")
        .arg(repo_root().join("scripts/gen-sdk-types.sh"))
        .arg(&fresh)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tsc regenerates them (scripts/setup.sh --test installs it): {}",
        text(&out.stderr)
    );
    let written = dir.path().join("written");
    let types = common::run(&["types", "--out", written.to_str().unwrap()]);
    assert!(types.status.success(), "{}", text(&types.stderr));
    let committed = repo_root().join("compiler/sdk-dts");
    let mut names: Vec<String> = std::fs::read_dir(&committed)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.contains(&"mod.d.ts".to_string()), "{names:?}");
    for name in &names {
        let want = std::fs::read_to_string(committed.join(name)).unwrap();
        let regenerated = std::fs::read_to_string(fresh.join(name)).unwrap_or_default();
        assert_eq!(
            regenerated, want,
            "{name} differs from what tsc makes of sdk/: run scripts/gen-sdk-types.sh"
        );
        assert_eq!(
            std::fs::read_to_string(written.join(name)).unwrap(),
            want,
            "coral types --out {name}"
        );
    }
    assert_eq!(
        std::fs::read_dir(&fresh).unwrap().count(),
        names.len(),
        "no file is missing"
    );
    let printed = common::run(&["types"]);
    assert!(text(&printed.stdout).contains("// @coral/sdk: mod.d.ts"));
}

#[test]
fn runs_query_an_otlp_fixture_when_given_one() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("count.ts");
    std::fs::write(
        &script,
        "// @snapshot\nimport { services } from \"@coral/sdk\";\nconsole.log((await services.list()).map((s) => s.name).sort().join(\",\"));\n",
    )
    .unwrap();
    let fixture = repo_root().join("tests/fixtures/export.json");
    let (code, out, err) = check(&[
        script.to_str().unwrap(),
        "--run",
        "--fixture",
        fixture.to_str().unwrap(),
        "--update",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let names = std::fs::read_to_string(dir.path().join("count.stdout")).unwrap();
    // The fixture's services, not the demo colony's.
    assert!(!names.contains("payments"), "{names}");
    assert_eq!(names, "json-svc\n");
}
