//! Helpers shared by the end-to-end tests: run the real `coral` binary with a
//! cache shared by every test (so the engine is initialised once).

#![allow(dead_code)] // each test binary uses a subset

pub mod case;
pub mod parity;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The cache every test shares.
pub fn shared_cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("coral-test-cache")
}

/// A `coral` command run from the repository root with the shared cache.
pub fn coral() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_coral"));
    cmd.current_dir(repo_root())
        .env("CORAL_CACHE_DIR", shared_cache())
        .env_remove("CORAL_SCRIPT_TIMEOUT")
        .env_remove("CORAL_SCRIPT_MEMORY")
        .env_remove("CORAL_COLONY_ADDR");
    cmd
}

/// Runs `cmd`, killing it if it has not finished after `limit` (a hang guard
/// so a broken limit fails the test instead of stalling the suite; it is
/// not a performance assertion).
pub fn run_with_guard(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("coral starts");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "coral did not stop within {limit:?}\nstdout: {}\nstderr: {}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs `coral <args>` with the hang guard.
pub fn run(args: &[&str]) -> Output {
    let mut cmd = coral();
    cmd.args(args);
    run_with_guard(cmd, Duration::from_secs(120))
}

/// Runs `coral <args>`: (exit code or -1, stdout, stderr).
pub fn run_script(args: &[&str]) -> (i32, String, String) {
    let out = run(args);
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

/// The fuel figure from a `--stats` line on stderr.
pub fn fuel_from_stats(stderr: &str) -> u64 {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("stats: "))
        .unwrap_or_else(|| panic!("no stats line in {stderr}"));
    line.split_whitespace()
        .find_map(|w| w.strip_prefix("fuel="))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no fuel= in {line}"))
}

/// Text of a byte buffer.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Starts `coral colony serve …` (`cmd`) and reads its banner (`colony
/// serving FILE on ADDR …`); the server and the address it listens on.
pub fn spawn_server(mut cmd: Command) -> (Child, String) {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("coral colony serve starts");
    let mut banner = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut banner)
        .unwrap();
    let addr = banner
        .split(" on ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in the serve banner: {banner}"))
        .to_string();
    (child, addr)
}
