//! The documentation is run: a doc that drifts from the binary fails here.
//!
//! In README.md and docs/*.md:
//! * every line of a ```` ```sh ```` block that starts with `coral ` is run,
//!   in order, and must exit 0 (`coral colony serve` is started in the
//!   background; its `--listen` address is replaced by a free port, which
//!   later lines reach through `CORAL_COLONY_ADDR`; `coral agent serve`
//!   too, with its OTLP receiver on a free port, and later lines reach it
//!   through the socket in its `--data-dir`);
//! * in a ```` ```console ```` block, a `$ coral …` line is run and the lines
//!   after it are its output (stdout, then stderr), compared line by line; a
//!   `...` line stands for any number of lines; it must exit 0, or N when the
//!   line ends with `# exit N`;
//! * every `coral` command shown anywhere (code spans and blocks) names a
//!   subcommand that exists, with flags its `--help` lists.
//!
//! Each file runs in a scratch directory holding copies of `examples/*.ts`
//! (at its top level, as the README names them), `tests/` and an OTLP/JSON
//! file `export.json`.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Duration;

use common::{coral, repo_root, run_with_guard, spawn_server, text};

/// The documents whose examples are run.
fn documents() -> Vec<PathBuf> {
    let root = repo_root();
    let mut docs = vec![root.join("README.md")];
    let mut more: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    docs
}

/// A fenced block: its language and its lines, with the line number of the
/// first one.
struct Block {
    lang: String,
    first_line: usize,
    lines: Vec<String>,
}

fn blocks(source: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in source.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(lang) = trimmed.strip_prefix("```") {
            match open.take() {
                Some(block) => blocks.push(block),
                None => {
                    open = Some(Block {
                        lang: lang.trim().to_string(),
                        first_line: i + 2,
                        lines: Vec::new(),
                    })
                }
            }
        } else if let Some(block) = open.as_mut() {
            block.lines.push(line.to_string());
        }
    }
    blocks
}

/// Splits a shell command line into words: single and double quotes, and a
/// `#` comment after whitespace. Enough for the commands the docs show.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '#') if !in_word => break,
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

/// A scratch directory laid out as the docs assume.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = repo_root();
    for entry in std::fs::read_dir(root.join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    copy_tree(&root.join("tests"), &dir.path().join("tests"));
    std::fs::copy(
        root.join("tests/fixtures/export.json"),
        dir.path().join("export.json"),
    )
    .unwrap();
    dir
}

/// The commands of one document, run in its scratch directory.
struct Session {
    dir: tempfile::TempDir,
    colony_addr: Option<String>,
    servers: Vec<Child>,
}

impl Drop for Session {
    fn drop(&mut self) {
        for server in &mut self.servers {
            let _ = server.kill();
            let _ = server.wait();
        }
    }
}

impl Session {
    /// The tests' `coral` command (shared cache, no limits from the
    /// environment), run in this document's directory.
    fn command(&self, args: &[String]) -> Command {
        let mut cmd = coral();
        cmd.args(args)
            .current_dir(self.dir.path())
            .env_remove("CORAL_ENGINE");
        if let Some(addr) = &self.colony_addr {
            cmd.env("CORAL_COLONY_ADDR", addr);
        }
        cmd
    }

    /// Runs `coral <args>` (a serve in the background); exit code, stdout,
    /// stderr.
    fn run(&mut self, mut args: Vec<String>) -> (Option<i32>, String, String) {
        if args.get(..2) == Some(&["colony".to_string(), "serve".to_string()]) {
            if let Some(at) = args.iter().position(|a| a == "--listen") {
                args[at + 1] = "127.0.0.1:0".into();
            } else {
                args.extend(["--listen".into(), "127.0.0.1:0".into()]);
            }
            let (child, addr) = spawn_server(self.command(&args));
            self.colony_addr = Some(addr);
            self.servers.push(child);
            return (Some(0), String::new(), String::new());
        }
        if args.get(..2) == Some(&["agent".to_string(), "serve".to_string()]) {
            return self.start_agent(args);
        }
        let out = run_with_guard(self.command(&args), Duration::from_secs(180));
        (out.status.code(), text(&out.stdout), text(&out.stderr))
    }
}

impl Session {
    /// Starts `coral agent serve …` in the background (its OTLP receiver on
    /// a free port) and waits for its socket.
    fn start_agent(&mut self, mut args: Vec<String>) -> (Option<i32>, String, String) {
        args.extend(["--otlp-listen".into(), "127.0.0.1:0".into()]);
        let data = args
            .iter()
            .position(|a| a == "--data-dir")
            .map(|at| self.dir.path().join(&args[at + 1]))
            .expect("the documented agent names its --data-dir");
        let mut child = self
            .command(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("coral agent serve starts");
        let started = std::time::Instant::now();
        while !data.join("agent.sock").exists() {
            if let Ok(Some(status)) = child.try_wait() {
                return (status.code(), String::new(), "the agent exited".into());
            }
            if started.elapsed() > Duration::from_secs(120) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.servers.push(child);
        (Some(0), String::new(), String::new())
    }
}

/// `expected` (with `...` wildcards) matches `actual`, line by line.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first.trim() == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(line, more)| line.trim_end() == first.trim_end() && matches(rest, more)),
    }
}

