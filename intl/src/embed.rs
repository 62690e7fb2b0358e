//! The C ABI of `libcoral_intl.so` (`coral_host_abi::intl_library`): what
//! the host calls after loading the library. A panic never crosses it: it
//! becomes an `Error` answer.

use coral_host_abi::intl_library::{Buffer, VERSION};

fn buffer(bytes: Vec<u8>) -> Buffer {
    let mut bytes = std::mem::ManuallyDrop::new(bytes);
    Buffer {
        ptr: bytes.as_mut_ptr(),
        len: bytes.len(),
        cap: bytes.capacity(),
    }
}

/// The library's ABI version.
#[unsafe(no_mangle)]
pub extern "C" fn coral_intl_version() -> u32 {
    VERSION
}

/// Answers one request (see `coral_host_abi::intl_library::CallFn`).
///
/// # Safety
/// `function` and `args` must point to `function_len` and `args_len`
/// readable bytes, and `out` to a writable [`Buffer`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_intl_call(
    function: *const u8,
    function_len: usize,
    args: *const u8,
    args_len: usize,
    out: *mut Buffer,
) -> i32 {
    // SAFETY: the caller passes valid (pointer, length) pairs (see above).
    let (function, args) = unsafe {
        (
            std::slice::from_raw_parts(function, function_len),
            std::slice::from_raw_parts(args, args_len),
        )
    };
    let answer = std::panic::catch_unwind(|| {
        let function = std::str::from_utf8(function).unwrap_or("");
        let args = std::str::from_utf8(args).unwrap_or("");
        crate::call(function, args)
    });
    let (status, json) = match answer {
        Ok(Ok(value)) => (0, serde_json::to_vec(&value).unwrap_or_default()),
        Ok(Err(e)) => (
            1,
            serde_json::to_vec(&serde_json::json!({"class": e.class(), "message": e.to_string()}))
                .unwrap_or_default(),
        ),
        Err(_) => (
            1,
            br#"{"class":"Error","message":"internal error in Intl"}"#.to_vec(),
        ),
    };
    // SAFETY: the caller passes a writable Buffer.
    unsafe { out.write(buffer(json)) };
    status
}

/// Frees a buffer [`coral_intl_call`] returned.
///
/// # Safety
/// `buffer` must come from [`coral_intl_call`] and be freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_intl_free(buffer: Buffer) {
    if !buffer.ptr.is_null() {
        // SAFETY: the buffer was a Vec<u8> with this pointer, length and
        // capacity, leaked by `buffer` above and not yet freed.
        drop(unsafe { Vec::from_raw_parts(buffer.ptr, buffer.len, buffer.cap) });
    }
}
