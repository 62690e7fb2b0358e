//! The host half of the ABI: [`add_to_linker`] defines the `coral` imports
//! over the store's [`HostState`]; the `call` import's operations are
//! [`super::ops`].
//!
//! Every guest `(ptr, len)` is checked against the guest memory and the ABI's
//! bound before any byte is read; a violation traps the guest with
//! [`HostTrap::Abi`]. Nothing here panics on guest input.

use std::time::Duration;

use coral_host_abi::{
    CallStatus, IMPORT_MODULE, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES, MAX_WRITE_BYTES, Stream,
    import,
};
use wasmtime::{Caller, Extern, Linker};

use super::state::{ErrorReport, HostState, HostTrap};

fn abi(message: impl Into<String>) -> wasmtime::Error {
    wasmtime::Error::new(HostTrap::Abi(message.into()))
}

/// Copies `len` bytes at `ptr` out of the guest, after checking both against
/// the memory and `max`.
fn read_guest(
    caller: &mut Caller<'_, HostState>,
    ptr: i32,
    len: i32,
    max: u32,
) -> wasmtime::Result<Vec<u8>> {
    let (ptr, len) = (ptr as u32 as usize, len as u32 as usize);
    if len > max as usize {
        return Err(abi(format!("{len} bytes exceeds the {max}-byte bound")));
    }
    let memory = guest_memory(caller)?;
    let data = memory.data(&caller);
    let end = ptr
        .checked_add(len)
        .ok_or_else(|| abi("pointer overflow"))?;
    data.get(ptr..end).map(<[u8]>::to_vec).ok_or_else(|| {
        abi(format!(
            "range {ptr}..{end} is outside guest memory ({} bytes)",
            data.len()
        ))
    })
}

fn guest_memory(caller: &mut Caller<'_, HostState>) -> wasmtime::Result<wasmtime::Memory> {
    match caller.get_export("memory") {
        Some(Extern::Memory(memory)) => Ok(memory),
        _ => Err(abi("the module exports no memory named `memory`")),
    }
}

