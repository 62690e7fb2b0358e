//! `cargo fuzz run console`: [`coral_fuzz::console::check`] under libFuzzer.
#![no_main]

libfuzzer_sys::fuzz_target!(
    // The shared plugin is compiled before the first input, outside its
    // time limit (`-timeout`).
    init: coral_fuzz::console::warm(),
    |data: &[u8]| coral_fuzz::console::check(data)
);
