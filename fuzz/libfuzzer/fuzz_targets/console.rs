//! `cargo fuzz run console`: [`coral_fuzz::console::check`] under libFuzzer.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| coral_fuzz::console::check(data));
