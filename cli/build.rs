//! The end-to-end tests link DuckDB (through `coral-colony`, to compute
//! expected answers directly): let the test binaries (in `<profile>/deps/`)
//! find libduckdb.so next to the other binaries in the target directory.
//! The `coral` binary itself never links DuckDB.

fn main() {
    println!("cargo:rustc-link-arg-tests=-Wl,-rpath,$ORIGIN/..");
}
