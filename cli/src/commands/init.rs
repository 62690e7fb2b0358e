//! `coral init [DIR]`: a scripts folder that editors and CI understand as
//! it is (`docs/check.md`): the SDK's sources in `.coral/sdk/` (written by
//! this `coral`, so they match it), `deno.json` and `tsconfig.json` mapping
//! `@coral/sdk` to them, an example script, a `coral.json` with its budget
//! and a GitHub Actions workflow running `coral check`. Existing files are
//! kept, never overwritten.

use std::path::PathBuf;

use clap::Args;

use crate::exit;
use crate::stdio::errln;

/// `coral init …`.
#[derive(Debug, Args)]
pub struct InitCommand {
    /// The folder (created if missing; default: the current one).
    #[arg(default_value = ".")]
    dir: PathBuf,
}

const EXAMPLE: &str = r#"// p99.ts — each service's P99 latency and error rate over the last hour.
// Run it with `coral run p99.ts`; check it with `coral check --run`.
import { metrics, services } from "@coral/sdk";

const hour = 60 * 60 * 1000;
for (const service of await services.list()) {
  const p99Ns = await metrics.getPercentile(service.name, "http.server.duration", 0.99, hour);
  const errors = await metrics.getErrorRate(service.name, hour);
  const p99Ms = (p99Ns / 1e6).toFixed(1);
  console.log(`${service.name}: p99 ${p99Ms} ms, errors ${(errors * 100).toFixed(2)}%`);
}
"#;

/// The example's budget: its fuel against the demo colony (about 4.8
/// million instructions with coral 0.1) with room to grow.
const CORAL_JSON: &str = r#"{
  "defaults": { "timeout": 60 },
  "scripts": {
    "p99.ts": { "fuel": 20000000 }
  }
}
"#;

const WORKFLOW: &str = r#"# Checks the scripts on every pull request: compile, types, and a
# deterministic run within each script's budget (coral.json).
name: coral check
on: [pull_request, push]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      # Install coral (and Deno, which the type check uses) as your team
      # does; see the coral repository's README.
      - run: coral check . --run --output github
"#;

impl InitCommand {
    /// Writes the folder; returns the exit code.
    pub fn execute(self) -> u8 {
        match self.write() {
            Ok(written) => {
                for (path, wrote) in written {
                    let verb = if wrote { "wrote" } else { "kept " };
                    errln!("{verb} {}", path.display());
                }
                exit::SUCCESS
            }
            Err(message) => {
                errln!("error: {message}");
                exit::USAGE
            }
        }
    }

    fn write(&self) -> Result<Vec<(PathBuf, bool)>, String> {
        let dir = &self.dir;
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let mut written = Vec::new();
        let mut put = |name: &str, text: &str, replace: bool| -> Result<(), String> {
            let path = dir.join(name);
            if path.exists() && !replace {
                written.push((path, false));
                return Ok(());
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            std::fs::write(&path, text)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            written.push((path, true));
            Ok(())
        };
        // The SDK is coral's: refreshed on every init, so it matches.
        for (name, source) in coral_compiler::sdk::files() {
            put(&format!(".coral/sdk/{name}"), source, true)?;
        }
        put(
            ".coral/sdk/VERSION",
            &format!("coral {}\n", env!("CARGO_PKG_VERSION")),
            true,
        )?;
        put("deno.json", &deno_json(), false)?;
        put("tsconfig.json", &tsconfig_json(), false)?;
        put("p99.ts", EXAMPLE, false)?;
        put("coral.json", CORAL_JSON, false)?;
        put(".github/workflows/coral-check.yml", WORKFLOW, false)?;
        Ok(written)
    }
}

/// `@coral/sdk` and its modules mapped to `.coral/sdk/`.
fn imports() -> Vec<(String, String)> {
    coral_compiler::sdk::specifiers()
        .into_iter()
        .map(|(specifier, file)| (specifier, format!("./.coral/sdk/{file}")))
        .collect()
}

fn deno_json() -> String {
    let imports: serde_json::Map<String, serde_json::Value> = imports()
        .into_iter()
        .map(|(specifier, path)| (specifier, path.into()))
        .collect();
    let json = serde_json::json!({ "imports": imports });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&json).unwrap_or_default()
    )
}

fn tsconfig_json() -> String {
    let paths: serde_json::Map<String, serde_json::Value> = imports()
        .into_iter()
        .map(|(specifier, path)| (specifier, serde_json::json!([path])))
        .collect();
    let json = serde_json::json!({
        "compilerOptions": {
            "target": "ES2022",
            "module": "ESNext",
            "moduleResolution": "Bundler",
            "lib": ["ES2022", "DOM"],
            "strict": true,
            "noEmit": true,
            "allowImportingTsExtensions": true,
            "paths": paths
        },
        "exclude": [".coral"]
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&json).unwrap_or_default()
    )
}
