//! The compatibility suite (`tests/compat/`): every script runs on both
//! engines and must exit 0 with the same stdout, except for the lines
//! `tests/compat/differences.md` lists (each with the Deno line, the wasm
//! line and the reason). A listed difference that no longer occurs fails
//! too, so the list stays true. Needs a real `deno`, like the parity suite.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{repo_root, run, text};

/// One documented difference: `(script, deno line, wasm line)`.
type Difference = (String, String, String);

/// Parses `differences.md`: a `### <script>` heading, then entries of three
/// bullets, `` - deno: `…` ``, `` - wasm: `…` `` and `- why: …`.
fn documented() -> BTreeSet<Difference> {
    let path = repo_root().join("tests/compat/differences.md");
    let doc = std::fs::read_to_string(&path).expect("tests/compat/differences.md");
    let mut out = BTreeSet::new();
    let (mut script, mut deno) = (String::new(), None::<String>);
    let quoted = |line: &str, key: &str| -> Option<String> {
        let rest = line.strip_prefix(key)?.trim();
        Some(rest.strip_prefix('`')?.strip_suffix('`')?.to_string())
    };
    for line in doc.lines() {
        if let Some(name) = line.strip_prefix("### ") {
            script = name.trim().to_string();
        } else if let Some(d) = quoted(line, "- deno:") {
            deno = Some(d);
        } else if let Some(w) = quoted(line, "- wasm:") {
            let d = deno
                .take()
                .unwrap_or_else(|| panic!("{line}: a wasm line without its deno line"));
            out.insert((script.clone(), d, w));
        }
    }
    out
}

fn args_of(path: &Path) -> Vec<String> {
    let source = std::fs::read_to_string(path).unwrap();
    source
        .lines()
        .find_map(|l| l.strip_prefix("// @args"))
        .map(|a| a.split_whitespace().map(String::from).collect())
        .unwrap_or_default()
}

fn scripts() -> Vec<String> {
    let mut out = Vec::new();
    for folder in [
        "intl",
        "web",
        "console",
        "corpus",
        "typescript",
        "typescript/legacy",
    ] {
        let dir = repo_root().join("tests/compat").join(folder);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "ts") {
                out.push(format!(
                    "{folder}/{}",
                    path.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    out.sort();
    out
}

/// Runs one script on both engines; returns the problems and the
/// differences it showed.
fn compare(script: &str, documented: &BTreeSet<Difference>) -> (Vec<String>, Vec<Difference>) {
    let path = repo_root().join("tests/compat").join(script);
    let args = args_of(&path);
    let on = |engine: &str| {
        let mut argv = vec!["run", "--engine", engine, path.to_str().unwrap()];
        argv.extend(args.iter().map(String::as_str));
        run(&argv)
    };
    let (wasm, deno) = (on("wasm"), on("deno"));
    let mut problems = Vec::new();
    for (engine, out) in [("wasm", &wasm), ("deno", &deno)] {
        if out.status.code() != Some(0) {
            problems.push(format!(
                "{script}: {engine} exited {:?}: {}",
                out.status.code(),
                text(&out.stderr)
            ));
        }
    }
    let (w, d) = (text(&wasm.stdout), text(&deno.stdout));
    let (w, d): (Vec<&str>, Vec<&str>) = (w.lines().collect(), d.lines().collect());
    if w.len() != d.len() {
        problems.push(format!(
            "{script}: {} lines on wasm, {} on deno",
            w.len(),
            d.len()
        ));
        return (problems, Vec::new());
    }
    let mut seen = Vec::new();
    for (dl, wl) in d.iter().zip(&w) {
        if dl == wl {
            continue;
        }
        let key = (script.to_string(), dl.to_string(), wl.to_string());
        if !documented.contains(&key) {
            problems.push(format!(
                "{script}: undocumented difference\n  - deno: `{dl}`\n  - wasm: `{wl}`"
            ));
        }
        seen.push(key);
    }
    (problems, seen)
}

#[test]
fn compat_scripts_print_the_same_on_both_engines_but_for_documented_differences() {
    let documented = documented();
    let scripts = scripts();
    assert!(
        scripts.len() >= 26,
        "compat scripts went missing: {}",
        scripts.len()
    );
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    // Two at a time: each run uses one core.
    for pair in scripts.chunks(2) {
        let results: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = pair
                .iter()
                .map(|s| scope.spawn(|| compare(s, &documented)))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (p, s) in results {
            problems.extend(p);
            seen.extend(s);
        }
    }
    for stale in documented.difference(&seen) {
        problems.push(format!(
            "{}: documented difference no longer occurs (remove it)\n  - deno: `{}`\n  - wasm: `{}`",
            stale.0, stale.1, stale.2
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn crypto_is_random_unless_deterministic() {
    let script = repo_root().join("tests/compat/web/crypto.ts");
    let uuid = |args: &[&str]| {
        let mut argv = vec!["run", script.to_str().unwrap()];
        argv.extend(args);
        let out = run(&argv);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
            .lines()
            .find(|l| l.starts_with("randomUUID: "))
            .map(String::from)
            .expect("a randomUUID line")
    };
    // The operating system's generator: two runs differ.
    assert_ne!(uuid(&[]), uuid(&[]));
    // Seeded: the same on every run (and on both engines, by the suite).
    assert_eq!(uuid(&["--deterministic"]), uuid(&["--deterministic"]));
}
