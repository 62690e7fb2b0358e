//! What `run` and `build` share: turning a path into something the
//! runtime can execute, with errors sorted into "your input" (exit 2) and
//! "coral's fault" (exit 70).

use std::path::{Path, PathBuf};

use anyhow::anyhow;
use coral_compiler::{CompileError, CompiledScript};
use coral_host_abi::bundle::BundleMeta;
use coral_runtime::{Cache, LoadedBundle, PluginModule, Program, RunOptions, Runner, RuntimeError};

use crate::exit;
use crate::refused;
use crate::stdio::errln;

/// A failure before the script ran, with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    /// [`exit::USAGE`] or [`exit::INTERNAL`].
    pub code: u8,
    /// What to print.
    pub error: anyhow::Error,
}

impl Failure {
    fn usage(error: impl Into<anyhow::Error>) -> Self {
        Self {
            code: exit::USAGE,
            error: error.into(),
        }
    }

    fn internal(error: impl Into<anyhow::Error>) -> Self {
        Self {
            code: exit::INTERNAL,
            error: error.into(),
        }
    }

    /// Prints the failure and returns its exit code.
    pub fn report(&self) -> u8 {
        errln!("error: {:#}", self.error);
        self.code
    }
}

impl From<CompileError> for Failure {
    fn from(e: CompileError) -> Self {
        match e {
            CompileError::Internal(_) | CompileError::Wasm(_) | CompileError::Cache { .. } => {
                Self::internal(e)
            }
            _ => Self::usage(e),
        }
    }
}

impl Failure {
    /// True when compiling hit the `--memory` limit (reported like a run
    /// that hit it).
    pub fn is_memory_limit(&self) -> bool {
        matches!(
            self.error.downcast_ref::<RuntimeError>(),
            Some(RuntimeError::MemoryLimit)
        )
    }

    /// True when compiling took longer than `--timeout` (reported like a
    /// run that did).
    pub fn is_timeout(&self) -> bool {
        matches!(
            self.error.downcast_ref::<RuntimeError>(),
            Some(RuntimeError::Timeout)
        )
    }
}

impl From<RuntimeError> for Failure {
    fn from(e: RuntimeError) -> Self {
        match e {
            RuntimeError::Internal { .. } | RuntimeError::Cache { .. } => Self::internal(e),
            _ => Self::usage(e),
        }
    }
}

/// A script or bundle, loaded and ready to run.
pub enum Loaded {
    /// A TypeScript/JavaScript script.
    Script {
        /// The compiled program.
        compiled: CompiledScript,
        /// The plugin that runs it.
        plugin: PluginModule,
        /// Its QuickJS bytecode.
        bytecode: Vec<u8>,
    },
    /// A `coral build` bundle.
    Bundle {
        /// Its compiled module.
        module: LoadedBundle,
        /// Its metadata.
        meta: BundleMeta,
        /// The file.
        path: PathBuf,
    },
}

impl Loaded {
    /// The program to hand to the runner.
    pub fn program(&self) -> Program<'_> {
        match self {
            Self::Script {
                plugin, bytecode, ..
            } => Program::Bytecode { plugin, bytecode },
            Self::Bundle { module, .. } => Program::Bundle(module),
        }
    }

    /// The source map for stack traces.
    pub fn source_map(&self) -> &str {
        match self {
            Self::Script { compiled, .. } => &compiled.source_map,
            Self::Bundle { meta, .. } => &meta.source_map,
        }
    }

    /// The files whose change should trigger a re-run under `--watch`.
    pub fn watched_files(&self) -> Vec<PathBuf> {
        match self {
            Self::Script { compiled, .. } => compiled.files.clone(),
            Self::Bundle { path, .. } => vec![path.clone()],
        }
    }
}

/// The runner plus the compile steps in front of it.
pub struct Session {
    runner: Runner,
    _scratch: Option<tempfile::TempDir>,
}

