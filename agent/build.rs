//! Lets the agent find libduckdb.so beside itself at run time, as the
//! colony's binaries do (colony/build.rs copies the library next to them
//! and explains the relative rpath).

fn main() {
    // Binaries sit in <profile>/, test binaries in <profile>/deps/.
    println!("cargo:rustc-link-arg=-Wl,-rpath,$ORIGIN:$ORIGIN/..");
}