/// Defines the `coral` import module.
pub(crate) fn add_to_linker(linker: &mut Linker<HostState>) -> wasmtime::Result<()> {
    linker.func_wrap(
        IMPORT_MODULE,
        import::WRITE,
        |mut caller: Caller<'_, HostState>,
         stream: i32,
         ptr: i32,
         len: i32|
         -> wasmtime::Result<()> {
            let stream =
                Stream::from_raw(stream).ok_or_else(|| abi(format!("unknown stream {stream}")))?;
            let bytes = read_guest(&mut caller, ptr, len, MAX_WRITE_BYTES)?;
            let state = caller.data_mut();
            let allowed = state.take_output_room(bytes.len());
            state
                .output
                .write(stream, &bytes[..allowed])
                .map_err(|closed| wasmtime::Error::new(HostTrap::from(closed)))?;
            if allowed < bytes.len() {
                return Err(wasmtime::Error::new(HostTrap::OutputLimit));
            }
            Ok(())
        },
    )?;

    linker.func_wrap(
        IMPORT_MODULE,
        import::CALL,
        |mut caller: Caller<'_, HostState>, ptr: i32, len: i32| -> wasmtime::Result<i64> {
            if len as u32 > MAX_REQUEST_BYTES {
                return Ok(CallStatus::RequestTooLarge as i64);
            }
            let bytes = read_guest(&mut caller, ptr, len, MAX_REQUEST_BYTES)?;
            let state = caller.data_mut();
            let Some(encoded) = state.dispatch(&bytes).map_err(wasmtime::Error::new)? else {
                return Ok(CallStatus::MalformedRequest as i64);
            };
            if encoded.len() > MAX_RESPONSE_BYTES as usize {
                return Ok(CallStatus::ResponseTooLarge as i64);
            }
            let len = encoded.len() as i64;
            state.response = Some(encoded);
            let debt = std::mem::take(&mut state.fuel_debt);
            if debt > 0 {
                // Host work paid from the run's fuel: running out here ends
                // the run at the guest's next instruction, as the limit says.
                if let Ok(fuel) = caller.get_fuel() {
                    caller.set_fuel(fuel.saturating_sub(debt))?;
                }
            }
            Ok(len)
        },
    )?;

    linker.func_wrap(
        IMPORT_MODULE,
        import::TAKE_RESPONSE,
        |mut caller: Caller<'_, HostState>, ptr: i32, len: i32| -> wasmtime::Result<i32> {
            let response = caller
                .data_mut()
                .response
                .take()
                .ok_or_else(|| abi("take_response without a pending response"))?;
            if response.len() != len as u32 as usize {
                return Err(abi(format!(
                    "take_response length {} does not match the response length {}",
                    len as u32,
                    response.len()
                )));
            }
            let memory = guest_memory(&mut caller)?;
            memory
                .write(&mut caller, ptr as u32 as usize, &response)
                .map_err(|_| abi("take_response destination is outside guest memory"))?;
            Ok(0)
        },
    )?;

    linker.func_wrap(
        IMPORT_MODULE,
        import::MONOTONIC_MS,
        |caller: Caller<'_, HostState>| -> f64 {
            caller.data().clock.elapsed().as_secs_f64() * 1000.0
        },
    )?;

    linker.func_wrap(
        IMPORT_MODULE,
        import::SLEEP_MS,
        |caller: Caller<'_, HostState>, ms: f64| -> wasmtime::Result<()> {
            if !ms.is_finite() || ms <= 0.0 {
                return Ok(());
            }
            let state = caller.data();
            let wanted = Duration::from_secs_f64((ms / 1000.0).min(1e9));
            let remaining = state.remaining();
            let sleep = wanted.min(remaining);
            if state.stop.is_stopped() {
                return Err(wasmtime::Error::new(HostTrap::Stopped));
            }
            if state.clock.is_virtual() {
                state.clock.advance(sleep);
            } else if state.stop.sleep(sleep) {
                return Err(wasmtime::Error::new(HostTrap::Stopped));
            }
            // The deadline is exclusive: a timer due exactly at it does not
            // run (on both engines; see runtime/src/deno/setup.js).
            if wanted >= remaining {
                return Err(wasmtime::Error::new(HostTrap::Timeout));
            }
            Ok(())
        },
    )?;

    linker.func_wrap(
        IMPORT_MODULE,
        import::RANDOM_SEED,
        |caller: Caller<'_, HostState>| -> i64 { caller.data().seed as i64 },
    )?;

    linker.func_wrap(
        IMPORT_MODULE,
        import::REPORT_ERROR,
        |mut caller: Caller<'_, HostState>, ptr: i32, len: i32| -> wasmtime::Result<()> {
            let bytes = read_guest(&mut caller, ptr, len, MAX_REQUEST_BYTES)?;
            let report =
                serde_json::from_slice::<ErrorReport>(&bytes).unwrap_or_else(|_| ErrorReport {
                    name: "Error".into(),
                    message: String::from_utf8_lossy(&bytes).into_owned(),
                    stack: String::new(),
                });
            caller.data_mut().error_report = Some(report);
            Ok(())
        },
    )?;

    // WASI's poll_oneoff sleeps in the host, where neither the deadline nor
    // the virtual clock applies; the engine never needs it (timers go
    // through `sleep_ms`), so a program that calls it is stopped.
    linker.allow_shadowing(true);
    linker.func_wrap(
        "wasi_snapshot_preview1",
        "poll_oneoff",
        |_caller: Caller<'_, HostState>,
         _in: i32,
         _out: i32,
         _n: i32,
         _nevents: i32|
         -> wasmtime::Result<i32> {
            Err(abi(
                "poll_oneoff is not available to Coral programs (use timers)",
            ))
        },
    )?;
    linker.allow_shadowing(false);

    linker.func_wrap(
        IMPORT_MODULE,
        import::EXIT,
        |_caller: Caller<'_, HostState>, code: i32| -> wasmtime::Result<()> {
            Err(wasmtime::Error::new(HostTrap::Exit(code)))
        },
    )?;
    Ok(())
}
