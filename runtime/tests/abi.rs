//! A hostile guest calling the `coral` imports with garbage gets a trap or an
//! error, never a host panic or an out-of-bounds read.

use coral_host_abi::bundle::{BundleMeta, append_custom_section};
use coral_host_abi::{ABI_VERSION, BUNDLE_SECTION, MIN_ABI_VERSION};
use coral_runtime::{
    Cache, CaptureSink, Engine, INTL_FUEL_BASE, INTL_FUEL_PER_BYTE, Outcome, Program, RunOptions,
    RunReport, Runner, RuntimeError,
};

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
    let (report, out) = run_report(wat);
    (report.outcome, out)
}

/// Runs a bundle made from `wat` with default options.
fn run_report(wat: &str) -> (RunReport, coral_runtime::Captured) {
    let dir = tempfile::tempdir().unwrap();
    let runner = Runner::new(Cache::new(dir.path())).unwrap();
    let (module, _) = runner
        .load_bundle(&bundle(wat, ABI_VERSION))
        .expect("bundle loads");
    let sink = CaptureSink::default();
    let report = runner
        .run(
            Program::Bundle(&module).into(),
            &RunOptions::default(),
            Box::new(sink.clone()),
        )
        .expect("run starts");
    (report, sink.captured())
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

/// Why `runner` refuses to run `wasm`, a bundle that loads.
fn refusal(runner: &Runner, wasm: &[u8]) -> RuntimeError {
    let (module, _) = runner
        .load_bundle(wasm)
        .expect("loads; refused at instantiation");
    runner
        .run(
            Program::Bundle(&module).into(),
            &RunOptions::default(),
            Box::new(CaptureSink::default()),
        )
        .unwrap_err()
}

#[test]
fn foreign_imports_and_other_abi_versions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let runner = Runner::new(Cache::new(dir.path())).unwrap();
    let sneaky = bundle(
        r#"(module (import "env" "system" (func)) (memory (export "memory") 1) (func (export "_start")))"#,
        ABI_VERSION,
    );
    let err = refusal(&runner, &sneaky);
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

    // Version 1 (before `intl`) still loads; version 0 never existed.
    let v1 = bundle(
        r#"(module (memory (export "memory") 1) (func (export "_start")))"#,
        MIN_ABI_VERSION,
    );
    runner.load_bundle(&v1).expect("an ABI v1 bundle loads");
    let v0 = bundle(
        r#"(module (memory (export "memory") 1) (func (export "_start")))"#,
        MIN_ABI_VERSION - 1,
    );
    assert!(matches!(
        runner.load_bundle(&v0),
        Err(RuntimeError::AbiMismatch { .. })
    ));
}

