//! Links the colony against the official libduckdb.so (installed by
//! `scripts/setup.sh`, found through `DUCKDB_LIB_DIR` from .cargo/config.toml)
//! and lets the binaries find it at run time: it is copied next to them in
//! the target directory, and the rpath is relative only (`$ORIGIN`), so the
//! same binaries work wherever `scripts/install.sh` puts them together.

use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=DUCKDB_LIB_DIR");
    let Some(dir) = env::var_os("DUCKDB_LIB_DIR").map(PathBuf::from) else {
        panic!(
            "\n\nerror: DUCKDB_LIB_DIR is not set; run `bash scripts/setup.sh` (it installs libduckdb)\n\n"
        );
    };
    let lib = dir.join("libduckdb.so");
    if !lib.exists() {
        panic!(
            "\n\nerror: {} is missing; run `bash scripts/setup.sh` (it installs libduckdb)\n\n",
            lib.display()
        );
    }
    println!("cargo:rerun-if-changed={}", lib.display());
    // OUT_DIR is <target>/<profile>/build/<pkg>-<hash>/out.
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    if let Some(profile_dir) = out.ancestors().nth(3) {
        let dest = profile_dir.join("libduckdb.so");
        let size = |p: &PathBuf| std::fs::metadata(p).map(|m| m.len()).ok();
        let stale = size(&dest) != size(&lib);
        if stale {
            std::fs::copy(&lib, &dest).expect("copying libduckdb.so next to the binaries");
        }
    }
    // Binaries sit in <profile>/, test binaries in <profile>/deps/.
    println!("cargo:rustc-link-arg=-Wl,-rpath,$ORIGIN:$ORIGIN/..");
}
