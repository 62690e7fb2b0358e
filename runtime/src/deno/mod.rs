//! The Deno engine (`coral run --engine deno`): the same `.ts` run by a real
//! `deno` with the RFD's permissions, for parity with Coral's original runtime.
//!
//! A run is: the SDK sources, an import map and `setup.js` written once into
//! a content-addressed folder of the cache; a per-script main module
//! (`import "./setup.js"; import "<script>";`); a loopback [`bridge`] that
//! answers the SDK's Connect calls from the run's colony; and `deno run` with
//! `--allow-read=<script folder>`, `--allow-net=<bridge>` and nothing else,
//! supervised for the deadline and the output limit. How it ended comes back
//! as control records on stderr ([`demux`]) and the exit status, mapped to the
//! same [`Outcome`]s the wasm engine reports.

mod bridge;
mod demux;
mod output;
mod process;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::cache::hex;
use crate::clock::DETERMINISTIC_EPOCH;
use crate::error::RuntimeError;
use crate::limits::{Outcome, RunOptions, RunReport, RunStats, ScriptError, bounded_frames};
use crate::ops::{Event, MAX_EVENTS};
use crate::output::OutputSink;
use crate::runner::DETERMINISTIC_SEED;
use output::{OutputStop, SharedOutput};
use process::{DenoReport, Stopped};

/// The first module of every run (see its header).
const SETUP_JS: &str = include_str!("setup.js");

/// What the supervisor hears from the pumps and the waiter.
pub(crate) enum Notice {
    Exited,
    /// The output pumps stopped showing output.
    Output(OutputStop),
}

/// The SDK as Deno sees it: its files and the specifiers that name them.
#[derive(Debug, Clone, Copy)]
pub struct DenoSdk<'a> {
    /// (path inside the SDK, source), e.g. `("mod.ts", "...")`.
    pub files: &'a [(&'a str, &'a str)],
    /// (specifier, path inside the SDK), e.g. `("@coral/sdk", "mod.ts")`.
    pub specifiers: &'a [(String, &'a str)],
}

/// A `deno` binary and where its runs keep their files.
#[derive(Debug, Clone)]
pub struct DenoEngine {
    deno: PathBuf,
    cache_dir: PathBuf,
}

/// How to install Deno, for the error when it is missing.
const INSTALL_HINT: &str = "install it with `pip install deno` (or see https://docs.deno.com/runtime/getting_started/installation/), or point CORAL_DENO at a deno binary";

impl DenoEngine {
    /// Finds `deno`: `explicit` (from `--deno` or `$CORAL_DENO`), else on
    /// `PATH`.
    ///
    /// # Errors
    /// [`RuntimeError::DenoMissing`] with how to install Deno.
    pub fn locate(explicit: Option<&Path>, cache_dir: &Path) -> Result<Self, RuntimeError> {
        // An empty $CORAL_DENO (set but blank) means "not set".
        let explicit = explicit.filter(|p| !p.as_os_str().is_empty());
        let deno = match explicit {
            Some(path) if path.is_file() => path.to_path_buf(),
            Some(path) => {
                return Err(RuntimeError::DenoMissing(format!(
                    "the deno binary given (--deno or CORAL_DENO) is {}, which is not a file; {INSTALL_HINT}",
                    path.display()
                )));
            }
            None => find_on_path("deno").ok_or_else(|| {
                RuntimeError::DenoMissing(format!(
                    "--engine deno needs the deno binary, and there is none on PATH; {INSTALL_HINT}"
                ))
            })?,
        };
        Ok(Self {
            deno,
            cache_dir: cache_dir.join("deno"),
        })
    }

    /// The binary in use.
    pub fn binary(&self) -> &Path {
        &self.deno
    }

