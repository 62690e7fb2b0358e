//! The Coral Script compiler: TypeScript in, something the runtime can run out.
//!
//! It owns three steps and nothing else (no wasmtime execution of scripts, no
//! CLI):
//!
//! * [`compile`]: swc parses each module (TypeScript or JavaScript), strips the
//!   types (annotations, interfaces, generics, enums, `as`/`!`/`satisfies`,
//!   parameter properties, `import type`), lowers decorators (TC39, or
//!   TypeScript's legacy ones when the folder's `deno.json` asks: [`config`]),
//!   enforces the import policy
//!   ([`policy`]) and joins the module graph into one JavaScript program with a
//!   source map back to the original files.
//! * [`plugin`]: the javy plugin (QuickJS and the prelude) embedded at build time, and its
//!   pre-initialisation with Wizer.
//!
//! `coral build`'s `.wasm` bundles are made from a [`CompiledScript`] by the
//! `coral-bundler` crate (javy-codegen), kept apart so `coral` does not link
//! binaryen.

pub mod compile;
pub mod config;
pub mod error;
mod module;
pub mod nesting;
pub mod plugin;
pub mod policy;
pub mod positions;
pub mod regexps;
pub mod sdk;

pub use compile::{CompiledScript, compile};
pub use config::CompilerOptions;
pub use error::{CompileError, Location};