impl Session {
    /// A session using `cache_dir` (default: [`Cache::default_dir`]).
    pub fn new(cache_dir: Option<PathBuf>) -> Result<Self, Failure> {
        let (dir, scratch) = match cache_dir.or_else(Cache::default_dir) {
            Some(dir) => (dir, None),
            // No home to cache in: a private directory for this run only.
            None => {
                let scratch = tempfile::tempdir()
                    .map_err(|e| Failure::internal(anyhow!("no cache directory: {e}")))?;
                (scratch.path().to_path_buf(), Some(scratch))
            }
        };
        Ok(Self {
            runner: Runner::new(Cache::new(dir))?,
            _scratch: scratch,
        })
    }

    /// The cache directory.
    pub fn cache_dir(&self) -> &Path {
        self.runner.cache().dir()
    }

    /// The runner.
    pub fn runner(&self) -> &Runner {
        &self.runner
    }

    /// The file holding the pre-initialised plugin image (built on first use).
    pub fn plugin_image_path(&self) -> Result<PathBuf, Failure> {
        Ok(self.runner.plugin_image(
            coral_compiler::plugin::PLUGIN_KEY,
            coral_compiler::plugin::initialise,
        )?)
    }

    /// The plugin module (its image built on first use).
    pub fn plugin(&self) -> Result<PluginModule, Failure> {
        Ok(self.runner.plugin_module(
            coral_compiler::plugin::PLUGIN_KEY,
            coral_compiler::plugin::initialise,
        )?)
    }

    /// Loads `path`: a `.wasm` bundle, or a script to compile.
    pub fn load(&self, path: &Path, options: &RunOptions) -> Result<Loaded, Failure> {
        let bytes_head = read_head(path)?;
        if bytes_head.starts_with(b"\0asm") || path.extension().is_some_and(|e| e == "wasm") {
            let wasm = std::fs::read(path)
                .map_err(|e| Failure::usage(anyhow!("cannot read {}: {e}", path.display())))?;
            let (module, meta) = self
                .runner
                .load_bundle(&wasm)
                .map_err(|e| Failure::from(e).context(path))?;
            return Ok(Loaded::Bundle {
                module,
                meta,
                path: path.to_path_buf(),
            });
        }
        let compiled = coral_compiler::compile(path)?;
        let plugin = self.plugin()?;
        let bytecode = self.bytecode(&plugin, &compiled, options)?;
        Ok(Loaded::Script {
            compiled,
            plugin,
            bytecode,
        })
    }

    /// QuickJS bytecode for `compiled` (cached). A program QuickJS refuses is
    /// the script's fault (exit 2), reported where it is in the script's
    /// files ([`refused`]).
    pub fn bytecode(
        &self,
        plugin: &PluginModule,
        compiled: &CompiledScript,
        options: &RunOptions,
    ) -> Result<Vec<u8>, Failure> {
        self.runner
            .compile_bytecode(plugin, &compiled.js, options)
            .map_err(|e| match e {
                RuntimeError::Compile(message) => Failure::usage(anyhow!(refused::describe(
                    &self.runner,
                    plugin,
                    compiled,
                    options,
                    &message
                ))),
                other => other.into(),
            })
    }

    /// Compiles a script only (no plugin), for `build` and the Deno engine.
    pub fn compile(&self, path: &Path) -> Result<CompiledScript, Failure> {
        Ok(coral_compiler::compile(path)?)
    }
}

impl Failure {
    fn context(self, path: &Path) -> Self {
        Self {
            code: self.code,
            error: self
                .error
                .context(format!("{} cannot be run", path.display())),
        }
    }
}

fn read_head(path: &Path) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)
        .map_err(|e| Failure::usage(anyhow!("cannot read {}: {e}", path.display())))?;
    let mut head = vec![0u8; 4];
    let n = file.read(&mut head).unwrap_or(0);
    head.truncate(n);
    Ok(head)
}
