//! The javy plugin (QuickJS and the Coral prelude, `engine/`) embedded at
//! build time, and its pre-initialisation.
//!
//! `initialise` runs the plugin's `initialize-runtime` under Wizer and returns
//! the snapshot: QuickJS with the Coral prelude already evaluated. It takes
//! about a second, so callers cache the result under [`PLUGIN_KEY`]; the
//! snapshot is a pure function of the embedded plugin.

use wasmtime::{Linker, Store};
use wasmtime_wasi::WasiCtxBuilder;
use wasmtime_wizer::Wizer;

use crate::error::CompileError;

/// The embedded plugin before initialisation.
static RAW_PLUGIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/coral_engine.wasm"));

/// Identifies the embedded plugin (its SHA-256): caches keyed by it are
/// invalidated whenever the plugin changes.
pub const PLUGIN_KEY: &str = include_str!(concat!(env!("OUT_DIR"), "/coral_engine.sha256"));

/// Builds the pre-initialised plugin image.
///
/// # Errors
/// [`CompileError::Wasm`] when Wizer cannot instantiate or snapshot the
/// plugin (a broken build).
pub fn initialise() -> Result<Vec<u8>, CompileError> {
    let engine = wasmtime::Engine::default();
    // No preopened directories, environment or sockets, as at run time.
    let wasi = WasiCtxBuilder::new().build_p1();
    let mut store = Store::new(&engine, wasi);
    let wizer = {
        let mut w = Wizer::new();
        // javy-codegen checks that `initialize-runtime` is still exported.
        w.init_func("initialize-runtime").keep_init_func(true);
        w
    };
    let snapshot = pollster::block_on(wizer.run(&mut store, RAW_PLUGIN, async |store, module| {
        let mut linker = Linker::new(store.engine());
        wasmtime_wasi::p1::add_to_linker_async(&mut linker, |cx| cx)?;
        // The prelude only defines functions that call the host; none runs
        // during initialisation, so the Coral imports can be traps here.
        linker.define_unknown_imports_as_traps(module)?;
        linker.instantiate_async(store, module).await
    }));
    snapshot.map_err(|e| CompileError::Wasm(format!("initialising the plugin: {e:#}")))
}
