//! The on-disk cache both engines keep their files in, each under a
//! content-derived name: for wasm, compiled modules (`Module::serialize`),
//! the plugin image and QuickJS bytecode (`wasm::runner`); for Deno, the SDK
//! folder and the main modules (`deno::engine`).
//!
//! Writes go to a temporary file in the same directory and are renamed into
//! place, so two runs racing on the same entry each see a whole file (the
//! last rename wins; both files are identical anyway). Directories are the
//! owner's alone (mode 0700).

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::contract::error::RuntimeError;

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

    /// Stores `bytes` as entry `name` (which may name subdirectories,
    /// `deno/<hash>/sdk/mod.ts`), atomically.
    ///
    /// # Errors
    /// [`RuntimeError::Cache`] with the entry's path and the OS error.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), RuntimeError> {
        let path = self.path(name);
        let io = |source| RuntimeError::Cache {
            path: path.clone(),
            source,
        };
        let dir = path.parent().unwrap_or(&self.dir);
        create_private_dir(dir).map_err(io)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
        tmp.write_all(bytes).map_err(io)?;
        tmp.persist(&path).map_err(|e| io(e.error))?;
        Ok(())
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
    const_hex::encode(hasher.finalize())
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
