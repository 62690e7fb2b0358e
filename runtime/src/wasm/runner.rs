//! Loading and running programs: the plugin image fed with bytecode (the
//! `coral run x.ts` path) or a self-contained bundle (`coral run x.wasm`).

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use coral_host_abi::bundle::BundleMeta;
use coral_host_abi::{ABI_VERSION, IMPORT_MODULE, MIN_ABI_VERSION};
use wasmtime::{Config, Instance, Linker, Module, Store, StoreLimitsBuilder, Trap, UpdateDeadline};
use wasmtime_wasi::WasiCtxBuilder;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;

use super::clock::Clock;
use super::host;
use super::stack::StackMapper;
use super::state::{ErrorReport, HostState, HostTrap, MemoryLimiter};
use crate::cache::{Cache, content_key};
use crate::colony::Colony;
use crate::contract::determinism::{DETERMINISTIC_EPOCH, DETERMINISTIC_SEED};
use crate::contract::engine::Engine;
use crate::contract::error::RuntimeError;
use crate::contract::options::{Limits, RunOptions};
use crate::contract::output::{CaptureSink, OutputAllowance, OutputSink};
use crate::contract::report::{Outcome, RunReport, RunStats, ScriptError, own_peak_rss_bytes};
use crate::contract::stop::StopSignal;

/// wasm stack a guest may use.
const MAX_WASM_STACK: usize = 16 << 20;
/// Native stack of the thread guests run on: room for the wasm stack plus the
/// host functions it calls.
const WASM_THREAD_STACK: usize = 64 << 20;

