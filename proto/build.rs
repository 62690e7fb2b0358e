//! Generates the tonic/prost code and protojson serde impls (pbjson) for the
//! `.proto` files, with a vendored `protoc` (no system install needed).

use std::path::PathBuf;

fn main() {
    let protoc = protoc_bin_vendored::protoc_bin_path().expect("vendored protoc");
    // SAFETY: the build script is single-threaded; nothing reads the
    // environment concurrently. prost-build finds protoc through PROTOC.
    unsafe { std::env::set_var("PROTOC", protoc) };
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let descriptors = out.join("descriptors.bin");
    let protos = ["coral/colony/v1/query.proto", "coral/agent/v1/script.proto"];
    for p in protos {
        println!("cargo:rerun-if-changed={p}");
    }
    tonic_prost_build::configure()
        .file_descriptor_set_path(&descriptors)
        // Well-known types come from pbjson-types, which has protojson serde
        // impls (prost-types has none).
        .compile_well_known_types(true)
        .extern_path(".google.protobuf", "::pbjson_types")
        .compile_protos(&protos, &["."])
        .expect("protos compile");
    let set = std::fs::read(&descriptors).unwrap();
    pbjson_build::Builder::new()
        .register_descriptors(&set)
        .unwrap()
        .build(&[".coral"])
        .expect("pbjson builds");
}
