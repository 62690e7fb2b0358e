//! The import policy: which specifiers a script may import, and what they
//! resolve to. A script sees `@coral/sdk` (and its sub-paths) and files inside
//! its own folder tree; everything else is refused at compile time with the
//! reason, so nothing outside the sandbox is ever loaded.

use std::path::{Component, Path, PathBuf};

use crate::sdk;

/// A module in the graph: a file under the script's root, or an SDK source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ModuleKey {
    /// A script file (canonical path).
    File(PathBuf),
    /// A file of the embedded `@coral/sdk` (path inside the SDK).
    Sdk(String),
}

impl ModuleKey {
    /// The name shown in errors, stack traces and source maps.
    pub fn display(&self) -> String {
        match self {
            Self::File(path) => display_path(path),
            Self::Sdk(rel) => format!("@coral/sdk/{rel}"),
        }
    }

    /// The extension that decides how the module is parsed.
    pub fn extension(&self) -> &str {
        let name = match self {
            Self::File(path) => path.to_str().unwrap_or_default(),
            Self::Sdk(rel) => rel.as_str(),
        };
        name.rsplit_once('.')
            .map(|(_, ext)| ext)
            .unwrap_or_default()
    }
}

/// A path relative to the working directory when it is under it.
pub fn display_path(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| cwd.canonicalize().ok())
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

/// Why a specifier does not resolve.
#[derive(Debug, PartialEq, Eq)]
pub enum Unresolved {
    /// Not allowed in the sandbox, with the reason.
    Refused(String),
    /// Allowed, but no such file; the candidates tried.
    NotFound(Vec<String>),
}

const ALLOWED: &str = "a script may import \"@coral/sdk\" and relative paths (./ or ../) to .ts, .js or .json files inside its own folder";

const EXTENSIONS: &[&str] = &["ts", "mts", "js", "mjs", "json"];

/// Resolves `specifier`, imported by `importer`, for a script rooted at `root`
/// (the canonical folder of the entry script).
pub fn resolve(
    specifier: &str,
    importer: &ModuleKey,
    root: &Path,
) -> Result<ModuleKey, Unresolved> {
    if let Some(rest) = specifier.strip_prefix("@coral/sdk") {
        return resolve_sdk(specifier, rest);
    }
    if let Some(reason) = refused_scheme(specifier) {
        return Err(Unresolved::Refused(reason));
    }
    if specifier.starts_with('/') || specifier.starts_with('\\') {
        return Err(Unresolved::Refused(format!(
            "absolute paths are not allowed; {ALLOWED}"
        )));
    }
    if !(specifier.starts_with("./") || specifier.starts_with("../")) {
        return Err(Unresolved::Refused(format!(
            "bare module names are not resolved (there is no node_modules or package registry in the sandbox); {ALLOWED}"
        )));
    }
    match importer {
        ModuleKey::Sdk(rel) => {
            let dir = Path::new(rel).parent().unwrap_or(Path::new(""));
            let joined = normalize(&dir.join(specifier)).ok_or_else(|| {
                Unresolved::Refused("the SDK cannot import outside itself".into())
            })?;
            let joined = joined.to_string_lossy().replace('\\', "/");
            sdk::source(&joined)
                .map(|_| ModuleKey::Sdk(joined.clone()))
                .ok_or(Unresolved::NotFound(vec![format!("@coral/sdk/{joined}")]))
        }
        ModuleKey::File(path) => resolve_file(specifier, path, root),
    }
}

fn resolve_sdk(specifier: &str, rest: &str) -> Result<ModuleKey, Unresolved> {
    let sub = match rest {
        "" | "/" => "mod",
        _ => match rest.strip_prefix('/') {
            Some(sub) => sub,
            None => {
                return Err(Unresolved::Refused(format!(
                    "\"{specifier}\" is not part of the SDK; {ALLOWED}"
                )));
            }
        },
    };
    let candidates = [sub.to_string(), format!("{sub}.ts")];
    candidates
        .iter()
        .find(|c| !c.contains("..") && sdk::source(c).is_some())
        .map(|c| ModuleKey::Sdk(c.clone()))
        .ok_or_else(|| {
            Unresolved::NotFound(
                candidates
                    .iter()
                    .map(|c| format!("@coral/sdk/{c}"))
                    .collect(),
            )
        })
}

