//! Running one script on both engines and comparing what they did: the
//! spec cases' `spec::<case>::deno` tests and the examples' parity suite.

use std::path::Path;

use super::{run, text};

/// What one engine did with a script.
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
pub struct Job {
    /// Relative to the repository root.
    pub script: String,
    pub args: Vec<String>,
    /// The exit code Deno must give (the wasm engine must give the same).
    pub expected_exit: Option<i32>,
    /// Fragments both engines' stderr must contain.
    pub stderr: Vec<String>,
}

/// Fails unless a real `deno` is there: without it the parity tests fail,
/// they do not skip.
pub fn require_deno() {
    assert!(
        std::env::var_os("CORAL_DENO").is_some_and(|d| Path::new(&d).is_file())
            || std::env::var_os("PATH")
                .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("deno").is_file())),
        "the parity tests need deno: run scripts/setup.sh (pip install deno) or set CORAL_DENO"
    );
}

/// Runs the job's script on both engines; `Err` describes every difference:
/// stdout, events, exit code, and the stderr fragments on each.
pub fn compare(job: &Job) -> Result<(), String> {
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
