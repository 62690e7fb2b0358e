//! The library links libduckdb.so, which the colony's build script copies
//! next to the binaries in the target directory (and `scripts/install.sh`
//! next to the installed ones): find it beside the library at load time.
//! Relative only, so no path of the build machine is baked in.

fn main() {
    println!("cargo:rustc-link-arg=-Wl,-rpath,$ORIGIN");
}
