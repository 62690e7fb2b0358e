//! `cargo fuzz run otlp`: [`coral_fuzz::otlp::check`] under libFuzzer.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| coral_fuzz::otlp::check(data));
