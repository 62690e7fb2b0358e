//! `cargo fuzz run abi`: [`coral_fuzz::abi::check`] under libFuzzer.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| coral_fuzz::abi::check(data));
