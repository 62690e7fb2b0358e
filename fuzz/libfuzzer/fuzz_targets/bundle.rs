//! `cargo fuzz run bundle`: [`coral_fuzz::bundle::check`] under libFuzzer.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| coral_fuzz::bundle::check(data));
