//! The wasm engine: QuickJS (the javy plugin, pre-initialised with the
//! prelude) run in wasmtime with fuel, a memory limit and an epoch deadline.
//! A peer of [`crate::deno`]: it depends on the run contract
//! ([`crate::contract`]), the colony client and the cache, never on the
//! Deno engine.
//!
//! * [`runner`]: the `wasmtime::Engine`, loading modules (the plugin image
//!   fed with bytecode, or a `coral build` bundle) and running them to an
//!   [`Outcome`](crate::Outcome);
//! * [`state`]: the store data of a run ([`state::HostState`]) and why the
//!   host traps a guest ([`state::HostTrap`]); [`host`]: the `coral` imports
//!   over it (`add_to_linker`); [`ops`]: the operations a guest requests
//!   through the `call` import;
//! * [`clock`]: real or virtual time; [`stack`]: mapping the guest's stack
//!   frames back to the original sources.

mod clock;
mod host;
mod ops;
mod runner;
mod stack;
mod state;

pub use ops::{INTL_FUEL_BASE, INTL_FUEL_PER_BYTE};
pub use runner::{LoadedBundle, PluginModule, Program, Runner, WasmScript};
pub use stack::StackMapper;
