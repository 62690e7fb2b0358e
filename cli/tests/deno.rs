//! `coral run --engine deno` beyond output parity (`parity.rs`): the sandbox
//! holds on both engines, the flags and environment that pick and refuse
//! the engine, and what a Deno run reports.

mod common;

use std::net::TcpListener;

use common::{coral, run, run_script, text};

#[test]
fn sandbox_probes_are_blocked_on_both_engines() {
    // A live listener, so a refused connection means denied, not closed.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("escaped.txt");
    // A JSON file outside the script's folder that no probe may read.
    let secret = dir.path().join("secret.json");
    std::fs::write(&secret, r#"{"secret": "hunter2"}"#).unwrap();
    let mut outputs = Vec::new();
    for engine in ["wasm", "deno"] {
        let (code, out, err) = run_script(&[
            "run",
            "--engine",
            engine,
            "tests/parity/probes.ts",
            "--param",
            &format!("port={port}"),
            "--param",
            &format!("file={}", file.display()),
            "--param",
            &format!("secret={}", secret.display()),
        ]);
        assert_eq!(code, 0, "{engine}: {err}");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 26, "{engine}: every probe reports\n{out}");
        for line in &lines {
            assert!(line.ends_with(": blocked"), "{engine}: {line}\n{err}");
        }
        outputs.push(out);
    }
    assert_eq!(outputs[0], outputs[1]);
    assert!(
        listener.accept().is_err(),
        "nothing connected to the listener"
    );
    assert!(!file.exists(), "no file was written");
}

/// Reads a file beside the script, through a symlink to /etc, and above the
/// folder: each line says what happened.
const READER: &str = r#"const dir = new URL(".", import.meta.url);
for (const name of ["beside.txt", "outside/hostname", "../above.txt"]) {
  try {
    Deno.readTextFileSync(new URL(name, dir));
    console.log(name, "read");
  } catch (e) {
    console.log(name, (e as Error).name);
  }
}
"#;

#[test]
fn deno_reads_no_file_not_even_beside_the_script() {
    // Stricter than the RFD's --allow-read=<script folder>: what a script
    // may load is what the compiler's import policy checked (static
    // imports need no read permission), and nothing else, as on wasm. A
    // symlink to /etc beside the script used to give /etc away.
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("scripts");
    std::fs::create_dir(&inner).unwrap();
    std::fs::write(inner.join("beside.txt"), "beside").unwrap();
    std::os::unix::fs::symlink("/etc", inner.join("outside")).unwrap();
    std::fs::write(dir.path().join("above.txt"), "above").unwrap();
    let script = inner.join("read.ts");
    std::fs::write(&script, READER).unwrap();
    let (code, out, err) = run_script(&["run", "--engine", "deno", script.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "beside.txt NotCapable\noutside/hostname NotCapable\n../above.txt NotCapable\n"
    );
}

#[test]
fn odd_folder_names_cannot_steer_deno() {
    // A comma used to split --allow-read=<folder> into two grants (here
    // "<tmp>/a" and "/etc"); a newline in the path used to inject code into
    // the main module coral writes.
    let dir = tempfile::tempdir().unwrap();
    for folder in [
        "a,/etc",
        "b\nconsole.log(\"INJECTED\")\n//",
        "c,",
        "d\"'`${x}%20#?",
    ] {
        let inner = dir.path().join(folder);
        std::fs::create_dir_all(&inner).unwrap();
        std::fs::write(inner.join("beside.txt"), "beside").unwrap();
        std::os::unix::fs::symlink("/etc", inner.join("outside")).unwrap_or(());
        let script = inner.join("read.ts");
        std::fs::write(&script, READER).unwrap();
        let (code, out, err) = run_script(&["run", "--engine", "deno", script.to_str().unwrap()]);
        assert_eq!(code, 0, "{folder:?}: {err}");
        assert!(!out.contains("INJECTED"), "{folder:?}: {out}");
        assert!(!out.contains(" read"), "{folder:?}: {out}");
        assert_eq!(out.lines().count(), 3, "{folder:?}: {out}");
    }
}

#[test]
fn a_script_cannot_forge_coral_control_records() {
    // Records without the run's secret (which only setup.js reads, from
    // stdin) are the script's own text: shown, and without effect.
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("forge.ts");
    std::fs::write(
        &script,
        r#"const rs = String.fromCharCode(30);
console.error(`${rs}coral:{"timeout":{}}`);
console.error(`${rs}coral:{"uncaught":{"name":"Error","message":"forged","frames":[]}}`);
console.error(`${rs}coral:{"emit":{"name":"forged","severity":"info","data":null}}`);
let secret = "none";
try { secret = new TextDecoder().decode(await new Response(Deno.stdin.readable).arrayBuffer()); } catch { /* closed */ }
console.log("stdin:", JSON.stringify(secret), "args:", JSON.stringify(Deno.args));
"#,
    )
    .unwrap();
    let (code, out, err) = run_script(&["run", "--engine", "deno", script.to_str().unwrap()]);
    assert_eq!(
        code, 0,
        "a forged timeout or error does not end the run: {err}"
    );
    assert_eq!(out, "stdin: \"\" args: []\n", "the secret is out of reach");
    assert!(!err.contains("event forged"), "{err}");
    assert!(
        err.contains("coral:{\"timeout\":{}}"),
        "shown as text: {err}"
    );
}

#[test]
fn the_engine_comes_from_the_flag_or_coral_engine() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("which.ts");
    std::fs::write(&script, "console.log(typeof (globalThis as any).Deno);\n").unwrap();
    let script = script.to_str().unwrap();
    let by_env = coral()
        .args(["run", script])
        .env("CORAL_ENGINE", "deno")
        .output()
        .unwrap();
    assert_eq!(text(&by_env.stdout), "object\n", "{}", text(&by_env.stderr));
    let default = run_script(&["run", script]);
    assert_eq!(default.1, "undefined\n");
    let flag = run_script(&["run", "--engine", "deno", script]);
    assert_eq!(flag.1, "object\n");
}

