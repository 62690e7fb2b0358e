//! The host ABI: any sequence of `coral` imports a guest can call, with any
//! arguments and any request bytes, through a real wasmtime store.
//!
//! The input becomes a bundle (a module written in WAT, with the
//! `coral:bundle` section) whose `_start` calls the imports in order:
//! requests to `call` (mostly JSON built from the operations, functions and
//! fields the host knows, `host-abi/src/lib.rs` and `runtime/src/wasm/ops/mod.rs`),
//! `take_response` of what came back, writes, error reports, sleeps, exits,
//! and calls with raw pointers and lengths. Property: the run starts and
//! ends with an outcome — a host panic, or a program the loader refuses,
//! fails the target, and so does output past `--max-output` (plus the
//! final error report's bound).

use arbitrary::Unstructured;
use coral_host_abi::bundle::{BundleMeta, append_custom_section};
use coral_host_abi::{ABI_VERSION, BUNDLE_SECTION};
use coral_runtime::{
    Cache, CaptureSink, Engine, Limits, MAX_REPORT_BYTES, Program, RunOptions, Runner,
};
use serde_json::{Map, Value};

use crate::{json, pick};

/// Operations of the `call` import, and one it does not know.
const OPS: &[&str] = &[
    "params",
    "main_done",
    "colony",
    "emit",
    "intl",
    "crypto",
    "url",
    "encoding",
    "compression",
    "stack",
    "nope",
];

/// Functions (`fn`) of the operations that take one.
const FUNCTIONS: &[&str] = &[
    "canonicalize",
    "resolveLocale",
    "localeInfo",
    "supportedValuesOf",
    "numberResolve",
    "numberFormat",
    "pluralResolve",
    "pluralSelect",
    "collatorResolve",
    "collatorCompare",
    "listFormat",
    "relativeFormat",
    "segment",
    "displayName",
    "caseMap",
    "dateTimeResolve",
    "dateTimeFormat",
    "dateTimeFormatRange",
    "random",
    "digest",
    "parse",
    "set",
    "parseQuery",
    "serializeQuery",
    "label",
    "decode",
    "open",
    "write",
    "finish",
    "close",
];

/// Field names inside `args`, `request` and `data`.
const ARG_KEYS: &[&str] = &[
    "locale",
    "locales",
    "options",
    "value",
    "values",
    "x",
    "y",
    "start",
    "end",
    "timeZone",
    "style",
    "type",
    "text",
    "input",
    "base",
    "url",
    "href",
    "field",
    "query",
    "pairs",
    "label",
    "id",
    "bytes",
    "data",
    "stream",
    "fatal",
    "ignoreBOM",
    "format",
    "chunk",
    "stack",
    "len",
    "algorithm",
    "service",
    "sql",
    "maxRows",
    "percentile",
];

/// The imports, a memory of four pages, and room for responses.
const PRELUDE: &str = r#"
  (import "coral" "write" (func $write (param i32 i32 i32)))
  (import "coral" "call" (func $call (param i32 i32) (result i64)))
  (import "coral" "take_response" (func $take (param i32 i32) (result i32)))
  (import "coral" "monotonic_ms" (func $monotonic (result f64)))
  (import "coral" "sleep_ms" (func $sleep (param f64)))
  (import "coral" "random_seed" (func $seed (result i64)))
  (import "coral" "report_error" (func $report (param i32 i32)))
  (import "coral" "exit" (func $exit (param i32)))
  (memory (export "memory") 4)
"#;

/// Where request bytes go.
const PAYLOAD_AT: u32 = 1024;
/// Where responses are taken to, and how many bytes fit there.
const RESPONSE_AT: u32 = 128 * 1024;
const RESPONSE_ROOM: u32 = 128 * 1024;

/// Checks one input (see the module docs).
pub fn check(data: &[u8]) {
    let wat = program(&mut Unstructured::new(data));
    let wasm = wat::parse_str(&wat).expect("the generated module is valid WAT");
    let dir = tempfile::tempdir().expect("a temporary cache");
    let runner = Runner::new(Cache::new(dir.path())).expect("a runner");
    let (module, _) = runner
        .load_bundle(&bundle(wasm))
        .expect("the generated bundle loads");
    let options = RunOptions {
        limits: Limits {
            timeout: std::time::Duration::from_secs(5),
            memory_bytes: 64 << 20,
            fuel: Some(100_000_000),
            max_output_bytes: 1 << 20,
        },
        deterministic: true,
        ..RunOptions::default()
    };
    let sink = CaptureSink::default();
    let report = runner
        .run(
            Program::Bundle(&module).into(),
            &options,
            Box::new(sink.clone()),
        )
        .expect("the run starts");
    let out = sink.captured();
    let printed = (out.stdout.len() + out.stderr.len()) as u64;
    assert!(
        printed <= options.limits.max_output_bytes + MAX_REPORT_BYTES as u64,
        "{printed} bytes printed past the output limit ({:?})",
        report.outcome
    );
}

/// `wasm` with the `coral:bundle` section of this ABI.
pub fn bundle(mut wasm: Vec<u8>) -> Vec<u8> {
    let meta = BundleMeta {
        abi_version: ABI_VERSION,
        entry: "fuzz.wat".into(),
        source_map: String::new(),
        producer: "coral-fuzz".into(),
    };
    append_custom_section(&mut wasm, BUNDLE_SECTION, &meta.encode());
    wasm
}

