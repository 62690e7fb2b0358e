//! The codegen half of `coral build`: a self-contained `.wasm` bundle (the
//! plugin and the script's QuickJS bytecode) made by javy-codegen with static
//! linking, plus a [`coral_host_abi::BUNDLE_SECTION`] recording the ABI
//! version, the entry file and the source map.
//!
//! It is its own crate, and its own binary (`coral-bundler`, run by `coral
//! build`), because javy-codegen links binaryen (for wasm-opt), whose C++
//! static initialisers would otherwise run, and page in code, on every
//! `coral run`.

use std::borrow::Cow;

use coral_host_abi::bundle::{BundleMeta, append_custom_section};
use coral_host_abi::{ABI_VERSION, BUNDLE_SECTION};
use javy_codegen::{Generator, JS, LinkingKind, Plugin, SourceEmbedding};

use coral_compiler::{CompileError, CompiledScript};

/// Builds the bundle for `script`, given the pre-initialised plugin image.
///
/// # Errors
/// [`CompileError::Wasm`] when javy-codegen refuses the image or fails. The
/// caller has already compiled the script with the same plugin (`coral
/// build` does, to locate what QuickJS refuses in the script's files), so a
/// failure here is never the script's.
pub fn build(
    script: &CompiledScript,
    plugin_image: &[u8],
    producer: &str,
) -> Result<Vec<u8>, CompileError> {
    let plugin = Plugin::new(Cow::Owned(plugin_image.to_vec()))
        .map_err(|e| CompileError::Wasm(format!("plugin image rejected by javy-codegen: {e:#}")))?;
    let mut generator = Generator::new(plugin);
    generator
        .linking(LinkingKind::Static)
        .source_embedding(SourceEmbedding::Omitted)
        .deterministic(true)
        .producer_version(producer.to_string());
    let js = JS::from_string(script.js.clone());
    let mut wasm = pollster::block_on(generator.generate(&js))
        .map_err(|e| CompileError::Wasm(format!("{e:#}")))?;
    let meta = BundleMeta {
        abi_version: ABI_VERSION,
        entry: script.entry.clone(),
        source_map: script.source_map.clone(),
        producer: producer.to_string(),
    };
    append_custom_section(&mut wasm, BUNDLE_SECTION, &meta.encode());
    Ok(wasm)
}
