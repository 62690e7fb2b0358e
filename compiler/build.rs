//! Builds the engine plugin (`engine/`, wasm32-wasip1) and embeds it, and
//! embeds the `@coral/sdk` TypeScript sources.
//!
//! The engine is built by a nested `cargo build` into its own target
//! directory (sharing the outer one would deadlock on cargo's lock). QuickJS is
//! C, so that build needs the wasm C toolchain `scripts/setup.sh` installs; when
//! it is missing the build stops with a message naming that script.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

const WASM_TARGET: &str = "wasm32-wasip1";
/// The engine's shadow stack (C and Rust locals in linear memory).
const SHADOW_STACK_BYTES: usize = 8 << 20;

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir.parent().unwrap().to_path_buf();
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());

    // Cargo keeps one build-script state per target directory and decides
    // staleness by mtimes of the paths the last run named. Checkouts that
    // share a target directory (CI clones reuse the developer's) would then
    // embed each other's engine. So this script runs on every build (the
    // marker never exists), judges staleness by content, and rewrites its
    // outputs only when they change.
    println!("cargo:rerun-if-changed=.coral-build-always-reruns");
    println!("cargo:rerun-if-env-changed=WASI_SDK");
    println!("cargo:rerun-if-env-changed=CORAL_TOOLCHAIN_DIR");

    let source_hash = hash_sources(
        &root,
        &[
            "engine/src",
            "engine/vendor",
            "engine/Cargo.toml",
            "host-abi/src",
            "host-abi/Cargo.toml",
            "Cargo.lock",
            "compiler/build.rs",
        ],
    );
    let engine = build_engine(&root, &out_dir, &source_hash);
    let hash = const_hex::encode(Sha256::digest(&engine));
    write_if_changed(&out_dir.join("coral_engine.wasm"), &engine);
    write_if_changed(&out_dir.join("coral_engine.sha256"), hash.as_bytes());

    embed_sdk(&root.join("sdk"), &out_dir.join("sdk_files.rs"));
    embed_declarations(
        &root.join("compiler/sdk-dts"),
        &out_dir.join("sdk_declarations.rs"),
    );
}

fn write_if_changed(path: &Path, bytes: &[u8]) {
    if fs::read(path).ok().as_deref() != Some(bytes) {
        fs::write(path, bytes).unwrap();
    }
}

/// SHA-256 over the files under `paths` (names and contents, sorted).
fn hash_sources(root: &Path, paths: &[&str]) -> String {
    let mut files = Vec::new();
    for p in paths {
        collect_files(&root.join(p), &mut files);
    }
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(
            file.strip_prefix(root)
                .unwrap_or(&file)
                .to_string_lossy()
                .as_bytes(),
        );
        hasher.update(fs::read(&file).unwrap_or_default());
    }
    const_hex::encode(hasher.finalize())
}

fn collect_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in fs::read_dir(path).into_iter().flatten().flatten() {
            collect_files(&entry.path(), out);
        }
    } else if path.is_file() {
        out.push(path.to_path_buf());
    }
}