/// The WAT of a program calling the imports as `u` says.
fn program(u: &mut Unstructured<'_>) -> String {
    let mut data = String::new();
    let mut body = String::new();
    let mut at = PAYLOAD_AT;
    for _ in 0..u.int_in_range(1..=12).unwrap_or(1) {
        let payload = |u: &mut Unstructured<'_>, at: &mut u32, data: &mut String| {
            let bytes = if u.ratio(3, 4).unwrap_or(true) {
                request(u)
            } else {
                u.arbitrary::<Vec<u8>>().unwrap_or_default()
            };
            let len = bytes.len().min((RESPONSE_AT - *at) as usize);
            let start = *at;
            data.push_str(&segment(start, &bytes[..len]));
            *at += len as u32;
            (start, len)
        };
        match u.int_in_range(0..=9u8).unwrap_or(0) {
            0..=4 => {
                let (ptr, len) = payload(u, &mut at, &mut data);
                body.push_str(&format!(
                    "(local.set $r (call $call (i32.const {ptr}) (i32.const {len})))\n\
                     (if (i32.and (i64.gt_s (local.get $r) (i64.const 0)) (i64.le_s (local.get $r) (i64.const {RESPONSE_ROOM})))\n\
                       (then (drop (call $take (i32.const {RESPONSE_AT}) (i32.wrap_i64 (local.get $r))))))\n"
                ));
            }
            5 => {
                let (ptr, len) = payload(u, &mut at, &mut data);
                let stream = u.int_in_range(0..=3).unwrap_or(1);
                body.push_str(&format!(
                    "(call $write (i32.const {stream}) (i32.const {ptr}) (i32.const {len}))\n"
                ));
            }
            6 => {
                let (ptr, len) = payload(u, &mut at, &mut data);
                body.push_str(&format!(
                    "(call $report (i32.const {ptr}) (i32.const {len}))\n"
                ));
            }
            7 => {
                let ms: f64 = u.arbitrary().unwrap_or(0.0);
                body.push_str(&format!(
                    "(call $sleep (f64.const {}))\n(drop (call $monotonic))\n(drop (call $seed))\n",
                    wat_f64(ms)
                ));
            }
            8 => {
                let (a, b, c): (i32, i32, i32) = u.arbitrary().unwrap_or_default();
                let call = match u.int_in_range(0..=3u8).unwrap_or(0) {
                    0 => format!("(call $write (i32.const {a}) (i32.const {b}) (i32.const {c}))"),
                    1 => format!("(drop (call $call (i32.const {a}) (i32.const {b})))"),
                    2 => format!("(drop (call $take (i32.const {a}) (i32.const {b})))"),
                    _ => format!("(call $report (i32.const {a}) (i32.const {b}))"),
                };
                body.push_str(&call);
                body.push('\n');
            }
            _ => {
                let code: i32 = u.arbitrary().unwrap_or(0);
                body.push_str(&format!("(call $exit (i32.const {code}))\n"));
            }
        }
    }
    format!("(module {PRELUDE}\n{data}\n(func (export \"_start\") (local $r i64)\n{body}))")
}

/// Makes one field of a host request.
type Field = fn(&mut Unstructured<'_>) -> Value;

/// A host request: mostly JSON from the vocabulary above.
fn request(u: &mut Unstructured<'_>) -> Vec<u8> {
    let mut map = Map::new();
    map.insert("op".into(), Value::from(pick(u, OPS)));
    let fields: [(&str, Field); 9] = [
        ("fn", |u| Value::from(pick(u, FUNCTIONS))),
        ("method", |u| Value::from(pick(u, crate::connect::METHODS))),
        ("args", |u| json::object(u, ARG_KEYS, 0)),
        ("request", |u| json::object(u, ARG_KEYS, 0)),
        ("data", |u| json::value(u, ARG_KEYS)),
        ("name", |u| json::value(u, &[])),
        ("severity", |u| {
            Value::from(pick(
                u,
                &["info", "warning", "error", "critical", "debug", ""],
            ))
        }),
        ("len", |u| json::value(u, &[])),
        ("algorithm", |u| {
            Value::from(pick(u, &["SHA-256", "SHA-384", "SHA-512", "SHA-1", "MD5"]))
        }),
    ];
    for (key, make) in fields {
        if u.ratio(1, 3).unwrap_or(false) {
            map.insert(key.into(), make(u));
        }
    }
    serde_json::to_vec(&Value::Object(map)).unwrap_or_default()
}

/// A WAT data segment holding `bytes` at `at`.
fn segment(at: u32, bytes: &[u8]) -> String {
    let escaped: String = bytes.iter().map(|b| format!("\\{b:02x}")).collect();
    format!("(data (i32.const {at}) \"{escaped}\")\n")
}

/// `x` as a WAT float literal (which spells non-finite values its own way).
fn wat_f64(x: f64) -> String {
    if x.is_nan() {
        "nan".into()
    } else if x.is_infinite() {
        if x > 0.0 { "inf" } else { "-inf" }.into()
    } else {
        format!("{x:e}")
    }
}
