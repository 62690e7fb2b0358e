//! The `deno` child process: started with nothing but the permissions and
//! environment it needs, its output pumped through the run's allowance, and
//! stopped (SIGKILL) at the deadline or when the output limit is hit.

use std::io::Read;
use std::process::{ChildStderr, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Instant;

use coral_host_abi::Stream;

use super::demux::{Demux, Piece, find};
use super::output::{Notice, OutputStop, SharedOutput};
use super::record::{Ending, handle_record};

/// How Deno itself reports a run's end, in text that coral replaces with
/// its own report (the same words as the wasm engine's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DenoReport {
    /// V8 ran out of heap (`--memory`).
    OutOfMemory,
    /// The main module's top-level await can never settle.
    TopLevelAwait,
}

/// Where Deno's own reports start: from there on stderr is Deno's (V8's
/// crash dump, or the unsettled await with its code frame), not the
/// script's output.
const DENO_REPORTS: &[(&[u8], DenoReport)] = &[
    (b"<--- Last few GCs --->", DenoReport::OutOfMemory),
    (b"Fatal JavaScript out of memory", DenoReport::OutOfMemory),
    (b"Fatal process out of memory", DenoReport::OutOfMemory),
    (
        b"error: Top-level await promise never resolved",
        DenoReport::TopLevelAwait,
    ),
];

/// Why the supervisor stopped the child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stopped {
    Deadline,
    Output(OutputStop),
    /// The run's stop signal.
    Signal,
}

/// How the child ended.
#[derive(Debug)]
pub(crate) struct Ended {
    /// Exit status as `waitpid` reports it.
    pub status: libc::c_int,
    /// Peak resident set size of the child, in bytes.
    pub peak_rss_bytes: u64,
    /// Set when the supervisor killed it.
    pub stopped: Option<Stopped>,
    /// How `setup.js` said the run ended, if it did.
    pub ending: Option<Ending>,
    /// Deno's own report of how the run ended, if its marker appeared.
    pub deno_report: Option<HeldReport>,
}

impl Ended {
    /// Deno's report, when the way deno ended bears it out; a script that
    /// prints the marker text itself does not change how its run ended.
    pub(crate) fn confirmed_report(&self) -> Option<DenoReport> {
        let held = self.deno_report.as_ref()?;
        if self.ending.is_some() || self.stopped.is_some() {
            return None;
        }
        let confirmed = match held.report {
            // V8 aborts when out of heap: a signal no script can send itself
            // (it has no --allow-run).
            DenoReport::OutOfMemory => self.signal().is_some(),
            DenoReport::TopLevelAwait => self.exit_code() == Some(1),
        };
        confirmed.then_some(held.report)
    }

    /// The exit code, when the child exited normally.
    pub(crate) fn exit_code(&self) -> Option<i32> {
        libc::WIFEXITED(self.status).then(|| libc::WEXITSTATUS(self.status))
    }

    /// The signal that ended the child, if one did.
    pub(crate) fn signal(&self) -> Option<i32> {
        libc::WIFSIGNALED(self.status).then(|| libc::WTERMSIG(self.status))
    }
}

/// A `deno` process to start.
pub(crate) struct Launch {
    /// The command.
    pub command: Command,
    /// Written to its stdin, which is then closed (the run's settings).
    pub input: Vec<u8>,
    /// The secret its control records start with.
    pub secret: Arc<str>,
}