fn refused_scheme(specifier: &str) -> Option<String> {
    let (scheme, _) = specifier.split_once(':')?;
    if scheme.len() < 2
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-')
    {
        // "c:" style drive letters and odd strings fall through to the path rules.
        return None;
    }
    Some(match scheme {
        "http" | "https" => format!(
            "remote imports are not allowed: a script cannot reach the network, so copy the code into the script's folder; {ALLOWED}"
        ),
        "npm" => format!("npm packages are not available in the sandbox; {ALLOWED}"),
        "jsr" => format!("JSR packages are not available in the sandbox; {ALLOWED}"),
        "node" => format!(
            "Node built-in modules are not available: a script cannot use files, processes, the environment or sockets; {ALLOWED}"
        ),
        "file" => format!("file: URLs are not allowed; {ALLOWED}"),
        "data" | "blob" => format!("{scheme}: URLs are not allowed; {ALLOWED}"),
        other => format!("\"{other}:\" URLs are not allowed; {ALLOWED}"),
    })
}

fn resolve_file(specifier: &str, importer: &Path, root: &Path) -> Result<ModuleKey, Unresolved> {
    let dir = importer.parent().unwrap_or(root);
    let escapes = || {
        Unresolved::Refused(format!(
            "the path leaves the script's folder {}; {ALLOWED}",
            display_path(root)
        ))
    };
    let joined = normalize(&dir.join(specifier)).ok_or_else(escapes)?;
    if !joined.starts_with(root) {
        return Err(escapes());
    }
    let has_known_ext = joined
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e));
    let mut candidates = vec![joined.clone()];
    if !has_known_ext {
        for ext in ["ts", "js", "mts", "mjs"] {
            let mut name = joined.clone().into_os_string();
            name.push(format!(".{ext}"));
            candidates.push(PathBuf::from(name));
        }
        candidates.push(joined.join("mod.ts"));
        candidates.push(joined.join("index.ts"));
    }
    for candidate in &candidates {
        if candidate.is_file() {
            let real = candidate.canonicalize().map_err(|_| escapes())?;
            // A symlink inside the folder must not lead outside it.
            if !real.starts_with(root) {
                return Err(escapes());
            }
            return Ok(ModuleKey::File(real));
        }
    }
    Err(Unresolved::NotFound(
        candidates.iter().map(|c| display_path(c)).collect(),
    ))
}

/// Lexically resolves `.` and `..`; `None` when `..` climbs above the start.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(spec: &str) -> String {
        let root = std::env::temp_dir().canonicalize().unwrap();
        let importer = ModuleKey::File(root.join("main.ts"));
        match resolve(spec, &importer, &root) {
            Err(Unresolved::Refused(reason)) => reason,
            other => panic!("{spec}: expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn refuses_everything_outside_the_sandbox() {
        assert!(refused("https://deno.land/std/fs/mod.ts").contains("remote imports"));
        assert!(refused("http://example.com/x.js").contains("remote imports"));
        assert!(refused("npm:lodash").contains("npm packages"));
        assert!(refused("jsr:@std/fs").contains("JSR"));
        assert!(refused("node:fs").contains("Node built-in"));
        assert!(refused("file:///etc/passwd").contains("file: URLs"));
        assert!(refused("data:text/javascript,1").contains("data: URLs"));
        assert!(refused("lodash").contains("bare module names"));
        assert!(refused("/etc/passwd").contains("absolute paths"));
        assert!(refused("../../../../etc/passwd").contains("leaves the script's folder"));
        assert!(refused("@coral/sdkevil").contains("not part of the SDK"));
    }

    #[test]
    fn sdk_paths_resolve_to_embedded_files() {
        let importer = ModuleKey::File(PathBuf::from("/x/main.ts"));
        let root = Path::new("/x");
        assert_eq!(
            resolve("@coral/sdk", &importer, root),
            Ok(ModuleKey::Sdk("mod.ts".into()))
        );
        assert_eq!(
            resolve("@coral/sdk/params", &importer, root),
            Ok(ModuleKey::Sdk("params.ts".into()))
        );
        assert!(matches!(
            resolve("@coral/sdk/nope", &importer, root),
            Err(Unresolved::NotFound(_))
        ));
    }

    #[test]
    fn normalize_refuses_climbing_above_the_start() {
        assert_eq!(
            normalize(Path::new("/a/b/../c")),
            Some(PathBuf::from("/a/c"))
        );
        assert_eq!(normalize(Path::new("a/../..")), None);
    }
}
