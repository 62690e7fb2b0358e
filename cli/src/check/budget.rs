//! What a script is expected to do when `coral check --run` runs it: its
//! fuel budget, memory, timeout, parameters and exit code. Defaults and
//! per-script values come from `coral.json` in the script's folder; the
//! script's own header directives (`// @fuel-max N`, `// @exit N`,
//! `// @memory MB`, `// @timeout SECS`, `// @param k=v`, `// @snapshot`,
//! the syntax of
//! `tests/spec/README.md`) override them.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

/// The expectations of one script.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Most fuel a run may use (its instruction budget).
    pub fuel: Option<u64>,
    /// Memory limit in MB.
    pub memory: Option<u64>,
    /// Deadline in seconds.
    pub timeout: Option<f64>,
    /// The exit code `coral run` would give (0 unless said).
    pub exit: Option<u8>,
    /// Compare the run's stdout with `<script>.stdout` (`--update`
    /// writes it).
    pub snapshot: Option<bool>,
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

impl Budget {
    /// `self` with `over`'s values where it has them.
    fn merge(mut self, over: &Budget) -> Self {
        self.fuel = over.fuel.or(self.fuel);
        self.memory = over.memory.or(self.memory);
        self.timeout = over.timeout.or(self.timeout);
        self.exit = over.exit.or(self.exit);
        self.snapshot = over.snapshot.or(self.snapshot);
        self.params.extend(over.params.clone());
        self
    }
}

/// `coral.json`: defaults for the folder's scripts, values per script (by
/// file name), and globs (relative to the folder, `globset` syntax) for
/// files that are entry scripts although others import them (`include`)
/// or that are not checked at all (`exclude`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FolderConfig {
    #[serde(default)]
    pub defaults: Budget,
    #[serde(default)]
    pub scripts: BTreeMap<String, Budget>,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// Reads `folder/coral.json` (the default when there is none).
pub fn folder_config(folder: &Path) -> Result<FolderConfig, String> {
    let config_path = folder.join("coral.json");
    match std::fs::read_to_string(&config_path) {
        Ok(text) => serde_json::from_str(&text)
            .map_err(|e| format!("{}:{}:{}: {e}", config_path.display(), e.line(), e.column())),
        Err(_) => Ok(FolderConfig::default()),
    }
}

/// Whether `file` (in `folder`) matches one of `patterns`.
pub fn matches(folder: &Path, patterns: &[String], file: &Path) -> Result<bool, String> {
    if patterns.is_empty() {
        return Ok(false);
    }
    let mut set = globset::GlobSetBuilder::new();
    for pattern in patterns {
        set.add(
            globset::Glob::new(pattern)
                .map_err(|e| format!("{}: {e}", folder.join("coral.json").display()))?,
        );
    }
    let set = set
        .build()
        .map_err(|e| format!("{}: {e}", folder.join("coral.json").display()))?;
    let relative = file.strip_prefix(folder).unwrap_or(file);
    Ok(set.is_match(relative))
}

/// The budget of `script`: its folder's `coral.json`, then its directives.
pub fn for_script(script: &Path) -> Result<Budget, String> {
    let folder = script.parent().unwrap_or(Path::new("."));
    let config = folder_config(folder)?;
    let name = script
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut budget = config.defaults.clone();
    if let Some(own) = config.scripts.get(&name) {
        budget = budget.merge(own);
    }
    let source = std::fs::read_to_string(script).unwrap_or_default();
    Ok(budget.merge(&directives(&source).map_err(|e| format!("{}: {e}", script.display()))?))
}

/// The `// @name value` lines at the top of a script.
fn directives(source: &str) -> Result<Budget, String> {
    let mut budget = Budget::default();
    for line in source.lines() {
        let Some(rest) = line.trim().strip_prefix("// @") else {
            if line.trim().is_empty() || line.trim().starts_with("//") {
                continue;
            }
            break;
        };
        let (name, value) = rest.split_once(' ').unwrap_or((rest, ""));
        let value = value.trim();
        let number = |what: &str| {
            value
                .parse::<u64>()
                .map_err(|_| format!("@{name} wants {what}, got \"{value}\""))
        };
        match name {
            "fuel-max" => budget.fuel = Some(number("a number of instructions")?),
            "memory" => budget.memory = Some(number("megabytes")?),
            "timeout" => {
                budget.timeout = Some(
                    value
                        .parse()
                        .map_err(|_| format!("@timeout wants seconds, got \"{value}\""))?,
                )
            }
            "exit" => {
                budget.exit = Some(
                    value
                        .parse()
                        .map_err(|_| format!("@exit wants an exit code, got \"{value}\""))?,
                )
            }
            "snapshot" => budget.snapshot = Some(true),
            "param" => {
                let (k, v) = value
                    .split_once('=')
                    .ok_or_else(|| format!("@param wants KEY=VALUE, got \"{value}\""))?;
                budget.params.insert(k.to_string(), v.to_string());
            }
            // The spec cases' other directives (@stderr, @fuel-unpinned, …)
            // say nothing to `coral check`.
            _ => {}
        }
    }
    Ok(budget)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_override_the_folder_which_overrides_its_defaults() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("coral.json"),
            r#"{"defaults": {"fuel": 100, "memory": 64, "params": {"a": "1"}},
                "scripts": {"x.ts": {"fuel": 200, "exit": 1}}}"#,
        )
        .unwrap();
        let script = dir.path().join("x.ts");
        std::fs::write(
            &script,
            "// @fuel-max 300\n// @param b=2\nconsole.log(1);\n// @exit 9\n",
        )
        .unwrap();
        let budget = for_script(&script).unwrap();
        assert_eq!(budget.fuel, Some(300));
        assert_eq!(budget.memory, Some(64));
        assert_eq!(
            budget.exit,
            Some(1),
            "directives after code are not directives"
        );
        assert_eq!(budget.params.len(), 2);
        std::fs::write(
            dir.path().join("coral.json"),
            "{\"defaults\": {\"fuel\": \"x\"}}",
        )
        .unwrap();
        let err = for_script(&script).unwrap_err();
        assert!(err.contains("coral.json:1:"), "{err}");
    }
}