/// Starts `launch` and supervises it until it ends.
pub(crate) fn run(
    launch: Launch,
    deadline: Instant,
    output: &Arc<SharedOutput>,
    notices: Sender<Notice>,
    receiver: &Receiver<Notice>,
) -> std::io::Result<Ended> {
    use std::os::unix::process::CommandExt;
    let Launch {
        mut command,
        input,
        secret,
    } = launch;
    // SAFETY: the closure runs in the forked child before exec and only
    // calls prctl, which is async-signal-safe. If coral dies (even by
    // SIGKILL), the kernel kills deno too, so no run outlives its limits.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let pid = child.id() as libc::pid_t;
    let stdout = child
        .stdout
        .take()
        .map(|out| pump_stdout(out, output.clone()));
    let stderr = child
        .stderr
        .take()
        .map(|err| pump_stderr(err, output.clone(), secret));
    // On a thread of its own: deno may write before it reads.
    if let Some(mut stdin) = child.stdin.take() {
        std::thread::spawn(move || {
            let _ = std::io::Write::write_all(&mut stdin, &input);
        });
    }
    let waiter = std::thread::spawn(move || {
        wait_for_exit(pid);
        let _ = notices.send(Notice::Exited);
    });

    let mut stopped = None;
    loop {
        let notice = match (
            stopped.is_some(),
            deadline.checked_duration_since(Instant::now()),
        ) {
            // Killed already: wait for the waiter to see it go.
            (true, _) => receiver.recv().map_err(|_| RecvTimeoutError::Disconnected),
            (false, Some(left)) => receiver.recv_timeout(left),
            (false, None) => Err(RecvTimeoutError::Timeout),
        };
        let reason = match notice {
            Ok(Notice::Exited) | Err(RecvTimeoutError::Disconnected) => break,
            Ok(Notice::Output(stop)) => Stopped::Output(stop),
            Ok(Notice::Stop) => Stopped::Signal,
            Err(RecvTimeoutError::Timeout) => Stopped::Deadline,
        };
        if stopped.is_none() {
            stopped = Some(reason);
            // SAFETY: `pid` is our child and has not been reaped (the waiter
            // uses WNOWAIT; only `reap` below collects it), so the id cannot
            // have been reused by another process.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    }
    let _ = waiter.join();
    let (status, peak_rss_bytes) = reap(pid)?;
    if let Some(pump) = stdout {
        let _ = pump.join();
    }
    let StderrSeen {
        ending,
        deno_report,
    } = stderr.and_then(|pump| pump.join().ok()).unwrap_or_default();
    // Deno may have exited before the pumps wrote its last output.
    let stopped = stopped.or_else(|| output.stopped().map(Stopped::Output));
    Ok(Ended {
        status,
        peak_rss_bytes,
        stopped,
        ending,
        deno_report,
    })
}

/// Blocks until `pid` has exited, leaving it unreaped.
fn wait_for_exit(pid: libc::pid_t) {
    loop {
        // SAFETY: siginfo_t is plain data, and waitid only writes into it.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: `info` is a valid, writable siginfo_t for the call.
        let rc = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if rc == 0 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return;
        }
    }
}

/// Collects the exited child: its status and peak RSS.
fn reap(pid: libc::pid_t) -> std::io::Result<(libc::c_int, u64)> {
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data, and wait4 only writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: both out-pointers are valid for writes; `pid` is our child.
        let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if rc == pid {
            // ru_maxrss is in kilobytes on Linux.
            return Ok((status, u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024));
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}

fn pump_stdout(mut from: ChildStdout, output: Arc<SharedOutput>) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        while let Ok(n @ 1..) = from.read(&mut buf) {
            output.write(Stream::Stdout, &buf[..n]);
        }
    })
}

/// Deno's own report, held back from the output: the marker and all
/// stderr text after it.
#[derive(Debug)]
pub(crate) struct HeldReport {
    /// Which report the marker announced.
    pub report: DenoReport,
    /// The text from the marker's line on.
    pub text: Vec<u8>,
}

/// More text than any report of Deno's: past it, the "report" was the
/// script's own output and is shown after all.
const MAX_HELD_BYTES: usize = 64 * 1024;

/// What the stderr pump learnt besides the text it forwarded.
#[derive(Default)]
struct StderrSeen {
    /// The first ending record.
    ending: Option<Ending>,
    /// Deno's own report, if its marker appeared.
    deno_report: Option<HeldReport>,
}

impl StderrSeen {
    fn take(&mut self, piece: Piece, secret: &str, output: &SharedOutput) {
        match piece {
            Piece::Record(record) => {
                let ending = handle_record(&record, secret, output);
                if self.ending.is_none() {
                    self.ending = ending;
                }
            }
            Piece::Output(bytes) => match &mut self.deno_report {
                Some(held) if held.text.len() + bytes.len() <= MAX_HELD_BYTES => {
                    held.text.extend_from_slice(&bytes);
                }
                Some(held) => {
                    output.write(Stream::Stderr, &held.text);
                    output.write(Stream::Stderr, &bytes);
                    self.deno_report = None;
                }
                None => match deno_report(&bytes) {
                    Some((at, report)) => {
                        output.write(Stream::Stderr, &bytes[..at]);
                        self.deno_report = Some(HeldReport {
                            report,
                            text: bytes[at..].to_vec(),
                        });
                    }
                    None => output.write(Stream::Stderr, &bytes),
                },
            },
        }
    }
}

fn pump_stderr(
    mut from: ChildStderr,
    output: Arc<SharedOutput>,
    secret: Arc<str>,
) -> JoinHandle<StderrSeen> {
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        let mut demux = Demux::default();
        let mut seen = StderrSeen::default();
        while let Ok(n @ 1..) = from.read(&mut buf) {
            for piece in demux.feed(&buf[..n]) {
                seen.take(piece, &secret, &output);
            }
        }
        if let Some(piece) = demux.finish() {
            seen.take(piece, &secret, &output);
        }
        seen
    })
}

/// Where Deno's first own report starts in `bytes` (the start of its
/// line), and which it is.
fn deno_report(bytes: &[u8]) -> Option<(usize, DenoReport)> {
    let (at, report) = DENO_REPORTS
        .iter()
        .filter_map(|(marker, report)| Some((find(bytes, marker)?, *report)))
        .min_by_key(|(at, _)| *at)?;
    let line_start = bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    Some((line_start, report))
}
