//! The CLI's own printing. `println!` panics when stdout is a closed pipe
//! (`coral query sql … | head -1`), because Rust ignores `SIGPIPE`; these
//! macros end the command quietly instead, as `SIGPIPE` ends other
//! programs, with [`crate::exit::OUTPUT_CLOSED`].
//!
//! * [`outln!`]: a report line on stdout; a closed stdout ends the process
//!   quietly, any other failure (a full disk behind `>`) with a message and
//!   [`crate::exit::INTERNAL`].
//! * [`errln!`]: a diagnostic on stderr; a closed stderr loses the line but
//!   not the command's exit code (there is nobody left to tell).

use std::fmt;
use std::io::Write;

/// Writes one line to stdout, or ends the process when stdout can no longer
/// be written: quietly with [`crate::exit::OUTPUT_CLOSED`] when its reader
/// went away, else with the reason and [`crate::exit::INTERNAL`].
pub fn out(args: fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    let written = out
        .write_fmt(args)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            std::process::exit(i32::from(crate::exit::OUTPUT_CLOSED))
        }
        Err(e) => {
            err(format_args!("error: cannot write stdout: {e}"));
            std::process::exit(i32::from(crate::exit::INTERNAL))
        }
    }
}

/// Writes one line to stderr; a failure is ignored.
pub fn err(args: fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| err.write_all(b"\n"));
}

/// `println!` that ends the command quietly on a closed stdout.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::stdio::out(format_args!($($arg)*))
    };
}

/// `eprintln!` that never panics.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::stdio::err(format_args!($($arg)*))
    };
}

pub(crate) use {errln, outln};
