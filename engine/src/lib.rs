//! The Coral Script engine: a javy plugin (QuickJS compiled to
//! `wasm32-wasip1`) whose only way out of the sandbox is the host import
//! module defined in `coral-host-abi`.
//!
//! This crate owns the guest half of the ABI: the Rust functions that move
//! bytes across the `coral` imports, and the JavaScript evaluated over them:
//! the web platform globals (`web/`), `intl.js` (the `Intl` constructors and
//! locale-aware built-ins over the host's `intl` operation), `shared.js` (the
//! timer order and PRNG the Deno engine shares) and the prelude (`prelude/`,
//! one file per concern: the way to the host, console formatting, `console`,
//! error reports, the event loop, the global object's events, `Math.random`,
//! `performance`, and the hooks the compiler's programs call).
//! `initialize-runtime` runs once under Wizer, so everything here is
//! snapshotted into the plugin image and costs nothing per run. WASI is linked by the host with no files, sockets or environment; the
//! javy stream-IO API (`Javy.IO`) is left out.

use javy_plugin_api::Config;
use javy_plugin_api::import_namespace;
use javy_plugin_api::javy::Runtime;
use javy_plugin_api::javy::quickjs::prelude::Func;
use javy_plugin_api::javy::quickjs::{
    Ctx, Exception, Function, Object, Result as JsResult, Value, qjs,
};

use coral_host_abi::{CallStatus, MAX_WRITE_BYTES};

// Must equal `coral_host_abi::ENGINE_NAMESPACE` (the macro wants a literal).
import_namespace!("coral-engine-v1");

mod host {
    #[link(wasm_import_module = "coral")]
    unsafe extern "C" {
        pub fn write(stream: i32, ptr: *const u8, len: usize);
        pub fn call(ptr: *const u8, len: usize) -> i64;
        pub fn take_response(ptr: *mut u8, len: usize) -> i32;
        pub fn monotonic_ms() -> f64;
        pub fn sleep_ms(ms: f64);
        pub fn random_seed() -> i64;
        pub fn report_error(ptr: *const u8, len: usize);
        pub fn exit(code: i32);
    }
}

/// Timer order and `Math.random`'s generator, shared with the Deno engine
/// (which embeds this same file). Evaluated just before the prelude.
const SHARED: &str = include_str!("shared.js");

/// The prelude, in order: `host.js` takes the hidden globals the files
/// before it leave, each later file reads what earlier ones put in
/// `__coral_prelude`, and `hooks.js` removes it.
const PRELUDE: &[&str] = &[
    include_str!("prelude/host.js"),
    include_str!("prelude/inspect.js"),
    include_str!("prelude/console.js"),
    include_str!("prelude/errors.js"),
    include_str!("prelude/event_loop.js"),
    include_str!("prelude/global_events.js"),
    include_str!("prelude/random.js"),
    include_str!("prelude/performance.js"),
    include_str!("prelude/hooks.js"),
];

/// The `Intl` glue (ECMA-402 on the host's `intl` operation). Evaluated
/// before the prelude, which removes the native object both capture.
const INTL: &str = include_str!("intl.js");

/// The request encoder (`json.js`, which `intl.js` uses), then the web
/// platform globals, one file per API (WinterTC's minimum common API), in
/// dependency order: DOMException first, events before abort.
const WEB: &[&str] = &[
    include_str!("json.js"),
    include_str!("web/dom_exception.js"),
    include_str!("web/base64.js"),
    include_str!("web/events.js"),
    include_str!("web/abort.js"),
    include_str!("web/structured_clone.js"),
    include_str!("web/crypto.js"),
    include_str!("web/url.js"),
    include_str!("web/navigator.js"),
    include_str!("web/headers.js"),
    include_str!("../vendor/web-streams-polyfill/ponyfill.js"),
    include_str!("web/streams.js"),
    include_str!("web/text_decoder.js"),
    include_str!("web/encoding_streams.js"),
    include_str!("web/compression.js"),
    include_str!("web/blob.js"),
    include_str!("web/encode_into.js"),
    include_str!("web/file.js"),
    include_str!("web/body.js"),
];

/// Runs once, under Wizer, when the plugin image is built.
#[unsafe(export_name = "initialize-runtime")]
pub extern "C" fn initialize_runtime() {
    javy_plugin_api::initialize_runtime(config, install_coral_globals)
        .expect("the Coral engine runtime initialises");
}

fn config() -> Config {
    let mut config = Config::default();
    config.event_loop(true);
    config
        .text_encoding(true)
        .weak_ref(true)
        .performance(true)
        .javy_stream_io(false);
    config
}

fn install_coral_globals(runtime: Runtime) -> Runtime {
    runtime
        .context()
        .with(|ctx| -> JsResult<()> {
            let native = Object::new(ctx.clone())?;
            native.set("write", Func::from(native_write))?;
            native.set("call", Func::from(native_call))?;
            native.set("now", Func::from(monotonic_ms))?;
            native.set("sleep", Func::from(sleep_ms))?;
            native.set("seed", Func::from(random_seed))?;
            native.set("reportError", Func::from(native_report_error))?;
            native.set("exit", Func::from(exit))?;
            native.set("jobsPending", Func::from(jobs_pending))?;
            native.set("promiseState", Func::from(promise_state))?;
            ctx.globals().set("__coral_native", native)?;
            for source in WEB {
                ctx.eval::<(), _>(*source)?;
            }
            ctx.eval::<(), _>(INTL)?;
            ctx.eval::<(), _>(SHARED)?;
            for source in PRELUDE {
                ctx.eval::<(), _>(*source)?;
            }
            // SAFETY: `ctx` is live and holds the runtime lock; the tracker is a
            // plain function that stays valid for the program's lifetime and
            // takes no opaque state.
            unsafe {
                qjs::JS_SetHostPromiseRejectionTracker(
                    qjs::JS_GetRuntime(ctx.as_raw().as_ptr()),
                    Some(track_rejection),
                    std::ptr::null_mut(),
                );
            }
            Ok(())
        })
        .expect("the Coral prelude evaluates");
    runtime
}

