//! Which files `coral check` looks at: `.ts`, `.mts`, `.js` and `.mjs`
//! under the given paths, skipping hidden folders, `node_modules` and
//! declaration files (`*.d.ts`).

use std::path::{Path, PathBuf};

/// The script files under `paths` (a file is taken as it is), sorted; an
/// error names the path it is about.
pub fn scripts(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    for path in paths {
        let named = |e: std::io::Error| format!("{}: {e}", path.display());
        if path.is_dir() {
            walk(path, &mut found).map_err(named)?;
        } else {
            // Named explicitly: checked even without a script extension,
            // so a typo is reported rather than skipped.
            std::fs::metadata(path).map_err(named)?;
            found.push(path.clone());
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "node_modules" {
            continue;
        }
        if entry.file_type()?.is_dir() {
            walk(&path, found)?;
        } else if is_script(&name) {
            found.push(path);
        }
    }
    Ok(())
}

/// A script file by its name.
pub fn is_script(name: &str) -> bool {
    if name.ends_with(".d.ts") || name.ends_with(".d.mts") {
        return false;
    }
    [".ts", ".mts", ".js", ".mjs"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_folders_modules_and_declarations_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        for file in [
            "a.ts",
            "b.mjs",
            "types.d.ts",
            "notes.md",
            ".hidden/x.ts",
            "node_modules/y.ts",
            "lib/c.mts",
        ] {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let found = scripts(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<String> = found
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a.ts", "b.mjs", "lib/c.mts"]);
    }
}