fn toolchain_dir() -> PathBuf {
    env::var_os("CORAL_TOOLCHAIN_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| home().join(".cache/coral-toolchain"))
}

fn home() -> PathBuf {
    env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/root"))
}

fn fail(message: &str) -> ! {
    panic!(
        "\n\nerror: {message}\n\
         The Coral engine is QuickJS compiled to {WASM_TARGET}; building it needs the \
         toolchain that `scripts/setup.sh` installs. Run:\n\n    bash scripts/setup.sh\n\n"
    );
}

fn build_engine(root: &Path, out_dir: &Path, source_hash: &str) -> Vec<u8> {
    let wasi_sdk = env::var_os("WASI_SDK")
        .map(PathBuf::from)
        .unwrap_or_else(|| toolchain_dir().join("wasi-sdk"));
    if !wasi_sdk.join("bin/clang").exists() || !wasi_sdk.join("share/wasi-sysroot").exists() {
        fail(&format!(
            "no WASI SDK at {} (set WASI_SDK)",
            wasi_sdk.display()
        ));
    }
    let libclang = env::var_os("LIBCLANG_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/lib/llvm-16/lib"));
    if !libclang.exists() {
        fail(&format!(
            "no libclang at {} (set LIBCLANG_PATH)",
            libclang.display()
        ));
    }

    // <target>/<profile>/build/<pkg>-<hash>/out -> <target>; one engine build
    // directory per source content, so checkouts never share stale output.
    let target_root = out_dir
        .ancestors()
        .nth(4)
        .unwrap_or(out_dir)
        .join("engine")
        .join(&source_hash[..16]);
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .args([
            "build",
            "--release",
            "-p",
            "coral-engine",
            "--target",
            WASM_TARGET,
        ])
        .arg("--target-dir")
        .arg(&target_root)
        .env("WASI_SDK", &wasi_sdk)
        .env("WASI_SDK_PATH", &wasi_sdk)
        .env("LIBCLANG_PATH", &libclang)
        // The engine ships inside every bundle: small and fast beats debuggable.
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_STRIP", "debuginfo")
        .env("CARGO_PROFILE_RELEASE_LTO", "true")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "false")
        // QuickJS's stack check is compiled out on WASI, so recursion is
        // stopped by wasmtime's native stack limit. The shadow stack (in
        // linear memory, 1 MiB by default) must be deep enough that the
        // native limit is reached first and traps cleanly; untouched stack
        // pages cost nothing.
        .env(
            "CARGO_TARGET_WASM32_WASIP1_RUSTFLAGS",
            format!("-C link-arg=-zstack-size={SHADOW_STACK_BYTES}"),
        );
    // Settings meant for the outer (host) build must not leak into this one.
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_BUILD_TARGET",
        "CARGO_TARGET_DIR",
        "RUSTC_WORKSPACE_WRAPPER",
        "RUSTC_WRAPPER",
        "CARGO_PRIMARY_PACKAGE",
    ] {
        cmd.env_remove(var);
    }
    // Cargo describes the outer build's target to this script in CARGO_CFG_*
    // (and features, links metadata); the nested cargo sets its own for the
    // wasm target, but one the wasm target lacks would leak through:
    // CARGO_CFG_SANITIZE=address from a cargo-fuzz build made rquickjs-sys
    // compile QuickJS with -fsanitize=address, which wasm32 has not.
    for (var, _) in env::vars_os() {
        let name = var.to_string_lossy();
        if ["CARGO_CFG_", "CARGO_FEATURE_", "DEP_"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
        {
            cmd.env_remove(&var);
        }
    }
    let status = cmd
        .status()
        .unwrap_or_else(|e| fail(&format!("could not run cargo: {e}")));
    if !status.success() {
        fail("building the engine plugin (coral-engine) for wasm32-wasip1 failed (see above)");
    }
    let wasm = target_root
        .join(WASM_TARGET)
        .join("release/coral_engine.wasm");
    fs::read(&wasm).unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", wasm.display())))
}

/// Writes `SDK_FILES: &[(&str, &str)]`: (path inside the SDK, source).
fn embed_sdk(sdk_dir: &Path, dest: &Path) {
    let mut files = Vec::new();
    collect_ts(sdk_dir, sdk_dir, &mut files);
    embed_files("SDK_FILES", files, dest);
}

/// Writes `SDK_DECLARATIONS: &[(&str, &str)]`: the SDK's declaration
/// files, which `scripts/gen-sdk-types.sh` generates with tsc.
fn embed_declarations(dir: &Path, dest: &Path) {
    let files = fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().ends_with(".d.ts"))
                .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
                .collect()
        })
        .unwrap_or_default();
    embed_files("SDK_DECLARATIONS", files, dest);
}

/// Writes `static <name>: &[(&str, &str)]`, the files' names and contents
/// (`include_str!`, so a change to one rebuilds the crate), sorted by name.
fn embed_files(name: &str, mut files: Vec<(String, PathBuf)>, dest: &Path) {
    files.sort();
    let mut code = format!("pub(crate) static {name}: &[(&str, &str)] = &[\n");
    for (rel, abs) in files {
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            abs.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    write_if_changed(dest, code.as_bytes());
}

fn collect_ts(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_ts(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "ts" || e == "json") {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, path));
        }
    }
}
