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
//! A script's folder is complete once `record.json` exists (written last).

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
    /// The layout under `root` (created, with its `scripts/` folder).
    pub fn create(root: &Path) -> io::Result<Self> {
        std::fs::create_dir_all(root.join("scripts"))?;
        Ok(Self {
            root: root.to_path_buf(),
        })
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

    /// Writes a newly deployed script (replacing any of that name).
    pub fn write_script(&self, spec: &Spec, program: &Program, record: &Record) -> io::Result<()> {
        let dir = self.script_dir(&spec.name);
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
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
        self.write_record(&spec.name, record)
    }

    /// Writes a script's record.
    pub fn write_record(&self, name: &str, record: &Record) -> io::Result<()> {
        write_atomic(
            &self.script_dir(name).join("record.json"),
            &to_json(record)?,
        )
    }

    /// Removes a script's folder.
    pub fn remove_script(&self, name: &str) -> io::Result<()> {
        match std::fs::remove_dir_all(self.script_dir(name)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Every complete script folder; an incomplete or unreadable one is
    /// reported as [`Skipped`], not loaded.
    pub fn load_scripts(&self) -> io::Result<(Vec<Stored>, Vec<Skipped>)> {
        let mut stored = Vec::new();
        let mut skipped = Vec::new();
        let mut names: Vec<String> = std::fs::read_dir(self.root.join("scripts"))?
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.path().is_dir())
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
        };
        let program = Program::Script {
            js: "console.log(1)".into(),
            source_map: "{}".into(),
            sources: BTreeMap::from([("p99.ts".into(), "console.log(1)".into())]),
        };
        let record = Record::new(5, std::time::Duration::from_secs(1));
        data.write_script(&spec, &program, &record).unwrap();
        std::fs::create_dir_all(data.script_dir("half")).unwrap();
        let (stored, skipped) = data.load_scripts().unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].spec, spec);
        assert_eq!(stored[0].program, program);
        assert_eq!(stored[0].record, record);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].name, "half");
    }
}
