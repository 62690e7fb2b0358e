//! The library links libduckdb.so, which the colony's build script copies
//! next to the binaries in the target directory: find it there (and in
//! DuckDB's install folder) at load time.

fn main() {
    println!("cargo:rerun-if-env-changed=DUCKDB_LIB_DIR");
    let install = std::env::var("DUCKDB_LIB_DIR").unwrap_or_default();
    println!("cargo:rustc-link-arg=-Wl,-rpath,$ORIGIN:{install}");
}