    /// Runs `script` (already checked by the compiler's import policy) to
    /// the end. `config` is the `deno.json` to compile it with (the
    /// compiler's `CompilerOptions::deno_config`, so both engines lower
    /// decorators alike).
    pub fn run(
        &self,
        script: &Path,
        config: &serde_json::Value,
        sdk: DenoSdk<'_>,
        options: &RunOptions,
        sink: Box<dyn OutputSink>,
    ) -> Result<RunReport, RuntimeError> {
        let script = script
            .canonicalize()
            .map_err(|e| RuntimeError::Engine(format!("cannot open {}: {e}", script.display())))?;
        let files = self.prepare(sdk)?;
        let main = self.main_module(&files, &script)?;
        let config = self.config_file(&files, config)?;

        let started = Instant::now();
        let deadline = started + options.limits.timeout;
        let (notices, receiver) = std::sync::mpsc::channel();
        let output = Arc::new(SharedOutput::new(
            sink,
            options.limits.max_output_bytes,
            notices.clone(),
        ));
        let fixed_now_us = options
            .deterministic
            .then(|| DETERMINISTIC_EPOCH.as_micros() as i64);
        let bridge = bridge::Bridge::start(&options.colony, fixed_now_us, deadline, output.clone())
            .map_err(|e| RuntimeError::Engine(format!("cannot start the colony endpoint: {e}")))?;

        let secret = new_secret()
            .map_err(|e| RuntimeError::Engine(format!("cannot read /dev/urandom: {e}")))?;
        let settings = RunSettings {
            colony_url: bridge.url(),
            params: &options.params,
            deterministic: options.deterministic,
            epoch_ms: DETERMINISTIC_EPOCH.as_millis() as f64,
            timeout_ms: options.limits.timeout.as_secs_f64() * 1000.0,
            seed: [
                (DETERMINISTIC_SEED & 0x3ff_ffff) as u32,
                ((DETERMINISTIC_SEED >> 26) & 0x3ff_ffff) as u32,
            ],
            max_events: MAX_EVENTS,
            cwd_url: std::env::current_dir()
                .map(|d| format!("{}/", file_url(&d)))
                .unwrap_or_default(),
            secret: &secret,
        };
        let settings = serde_json::to_string(&settings)
            .map_err(|e| RuntimeError::Engine(format!("run settings: {e}")))?;
        let command = self.command(&files, &main, &config, &bridge, options);
        let launch = process::Launch {
            command,
            input: settings.into_bytes(),
            secret: secret.into(),
        };
        let ended = process::run(launch, deadline, &output, notices, &receiver)
            .map_err(|e| RuntimeError::Engine(format!("cannot run {}: {e}", self.deno.display())));
        let colony = bridge.stop();
        let ended = ended?;
        // Text that looked like Deno's own report but was not: show it.
        if ended.confirmed_report().is_none()
            && let Some(held) = &ended.deno_report
        {
            output.write_stderr(&held.text);
        }

        let stats = RunStats {
            fuel_used: 0,
            peak_memory_bytes: usize::try_from(ended.peak_rss_bytes).unwrap_or(usize::MAX),
            host_peak_rss_bytes: crate::limits::own_peak_rss_bytes(),
            wall_time: started.elapsed(),
            colony_calls: colony.calls,
            colony_time: colony.busy,
        };
        Ok(RunReport {
            outcome: outcome(ended),
            stats,
            events: output.take_events(),
        })
    }

    /// The folder holding the SDK, import map and setup module for this
    /// SDK version (written once; named by a hash of its contents).
    fn prepare(&self, sdk: DenoSdk<'_>) -> Result<PathBuf, RuntimeError> {
        let mut imports = serde_json::Map::new();
        for (specifier, file) in sdk.specifiers {
            imports.insert(specifier.clone(), format!("./sdk/{file}").into());
        }
        let import_map = serde_json::json!({ "imports": imports }).to_string();
        let mut hash = Sha256::new();
        for (name, source) in sdk.files {
            hash.update(name.as_bytes());
            hash.update([0]);
            hash.update(source.as_bytes());
            hash.update([0]);
        }
        hash.update(import_map.as_bytes());
        hash.update(SETUP_JS.as_bytes());
        let dir = self.cache_dir.join(hex(&hash.finalize()[..12]));
        if !dir.join("import_map.json").is_file() {
            for (name, source) in sdk.files {
                write_atomic(&dir.join("sdk").join(name), source.as_bytes())?;
            }
            write_atomic(&dir.join("setup.js"), SETUP_JS.as_bytes())?;
            // Last: its presence says the folder is complete.
            write_atomic(&dir.join("import_map.json"), import_map.as_bytes())?;
        }
        Ok(dir)
    }