/// Runs `f` on a thread with [`WASM_THREAD_STACK`] of stack, so a guest can
/// never use more native stack than exists (whatever thread called us).
fn on_wasm_thread<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    thread::scope(|scope| {
        thread::Builder::new()
            .name("coral-guest".into())
            .stack_size(WASM_THREAD_STACK)
            .spawn_scoped(scope, f)
            .map(|handle| handle.join())
            .unwrap_or_else(|e| panic!("cannot start the guest thread: {e}"))
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Largest function table a program may have (the plugin needs a few thousand).
const MAX_TABLE_ELEMENTS: usize = 1 << 20;

/// Bytes of WASI stdout/stderr kept (javy writes there only when it aborts).
const WASI_PIPE_CAPACITY: usize = 64 * 1024;

/// The compiled plugin image (QuickJS with the prelude, pre-initialised),
/// ready to run bytecode.
#[derive(Debug, Clone)]
pub struct PluginModule {
    module: Module,
    key: String,
}

/// A compiled `coral build` bundle.
#[derive(Debug, Clone)]
pub struct LoadedBundle {
    module: Module,
}

/// Something runnable.
#[derive(Debug)]
pub enum Program<'a> {
    /// The plugin with a script's QuickJS bytecode.
    Bytecode {
        /// The plugin.
        plugin: &'a PluginModule,
        /// From [`Runner::compile_bytecode`].
        bytecode: &'a [u8],
    },
    /// A `coral build` bundle.
    Bundle(&'a LoadedBundle),
}

/// The wasm engine: owns the `wasmtime::Engine` and the cache.
#[derive(Debug, Clone)]
pub struct Runner {
    engine: wasmtime::Engine,
    cache: Cache,
}

impl Runner {
    /// A runner with fuel metering and epoch interruption enabled.
    pub fn new(cache: Cache) -> Result<Self, RuntimeError> {
        let mut config = Config::new();
        // Only what the plugin uses: every other proposal is attack surface,
        // and multi-memory would let a module multiply the memory limit.
        config
            .consume_fuel(true)
            .epoch_interruption(true)
            .wasm_multi_memory(false)
            .wasm_memory64(false)
            .wasm_threads(false)
            .wasm_gc(false)
            .wasm_function_references(false)
            .wasm_component_model(false)
            // QuickJS's parser and interpreter recurse deeply; wasmtime's
            // default 512 KiB lets even 200 nested brackets trap. Guests run
            // on `on_wasm_thread`, whose native stack is larger still.
            .max_wasm_stack(MAX_WASM_STACK)
            // Unused (no async), but wasmtime requires it to be the larger.
            .async_stack_size(MAX_WASM_STACK + (1 << 20));
        let engine = wasmtime::Engine::new(&config)
            .map_err(|e| RuntimeError::internal("creating the wasmtime engine", e))?;
        Ok(Self { engine, cache })
    }

    /// The cache this runner uses.
    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// The plugin image compiled for this host, from the cache when possible.
    /// `key` identifies the image; `image` produces it on a cache miss (for
    /// `coral_compiler::plugin::initialise`); its failure is
    /// [`RuntimeError::Internal`] ("making the plugin image").
    pub fn plugin_module<E>(
        &self,
        key: &str,
        image: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<PluginModule, RuntimeError>
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let name = format!("plugin-{key}");
        let module = self.cached_module(&name, || {
            self.cache
                .get_or_create(&plugin_image_name(key), plugin_maker(image))
        })?;
        Ok(PluginModule { module, key: name })
    }

    /// The cache file holding the plugin image (`image` makes it when
    /// absent, as for [`Runner::plugin_module`]).
    pub fn plugin_image<E>(
        &self,
        key: &str,
        image: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<std::path::PathBuf, RuntimeError>
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let name = plugin_image_name(key);
        self.cache.get_or_create(&name, plugin_maker(image))?;
        Ok(self.cache.path(&name))
    }

    /// The compiled form of a wasm module: loaded from the cache when present
    /// (memory-mapped, no Cranelift), else compiled from `wasm()` and stored.
    /// `key` must change whenever the wasm does.
    fn cached_module(
        &self,
        key: &str,
        wasm: impl FnOnce() -> Result<Vec<u8>, RuntimeError>,
    ) -> Result<Module, RuntimeError> {
        let name = format!("{key}.cwasm");
        let path = self.cache.path(&name);
        if path.exists() {
            // SAFETY: the file was produced by `Module::serialize` below and
            // stored under a content-derived name in the user's own cache
            // directory; whoever can rewrite it can rewrite the `coral` binary
            // too. wasmtime checks its header (version, engine settings) and
            // we fall back to compiling when that check fails.
            if let Ok(module) = unsafe { Module::deserialize_file(&self.engine, &path) } {
                return Ok(module);
            }
        }
        let bytes = wasm()?;
        let module = Module::new(&self.engine, &bytes).map_err(RuntimeError::InvalidModule)?;
        let serialized = module
            .serialize()
            .map_err(|e| RuntimeError::internal("serialising a compiled module", e))?;
        // A cache that cannot be written only costs speed.
        let _ = self.cache.write(&name, &serialized);
        Ok(module)
    }

    /// Loads a bundle: checks it is a Coral bundle of this ABI, then compiles
    /// it (or maps the cached compilation).
    pub fn load_bundle(&self, wasm: &[u8]) -> Result<(LoadedBundle, BundleMeta), RuntimeError> {
        let meta = BundleMeta::read_from(wasm)?;
        if !(MIN_ABI_VERSION..=ABI_VERSION).contains(&meta.abi_version) {
            return Err(RuntimeError::AbiMismatch {
                found: meta.abi_version,
                expected: ABI_VERSION,
            });
        }
        let key = format!("bundle-{}", content_key(&[wasm]));
        let module = self.cached_module(&key, || Ok(wasm.to_vec()))?;
        check_program_shape(&module, "_start")?;
        Ok((LoadedBundle { module }, meta))
    }

    /// QuickJS bytecode for `js`, compiled by the plugin itself (so it always
    /// matches the plugin) in a throwaway instance, and cached. Compilation
    /// is not charged to the script's fuel, so a cached and an uncached run
    /// use the same fuel.
    pub fn compile_bytecode(
        &self,
        plugin: &PluginModule,
        js: &str,
        options: &RunOptions,
    ) -> Result<Vec<u8>, RuntimeError> {
        let name = format!(
            "{}.qjsbc",
            content_key(&[plugin.key.as_bytes(), js.as_bytes()])
        );
        self.cache
            .get_or_create(&name, || self.compile_uncached(plugin, js, options))
    }

    /// Compiles `js` without the cache: only whether QuickJS takes it
    /// matters (to find which part of a refused program it refuses).
    ///
    /// # Errors
    /// As [`Runner::compile_bytecode`].
    pub fn check_compiles(
        &self,
        plugin: &PluginModule,
        js: &str,
        options: &RunOptions,
    ) -> Result<(), RuntimeError> {
        self.compile_uncached(plugin, js, options).map(drop)
    }

    fn compile_uncached(
        &self,
        plugin: &PluginModule,
        js: &str,
        options: &RunOptions,
    ) -> Result<Vec<u8>, RuntimeError> {
        on_wasm_thread(|| {
            // The script's memory limit and deadline apply to compiling it
            // too; fuel does not (so cached and uncached runs use the same).
            let compile_options = RunOptions {
                limits: Limits {
                    fuel: None,
                    ..options.limits.clone()
                },
                ..RunOptions::default()
            };
            let mut store = self.store(
                &compile_options,
                Box::new(CaptureSink::default()),
                Clock::real(),
            );
            // The run's --timeout bounds its compilation too.
            // Compiling is bounded by the deadline; a stop waits for it.
            let watchdog = Watchdog::arm(
                &self.engine,
                &mut store,
                options.limits.timeout,
                &StopSignal::default(),
            );
            let compiled = self.compile_in(&mut store, plugin, js);
            drop(watchdog);
            if store.data().limiter.hit {
                return Err(RuntimeError::MemoryLimit);
            }
            compiled
        })
    }

    fn compile_in(
        &self,
        store: &mut Store<HostState>,
        plugin: &PluginModule,
        js: &str,
    ) -> Result<Vec<u8>, RuntimeError> {
        let instance = self.instantiate(store, &plugin.module)?;
        let src_ptr = write_to_guest(store, &instance, js.as_bytes())?;
        let compile = instance
            .get_typed_func::<(u32, u32), u32>(&mut *store, "compile-src")
            .map_err(RuntimeError::Unlinkable)?;
        let ret = compile
            .call(&mut *store, (src_ptr, js.len() as u32))
            .map_err(|e| {
                if matches!(e.downcast_ref::<HostTrap>(), Some(HostTrap::Timeout)) {
                    return RuntimeError::Timeout;
                }
                RuntimeError::Compile(match e.downcast_ref::<Trap>() {
                    Some(Trap::StackOverflow) => {
                        "the script is nested too deeply (the engine's parser ran out of stack)"
                            .into()
                    }
                    Some(trap) => format!("the engine trapped while compiling: {trap}"),
                    None => format!("{e}"),
                })
            })?;
        let memory = instance
            .get_memory(&mut *store, "memory")
            .ok_or_else(|| RuntimeError::NotAProgram("no memory export".into()))?;
        let mut area = [0u8; 12];
        memory.read(&*store, ret as usize, &mut area).map_err(|e| {
            RuntimeError::internal("reading the compiler's answer from guest memory", e)
        })?;
        let word = |i: usize| u32::from_le_bytes([area[i], area[i + 1], area[i + 2], area[i + 3]]);
        let (status, ptr, len) = (word(0), word(4) as usize, word(8) as usize);
        let mut bytes = vec![0u8; len];
        memory.read(&*store, ptr, &mut bytes).map_err(|e| {
            RuntimeError::internal("reading the compiler's answer from guest memory", e)
        })?;
        if status != 0 {
            return Err(RuntimeError::Compile(
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
        Ok(bytes)
    }

    fn store(
        &self,
        options: &RunOptions,
        output: Box<dyn OutputSink>,
        clock: Clock,
    ) -> Store<HostState> {
        let limits = &options.limits;
        let wasi_stderr = MemoryOutputPipe::new(WASI_PIPE_CAPACITY);
        let mut wasi = WasiCtxBuilder::new();
        // No preopened directories, no environment, no arguments, no sockets.
        wasi.stdout(MemoryOutputPipe::new(WASI_PIPE_CAPACITY))
            .stderr(wasi_stderr.clone())
            .wall_clock(clock.wasi_wall())
            .monotonic_clock(clock.wasi_monotonic());
        let seed = if options.deterministic {
            use cap_rand::SeedableRng;
            wasi.secure_random(cap_rand::rngs::StdRng::seed_from_u64(DETERMINISTIC_SEED))
                .insecure_random(cap_rand::rngs::StdRng::seed_from_u64(DETERMINISTIC_SEED))
                .insecure_random_seed(u128::from(DETERMINISTIC_SEED));
            DETERMINISTIC_SEED
        } else {
            fresh_seed()
        };
        let state = HostState {
            wasi: wasi.build_p1(),
            wasi_stderr,
            limiter: MemoryLimiter::new(
                StoreLimitsBuilder::new()
                    .memory_size(limits.memory_bytes)
                    .table_elements(MAX_TABLE_ELEMENTS)
                    .instances(1)
                    .tables(4)
                    .memories(1)
                    .build(),
            ),
            output,
            output_allowance: OutputAllowance::new(limits.max_output_bytes),
            params: options.params.clone(),
            response: None,
            fuel_debt: 0,
            text_decoders: Default::default(),
            stack_mapper: Default::default(),
            compression_streams: Default::default(),
            clock,
            timeout: limits.timeout,
            stop: options.stop.clone(),
            seed,
            deterministic: options.deterministic,
            error_report: None,
            main_done: false,
            colony: Colony::new(
                options.colony.source.clone(),
                options
                    .deterministic
                    .then(|| DETERMINISTIC_EPOCH.as_micros() as i64),
            ),
            colony_timeout: options.colony.call_timeout,
            events: Vec::new(),
        };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| &mut s.limiter);
        // Fuel is always metered (the engine is configured for it); without a
        // budget the script gets all of it and the count is still reported.
        let _ = store.set_fuel(limits.fuel.unwrap_or(u64::MAX));
        store
    }

    fn linker(&self, module: &Module) -> Result<Linker<HostState>, RuntimeError> {
        let mut linker: Linker<HostState> = Linker::new(&self.engine);
        wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |s| &mut s.wasi)
            .and_then(|_| host::add_to_linker(&mut linker))
            .map_err(|e| RuntimeError::internal("linking the host functions", e))?;
        for import in module.imports() {
            let known =
                import.module() == IMPORT_MODULE || import.module() == "wasi_snapshot_preview1";
            if !known {
                return Err(RuntimeError::NotAProgram(format!(
                    "it imports `{}::{}`, which a Coral program cannot use",
                    import.module(),
                    import.name()
                )));
            }
        }
        Ok(linker)
    }

    /// Instantiates for a throwaway use (bytecode compilation), where a
    /// failure is an error rather than an outcome.
    fn instantiate(
        &self,
        store: &mut Store<HostState>,
        module: &Module,
    ) -> Result<Instance, RuntimeError> {
        self.linker(module)?
            .instantiate(store, module)
            .map_err(RuntimeError::Unlinkable)
    }

    fn run_here(
        &self,
        program: &Program<'_>,
        source_map: Option<&str>,
        options: &RunOptions,
        output: Box<dyn OutputSink>,
    ) -> Result<RunReport, RuntimeError> {
        let clock = if options.deterministic {
            Clock::deterministic()
        } else {
            Clock::real()
        };
        let started = Instant::now();
        let mut store = self.store(options, output, clock);
        // Parsed before the run: `console.log(error)` maps frames too.
        store.data_mut().stack_mapper = StackMapper::new(source_map);
        let watchdog = Watchdog::arm(
            &self.engine,
            &mut store,
            options.limits.timeout,
            &options.stop,
        );
        let (module, entry) = match program {
            Program::Bytecode { plugin, .. } => (&plugin.module, "invoke"),
            Program::Bundle(bundle) => (&bundle.module, "_start"),
        };
        let linker = self.linker(module)?;
        // A trap while instantiating (a start function hitting a limit, the
        // initial memory over the limit) is an outcome like any other.
        let call_result = match linker.instantiate(&mut store, module) {
            Err(e) if !is_outcome(&e) && !store.data().limiter.hit => {
                return Err(RuntimeError::Unlinkable(e));
            }
            Err(e) => Err(e),
            Ok(instance) => match program {
                Program::Bytecode { bytecode, .. } => {
                    let ptr = write_to_guest(&mut store, &instance, bytecode)?;
                    let invoke = instance
                        .get_typed_func::<(u32, u32, u32, u32, u32), ()>(&mut store, entry)
                        .map_err(RuntimeError::Unlinkable)?;
                    invoke.call(&mut store, (ptr, bytecode.len() as u32, 0, 0, 0))
                }
                Program::Bundle(_) => {
                    let start = instance
                        .get_typed_func::<(), ()>(&mut store, entry)
                        .map_err(RuntimeError::Unlinkable)?;
                    start.call(&mut store, ())
                }
            },
        };
        drop(watchdog);
        let fuel_left = store.get_fuel().unwrap_or(0);
        let stats = RunStats {
            fuel_used: options.limits.fuel.unwrap_or(u64::MAX) - fuel_left,
            peak_memory_bytes: store.data().limiter.peak_bytes,
            wall_time: started.elapsed(),
            colony_calls: store.data().colony.calls,
            colony_time: store.data().colony.busy,
            host_peak_rss_bytes: own_peak_rss_bytes(),
        };
        let mapper = std::mem::take(&mut store.data_mut().stack_mapper);
        let outcome = classify(&mut store, call_result, &mapper);
        let events = std::mem::take(&mut store.data_mut().events);
        Ok(RunReport {
            outcome,
            stats,
            events,
        })
    }
}

/// What the wasm engine runs: a program and the source map its stack
/// frames are mapped back with (`None` for a bundle built without one).
#[derive(Debug)]
pub struct WasmScript<'a> {
    /// The plugin image with bytecode, or a bundle.
    pub program: Program<'a>,
    /// The bundle's source map (JSON).
    pub source_map: Option<&'a str>,
}

impl<'a> From<Program<'a>> for WasmScript<'a> {
    /// A program without a source map (frames stay as the engine saw them).
    fn from(program: Program<'a>) -> Self {
        Self {
            program,
            source_map: None,
        }
    }
}

impl Engine for Runner {
    type Script<'a> = WasmScript<'a>;

    /// Runs the program to completion (or to a limit) on a thread of its own
    /// with a 64 MiB stack, and reports how it ended.
    fn run(
        &self,
        script: WasmScript<'_>,
        options: &RunOptions,
        output: Box<dyn OutputSink>,
    ) -> Result<RunReport, RuntimeError> {
        on_wasm_thread(|| self.run_here(&script.program, script.source_map, options, output))
    }
}

/// `image` with its failure as the runtime's internal error.
fn plugin_maker<E: Into<Box<dyn std::error::Error + Send + Sync>>>(
    image: impl FnOnce() -> Result<Vec<u8>, E>,
) -> impl FnOnce() -> Result<Vec<u8>, RuntimeError> {
    move || image().map_err(|e| RuntimeError::internal("making the plugin image", e))
}

/// The cache entry holding the plugin image `key`.
fn plugin_image_name(key: &str) -> String {
    format!("plugin-{key}.wasm")
}

/// True for errors that are how a run ends (a host interrupt or a trap).
fn is_outcome(e: &wasmtime::Error) -> bool {
    e.downcast_ref::<HostTrap>().is_some() || e.downcast_ref::<Trap>().is_some()
}

/// Turns the guest's result into an [`Outcome`].
fn classify(
    store: &mut Store<HostState>,
    result: wasmtime::Result<()>,
    mapper: &StackMapper,
) -> Outcome {
    let state = store.data_mut();
    let report = state.error_report.take();
    let script_error = |report: Option<ErrorReport>, fallback: ScriptError| match report {
        Some(r) => ScriptError::reported(&r.name, &r.message, mapper.map_stack(&r.stack)),
        None => fallback,
    };
    let err = match result {
        Ok(()) if state.main_done => return Outcome::Success,
        Ok(()) => {
            return Outcome::ScriptError(ScriptError::top_level_await_never_settled());
        }
        Err(err) => err,
    };
    if state.limiter.hit {
        return Outcome::MemoryLimit;
    }
    if let Some(interrupt) = err.downcast_ref::<HostTrap>() {
        return match interrupt {
            HostTrap::Exit(0) => Outcome::Success,
            HostTrap::Exit(code) => Outcome::ScriptError(script_error(
                report,
                ScriptError {
                    name: "Error".into(),
                    message: format!("script exited with status {code}"),
                    frames: Vec::new(),
                },
            )),
            HostTrap::Timeout => Outcome::Timeout,
            HostTrap::Stopped => Outcome::Stopped,
            HostTrap::MemoryLimit => Outcome::MemoryLimit,
            HostTrap::OutputLimit => Outcome::OutputLimit,
            HostTrap::Output(error) => error.outcome(),
            HostTrap::Abi(message) => Outcome::ScriptError(ScriptError {
                name: "AbiViolation".into(),
                message: format!("the module broke the Coral host ABI: {message}"),
                frames: Vec::new(),
            }),
        };
    }
    if let Some(trap) = err.downcast_ref::<Trap>() {
        match trap {
            Trap::OutOfFuel => return Outcome::FuelExhausted,
            Trap::Interrupt => return Outcome::Timeout,
            Trap::StackOverflow => {
                return Outcome::ScriptError(ScriptError {
                    name: "RangeError".into(),
                    message:
                        "Maximum call stack size exceeded (the engine's native stack is exhausted)"
                            .into(),
                    frames: Vec::new(),
                });
            }
            _ => {}
        }
    }
    // A trap inside the engine: javy prints the reason to WASI stderr before
    // aborting, which is the best message there is.
    let wasi_stderr = state.wasi_stderr_text();
    let message = if wasi_stderr.trim().is_empty() {
        format!("the engine trapped: {err:#}")
    } else {
        wasi_stderr.trim().to_string()
    };
    Outcome::ScriptError(script_error(
        report,
        ScriptError {
            name: "Error".into(),
            message,
            frames: Vec::new(),
        },
    ))
}

fn check_program_shape(module: &Module, entry: &str) -> Result<(), RuntimeError> {
    if module.get_export(entry).is_none() {
        return Err(RuntimeError::NotAProgram(format!(
            "it has no `{entry}` export"
        )));
    }
    if module.get_export("memory").is_none() {
        return Err(RuntimeError::NotAProgram("it exports no memory".into()));
    }
    Ok(())
}

/// Allocates guest memory with the engine's `cabi_realloc` and copies `bytes`.
fn write_to_guest(
    store: &mut Store<HostState>,
    instance: &Instance,
    bytes: &[u8],
) -> Result<u32, RuntimeError> {
    let realloc = instance
        .get_typed_func::<(u32, u32, u32, u32), u32>(&mut *store, "cabi_realloc")
        .map_err(RuntimeError::Unlinkable)?;
    let len = u32::try_from(bytes.len())
        .map_err(|_| RuntimeError::Compile("program larger than 4 GiB".into()))?;
    let ptr = realloc
        .call(&mut *store, (0, 0, 1, len))
        .map_err(|e| RuntimeError::internal("allocating guest memory", e))?;
    let memory = instance
        .get_memory(&mut *store, "memory")
        .ok_or_else(|| RuntimeError::NotAProgram("no memory export".into()))?;
    memory
        .write(&mut *store, ptr as usize, bytes)
        .map_err(|e| RuntimeError::internal("writing to guest memory", e))?;
    Ok(ptr)
}

fn fresh_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    // RandomState is seeded from the OS per process; mixing in the time keeps
    // two runs in one process apart.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    hasher.finish()
}

