//! Splits Deno's stderr into the script's own output and the control records
//! `setup.js` writes (`RS "coral:" SECRET ":" JSON LF`, read by
//! [`super::record`]). A record may arrive split across
//! reads and may follow a partial line of script output; everything that is
//! not a whole record passes through unchanged and in order.

const MARKER: &[u8] = b"\x1ecoral:";

/// The longest record held back while its newline is awaited: what the wasm
/// engine takes as one host request. Past it the bytes were not a record
/// (a script printing the marker and no newline) and pass through as
/// output, counted against `--max-output`, instead of growing here.
const MAX_RECORD_BYTES: usize = coral_host_abi::MAX_REQUEST_BYTES as usize;

/// A piece of the stream.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Script output, to forward.
    Output(Vec<u8>),
    /// One record's JSON (without marker and newline).
    Record(Vec<u8>),
}

/// The demultiplexer's state between reads.
#[derive(Debug, Default)]
pub(crate) struct Demux {
    /// Bytes held back: a record being read, or a tail that may start one.
    pending: Vec<u8>,
    in_record: bool,
}

impl Demux {
    /// Feeds the next chunk; returns what is complete.
    pub(crate) fn feed(&mut self, chunk: &[u8]) -> Vec<Piece> {
        self.pending.extend_from_slice(chunk);
        let mut pieces = Vec::new();
        loop {
            if self.in_record {
                let Some(end) = self.pending.iter().position(|&b| b == b'\n') else {
                    if self.pending.len() > MAX_RECORD_BYTES {
                        let mut text = MARKER.to_vec();
                        text.append(&mut self.pending);
                        self.in_record = false;
                        pieces.push(Piece::Output(text));
                    }
                    break;
                };
                let record = self.pending[..end].to_vec();
                self.pending.drain(..=end);
                self.in_record = false;
                pieces.push(Piece::Record(record));
                continue;
            }
            match find(&self.pending, MARKER) {
                Some(start) => {
                    if start > 0 {
                        pieces.push(Piece::Output(self.pending[..start].to_vec()));
                    }
                    self.pending.drain(..start + MARKER.len());
                    self.in_record = true;
                }
                None => {
                    // Keep back only a tail that could be the start of a marker.
                    let keep = partial_marker_len(&self.pending);
                    let emit = self.pending.len() - keep;
                    if emit > 0 {
                        pieces.push(Piece::Output(self.pending[..emit].to_vec()));
                        self.pending.drain(..emit);
                    }
                    break;
                }
            }
        }
        pieces
    }

    /// What is left at the end of the stream (an unterminated record is
    /// shown as output: it was not a record after all).
    pub(crate) fn finish(&mut self) -> Option<Piece> {
        let mut rest = std::mem::take(&mut self.pending);
        if self.in_record {
            rest.splice(0..0, MARKER.iter().copied());
            self.in_record = false;
        }
        (!rest.is_empty()).then_some(Piece::Output(rest))
    }
}

/// Where `needle` first occurs in `haystack`.
pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Length of the longest suffix of `bytes` that is a proper prefix of the marker.
fn partial_marker_len(bytes: &[u8]) -> usize {
    (1..MARKER.len())
        .rev()
        .find(|&n| bytes.len() >= n && bytes[bytes.len() - n..] == MARKER[..n])
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(chunks: &[&[u8]]) -> Vec<Piece> {
        let mut demux = Demux::default();
        let mut out: Vec<Piece> = chunks.iter().flat_map(|c| demux.feed(c)).collect();
        out.extend(demux.finish());
        // Adjacent output pieces are one stream; merge them for comparison.
        let mut merged: Vec<Piece> = Vec::new();
        for piece in out {
            match (merged.last_mut(), piece) {
                (Some(Piece::Output(prev)), Piece::Output(next)) => prev.extend(next),
                (_, piece) => merged.push(piece),
            }
        }
        merged
    }

    #[test]
    fn an_endless_record_passes_through_as_output() {
        let mut demux = Demux::default();
        let mut pieces = demux.feed(MARKER);
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..(MAX_RECORD_BYTES / chunk.len() + 2) {
            pieces.extend(demux.feed(&chunk));
        }
        assert!(demux.pending.len() <= MAX_RECORD_BYTES + chunk.len());
        assert!(
            matches!(pieces.first(), Some(Piece::Output(text)) if text.starts_with(MARKER)),
            "held back, never shown"
        );
    }

    #[test]
    fn plain_output_passes_through() {
        assert_eq!(
            run(&[b"hello\n", b"world"]),
            vec![Piece::Output(b"hello\nworld".to_vec())]
        );
    }

    #[test]
    fn records_are_taken_out_even_when_split() {
        let pieces = run(&[b"a\n\x1eco", b"ral:{\"x\"", b":1}\nb\n"]);
        assert_eq!(
            pieces,
            vec![
                Piece::Output(b"a\n".to_vec()),
                Piece::Record(b"{\"x\":1}".to_vec()),
                Piece::Output(b"b\n".to_vec()),
            ]
        );
    }

    #[test]
    fn a_record_after_a_partial_line_keeps_the_line() {
        let pieces = run(&[b"no newline\x1ecoral:{}\n\x1ecoral:[]\n"]);
        assert_eq!(
            pieces,
            vec![
                Piece::Output(b"no newline".to_vec()),
                Piece::Record(b"{}".to_vec()),
                Piece::Record(b"[]".to_vec()),
            ]
        );
    }

    #[test]
    fn an_unfinished_record_is_output() {
        assert_eq!(
            run(&[b"\x1ecoral:{\"cut"]),
            vec![Piece::Output(b"\x1ecoral:{\"cut".to_vec())]
        );
        assert_eq!(run(&[b"x\x1eco"]), vec![Piece::Output(b"x\x1eco".to_vec())]);
    }
}