    /// The main module for `script`: setup first, then the script. The
    /// script's path appears once, as a percent-encoded URL inside a JSON
    /// string: no file name can break out of it.
    fn main_module(&self, files: &Path, script: &Path) -> Result<PathBuf, RuntimeError> {
        let url = file_url(script);
        let source = format!(
            "import \"./setup.js\";\nimport {};\n",
            serde_json::Value::from(url.clone())
        );
        let name = format!("main-{}.js", hex(&Sha256::digest(url.as_bytes())[..12]));
        let path = files.join(name);
        if !path.is_file() {
            write_atomic(&path, source.as_bytes())?;
        }
        Ok(path)
    }

    /// The configuration file holding `config` (written once; named by a
    /// hash of its contents).
    fn config_file(
        &self,
        files: &Path,
        config: &serde_json::Value,
    ) -> Result<PathBuf, RuntimeError> {
        let text = config.to_string();
        let name = format!("deno-{}.json", hex(&Sha256::digest(text.as_bytes())[..12]));
        let path = files.join(name);
        if !path.is_file() {
            write_atomic(&path, text.as_bytes())?;
        }
        Ok(path)
    }

    /// The `deno run` command. No read permission at all: Deno loads static
    /// imports without one, so the script's module graph (which the
    /// compiler's import policy checked) loads and nothing else can be read;
    /// and no path of the user's reaches a flag, where Deno would split it
    /// at commas.
    fn command(
        &self,
        files: &Path,
        main: &Path,
        config: &Path,
        bridge: &bridge::Bridge,
        options: &RunOptions,
    ) -> Command {
        let mut command = Command::new(&self.deno);
        let memory_mb = (options.limits.memory_bytes / (1024 * 1024)).max(1);
        command
            .env_clear()
            .env("DENO_DIR", self.cache_dir.join("deno-dir"))
            .env("DENO_NO_UPDATE_CHECK", "1")
            .env("DENO_NO_PROMPT", "1")
            .env("NO_COLOR", "1")
            // The wasm engine's defaults (docs/intl.md): local time is UTC
            // and the default locale en-US (`navigator.language` too).
            .env("TZ", "UTC")
            .env("LANG", "en_US.UTF-8")
            .arg("run")
            .arg("--no-prompt")
            .arg("--no-remote")
            .arg("--no-npm")
            .arg(format!("--config={}", config.display()))
            .arg("--no-lock")
            .arg(format!(
                "--import-map={}",
                files.join("import_map.json").display()
            ))
            .arg(format!("--allow-net={}", bridge.net_permission()))
            .args([
                "--deny-write",
                "--deny-env",
                "--deny-run",
                "--deny-ffi",
                "--deny-sys",
                "--deny-import",
            ])
            // No code from strings (eval, new Function): the only way left
            // to a dynamic import() the compiler has not seen.
            .arg(format!(
                "--v8-flags=--max-old-space-size={memory_mb},--disallow-code-generation-from-strings"
            ))
            .arg(main);
        command
    }
}

/// What `setup.js` reads from `Deno.args[0]`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunSettings<'a> {
    colony_url: String,
    params: &'a BTreeMap<String, String>,
    deterministic: bool,
    epoch_ms: f64,
    timeout_ms: f64,
    seed: [u32; 2],
    max_events: usize,
    cwd_url: String,
    /// Prefixes every control record: the script never sees it (settings
    /// travel on stdin, which `setup.js` reads to the end before the script
    /// loads), so it cannot forge an ending or an event record.
    secret: &'a str,
}

