//! `cargo fuzz run connect`: [`coral_fuzz::connect::check`] under libFuzzer.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| coral_fuzz::connect::check(data));
