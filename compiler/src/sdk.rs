//! The `@coral/sdk` TypeScript sources, embedded at build time from `sdk/`.
//! Scripts import them like any other module; the Deno mode writes the same
//! files to disk, so both engines run identical SDK code.

include!(concat!(env!("OUT_DIR"), "/sdk_files.rs"));

/// The source of an SDK file, by its path inside the SDK (`"mod.ts"`).
pub fn source(path: &str) -> Option<&'static str> {
    SDK_FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, src)| *src)
}

/// Every SDK file: (path inside the SDK, source).
pub fn files() -> &'static [(&'static str, &'static str)] {
    SDK_FILES
}
