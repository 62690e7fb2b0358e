//! [`DenoEngine`]: one run on `deno`, from preparing its files to the
//! [`Outcome`] (see the module above for the whole path).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;

use super::bridge::Bridge;
use super::output::{Notice, OutputStop, SharedOutput};
use super::process::{self, DenoReport, Stopped};
use super::record::Ending;
use crate::cache::{Cache, content_key};
use crate::contract::determinism::{DETERMINISTIC_EPOCH, DETERMINISTIC_SEED, seed_halves};
use crate::contract::engine::Engine;
use crate::contract::error::RuntimeError;
use crate::contract::event::MAX_EVENTS;
use crate::contract::options::RunOptions;
use crate::contract::output::OutputSink;
use crate::contract::report::{Outcome, RunReport, RunStats, ScriptError, own_peak_rss_bytes};

/// The run's setup, imported before the script (see its header).
const SETUP_JS: &str = include_str!("setup.js");

/// The timer queue and PRNG the wasm engine's prelude uses too, imported
/// just before `setup.js` (which takes them): one source for both engines.
const SHARED_JS: &str = include_str!("../../../engine/src/shared.js");

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
    /// `<cache dir>/deno`: the SDK folders, main modules and `DENO_DIR`.
    cache: Cache,
}

/// How to install Deno, for the error when it is missing.
const INSTALL_HINT: &str = "install it with `pip install deno` (or see https://docs.deno.com/runtime/getting_started/installation/), or point CORAL_DENO at a deno binary";

