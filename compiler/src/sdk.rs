//! The `@coral/sdk` TypeScript sources, embedded at build time from `sdk/`.
//! Scripts import them like any other module; the Deno mode writes the same
//! files to disk, so both engines run identical SDK code.

include!(concat!(env!("OUT_DIR"), "/sdk_files.rs"));
include!(concat!(env!("OUT_DIR"), "/sdk_declarations.rs"));

/// The SDK's declaration files (`mod.d.ts`, …), generated from its sources
/// by tsc (`scripts/gen-sdk-types.sh`, kept in `compiler/sdk-dts/`; a test
/// checks that regenerating them changes nothing): what `coral types`
/// writes for editors.
pub fn declarations() -> &'static [(&'static str, &'static str)] {
    SDK_DECLARATIONS
}

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

/// Every specifier a script may use for the SDK, with the file it names
/// (what [`crate::policy::resolve`] accepts): `@coral/sdk` is `mod.ts`, and
/// `@coral/sdk/<name>` or `@coral/sdk/<name>.ts` is `<name>.ts`. The Deno
/// engine writes these as its import map.
pub fn specifiers() -> Vec<(String, &'static str)> {
    let mut specifiers = vec![("@coral/sdk".to_string(), "mod.ts")];
    for (path, _) in SDK_FILES {
        specifiers.push((format!("@coral/sdk/{path}"), path));
        if let Some(stem) = path.strip_suffix(".ts") {
            specifiers.push((format!("@coral/sdk/{stem}"), path));
        }
    }
    specifiers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_specifier_names_a_file_the_policy_resolves_to() {
        use crate::policy::{ModuleKey, resolve};
        let root = std::env::temp_dir();
        let importer = ModuleKey::File(root.join("script.ts"));
        for (specifier, file) in specifiers() {
            assert_eq!(
                resolve(&specifier, &importer, &root).ok(),
                Some(ModuleKey::Sdk(file.to_string())),
                "{specifier}"
            );
        }
    }
}
