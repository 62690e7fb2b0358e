//! `cargo fuzz run sql`: [`coral_fuzz::sql::check`] under libFuzzer.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| coral_fuzz::sql::check(data));
