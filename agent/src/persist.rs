//! The data directory: what survives an agent restart, `kill -9` included.
//!
//! ```text
//! DIR/agent.duckdb            the local store (telemetry, script_events)
//! DIR/agent.sock              the ScriptService socket (while serving)
//! DIR/scripts/<name>/
//!     spec.json               what was deployed (Spec)
//!     record.json             how its runs went (Record)
//!     program.js, program.map, sources.json   a compiled script, or
//!     bundle.wasm             a `coral build` bundle
//!     log.jsonl               its retained log (logs.rs)
//! ```
//!
//! Every file is written whole to a temporary name and renamed into place,
//! so a crash leaves the old version or the new one, never half of either.
//! A deploy writes the new folder aside (`scripts/.new-<name>`), moves the
//! old one aside (`.old-<name>`), moves the new one in and removes the old;
//! a delete moves the folder aside (`.trash-<name>`) before removing it.
//! Names cannot start with a dot, so these never collide with a script; at
//! start-up an interrupted swap is finished or undone. The data directory
//! is created mode 0700: its specs hold parameters and its logs output.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::script::{Program, Record, Spec};

/// The data directory's layout.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

/// A script folder that could not be loaded at start-up, and why.
#[derive(Debug)]
pub struct Skipped {
    pub name: String,
    pub reason: String,
}

/// A script as found on disk at start-up.
#[derive(Debug)]
pub struct Stored {
    pub spec: Spec,
    pub record: Record,
    pub program: Program,
}

impl DataDir {
    /// The layout under `root` (created mode 0700 if missing, with its
    /// `scripts/` folder).
    pub fn create(root: &Path) -> io::Result<Self> {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(root.join("scripts"))?;
        Ok(Self {
            root: root.to_path_buf(),
        })
    }

    fn aside(&self, prefix: &str, name: &str) -> PathBuf {
        self.root.join("scripts").join(format!(".{prefix}-{name}"))
    }

    /// The local store's DuckDB file.
    pub fn database(&self) -> PathBuf {
        self.root.join("agent.duckdb")
    }

    /// The default socket.
    pub fn socket(&self) -> PathBuf {
        self.root.join("agent.sock")
    }

    /// A script's folder.
    pub fn script_dir(&self, name: &str) -> PathBuf {
        self.root.join("scripts").join(name)
    }

    /// Writes a newly deployed script aside, for [`DataDir::install_staged`].
    pub fn stage_script(&self, spec: &Spec, program: &Program, record: &Record) -> io::Result<()> {
        let dir = self.aside("new", &spec.name);
        remove_dir_if_present(&dir)?;
        std::fs::create_dir_all(&dir)?;
        match program {
            Program::Script {
                js,
                source_map,
                sources,
            } => {
                write_atomic(&dir.join("program.js"), js.as_bytes())?;
                write_atomic(&dir.join("program.map"), source_map.as_bytes())?;
                write_atomic(&dir.join("sources.json"), &to_json(sources)?)?;
            }
            Program::Bundle(wasm) => write_atomic(&dir.join("bundle.wasm"), wasm)?,
        }
        write_atomic(&dir.join("spec.json"), &to_json(spec)?)?;
        write_atomic(&dir.join("record.json"), &to_json(record)?)
    }

    /// Puts the staged script in place of the script of that name, if any.
    pub fn install_staged(&self, name: &str) -> io::Result<()> {
        let dir = self.script_dir(name);
        let old = self.aside("old", name);
        remove_dir_if_present(&old)?;
        if dir.exists() {
            std::fs::rename(&dir, &old)?;
        }
        std::fs::rename(self.aside("new", name), &dir)?;
        remove_dir_if_present(&old)
    }

    /// Writes a script's record.
    pub fn write_record(&self, name: &str, record: &Record) -> io::Result<()> {
        write_atomic(
            &self.script_dir(name).join("record.json"),
            &to_json(record)?,
        )
    }

