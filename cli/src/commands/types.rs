//! `coral types [--out DIR]`: the SDK's declaration files (`mod.d.ts` and
//! the modules it re-exports), generated from its sources by tsc and
//! carried by this `coral` (`coral_compiler::sdk::declarations`), for
//! editors and checkers that want `@coral/sdk`'s types without its code.

use std::path::PathBuf;

use clap::Args;

use crate::exit;
use crate::stdio::{errln, outln};

/// `coral types …`.
#[derive(Debug, Args)]
pub struct TypesCommand {
    /// Write the files into this folder (created) instead of printing
    /// them, each after a `// @coral/sdk: <file>` line.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

impl TypesCommand {
    /// Prints or writes the declarations; returns the exit code.
    pub fn execute(self) -> u8 {
        let files = coral_compiler::sdk::declarations();
        let Some(dir) = self.out else {
            for (name, text) in files {
                outln!("// @coral/sdk: {name}");
                outln!("{}", text.trim_end());
            }
            return exit::SUCCESS;
        };
        let written = std::fs::create_dir_all(&dir).and_then(|()| {
            files
                .iter()
                .try_for_each(|(name, text)| std::fs::write(dir.join(name), text))
        });
        match written {
            Ok(()) => {
                errln!(
                    "wrote {} declaration files to {}",
                    files.len(),
                    dir.display()
                );
                exit::SUCCESS
            }
            Err(e) => {
                errln!("error: cannot write to {}: {e}", dir.display());
                exit::USAGE
            }
        }
    }
}
