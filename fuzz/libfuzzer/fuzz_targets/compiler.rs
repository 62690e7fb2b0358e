//! `cargo fuzz run compiler`: [`coral_fuzz::compiler::check`] under libFuzzer.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| coral_fuzz::compiler::check(data));
