//! A script's log: the lines it printed (and the agent's own lines about
//! it), kept in a bounded ring in memory and appended to `log.jsonl` in its
//! folder, so `coral script logs` shows the whole retained log after an
//! agent restart too. Followers (`logs -f`) get new lines from a broadcast
//! channel.

use std::collections::VecDeque;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::Mutex;

use coral_proto::agent::v1 as pb;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

/// Most lines a script's log retains (older ones are dropped, in memory
/// and, at the next compaction, on disk).
pub const MAX_LINES: usize = 10_000;
/// Longest line kept, in bytes; a longer one is cut there and marked.
pub const MAX_LINE_BYTES: usize = 16 * 1024;
/// The log file is rewritten with the retained lines once it grows past
/// this many bytes.
const COMPACT_AT_BYTES: u64 = 8 * 1024 * 1024;

/// Where a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Stdout,
    Stderr,
    /// The agent, about the script (started, stopped, expired, failed).
    Agent,
}

/// One retained line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub run_id: u64,
    pub time_ms: i64,
    pub source: Source,
    pub text: String,
}

impl Line {
    /// The proto message.
    pub fn to_proto(&self) -> pb::LogLine {
        pb::LogLine {
            run_id: self.run_id,
            time_unix_ms: self.time_ms,
            stream: match self.source {
                Source::Stdout => pb::LogStream::Stdout,
                Source::Stderr => pb::LogStream::Stderr,
                Source::Agent => pb::LogStream::Agent,
            }
            .into(),
            text: self.text.clone(),
        }
    }
}

/// A script's log.
#[derive(Debug)]
pub struct Log {
    path: PathBuf,
    inner: Mutex<Inner>,
    followers: broadcast::Sender<Line>,
}

#[derive(Debug)]
struct Inner {
    lines: VecDeque<Line>,
    file_bytes: u64,
    /// The file is compacted when it grows past this: twice what the last
    /// compaction kept, at least [`COMPACT_AT_BYTES`] (so a log of long
    /// lines is not rewritten on every line).
    compact_at: u64,
}

impl Log {
    /// The log kept in `path`, with the lines already there.
    pub fn open(path: PathBuf) -> Self {
        let mut lines = VecDeque::new();
        if let Ok(file) = std::fs::File::open(&path) {
            for text in std::io::BufReader::new(file).lines().map_while(Result::ok) {
                // A line cut short by a crash is not JSON: skipped.
                if let Ok(line) = serde_json::from_str::<Line>(&text) {
                    if lines.len() == MAX_LINES {
                        lines.pop_front();
                    }
                    lines.push_back(line);
                }
            }
        }
        let file_bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let (followers, _) = broadcast::channel(1024);
        Self {
            path,
            inner: Mutex::new(Inner {
                lines,
                file_bytes,
                compact_at: COMPACT_AT_BYTES.max(file_bytes),
            }),
            followers,
        }
    }

    /// Appends a line (cut to [`MAX_LINE_BYTES`]).
    pub fn push(&self, run_id: u64, source: Source, text: &str) {
        let text = clip(text);
        let line = Line {
            run_id,
            time_ms: crate::script::now_ms(),
            source,
            text,
        };
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.lines.len() == MAX_LINES {
            inner.lines.pop_front();
        }
        inner.lines.push_back(line.clone());
        self.append_to_file(&mut inner, &line);
        drop(inner);
        // No follower is not an error.
        let _ = self.followers.send(line);
    }

    /// The retained lines, and a receiver for the lines after them (taken
    /// together, so no line falls between).
    pub fn snapshot(&self) -> (Vec<Line>, broadcast::Receiver<Line>) {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        (
            inner.lines.iter().cloned().collect(),
            self.followers.subscribe(),
        )
    }

    fn append_to_file(&self, inner: &mut Inner, line: &Line) {
        // The log on disk is best effort: a full disk loses lines there, not
        // the run or the lines in memory.
        let Ok(mut text) = serde_json::to_vec(line) else {
            return;
        };
        text.push(b'\n');
        if inner.file_bytes + text.len() as u64 > inner.compact_at {
            let mut all = Vec::new();
            for kept in &inner.lines {
                if let Ok(json) = serde_json::to_vec(kept) {
                    all.extend_from_slice(&json);
                    all.push(b'\n');
                }
            }
            if crate::persist::write_atomic(&self.path, &all).is_ok() {
                inner.file_bytes = all.len() as u64;
                inner.compact_at = COMPACT_AT_BYTES.max(2 * inner.file_bytes);
            }
            return;
        }
        let appended = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .and_then(|mut file| file.write_all(&text));
        if appended.is_ok() {
            inner.file_bytes += text.len() as u64;
        }
    }
}

fn clip(text: &str) -> String {
    if text.len() <= MAX_LINE_BYTES {
        return text.to_string();
    }
    let mut end = MAX_LINE_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… (line cut at {MAX_LINE_BYTES} bytes)", &text[..end])
}

/// Splits a script's output into lines as it arrives: a write may end in
/// the middle of a line, which waits for the rest.
#[derive(Debug, Default)]
pub struct LineSplitter {
    partial: Vec<u8>,
}

impl LineSplitter {
    /// The complete lines `bytes` finishes (without their newlines).
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<String> {
        let mut lines = Vec::new();
        for &byte in bytes {
            if byte == b'\n' {
                lines.push(String::from_utf8_lossy(&self.partial).into_owned());
                self.partial.clear();
            } else if self.partial.len() < MAX_LINE_BYTES * 2 {
                self.partial.push(byte);
            }
        }
        lines
    }

    /// What is left after the last newline, if anything.
    pub fn finish(&mut self) -> Option<String> {
        (!self.partial.is_empty()).then(|| {
            let text = String::from_utf8_lossy(&self.partial).into_owned();
            self.partial.clear();
            text
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_survive_a_reopen_and_the_ring_is_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        let log = Log::open(path.clone());
        for i in 0..MAX_LINES + 5 {
            log.push(1, Source::Stdout, &format!("line {i}"));
        }
        let (lines, _) = log.snapshot();
        assert_eq!(lines.len(), MAX_LINES);
        assert_eq!(lines[0].text, "line 5");
        let reopened = Log::open(path);
        let (again, _) = reopened.snapshot();
        assert_eq!(again.len(), MAX_LINES);
        assert_eq!(
            again.last().unwrap().text,
            format!("line {}", MAX_LINES + 4)
        );
    }

    #[test]
    fn output_is_split_into_lines() {
        let mut splitter = LineSplitter::default();
        assert_eq!(splitter.feed(b"a\nb"), vec!["a"]);
        assert_eq!(splitter.feed(b"c\n\n"), vec!["bc", ""]);
        assert_eq!(splitter.feed(b"tail"), Vec::<String>::new());
        assert_eq!(splitter.finish().as_deref(), Some("tail"));
    }
}
