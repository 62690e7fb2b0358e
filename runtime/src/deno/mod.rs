//! The Deno engine (`coral run --engine deno`): the same `.ts` run by a real
//! `deno` with the RFD's permissions, for parity with Coral's original runtime.
//! A peer of [`crate::wasm`]: it depends on the run contract
//! ([`crate::contract`]), the colony client and the cache, never on the
//! wasm engine.
//!
//! A run is: the SDK sources, an import map, `setup.js` and the wasm engine's
//! `shared.js` (timer order and PRNG) written once into a content-addressed
//! folder of the cache; a per-script main module (`import "./shared.js";
//! import "./setup.js"; import "<script>";`); a loopback [`bridge`] that
//! answers the SDK's Connect calls from the run's colony; and `deno run` with
//! `--allow-net=<bridge>`, no read permission (static imports load without
//! one) and nothing else, supervised for the deadline and the output limit
//! ([`process`]). How it ended comes back as control records on stderr
//! ([`demux`], [`record`]) and the exit status, mapped to the same
//! [`crate::Outcome`]s the wasm engine reports.

mod bridge;
mod demux;
mod engine;
mod output;
mod process;
mod record;

pub use engine::{DenoEngine, DenoScript, DenoSdk};
