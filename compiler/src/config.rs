//! The compiler options a script's folder asks for: the `compilerOptions`
//! of its `deno.json` (or `deno.jsonc`), the file Deno reads, so one file
//! configures both engines.
//!
//! Only options that change what the program *does* are read; the rest
//! (`strict`, `lib`, `jsx`…) concern type checking or JSX and are ignored
//! here (docs/cli.md, "TypeScript transforms"):
//!
//! * `experimentalDecorators` (bool, default false): TypeScript's legacy
//!   decorators instead of the TC39 ones;
//! * `emitDecoratorMetadata` (bool, default false): with legacy decorators,
//!   `design:type`/`design:paramtypes`/`design:returntype` metadata through
//!   `Reflect.metadata` when a library defines it.
//!
//! Only the script's own folder is looked in: it is also the import policy's
//! root, the folder a script's code may come from.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::CompileError;

/// The configuration files looked for, in order; the first that exists wins
/// (Deno's order).
pub const CONFIG_FILES: [&str; 2] = ["deno.json", "deno.jsonc"];

/// Compiler options that change the emitted program.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompilerOptions {
    /// `compilerOptions.experimentalDecorators`: TypeScript's legacy
    /// (stage 1) decorators rather than TC39's (2022-03 semantics, as Deno).
    pub experimental_decorators: bool,
    /// `compilerOptions.emitDecoratorMetadata`: TypeScript's design-time
    /// metadata calls beside legacy decorators.
    pub emit_decorator_metadata: bool,
}

impl CompilerOptions {
    /// The `deno.json` that makes Deno compile the same way: these options
    /// and nothing else of the user's file (its imports, tasks and
    /// permissions have no place in a sandboxed run).
    pub fn deno_config(&self) -> serde_json::Value {
        serde_json::json!({ "compilerOptions": self })
    }
}

/// Most bytes of a `deno.json` read.
pub const MAX_CONFIG_BYTES: u64 = 256 * 1024;

/// A value for a message: JSON, cut to a few dozen characters.
fn shown(value: &serde_json::Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// Reads the options of the script folder `root`: the file read (if any)
/// and what it says.
///
/// # Errors
/// [`CompileError::Config`] when the file cannot be read, leads outside the
/// folder (a symbolic link), is larger than [`MAX_CONFIG_BYTES`] or nested
/// deeper than [`crate::nesting::MAX_NESTING`], is not JSON with comments, or
/// gives an option the wrong type (the message says which).
pub fn load(root: &Path) -> Result<(Option<PathBuf>, CompilerOptions), CompileError> {
    let root = &root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let Some(path) = CONFIG_FILES
        .iter()
        .map(|name| root.join(name))
        .find(|p| p.is_file())
    else {
        return Ok((None, CompilerOptions::default()));
    };
    let config_error = |message: String| CompileError::Config {
        path: path.clone(),
        message,
    };
    // The file is a compiler input like an import: it must be inside the
    // script's folder (a symbolic link out of it is refused, as an import's
    // would be), small, and not nested past what the parser's stack takes.
    let real = path
        .canonicalize()
        .map_err(|e| config_error(e.to_string()))?;
    if !real.starts_with(root) {
        return Err(config_error(format!(
            "it leads outside the script's folder (to {}); a deno.json must be a file in the folder",
            real.display()
        )));
    }
    let size = std::fs::metadata(&real)
        .map_err(|e| config_error(e.to_string()))?
        .len();
    if size > MAX_CONFIG_BYTES {
        return Err(config_error(format!(
            "the file is larger than {} KiB, the most read as a configuration",
            MAX_CONFIG_BYTES / 1024
        )));
    }
    let text = std::fs::read_to_string(&real).map_err(|e| config_error(e.to_string()))?;
    if let Some(at) = crate::nesting::too_deep(&text, crate::nesting::MAX_NESTING) {
        return Err(config_error(format!(
            "nested more than {} levels deep (at byte {at})",
            crate::nesting::MAX_NESTING
        )));
    }
    let value = jsonc_parser::parse_to_serde_value(&text, &Default::default())
        .map_err(|e| config_error(e.to_string()))?
        .unwrap_or(serde_json::Value::Null);
    if !(value.is_object() || value.is_null()) {
        return Err(config_error(format!(
            "the file must hold an object, not {value}"
        )));
    }
    let options = match value.get("compilerOptions") {
        None | Some(serde_json::Value::Null) => serde_json::Map::new(),
        Some(serde_json::Value::Object(options)) => options.clone(),
        Some(_) => {
            return Err(config_error("\"compilerOptions\" must be an object".into()));
        }
    };
    let flag = |name: &str| match options.get(name) {
        None | Some(serde_json::Value::Null) => Ok(false),
        Some(serde_json::Value::Bool(b)) => Ok(*b),
        Some(other) => Err(config_error(format!(
            "\"compilerOptions.{name}\" must be true or false, not {}",
            shown(other)
        ))),
    };
    Ok((
        Some(path.clone()),
        CompilerOptions {
            experimental_decorators: flag("experimentalDecorators")?,
            emit_decorator_metadata: flag("emitDecoratorMetadata")?,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(name: &str, text: &str) -> Result<CompilerOptions, CompileError> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), text).unwrap();
        load(dir.path()).map(|(_, options)| options)
    }

    #[test]
    fn reads_decorator_options_and_ignores_the_rest() {
        let options = load_text(
            "deno.jsonc",
            "// legacy\n{ \"compilerOptions\": { \"experimentalDecorators\": true, \"strict\": false, }, \"tasks\": {} }",
        )
        .unwrap();
        assert!(options.experimental_decorators);
        assert!(!options.emit_decorator_metadata);
    }

    #[test]
    fn no_file_means_tc39_decorators() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            load(dir.path()).unwrap(),
            (None, CompilerOptions::default())
        );
    }

    #[test]
    fn a_wrong_type_names_the_file_and_the_option() {
        let err = load_text(
            "deno.json",
            r#"{ "compilerOptions": { "experimentalDecorators": "yes" } }"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("deno.json"), "{err}");
        assert!(
            err.contains(
                "compilerOptions.experimentalDecorators\" must be true or false, not \"yes\""
            ),
            "{err}"
        );
    }

    #[test]
    fn a_link_out_of_the_folder_is_refused_without_showing_the_target() {
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("secret.json");
        std::fs::write(&secret, r#"["top-secret"]"#).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(&secret, dir.path().join("deno.json")).unwrap();
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("leads outside the script's folder"), "{err}");
        assert!(!err.contains("top-secret\""), "{err}");
    }

    #[test]
    fn deep_or_large_files_are_refused_before_parsing() {
        let deep = format!("{{\"x\":{}{}}}", "[".repeat(5000), "]".repeat(5000));
        let err = load_text("deno.json", &deep).unwrap_err().to_string();
        assert!(err.contains("nested more than 1000 levels"), "{err}");
        let large = format!("{{\"x\":\"{}\"}}", "a".repeat(300 * 1024));
        let err = load_text("deno.json", &large).unwrap_err().to_string();
        assert!(err.contains("larger than 256 KiB"), "{err}");
    }

    #[test]
    fn broken_json_says_where() {
        let err = load_text("deno.json", "{ \"compilerOptions\": { ")
            .unwrap_err()
            .to_string();
        assert!(err.contains("deno.json"), "{err}");
        assert!(err.contains("line 1"), "{err}");
    }
}
