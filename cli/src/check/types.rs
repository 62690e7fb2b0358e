//! The type check: `deno check` over the entry scripts, with `@coral/sdk`
//! (and its sub-modules) mapped to the SDK's own sources, which `coral`
//! carries (`coral_compiler::sdk`). Deno's default strictness applies.
//! Deno is found as the Deno engine finds it (`$CORAL_DENO`, then `PATH`);
//! without it the check fails with the install hint, never passes.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::Finding;

/// Type errors in `scripts`, or why the checker could not run.
pub fn check(deno: &Path, work: &Path, scripts: &[PathBuf]) -> Result<Vec<Finding>, String> {
    if scripts.is_empty() {
        return Ok(Vec::new());
    }
    let sdk = work.join("sdk");
    std::fs::create_dir_all(&sdk).map_err(|e| format!("cannot write {}: {e}", sdk.display()))?;
    let mut imports = serde_json::Map::new();
    for (name, source) in coral_compiler::sdk::files() {
        let path = sdk.join(name);
        std::fs::write(&path, source)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    for (specifier, file) in coral_compiler::sdk::specifiers() {
        imports.insert(specifier, sdk.join(file).display().to_string().into());
    }
    let config = work.join("deno.json");
    let text = serde_json::json!({ "imports": imports }).to_string();
    std::fs::write(&config, text).map_err(|e| format!("cannot write {}: {e}", config.display()))?;
    let out = Command::new(deno)
        .arg("check")
        .arg("--quiet")
        .arg("--config")
        .arg(&config)
        .args(scripts)
        .env("NO_COLOR", "1")
        .env("DENO_DIR", work.join("deno-dir"))
        .env("DENO_NO_UPDATE_CHECK", "1")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", deno.display()))?;
    let findings = parse(&String::from_utf8_lossy(&out.stderr));
    if !out.status.success() && findings.is_empty() {
        return Err(format!(
            "deno check failed without type errors: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(findings)
}

/// Deno's report: `TSnnnn [ERROR]: message`, then (after the excerpt)
/// `    at file:///path:line:col`.
fn parse(stderr: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut pending: Option<(String, String)> = None;
    for line in stderr.lines() {
        let text = line.trim_start_matches("error: ");
        if let Some((code, message)) = text
            .split_once(" [ERROR]: ")
            .filter(|(code, _)| code.starts_with("TS"))
        {
            pending = Some((code.to_string(), message.to_string()));
            continue;
        }
        let Some(at) = line.trim().strip_prefix("at file://") else {
            continue;
        };
        let Some((code, message)) = pending.take() else {
            continue;
        };
        let mut parts = at.rsplitn(3, ':');
        let col = parts.next().and_then(|c| c.parse().ok()).unwrap_or(1);
        let line_no = parts.next().and_then(|l| l.parse().ok()).unwrap_or(1);
        let url = format!("file://{}", parts.next().unwrap_or(at));
        let file = url::Url::parse(&url)
            .ok()
            .and_then(|u| u.to_file_path().ok())
            .unwrap_or_else(|| PathBuf::from(&url));
        findings.push(Finding {
            file,
            line: line_no,
            col,
            code: Some(code),
            message,
        });
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deno_errors_become_findings() {
        let stderr = "Check bad.ts\nTS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\nconst x: number = \"a\";\n      ^\n    at file:///tmp/a%20b/bad.ts:1:7\n\nFound 1 error.\n";
        let found = parse(stderr);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].file, PathBuf::from("/tmp/a b/bad.ts"));
        assert_eq!((found[0].line, found[0].col), (1, 7));
        assert_eq!(found[0].code.as_deref(), Some("TS2322"));
        assert!(found[0].message.starts_with("Type 'string'"));
    }
}