/// The `coral …` command at the start of `line`, if there is one.
fn coral_command(line: &str) -> Option<Vec<String>> {
    let line = line.trim_start().trim_start_matches("$ ");
    let words = words(line);
    (words.first().map(String::as_str) == Some("coral")).then(|| words[1..].to_vec())
}

#[test]
fn documented_commands_work_as_shown() {
    let mut problems = Vec::new();
    for doc in documents() {
        let name = doc.strip_prefix(repo_root()).unwrap().display().to_string();
        let source = std::fs::read_to_string(&doc).unwrap();
        let mut session = Session {
            dir: scratch(),
            colony_addr: None,
            servers: Vec::new(),
        };
        for block in blocks(&source) {
            match block.lang.as_str() {
                "sh" => {
                    for (i, line) in block.lines.iter().enumerate() {
                        let Some(args) = coral_command(line) else {
                            continue;
                        };
                        let (code, stdout, stderr) = session.run(args);
                        if code != Some(0) {
                            problems.push(format!(
                                "{name}:{}: `{}` exited {code:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
                                block.first_line + i,
                                line.trim()
                            ));
                        }
                    }
                }
                "console" => {
                    let mut at = 0;
                    while at < block.lines.len() {
                        let line = &block.lines[at];
                        let Some(args) = line
                            .starts_with("$ ")
                            .then(|| coral_command(line))
                            .flatten()
                        else {
                            at += 1;
                            continue;
                        };
                        let end = block.lines[at + 1..]
                            .iter()
                            .position(|l| l.starts_with("$ "))
                            .map_or(block.lines.len(), |p| at + 1 + p);
                        let expected = &block.lines[at + 1..end];
                        let expected_code = line
                            .rsplit_once("# exit ")
                            .map_or(0, |(_, n)| n.trim().parse().expect("# exit N"));
                        let (code, stdout, stderr) = session.run(args);
                        let actual = format!("{stdout}{stderr}");
                        let actual: Vec<&str> = actual.lines().collect();
                        if code != Some(expected_code) {
                            problems.push(format!(
                                "{name}:{}: `{}` exited {code:?}, the doc says {expected_code}\n{}",
                                block.first_line + at,
                                line.trim(),
                                actual.join("\n")
                            ));
                        } else if !matches(expected, &actual) {
                            problems.push(format!(
                                "{name}:{}: `{}` printed:\n{}\nthe doc shows:\n{}",
                                block.first_line + at,
                                line.trim(),
                                actual.join("\n"),
                                expected.join("\n")
                            ));
                        }
                        at = end;
                    }
                }
                _ => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Every subcommand path and flag `coral … --help` knows.
fn known_commands() -> BTreeSet<String> {
    let help = |path: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_coral"))
            .args(path)
            .arg("--help")
            .output()
            .unwrap();
        assert!(out.status.success(), "coral {path:?} --help failed");
        text(&out.stdout)
    };
    let mut known = BTreeSet::new();
    for path in [
        &["run"][..],
        &["build"],
        &["query"],
        &["query", "services"],
        &["query", "metrics"],
        &["query", "traces"],
        &["query", "sql"],
        &["colony", "serve"],
        &["colony", "ingest"],
        &["colony", "demo"],
        &["check"],
        &["init"],
        &["types"],
        &["agent", "serve"],
        &["script"],
        &["script", "deploy"],
        &["script", "list"],
        &["script", "status"],
        &["script", "logs"],
        &["script", "events"],
        &["script", "stop"],
        &["script", "start"],
        &["script", "renew"],
        &["script", "delete"],
        &["script", "runs"],
        &["script", "run-now"],
    ] {
        let path_text = path.join(" ");
        for word in help(path).split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
            if word.starts_with("--") && word.len() > 2 {
                known.insert(format!("{path_text} {word}"));
            }
        }
        known.insert(path_text);
    }
    for passthrough in ["colony", "agent"] {
        known.insert(passthrough.into());
        known.insert(format!("{passthrough} --help"));
    }
    known
}

#[test]
fn documented_commands_and_flags_exist() {
    let known = known_commands();
    let mut problems = Vec::new();
    for doc in documents() {
        let name = doc.strip_prefix(repo_root()).unwrap().display().to_string();
        let source = std::fs::read_to_string(&doc).unwrap();
        // Code spans and block lines: wherever a command is shown.
        let mut shown: Vec<String> = source
            .split('`')
            .skip(1)
            .step_by(2)
            .map(String::from)
            .collect();
        shown.extend(blocks(&source).into_iter().flat_map(|b| b.lines));
        for text in shown {
            let Some(args) = coral_command(&text) else {
                continue;
            };
            let Some(sub) = args.first() else { continue };
            if sub.starts_with('-') || sub == "help" {
                continue;
            }
            // `coral query -o csv metrics …`: the subcommand may follow flags.
            let path = args[1..]
                .iter()
                .map(|word| format!("{sub} {word}"))
                .find(|path| !path.contains(" -") && known.contains(path))
                .unwrap_or_else(|| sub.clone());
            if !known.contains(&path) {
                problems.push(format!(
                    "{name}: `coral {}` names no subcommand",
                    args.join(" ")
                ));
                continue;
            }
            for flag in args.iter().filter(|a| a.starts_with("--")) {
                let flag = flag.split('=').next().unwrap();
                if !known.contains(&format!("{path} {flag}")) {
                    problems.push(format!(
                        "{name}: `coral {}`: `coral {path}` has no flag {flag}",
                        args.join(" ")
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