    /// Removes a script's folder (first moved aside, in one step).
    pub fn remove_script(&self, name: &str) -> io::Result<()> {
        let trash = self.aside("trash", name);
        remove_dir_if_present(&trash)?;
        match std::fs::rename(self.script_dir(name), &trash) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            other => other?,
        }
        remove_dir_if_present(&trash)
    }

    /// Finishes or undoes what a crash interrupted: a deploy's new folder
    /// not yet in place is dropped, an old folder moved aside comes back if
    /// nothing replaced it, a deleted one is removed.
    fn tidy(&self) -> io::Result<()> {
        let scripts = self.root.join("scripts");
        for entry in std::fs::read_dir(&scripts)?.filter_map(Result::ok) {
            let file_name = entry.file_name();
            let Some(name) = file_name.to_str() else {
                continue;
            };
            let Some((kind, script)) = name.strip_prefix('.').and_then(|n| n.split_once('-'))
            else {
                continue;
            };
            match kind {
                "old" if !self.script_dir(script).exists() => {
                    std::fs::rename(entry.path(), self.script_dir(script))?
                }
                "old" | "new" | "trash" => remove_dir_if_present(&entry.path())?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Every complete script folder; an incomplete or unreadable one is
    /// reported as [`Skipped`], not loaded.
    pub fn load_scripts(&self) -> io::Result<(Vec<Stored>, Vec<Skipped>)> {
        self.tidy()?;
        let mut stored = Vec::new();
        let mut skipped = Vec::new();
        let mut names: Vec<String> = std::fs::read_dir(self.root.join("scripts"))?
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.path().is_dir())
            .filter(|entry| !entry.file_name().to_string_lossy().starts_with('.'))
            .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
            .collect();
        names.sort();
        for name in names {
            match self.load_script(&name) {
                Ok(script) => stored.push(script),
                Err(e) => skipped.push(Skipped {
                    name,
                    reason: e.to_string(),
                }),
            }
        }
        Ok((stored, skipped))
    }

    fn load_script(&self, name: &str) -> io::Result<Stored> {
        let dir = self.script_dir(name);
        let spec: Spec = from_json(&std::fs::read(dir.join("spec.json"))?)?;
        let record: Record = from_json(&std::fs::read(dir.join("record.json"))?)?;
        let program = if dir.join("bundle.wasm").exists() {
            Program::Bundle(std::fs::read(dir.join("bundle.wasm"))?)
        } else {
            let sources: BTreeMap<String, String> =
                from_json(&std::fs::read(dir.join("sources.json"))?)?;
            Program::Script {
                js: std::fs::read_to_string(dir.join("program.js"))?,
                source_map: std::fs::read_to_string(dir.join("program.map"))?,
                sources,
            }
        };
        Ok(Stored {
            spec,
            record,
            program,
        })
    }
}

fn remove_dir_if_present(dir: &Path) -> io::Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> io::Result<Vec<u8>> {
    serde_json::to_vec_pretty(value).map_err(io::Error::other)
}

fn from_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> io::Result<T> {
    serde_json::from_slice(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Writes `bytes` to `path` through a temporary file and a rename, synced,
/// so `path` holds the old contents or the new, whatever happens.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension(format!(
        "{}.tmp",
        path.extension().and_then(|e| e.to_str()).unwrap_or("")
    ));
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{Kind, Record};

    #[test]
    fn a_script_round_trips_and_an_incomplete_one_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::create(dir.path()).unwrap();
        let spec = Spec {
            name: "p99".into(),
            kind: Kind::Daemon,
            ttl_ms: 1000,
            params: BTreeMap::from([("k".into(), "v".into())]),
            memory_bytes: 1 << 20,
            entry: "p99.ts".into(),
            deployed_at_ms: 5,
            schedule: None,
            restart: crate::schedule::Restart::OnFailure {
                max_restarts: Some(3),
            },
            keep_runs: 7,
        };
        let program = Program::Script {
            js: "console.log(1)".into(),
            source_map: "{}".into(),
            sources: BTreeMap::from([("p99.ts".into(), "console.log(1)".into())]),
        };
        let record = Record::new(5, std::time::Duration::from_secs(1));
        data.stage_script(&spec, &program, &record).unwrap();
        data.install_staged("p99").unwrap();
        std::fs::create_dir_all(data.script_dir("half")).unwrap();
        // A crash in the middle of a redeploy: the old folder aside, the new
        // one not yet in place. The old one comes back.
        data.stage_script(&spec, &program, &record).unwrap();
        std::fs::rename(data.script_dir("p99"), data.aside("old", "p99")).unwrap();
        let (stored, skipped) = data.load_scripts().unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].spec, spec);
        assert_eq!(stored[0].program, program);
        assert_eq!(stored[0].record, record);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].name, "half");
        assert!(!data.aside("new", "p99").exists());
        data.remove_script("p99").unwrap();
        let (stored, _) = data.load_scripts().unwrap();
        assert!(stored.is_empty());
    }
}
