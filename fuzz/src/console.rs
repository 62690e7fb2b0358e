//! Console inspection: arbitrary JavaScript values printed by `console` on
//! the wasm engine.
//!
//! The input becomes a JavaScript expression for a value, built from the
//! shapes inspection has to handle (cycles, getters, proxies whose traps
//! throw, class instances, `Symbol.toStringTag`, errors with causes, maps,
//! sets, typed arrays, sparse and huge arrays, bigints, `-0`, invalid
//! dates, deep nesting), printed with `console.log`, format strings,
//! `console.dir` with a depth, `console.table`, `console.assert` and
//! `console.error`. A trap the value sets off throws `FuzzTrap`, which the
//! script catches. Property: the run ends successfully — every value
//! prints, and nothing but the value's own traps throws — within
//! `--max-output`, or runs out of fuel (2·10⁹: a proxy that makes new
//! errors on every read can make `console.table` that costly).

use std::sync::OnceLock;

use arbitrary::Unstructured;
use coral_runtime::{
    Cache, CaptureSink, Engine, Limits, Outcome, PluginModule, Program, RunOptions, Runner,
};

use crate::pick;

/// Deepest expression [`value`] builds.
const MAX_DEPTH: usize = 6;

/// Leaves: primitives at the edges of their types.
const LEAVES: &[&str] = &[
    "undefined",
    "null",
    "true",
    "0",
    "-0",
    "NaN",
    "-Infinity",
    "1e21",
    "5e-324",
    "123456789012345678901234567890n",
    "-1n",
    "''",
    "'a\\nb\\u0000\\u001b[31m'",
    "'\\ud800'",
    "'%s %d %i %f %o %O %j %c %%'",
    "'x'.repeat(5000)",
    "Symbol('s')",
    "Symbol.iterator",
    "Symbol.for('coral.host')",
    "new Date(NaN)",
    "new Date(8.64e15)",
    "new Date(-1)",
    "/a(?<n>b)/gimsuy",
    "function named() {}",
    "async () => {}",
    "class K extends Array {}",
    "Math",
    "globalThis",
    "JSON",
    "new Uint8Array(300)",
    "new Float64Array([NaN, -0])",
    "new BigInt64Array(3)",
    "new ArrayBuffer(9)",
    "new DataView(new ArrayBuffer(4))",
    "new WeakMap()",
    "new WeakSet()",
    "Promise.resolve(1)",
    "Promise.reject(new Error('r')).catch(() => {}) && 1",
    "new Promise(() => {})",
    "new Error('e')",
    "new TypeError('t', { cause: new Error('c') })",
    "new AggregateError([new Error('a')], 'agg')",
    "Object.create(null)",
    "new Proxy({}, {})",
    "new URL('https://u:p@example.com/?q#h')",
    "new URLSearchParams('a=1&b=2')",
    "new TextEncoder().encode('é')",
    "new Headers({ a: '1' })",
    "Array(100000)",
    "[,,1]",
];

/// Checks one input (see the module docs).
pub fn check(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let expression = value(&mut u, 0);
    let calls = [
        "console.log(v)",
        "console.log('%s|%d|%i|%f|%o|%O|%j|%c|%', v, v, v, v, v, v, v, v)",
        "console.dir(v, { depth: 0 })",
        "console.dir(v, { depth: Infinity })",
        "console.table(v)",
        "console.assert(false, v)",
        "console.error(v)",
        "console.info([v, v], { v })",
        "console.log(String(Object.prototype.toString.call(v)))",
    ];
    let printed: Vec<String> = calls
        .iter()
        .filter(|_| u.ratio(1, 2).unwrap_or(true))
        .map(|call| {
            format!("try {{ {call}; }} catch (e) {{ if (!(e instanceof FuzzTrap)) throw e; }}")
        })
        .collect();
    let js = format!(
        "class FuzzTrap extends Error {{ name = 'FuzzTrap'; }}\n\
         function trap() {{ throw new FuzzTrap('trap'); }}\n\
         let v;\n\
         try {{ v = (function () {{ return {expression}; }})(); }} catch (e) {{ if (!(e instanceof FuzzTrap)) throw e; }}\n\
         {}\n",
        printed.join("\n")
    );
    let (runner, plugin) = plugin();
    let options = RunOptions {
        limits: Limits {
            timeout: std::time::Duration::from_secs(10),
            memory_bytes: 256 << 20,
            fuel: Some(2_000_000_000),
            max_output_bytes: 16 << 20,
        },
        deterministic: true,
        ..RunOptions::default()
    };
    // Through the compiler, as `coral run` does: the program it makes
    // tells the host when the script's main body is done.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let main = dir.path().join("main.js");
    std::fs::write(&main, &js).expect("write main.js");
    let compiled = coral_compiler::compile(&main)
        .unwrap_or_else(|e| panic!("the generated script does not compile: {e}\n{js}"));
    let bytecode = runner
        .compile_bytecode(plugin, &compiled.js, &options)
        .unwrap_or_else(|e| panic!("QuickJS refuses the generated script: {e}\n{js}"));
    let sink = CaptureSink::default();
    let report = runner
        .run(
            Program::Bytecode {
                plugin,
                bytecode: &bytecode,
            }
            .into(),
            &options,
            Box::new(sink.clone()),
        )
        .expect("the run starts");
    forget_bytecode(runner);
    let out = sink.captured();
    // A value whose getters and proxy traps make new objects on every read
    // can make printing as costly as any loop: the fuel limit ending it
    // is the sandbox working.
    if report.outcome == Outcome::FuelExhausted {
        return;
    }
    if report.outcome != Outcome::Success {
        // Kept for `coral run` to reproduce.
        let _ = dir.keep();
    }
    assert_eq!(
        report.outcome,
        Outcome::Success,
        "printing {} failed ({}); stdout:\n{}\nstderr:\n{}",
        clip(&expression),
        main.display(),
        String::from_utf8_lossy(&out.stdout[..out.stdout.len().min(4096)]),
        String::from_utf8_lossy(&out.stderr[..out.stderr.len().min(4096)]),
    );
}