#[test]
fn wasmtimes_refusals_keep_their_source() {
    let dir = tempfile::tempdir().unwrap();
    let runner = Runner::new(Cache::new(dir.path())).unwrap();
    // `coral::write` with the wrong signature: a known import wasmtime
    // cannot link.
    let mistyped = bundle(
        r#"(module (import "coral" "write" (func (param i64))) (memory (export "memory") 1) (func (export "_start")))"#,
        ABI_VERSION,
    );
    let err = refusal(&runner, &mistyped);
    assert!(matches!(err, RuntimeError::Unlinkable(_)), "{err:?}");
    assert_eq!(err.to_string(), "not a Coral program");
    // The reason is wasmtime's error, kept as the source (not its text).
    let source = std::error::Error::source(&err).expect("a source");
    assert!(source.to_string().contains("write"), "{source}");

    // Well-formed wasm that fails validation (a function that returns
    // nothing where it promised an i32), with valid bundle metadata.
    let garbage = bundle(r#"(module (func (result i32)))"#, ABI_VERSION);
    match runner.load_bundle(&garbage) {
        Err(err @ RuntimeError::InvalidModule(_)) => {
            assert_eq!(err.to_string(), "invalid WebAssembly module");
            assert!(std::error::Error::source(&err).is_some());
        }
        other => panic!("expected InvalidModule, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn intl_work_is_charged_to_the_runs_fuel() {
    // The same instructions run for both requests; only the host's charge
    // for the ICU4X work differs.
    let fuel_of = |request: &str| {
        let (report, out) = run_report(&echo_module(&[request]));
        assert_eq!(report.outcome, Outcome::Success);
        (
            report.stats.fuel_used,
            String::from_utf8(out.stdout).unwrap(),
        )
    };
    let (plain, _) = fuel_of(r#"{"op":"params"}"#);
    let args = r#"{"tags":["en-us"]}"#;
    let (intl, answer) = fuel_of(&format!(
        r#"{{"op":"intl","fn":"canonicalize","args":{args}}}"#
    ));
    let response = r#"{"ok":["en-US"]}"#;
    assert_eq!(answer, format!("{response}\n"));
    assert_eq!(
        intl - plain,
        INTL_FUEL_BASE + INTL_FUEL_PER_BYTE * (args.len() + response.len()) as u64
    );
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
            Program::Bundle(&module).into(),
            &options,
            Box::new(CaptureSink::default()),
        )
        .unwrap();
    assert_eq!(report.outcome, Outcome::FuelExhausted);
    assert_eq!(report.stats.fuel_used, 1_000_000);
}

/// A module that sends each request through `call`, copies each response
/// into memory and prints it on its own line.
fn echo_module(requests: &[&str]) -> String {
    let mut data = String::new();
    let mut body = String::new();
    let mut offset = 1024;
    for request in requests {
        let escaped = request.replace('\\', "\\\\").replace('"', "\\\"");
        data += &format!("(data (i32.const {offset}) \"{escaped}\")\n");
        body += &format!(
            "(local.set $n (i32.wrap_i64 (call $call (i32.const {offset}) (i32.const {len}))))
             (drop (call $take (i32.const 8192) (local.get $n)))
             (call $write (i32.const 1) (i32.const 8192) (local.get $n))
             (call $write (i32.const 1) (i32.const 5) (i32.const 1))\n",
            len = request.len()
        );
        offset += request.len() + 16;
    }
    format!(
        "(module {IMPORTS} {data} (func (export \"_start\") (local $n i32) {body} (call $exit (i32.const 0))))"
    )
}

#[test]
fn garbage_colony_and_emit_requests_get_errors_not_panics() {
    let requests = [
        r#"{"op":"colony"}"#,
        r#"{"op":"colony","method":{"x":1}}"#,
        r#"{"op":"colony","method":"ListServices","request":5}"#,
        r#"{"op":"colony","method":"DropEverything","request":{}}"#,
        r#"{"op":7}"#,
        r#"{"op":"emit","name":"","severity":"info"}"#,
        r#"{"op":"emit","name":"x","severity":"loud"}"#,
        r#"{"op":"emit","name":"ok","data":{"a":[1,2]},"severity":"critical"}"#,
        r#"{"op":"nope"}"#,
    ];
    let (report, captured) = run_report(&echo_module(&requests));
    assert_eq!(report.outcome, Outcome::Success);
    let out = String::from_utf8(captured.stdout).unwrap();
    let answers: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert_eq!(answers.len(), requests.len());
    let error = |i: usize| {
        answers[i]["error"]["message"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert!(error(0).contains("without a method"), "{}", error(0));
    assert!(error(1).contains("malformed host request"), "{}", error(1));
    // No colony is configured by default: a named failure, not a crash.
    assert_eq!(answers[2]["error"]["code"], "unavailable");
    assert_eq!(answers[3]["error"]["code"], "unavailable");
    assert!(error(4).contains("malformed host request"), "{}", error(4));
    assert!(error(5).contains("event name"), "{}", error(5));
    assert!(error(6).contains("unknown severity"), "{}", error(6));
    assert_eq!(answers[7], serde_json::json!({ "ok": null }));
    assert!(error(8).contains("unknown host operation"), "{}", error(8));
    // The one valid event is kept in the report and shown on stderr.
    assert_eq!(report.events.len(), 1);
    assert_eq!(report.events[0].name, "ok");
    assert_eq!(report.events[0].severity, "critical");
    assert_eq!(report.events[0].data.get(), r#"{"a":[1,2]}"#);
    let err = String::from_utf8(captured.stderr).unwrap();
    assert_eq!(err, "event ok [critical] {\"a\":[1,2]}\n");
}

#[test]
fn a_raised_stop_signal_ends_a_sleeping_or_busy_run() {
    let dir = tempfile::tempdir().unwrap();
    let runner = Runner::new(Cache::new(dir.path())).unwrap();
    let sleeper = format!(
        "(module (import \"coral\" \"sleep_ms\" (func $sleep (param f64))) {} (func (export \"_start\") (call $sleep (f64.const 3600000))))",
        "(memory (export \"memory\") 1)"
    );
    for wat in [sleeper, module("(loop $l (br $l))")] {
        let (module, _) = runner.load_bundle(&bundle(&wat, ABI_VERSION)).unwrap();
        let options = RunOptions::default();
        let stop = options.stop.clone();
        let raiser = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(100));
            stop.stop();
        });
        let report = runner
            .run(
                Program::Bundle(&module).into(),
                &options,
                Box::new(CaptureSink::default()),
            )
            .unwrap();
        raiser.join().unwrap();
        // Neither the hour-long sleep nor the endless loop ran to the
        // 60 s deadline: the signal ended the run.
        assert_eq!(report.outcome, Outcome::Stopped, "{wat}");
        assert!(report.stats.wall_time < std::time::Duration::from_secs(30));
    }
}
