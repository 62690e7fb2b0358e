//! A hostile guest calling the `coral` imports with garbage gets a trap or an
//! error, never a host panic or an out-of-bounds read.

use coral_host_abi::bundle::{BundleMeta, append_custom_section};
use coral_host_abi::{ABI_VERSION, BUNDLE_SECTION};
use coral_runtime::{Cache, CaptureSink, Outcome, Program, RunOptions, Runner, RuntimeError};

fn bundle(wat: &str, abi_version: u32) -> Vec<u8> {
    let mut wasm = wat::parse_str(wat).expect("test module parses");
    let meta = BundleMeta {
        abi_version,
        entry: "hostile.wat".into(),
        source_map: String::new(),
        producer: "test".into(),
    };
    append_custom_section(&mut wasm, BUNDLE_SECTION, &meta.encode());
    wasm
}

fn run(wat: &str) -> (Outcome, coral_runtime::Captured) {
    let dir = tempfile::tempdir().unwrap();
    let runner = Runner::new(Cache::new(dir.path())).unwrap();
    let (module, _) = runner
        .load_bundle(&bundle(wat, ABI_VERSION))
        .expect("bundle loads");
    let sink = CaptureSink::default();
    let report = runner
        .run(
            &Program::Bundle(&module),
            None,
            &RunOptions::default(),
            Box::new(sink.clone()),
        )
        .expect("run starts");
    (report.outcome, sink.captured())
}

fn abi_violation(outcome: &Outcome) -> String {
    match outcome {
        Outcome::ScriptError(e) if e.name == "AbiViolation" => e.message.clone(),
        other => panic!("expected an ABI violation, got {other:?}"),
    }
}

const IMPORTS: &str = r#"
  (import "coral" "write" (func $write (param i32 i32 i32)))
  (import "coral" "call" (func $call (param i32 i32) (result i64)))
  (import "coral" "take_response" (func $take (param i32 i32) (result i32)))
  (import "coral" "report_error" (func $report (param i32 i32)))
  (import "coral" "exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "hello\n")
  (data (i32.const 16) "{\"op\":\"params\"}")
"#;

fn module(body: &str) -> String {
    format!("(module {IMPORTS} (func (export \"_start\") {body}))")
}

#[test]
fn a_well_behaved_module_writes_output() {
    let (outcome, out) = run(&module(
        "(call $write (i32.const 1) (i32.const 0) (i32.const 6)) (call $exit (i32.const 0))",
    ));
    assert_eq!(outcome, Outcome::Success);
    assert_eq!(out.stdout, b"hello\n");
}

#[test]
fn out_of_bounds_pointers_trap() {
    for body in [
        "(call $write (i32.const 1) (i32.const 65530) (i32.const 100))",
        "(call $write (i32.const 1) (i32.const -1) (i32.const 10))",
        "(call $write (i32.const 1) (i32.const 0) (i32.const -1))",
        "(drop (call $call (i32.const 65000) (i32.const 1000)))",
        "(call $report (i32.const 70000) (i32.const 1))",
    ] {
        let (outcome, out) = run(&module(body));
        let message = abi_violation(&outcome);
        assert!(
            message.contains("outside guest memory") || message.contains("bound"),
            "{body}: {message}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn bad_streams_oversize_writes_and_misordered_calls_trap() {
    let cases = [
        (
            "(call $write (i32.const 7) (i32.const 0) (i32.const 6))",
            "unknown stream",
        ),
        (
            "(call $write (i32.const 1) (i32.const 0) (i32.const 1000000))",
            "bound",
        ),
        (
            "(drop (call $take (i32.const 0) (i32.const 4)))",
            "without a pending response",
        ),
        (
            "(drop (call $call (i32.const 16) (i32.const 15))) (drop (call $take (i32.const 100) (i32.const 1)))",
            "does not match",
        ),
    ];
    for (body, expected) in cases {
        let (outcome, _) = run(&module(body));
        let message = abi_violation(&outcome);
        assert!(message.contains(expected), "{body}: {message}");
    }
}

#[test]
fn malformed_requests_get_error_codes_not_traps() {
    // `call` on non-JSON returns MalformedRequest (-2); the module exits with it.
    let body = "(call $exit (i32.wrap_i64 (call $call (i32.const 0) (i32.const 6))))";
    let (outcome, _) = run(&module(body));
    match outcome {
        Outcome::ScriptError(e) => assert!(e.message.contains("status -2"), "{e:?}"),
        other => panic!("{other:?}"),
    }
    // An oversize request length is refused before any memory is read.
    let body = "(call $exit (i32.wrap_i64 (call $call (i32.const 0) (i32.const 0x7fffffff))))";
    let (outcome, _) = run(&module(body));
    match outcome {
        Outcome::ScriptError(e) => assert!(e.message.contains("status -1"), "{e:?}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn foreign_imports_and_other_abi_versions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let runner = Runner::new(Cache::new(dir.path())).unwrap();
    let sneaky = bundle(
        r#"(module (import "env" "system" (func)) (memory (export "memory") 1) (func (export "_start")))"#,
        ABI_VERSION,
    );
    let (module, _) = runner
        .load_bundle(&sneaky)
        .expect("loads; refused at instantiation");
    let err = runner
        .run(
            &Program::Bundle(&module),
            None,
            &RunOptions::default(),
            Box::new(CaptureSink::default()),
        )
        .unwrap_err();
    assert!(
        matches!(&err, RuntimeError::NotAProgram(m) if m.contains("env::system")),
        "{err}"
    );

    let future = bundle(
        r#"(module (memory (export "memory") 1) (func (export "_start")))"#,
        ABI_VERSION + 1,
    );
    let err = runner.load_bundle(&future).unwrap_err();
    assert!(
        matches!(err, RuntimeError::AbiMismatch { found, expected } if found == ABI_VERSION + 1 && expected == ABI_VERSION)
    );
    assert!(err.to_string().contains("rebuild it with `coral build`"));
}

#[test]
fn a_module_that_never_finishes_hits_the_fuel_limit() {
    let dir = tempfile::tempdir().unwrap();
    let runner = Runner::new(Cache::new(dir.path())).unwrap();
    let (module, _) = runner
        .load_bundle(&bundle(&module("(loop $l (br $l))"), ABI_VERSION))
        .unwrap();
    let mut options = RunOptions::default();
    options.limits.fuel = Some(1_000_000);
    let report = runner
        .run(
            &Program::Bundle(&module),
            None,
            &options,
            Box::new(CaptureSink::default()),
        )
        .unwrap();
    assert_eq!(report.outcome, Outcome::FuelExhausted);
    assert_eq!(report.stats.fuel_used, 1_000_000);
}