impl DenoEngine {
    /// The `deno` binary this engine runs (`coral check` type-checks with
    /// it too).
    pub fn binary(&self) -> &Path {
        &self.deno
    }

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
            cache: Cache::new(cache_dir.join("deno")),
        })
    }

    /// The folder holding the SDK, import map and setup module for this
    /// SDK version (written once; named by a hash of its contents), as a
    /// cache entry name.
    fn prepare(&self, sdk: DenoSdk<'_>) -> Result<String, RuntimeError> {
        let mut imports = serde_json::Map::new();
        for (specifier, file) in sdk.specifiers {
            imports.insert(specifier.clone(), format!("./sdk/{file}").into());
        }
        let import_map = serde_json::json!({ "imports": imports }).to_string();
        let mut parts: Vec<&[u8]> = sdk
            .files
            .iter()
            .flat_map(|(name, source)| [name.as_bytes(), source.as_bytes()])
            .collect();
        parts.extend([
            import_map.as_bytes(),
            SHARED_JS.as_bytes(),
            SETUP_JS.as_bytes(),
        ]);
        let dir = short_key(&parts);
        if !self.cache.path(&format!("{dir}/import_map.json")).is_file() {
            for (name, source) in sdk.files {
                self.cache
                    .write(&format!("{dir}/sdk/{name}"), source.as_bytes())?;
            }
            self.cache
                .write(&format!("{dir}/shared.js"), SHARED_JS.as_bytes())?;
            self.cache
                .write(&format!("{dir}/setup.js"), SETUP_JS.as_bytes())?;
            // Last: its presence says the folder is complete.
            self.cache
                .write(&format!("{dir}/import_map.json"), import_map.as_bytes())?;
        }
        Ok(dir)
    }

    /// The main module for `script`: `shared.js` and `setup.js` first, then
    /// the script. The script's path appears once, as a percent-encoded URL
    /// inside a JSON string: no file name can break out of it.
    fn main_module(&self, files: &str, script: &Path) -> Result<PathBuf, RuntimeError> {
        let url = file_url(script);
        let source = format!(
            "import \"./shared.js\";\nimport \"./setup.js\";\nimport {};\n",
            serde_json::Value::from(url.clone())
        );
        let name = format!("{files}/main-{}.js", short_key(&[url.as_bytes()]));
        self.write_once(&name, source.as_bytes())
    }

    /// The configuration file holding `config` (written once; named by a
    /// hash of its contents).
    fn config_file(
        &self,
        files: &str,
        config: &serde_json::Value,
    ) -> Result<PathBuf, RuntimeError> {
        let text = config.to_string();
        let name = format!("{files}/deno-{}.json", short_key(&[text.as_bytes()]));
        self.write_once(&name, text.as_bytes())
    }

    /// The path of cache entry `name`, written with `bytes` unless it exists
    /// (its name says what it holds).
    fn write_once(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, RuntimeError> {
        let path = self.cache.path(name);
        if !path.is_file() {
            self.cache.write(name, bytes)?;
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
        files: &str,
        main: &Path,
        config: &Path,
        bridge: &Bridge,
        options: &RunOptions,
    ) -> Command {
        let mut command = Command::new(&self.deno);
        let memory_mb = (options.limits.memory_bytes / (1024 * 1024)).max(1);
        command
            .env_clear()
            .env("DENO_DIR", self.cache.path("deno-dir"))
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
                self.cache.path(&format!("{files}/import_map.json")).display()
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

/// What the Deno engine runs: a script's own sources.
#[derive(Debug, Clone, Copy)]
pub struct DenoScript<'a> {
    /// The entry `.ts`, already checked by the compiler's import policy.
    pub path: &'a Path,
    /// The `deno.json` to compile it with (the compiler's
    /// `CompilerOptions::deno_config`, so both engines lower decorators
    /// alike).
    pub config: &'a serde_json::Value,
    /// `@coral/sdk`.
    pub sdk: DenoSdk<'a>,
}

impl Engine for DenoEngine {
    type Script<'a> = DenoScript<'a>;

    /// Runs the script to its end under `deno run`, supervised for the
    /// deadline and the output limit.
    fn run(
        &self,
        script: DenoScript<'_>,
        options: &RunOptions,
        sink: Box<dyn OutputSink>,
    ) -> Result<RunReport, RuntimeError> {
        let DenoScript {
            path: script,
            config,
            sdk,
        } = script;
        let script = script
            .canonicalize()
            .map_err(|e| RuntimeError::internal(format!("cannot open {}", script.display()), e))?;
        let files = self.prepare(sdk)?;
        let main = self.main_module(&files, &script)?;
        let config = self.config_file(&files, config)?;

        let started = Instant::now();
        let deadline = started + options.limits.timeout;
        let (notices, receiver) = std::sync::mpsc::channel();
        let stop_notices = std::sync::Mutex::new(notices.clone());
        options.stop.on_stop(move || {
            if let Ok(notices) = stop_notices.lock() {
                let _ = notices.send(Notice::Stop);
            }
        });
        let output = Arc::new(SharedOutput::new(
            sink,
            options.limits.max_output_bytes,
            notices.clone(),
        ));
        let fixed_now_us = options
            .deterministic
            .then(|| DETERMINISTIC_EPOCH.as_micros() as i64);
        let bridge = Bridge::start(&options.colony, fixed_now_us, deadline, output.clone())
            .map_err(|e| RuntimeError::internal("cannot start the colony endpoint", e))?;

        let secret =
            new_secret().map_err(|e| RuntimeError::internal("cannot read /dev/urandom", e))?;
        let settings = RunSettings {
            colony_url: bridge.url(),
            params: &options.params,
            deterministic: options.deterministic,
            epoch_ms: DETERMINISTIC_EPOCH.as_millis() as f64,
            timeout_ms: options.limits.timeout.as_secs_f64() * 1000.0,
            seed: seed_halves(DETERMINISTIC_SEED),
            max_events: MAX_EVENTS,
            cwd_url: std::env::current_dir()
                .map(|d| format!("{}/", file_url(&d)))
                .unwrap_or_default(),
            secret: &secret,
        };
        let settings = serde_json::to_string(&settings)
            .map_err(|e| RuntimeError::internal("encoding the run settings", e))?;
        let command = self.command(&files, &main, &config, &bridge, options);
        let launch = process::Launch {
            command,
            input: settings.into_bytes(),
            secret: secret.into(),
        };
        let ended = process::run(launch, deadline, &output, notices, &receiver)
            .map_err(|e| RuntimeError::internal(format!("cannot run {}", self.deno.display()), e));
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
            host_peak_rss_bytes: own_peak_rss_bytes(),
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

fn outcome(ended: process::Ended) -> Outcome {
    match &ended.stopped {
        Some(Stopped::Output(OutputStop::Limit)) => return Outcome::OutputLimit,
        Some(Stopped::Output(OutputStop::Error(error))) => return error.outcome(),
        Some(Stopped::Deadline) => return Outcome::Timeout,
        Some(Stopped::Signal) => return Outcome::Stopped,
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

/// The first 96 bits of [`content_key`] (24 hex digits): enough to tell
/// SDK versions, scripts and configurations apart in a file name.
fn short_key(parts: &[&[u8]]) -> String {
    let mut key = content_key(parts);
    key.truncate(24);
    key
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
    Ok(const_hex::encode(bytes))
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
