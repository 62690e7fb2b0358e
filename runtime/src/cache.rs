//! The on-disk cache: compiled modules (`Module::serialize`), the engine
//! image and compiled bytecode, each under a content-derived name.
//!
//! Writes go to a temporary file in the same directory and are renamed into
//! place, so two runs racing on the same entry each see a whole file (the
//! last rename wins; both files are identical anyway).

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::{Engine, Module};

use crate::error::RuntimeError;

/// A cache directory.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// A cache rooted at `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// `$CORAL_CACHE_DIR`, else `$XDG_CACHE_HOME/coral`, else `~/.cache/coral`;
    /// `None` when none of those is set (a shared directory such as `/tmp`
    /// would let another user plant compiled code). An empty or relative
    /// `XDG_CACHE_HOME` or `HOME` counts as unset (the XDG Base Directory
    /// specification says to ignore relative paths), so the cache never
    /// lands in whatever directory coral happens to run in.
    pub fn default_dir() -> Option<PathBuf> {
        if let Some(dir) = std::env::var_os("CORAL_CACHE_DIR") {
            return Some(dir.into());
        }
        let absolute = |name: &str| {
            std::env::var_os(name)
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
        };
        if let Some(dir) = absolute("XDG_CACHE_HOME") {
            return Some(dir.join("coral"));
        }
        absolute("HOME").map(|home| home.join(".cache/coral"))
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of entry `name`.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Reads entry `name`, or creates it with `create` and stores it.
    pub fn get_or_create<E>(
        &self,
        name: &str,
        create: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<Vec<u8>, E>
    where
        E: From<RuntimeError>,
    {
        let path = self.path(name);
        if let Ok(bytes) = std::fs::read(&path) {
            return Ok(bytes);
        }
        let bytes = create()?;
        self.write(name, &bytes)?;
        Ok(bytes)
    }

    /// Stores `bytes` as entry `name`, atomically.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), RuntimeError> {
        let io = |source| RuntimeError::Cache {
            path: self.path(name),
            source,
        };
        create_private_dir(&self.dir).map_err(io)?;
        let mut tmp = tempfile::NamedTempFile::new_in(&self.dir).map_err(io)?;
        tmp.write_all(bytes).map_err(io)?;
        tmp.persist(self.path(name)).map_err(|e| io(e.error))?;
        Ok(())
    }

    /// The compiled form of a wasm module: loaded from the cache when present
    /// (memory-mapped, no Cranelift), else compiled from `wasm()` and stored.
    /// `key` must change whenever the wasm does.
    pub fn module(
        &self,
        engine: &Engine,
        key: &str,
        wasm: impl FnOnce() -> Result<Vec<u8>, RuntimeError>,
    ) -> Result<Module, RuntimeError> {
        let path = self.path(&format!("{key}.cwasm"));
        if path.exists() {
            // SAFETY: the file was produced by `Module::serialize` below and
            // stored under a content-derived name in the user's own cache
            // directory; whoever can rewrite it can rewrite the `coral` binary
            // too. wasmtime checks its header (version, engine settings) and
            // we fall back to compiling when that check fails.
            if let Ok(module) = unsafe { Module::deserialize_file(engine, &path) } {
                return Ok(module);
            }
        }
        let bytes = wasm()?;
        let module = Module::new(engine, &bytes)
            .map_err(|e| RuntimeError::InvalidModule(format!("{e:#}")))?;
        let serialized = module
            .serialize()
            .map_err(|e| RuntimeError::Engine(format!("{e:#}")))?;
        // A cache that cannot be written only costs speed.
        let _ = self.write(&format!("{key}.cwasm"), &serialized);
        Ok(module)
    }
}

/// Creates `dir` (and parents) readable and writable by the owner only.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Hex SHA-256 of `parts`, for cache keys.
pub fn content_key(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hex(&hasher.finalize())
}

/// Lower-case hex of `bytes` (cache keys, Deno's file names, the guest's
/// `crypto` answers).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_or_create_creates_once() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("c"));
        let mut calls = 0;
        for _ in 0..2 {
            let bytes = cache
                .get_or_create::<RuntimeError>("x", || {
                    calls += 1;
                    Ok(b"hello".to_vec())
                })
                .unwrap();
            assert_eq!(bytes, b"hello");
        }
        assert_eq!(calls, 1);
    }

    #[test]
    fn content_key_separates_parts() {
        assert_ne!(content_key(&[b"ab", b"c"]), content_key(&[b"a", b"bc"]));
        assert_eq!(content_key(&[b"x"]).len(), 64);
    }
}
