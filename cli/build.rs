//! The end-to-end tests link DuckDB (through `coral-colony`, to compute
//! expected answers directly): let the test binaries find libduckdb.so next
//! to the other binaries in the target directory, or in its install folder.
//! The `coral` binary itself never links DuckDB.

fn main() {
    println!("cargo:rerun-if-env-changed=DUCKDB_LIB_DIR");
    let install = std::env::var("DUCKDB_LIB_DIR").unwrap_or_default();
    println!("cargo:rustc-link-arg-tests=-Wl,-rpath,$ORIGIN/..:{install}");
}