/// A control record from `setup.js`.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Record {
    Emit {
        name: String,
        #[serde(default)]
        data: Option<Box<serde_json::value::RawValue>>,
        severity: String,
        #[serde(default)]
        at_ms: f64,
    },
    Uncaught {
        name: String,
        message: String,
        #[serde(default)]
        frames: Vec<String>,
    },
    Timeout {},
}

/// How `setup.js` says a run ended.
#[derive(Debug)]
pub(crate) enum Ending {
    Uncaught(ScriptError),
    Timeout,
}

/// Acts on a record as it arrives: events are shown at once (in order with
/// the rest of stderr); an ending is returned for [`outcome`]. A record is
/// `SECRET:JSON`; one without this run's secret was printed by the script,
/// not by `setup.js`, and is shown as the text it is.
fn handle_record(bytes: &[u8], secret: &str, output: &SharedOutput) -> Option<Ending> {
    let record = bytes
        .strip_prefix(secret.as_bytes())
        .and_then(|rest| rest.strip_prefix(b":"))
        .and_then(|json| serde_json::from_slice::<Record>(json).ok());
    match record {
        Some(Record::Emit {
            name,
            data,
            severity,
            at_ms,
        }) => {
            output.event(Event {
                name,
                severity,
                data: data.map_or_else(crate::ops::null_json, |raw| crate::ops::compact(&raw)),
                at_ms,
            });
            None
        }
        Some(Record::Uncaught {
            name,
            message,
            frames,
        }) => Some(Ending::Uncaught(ScriptError::reported(
            &name,
            &message,
            bounded_frames(frames),
        ))),
        Some(Record::Timeout {}) => Some(Ending::Timeout),
        // Not ours after all (a script printing the marker): show it.
        None => {
            let mut text = b"\x1ecoral:".to_vec();
            text.extend_from_slice(bytes);
            text.push(b'\n');
            output.write_stderr(&text);
            None
        }
    }
}

fn outcome(ended: process::Ended) -> Outcome {
    match &ended.stopped {
        Some(Stopped::Output(OutputStop::Limit)) => return Outcome::OutputLimit,
        Some(Stopped::Output(OutputStop::Error(error))) => return error.outcome(),
        Some(Stopped::Deadline) => return Outcome::Timeout,
        None => {}
    }
    match ended.ending {
        Some(Ending::Timeout) => return Outcome::Timeout,
        Some(Ending::Uncaught(error)) => return Outcome::ScriptError(error),
        None => {}
    }
    match ended.confirmed_report() {
        Some(DenoReport::OutOfMemory) => return Outcome::MemoryLimit,
        Some(DenoReport::TopLevelAwait) => {
            return Outcome::ScriptError(ScriptError::top_level_await_never_settled());
        }
        None => {}
    }
    match (ended.exit_code(), ended.signal()) {
        (Some(0), _) => Outcome::Success,
        (Some(code), _) => Outcome::ScriptError(ScriptError {
            name: String::new(),
            message: format!("deno exited with status {code} (see its message above)"),
            frames: Vec::new(),
        }),
        (None, signal) => Outcome::ScriptError(ScriptError {
            name: String::new(),
            message: format!(
                "deno was killed by signal {} (see its message above)",
                signal.unwrap_or(0)
            ),
            frames: Vec::new(),
        }),
    }
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// A `file://` URL for an absolute path, percent-encoding what URLs need.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(byte as char)
            }
            _ => url.push_str(&format!("%{byte:02X}")),
        }
    }
    url
}

/// 128 random bits, as hex.
fn new_secret() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    std::io::Read::read_exact(&mut std::fs::File::open("/dev/urandom")?, &mut bytes)?;
    Ok(hex(&bytes))
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), RuntimeError> {
    let cache_error = |source| RuntimeError::Cache {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(cache_error)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(cache_error)?;
    std::io::Write::write_all(&mut temp, bytes).map_err(cache_error)?;
    temp.persist(path).map_err(|e| cache_error(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_escape_what_urls_need() {
        assert_eq!(
            file_url(Path::new("/tmp/my scripts/a#b.ts")),
            "file:///tmp/my%20scripts/a%23b.ts"
        );
    }
}