/// Ticks the engine's epoch once when the timeout passes, which makes the
/// running guest check its deadline and trap. Dropping it stops the thread.
struct Watchdog {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Watchdog {
    /// Gives `store` a deadline `timeout` from now (trapping with
    /// [`HostTrap::Timeout`]) and starts the watchdog that enforces it; a
    /// raised `stop` traps with [`HostTrap::Stopped`] (its raiser ticks the
    /// epoch; a guest sleeping in a timer wakes through the signal itself).
    /// Any epoch tick (ours or another run's) re-checks this store's own
    /// deadline and signal, so concurrent runs on one engine do not cut
    /// each other off.
    fn arm<T: 'static>(
        engine: &wasmtime::Engine,
        store: &mut Store<T>,
        timeout: Duration,
        stop: &StopSignal,
    ) -> Self {
        let deadline = Instant::now() + timeout;
        let stopped = stop.clone();
        store.set_epoch_deadline(1);
        store.epoch_deadline_callback(move |_| {
            if stopped.is_stopped() {
                Err(wasmtime::Error::new(HostTrap::Stopped))
            } else if Instant::now() >= deadline {
                Err(wasmtime::Error::new(HostTrap::Timeout))
            } else {
                Ok(UpdateDeadline::Continue(1))
            }
        });
        let ticker = engine.clone();
        stop.on_stop(move || ticker.increment_epoch());
        Self::start(engine, timeout)
    }

    fn start(engine: &wasmtime::Engine, timeout: Duration) -> Self {
        let (stop, stopped) = mpsc::channel::<()>();
        let engine = engine.clone();
        let thread = thread::Builder::new()
            .name("coral-watchdog".into())
            .spawn(move || {
                // Tick at the deadline, then keep ticking in case the guest was
                // inside a host call at that moment.
                let mut wait = timeout;
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(wait) {
                    engine.increment_epoch();
                    wait = Duration::from_millis(10);
                }
            })
            .ok();
        Self {
            stop: Some(stop),
            thread,
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