/// Makes the runner and compiles the plugin, which every input shares: a
/// fuzzer calls it before the first input (`fuzz/libfuzzer`), so the
/// seconds it takes (a minute and more under AddressSanitizer) never count
/// against one input's time limit.
pub fn warm() {
    plugin();
}

/// The runner and the plugin module, shared by every input (compiling the
/// plugin takes seconds).
fn plugin() -> &'static (Runner, PluginModule) {
    static PLUGIN: OnceLock<(Runner, PluginModule)> = OnceLock::new();
    PLUGIN.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary cache").keep();
        let runner = Runner::new(Cache::new(dir)).expect("a runner");
        let plugin = runner
            .plugin_module(
                coral_compiler::plugin::PLUGIN_KEY,
                coral_compiler::plugin::initialise,
            )
            .expect("the plugin compiles");
        (runner, plugin)
    })
}

/// `text`, at most 2,000 characters of it.
fn clip(text: &str) -> &str {
    text.char_indices()
        .nth(2_000)
        .map_or(text, |(at, _)| &text[..at])
}

/// Removes the cached bytecode of every input so far: a long run would
/// otherwise fill the disk.
fn forget_bytecode(runner: &Runner) {
    let Ok(entries) = std::fs::read_dir(runner.cache().dir()) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.path().extension().is_some_and(|e| e == "qjsbc") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A JavaScript expression for a value.
fn value(u: &mut Unstructured<'_>, depth: usize) -> String {
    if depth >= MAX_DEPTH || u.ratio(1, 3).unwrap_or(true) {
        return pick(u, LEAVES).to_owned();
    }
    // Parenthesised: an arrow function followed by `instanceof` is not
    // an expression.
    let mut inner = || format!("({})", value(u, depth + 1));
    let (a, b) = (inner(), inner());
    match u.int_in_range(0..=13u8).unwrap_or(0) {
        0 => format!("[{a}, {b}]"),
        1 => format!("({{ a: {a}, 'b c': {b}, [Symbol('k')]: 1, 2: {a} }})"),
        2 => format!("new Map([[{a}, {b}], [{b}, {a}]])"),
        3 => format!("new Set([{a}, {b}])"),
        4 => format!(
            "(() => {{ const o = {{ x: {a} }}; o.self = o; o.list = [o, {b}]; return o; }})()"
        ),
        5 => format!("({{ get g() {{ return {a}; }}, get t() {{ trap(); }}, set s(x) {{}} }})"),
        6 => format!(
            "new Proxy(Object({a}), {{ get: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap, has: trap }})"
        ),
        7 => format!(
            "new Proxy({{ p: {a} }}, {{ get(t, k) {{ return k === 'then' ? undefined : {b}; }} }})"
        ),
        8 => format!(
            "(() => {{ class C {{ #p = {a}; q = {b}; static s = 1; get [Symbol.toStringTag]() {{ return 'Tag'; }} }} return new C(); }})()"
        ),
        9 => format!("Object.assign(new Error('e', {{ cause: {a} }}), {{ extra: {b} }})"),
        10 => format!(
            "Object.defineProperty({{ v: {a} }}, 'hidden', {{ value: {b}, enumerable: false }})"
        ),
        11 => format!("(() => {{ const a = [{a}]; a[1000] = {b}; a.prop = 1; return a; }})()"),
        12 => format!(
            "({{ toString: trap, valueOf: trap, toJSON: trap, [Symbol.toPrimitive]: trap, inner: {a} }})"
        ),
        _ => format!("Object.setPrototypeOf({{ a: {a} }}, {b} instanceof Object ? {b} : null)"),
    }
}