// The scalar imports: they take and return plain numbers, so a call cannot
// violate anything on the guest side.

fn monotonic_ms() -> f64 {
    // SAFETY: scalar-only host import.
    unsafe { host::monotonic_ms() }
}

fn sleep_ms(ms: f64) {
    // SAFETY: scalar-only host import.
    unsafe { host::sleep_ms(ms) }
}

/// The host's seed as two 26-bit halves, which JS numbers hold exactly.
fn random_seed() -> Vec<f64> {
    // SAFETY: scalar-only host import.
    let seed = unsafe { host::random_seed() } as u64;
    vec![
        (seed & 0x3ff_ffff) as f64,
        ((seed >> 26) & 0x3ff_ffff) as f64,
    ]
}

fn exit(code: i32) {
    // SAFETY: scalar-only host import (it does not return: the host traps).
    unsafe { host::exit(code) }
}

fn native_write(stream: i32, text: String) {
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let mut end = rest.len().min(MAX_WRITE_BYTES as usize);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let (chunk, tail) = rest.split_at(end);
        // SAFETY: `chunk` is a live, initialised slice of guest memory for the
        // duration of the call; the host only reads it.
        unsafe { host::write(stream, chunk.as_ptr(), chunk.len()) };
        rest = tail;
    }
}

fn native_call<'js>(ctx: Ctx<'js>, request: String) -> JsResult<String> {
    // SAFETY: `request` outlives the call and the host only reads it.
    let status = unsafe { host::call(request.as_ptr(), request.len()) };
    if status < 0 {
        let message = CallStatus::from_raw(status)
            .map(CallStatus::message)
            .unwrap_or("host call failed");
        return Err(Exception::throw_message(&ctx, message));
    }
    let mut response = vec![0u8; status as usize];
    // SAFETY: `response` is a writable buffer of exactly the length the host
    // announced; the host writes at most that many bytes into it.
    unsafe { host::take_response(response.as_mut_ptr(), response.len()) };
    String::from_utf8(response)
        .map_err(|_| Exception::throw_message(&ctx, "host call response is not UTF-8"))
}

fn native_report_error(report: String) {
    // SAFETY: `report` outlives the call and the host only reads it.
    unsafe { host::report_error(report.as_ptr(), report.len()) };
}

/// QuickJS calls this when a promise is rejected with no handler
/// (`is_handled == false`) and when a handler is attached later (`true`). It
/// forwards to the prelude's tracker, which reports a rejection still
/// unhandled once the microtask queue drains (as Deno does).
unsafe extern "C" fn track_rejection(
    ctx: *mut qjs::JSContext,
    promise: qjs::JSValue,
    reason: qjs::JSValue,
    is_handled: bool,
    _opaque: *mut std::ffi::c_void,
) {
    let Some(raw) = std::ptr::NonNull::new(ctx) else {
        return;
    };
    // SAFETY: QuickJS calls the tracker on its own thread with a live context
    // while it holds the runtime; the two values are borrowed, so they are
    // duplicated before rquickjs takes ownership of them.
    let (ctx, promise, reason) = unsafe {
        let ctx = Ctx::from_raw(raw);
        let promise = Value::from_raw(ctx.clone(), qjs::JS_DupValue(raw.as_ptr(), promise));
        let reason = Value::from_raw(ctx.clone(), qjs::JS_DupValue(raw.as_ptr(), reason));
        (ctx, promise, reason)
    };
    let tracker: JsResult<Function> = ctx.globals().get(REJECTION_TRACKER);
    if let Ok(tracker) = tracker {
        let _ = tracker.call::<_, ()>((promise, reason, is_handled));
    }
}

/// The hidden global the prelude defines for [`track_rejection`].
const REJECTION_TRACKER: &str = "__coral_track_rejection";

/// `[state, result]` of a promise for `console.log` (0 pending, 1
/// fulfilled, 2 rejected; the result is `undefined` while pending); `[]` for
/// anything else. Reading it does not mark a rejection handled.
fn promise_state<'js>(ctx: Ctx<'js>, value: Value<'js>) -> Vec<Value<'js>> {
    use javy_plugin_api::javy::quickjs::promise::PromiseState;
    let Some(promise) = value.as_promise() else {
        return Vec::new();
    };
    let state = match promise.state() {
        PromiseState::Pending => 0,
        PromiseState::Resolved => 1,
        PromiseState::Rejected => 2,
    };
    let result = if state == 0 {
        Value::new_undefined(ctx.clone())
    } else {
        // SAFETY: `ctx` is the live context of this call and the promise is
        // settled; JS_PromiseResult returns a new reference, which
        // `Value::from_raw` takes ownership of.
        unsafe {
            Value::from_raw(
                ctx.clone(),
                qjs::JS_PromiseResult(ctx.as_raw().as_ptr(), promise.as_raw()),
            )
        }
    };
    vec![Value::new_int(ctx, state), result]
}

fn jobs_pending(ctx: Ctx<'_>) -> bool {
    // SAFETY: `ctx` is the live context this function was called from, so its
    // runtime pointer is valid; JS_IsJobPending only reads the job list.
    unsafe { qjs::JS_IsJobPending(qjs::JS_GetRuntime(ctx.as_raw().as_ptr())) }
}