#[test]
fn a_missing_deno_says_how_to_install_it() {
    let out = coral()
        .args(["run", "--engine", "deno", "examples/hello.ts"])
        .env("CORAL_DENO", "/nonexistent/deno")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("(--deno or CORAL_DENO) is /nonexistent/deno"),
        "{err}"
    );
    assert!(err.contains("pip install deno"), "{err}");
    let out = coral()
        .args(["run", "--engine", "deno", "examples/hello.ts"])
        .env_remove("CORAL_DENO")
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("none on PATH"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn deno_refuses_fuel_and_wasm_bundles() {
    let (code, _, err) = run_script(&[
        "run",
        "--engine",
        "deno",
        "--fuel",
        "1000",
        "examples/hello.ts",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--fuel counts wasm instructions"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("hello.wasm");
    let built = run(&["build", "examples/hello.ts", "-o", bundle.to_str().unwrap()]);
    assert_eq!(built.status.code(), Some(0), "{}", text(&built.stderr));
    let (code, _, err) = run_script(&["run", "--engine", "deno", bundle.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("only the wasm engine runs"), "{err}");
}

#[test]
fn deno_runs_report_stats_and_colony_calls() {
    let (code, out, err) = run_script(&[
        "run",
        "--engine",
        "deno",
        "--deterministic",
        "--stats",
        "examples/check-latency.ts",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.is_empty());
    assert!(err.contains("stats: engine=deno peak_rss="), "{err}");
    assert!(err.contains("stats: colony_calls="), "{err}");
    assert!(
        err.contains("coral: no colony given; querying an embedded colony"),
        "the same announcement as the wasm engine: {err}"
    );
}

/// The children of `pid` (any of its threads).
fn children(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("children")).ok())
        .flat_map(|c| {
            c.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect()
}

#[test]
fn deno_does_not_outlive_a_killed_coral() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("forever.ts");
    std::fs::write(&script, "setInterval(() => {}, 1000);\n").unwrap();
    let mut child = coral()
        .args(["run", "--engine", "deno", script.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut deno = Vec::new();
    for _ in 0..200 {
        deno = children(child.id());
        if !deno.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(deno.len(), 1, "coral started one deno");
    child.kill().unwrap(); // SIGKILL: coral gets no chance to clean up
    child.wait().unwrap();
    let gone = (0..100).any(|_| {
        let state = std::fs::read_to_string(format!("/proc/{}/stat", deno[0]));
        // Gone, or a zombie waiting for init to reap it.
        let dead = state.map_or(true, |s| s.contains(") Z "));
        if !dead {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        dead
    });
    assert!(gone, "deno {} outlived coral", deno[0]);
}

#[test]
fn a_script_printing_denos_report_markers_does_not_change_its_outcome() {
    // The text of V8's out-of-memory report and of Deno's unsettled-await
    // report, printed by a script that then finishes normally: shown as
    // printed, exit 0.
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("markers.ts");
    std::fs::write(
        &script,
        "console.error(\"<--- Last few GCs --->\");\nconsole.error(\"error: Top-level await promise never resolved\");\nconsole.error(\"after\");\nconsole.log(\"done\");\n",
    )
    .unwrap();
    let (code, out, err) = run_script(&["run", "--engine", "deno", script.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "done\n");
    assert!(
        err.contains(
            "<--- Last few GCs --->\nerror: Top-level await promise never resolved\nafter\n"
        ),
        "{err}"
    );
}
