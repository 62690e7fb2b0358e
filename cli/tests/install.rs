//! `scripts/install.sh`: the installed set works on its own, run from
//! another directory through the `bin/coral` link, with no path of the build
//! machine in any RUNPATH.

mod common;

use std::path::Path;
use std::process::Command;

use common::{repo_root, run_with_guard, text};

/// The RUNPATH (or RPATH) entries of an ELF file, read by `readelf`.
fn runpath(file: &Path) -> Vec<String> {
    let out = Command::new("readelf")
        .arg("-d")
        .arg(file)
        .output()
        .expect("readelf runs (binutils)");
    text(&out.stdout)
        .lines()
        .filter(|l| l.contains("(RUNPATH)") || l.contains("(RPATH)"))
        .filter_map(|l| l.split_once('[').and_then(|(_, v)| v.split_once(']')))
        .flat_map(|(v, _)| v.split(':').map(String::from).collect::<Vec<_>>())
        .collect()
}

#[test]
fn the_installed_set_runs_from_another_directory() {
    let parent = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let built = Path::new(env!("CARGO_BIN_EXE_coral")).parent().unwrap();
    // A relative --prefix means where the command was typed, not the repository.
    let out = Command::new("bash")
        .arg(repo_root().join("scripts/install.sh"))
        .args(["--prefix", "inst", "--from"])
        .arg(built)
        .current_dir(parent.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "install.sh: {}", text(&out.stderr));
    let prefix = parent.path().join("inst");
    assert!(prefix.join("bin/coral").exists(), "{}", text(&out.stderr));

    let lib = prefix.as_path().join("lib/coral");
    for file in ["coral-colony", "coral-agent", "libcoral_colony_embed.so"] {
        let entries = runpath(&lib.join(file));
        assert!(!entries.is_empty(), "{file} has no RUNPATH");
        for entry in entries {
            assert!(
                entry.starts_with("$ORIGIN"),
                "{file}: RUNPATH entry {entry} is not relative to the file"
            );
        }
    }

    // A script and nothing else in a fresh directory; a clean environment.
    let script = work.path().join("report.ts");
    std::fs::copy(repo_root().join("examples/latency-report.ts"), &script).unwrap();
    std::fs::write(
        work.path().join("hello.ts"),
        "console.log('hello from', 'coral');\n",
    )
    .unwrap();
    let coral = prefix.as_path().join("bin/coral");
    let installed = |args: &[&str]| {
        let mut cmd = Command::new(&coral);
        cmd.args(args)
            .current_dir(work.path())
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", work.path());
        let out = run_with_guard(cmd, std::time::Duration::from_secs(120));
        let code = out.status.code();
        assert_eq!(
            code,
            Some(0),
            "coral {args:?}:\nstdout: {}\nstderr: {}",
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    };

    // The embedded colony (libcoral_colony_embed.so + libduckdb.so).
    let report = installed(&["run", "report.ts", "--deterministic"]);
    assert!(report.contains("payments"), "{report}");
    // coral-colony, then the file read in-process.
    installed(&[
        "colony",
        "demo",
        "--db",
        "demo.duckdb",
        "--fixed-now",
        "1767225600",
    ]);
    let from_file = installed(&["run", "report.ts", "--deterministic", "--db", "demo.duckdb"]);
    assert_eq!(from_file, report);
    // libcoral_intl.so, loaded on the first locale-aware call.
    std::fs::write(
        work.path().join("intl.ts"),
        "console.log((1234.5).toLocaleString('de-DE'), new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', timeStyle: 'short' }).format(0));\n",
    )
    .unwrap();
    assert_eq!(installed(&["run", "intl.ts"]), "1.234,5 09:00\n");
    // coral-bundler.
    installed(&["build", "hello.ts", "-o", "hello.wasm"]);
    assert_eq!(installed(&["run", "hello.wasm"]), "hello from coral\n");
}
