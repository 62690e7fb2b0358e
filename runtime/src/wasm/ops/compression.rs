//! The host half of `CompressionStream` and `DecompressionStream`
//! (Compression Standard): `gzip`, `deflate` (zlib) and `deflate-raw`,
//! from `flate2`, for `engine/src/web/compression.js`. Each open stream's
//! state lives here under a handle the guest holds, at most
//! [`MAX_OPEN_STREAMS`] per run.
//!
//! Decompressed output is bounded per call ([`MAX_CHUNK_OUTPUT`]): a few
//! kilobytes of crafted input can claim gigabytes, and the host would hold
//! them before the guest's memory limit could say no.

use std::collections::HashMap;
use std::io::Write;

use flate2::Compression;
use flate2::write::{
    DeflateDecoder, DeflateEncoder, GzDecoder, GzEncoder, ZlibDecoder, ZlibEncoder,
};
use serde::Deserialize;
use serde_json::{Value, json};

/// Most streams a run may have open at once.
pub const MAX_OPEN_STREAMS: usize = 256;

/// Most bytes one chunk may decompress to (a `TypeError` beyond).
pub const MAX_CHUNK_OUTPUT: usize = 16 * 1024 * 1024;

/// Input is fed in pieces this large, so output is checked against
/// [`MAX_CHUNK_OUTPUT`] before it can grow far past it (deflate expands at
/// most ~1,032 times).
const PIECE: usize = 4096;

/// One open stream: a `flate2` writer into a buffer the guest drains.
enum Codec {
    GzipIn(GzEncoder<Vec<u8>>),
    ZlibIn(ZlibEncoder<Vec<u8>>),
    RawIn(DeflateEncoder<Vec<u8>>),
    GzipOut(GzDecoder<Vec<u8>>),
    ZlibOut(ZlibDecoder<Vec<u8>>),
    RawOut(DeflateDecoder<Vec<u8>>),
}

impl Codec {
    fn open(format: &str, compress: bool) -> Result<Self, String> {
        let level = Compression::default();
        Ok(match (format, compress) {
            ("gzip", true) => Self::GzipIn(GzEncoder::new(Vec::new(), level)),
            ("deflate", true) => Self::ZlibIn(ZlibEncoder::new(Vec::new(), level)),
            ("deflate-raw", true) => Self::RawIn(DeflateEncoder::new(Vec::new(), level)),
            ("gzip", false) => Self::GzipOut(GzDecoder::new(Vec::new())),
            ("deflate", false) => Self::ZlibOut(ZlibDecoder::new(Vec::new())),
            ("deflate-raw", false) => Self::RawOut(DeflateDecoder::new(Vec::new())),
            (other, _) => {
                return Err(format!(
                    "Unsupported compression format: '{other}' (gzip, deflate or deflate-raw)"
                ));
            }
        })
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Self::GzipIn(w) => w,
            Self::ZlibIn(w) => w,
            Self::RawIn(w) => w,
            Self::GzipOut(w) => w,
            Self::ZlibOut(w) => w,
            Self::RawOut(w) => w,
        }
    }

    fn output(&mut self) -> &mut Vec<u8> {
        match self {
            Self::GzipIn(w) => w.get_mut(),
            Self::ZlibIn(w) => w.get_mut(),
            Self::RawIn(w) => w.get_mut(),
            Self::GzipOut(w) => w.get_mut(),
            Self::ZlibOut(w) => w.get_mut(),
            Self::RawOut(w) => w.get_mut(),
        }
    }

    /// Feeds `input`; returns what came out.
    fn write(&mut self, input: &[u8]) -> Result<Vec<u8>, String> {
        for piece in input.chunks(PIECE) {
            self.writer().write_all(piece).map_err(corrupt)?;
            if self.output().len() > MAX_CHUNK_OUTPUT {
                return Err(too_large());
            }
        }
        Ok(std::mem::take(self.output()))
    }

    /// Ends the stream; returns the rest. A compressed stream that stops
    /// before its end is an error.
    fn finish(self) -> Result<Vec<u8>, String> {
        let out = match self {
            Self::GzipIn(w) => w.finish(),
            Self::ZlibIn(w) => w.finish(),
            Self::RawIn(w) => w.finish(),
            Self::GzipOut(w) => w.finish(),
            Self::ZlibOut(w) => w.finish(),
            Self::RawOut(w) => w.finish(),
        }
        .map_err(corrupt)?;
        if out.len() > MAX_CHUNK_OUTPUT {
            return Err(too_large());
        }
        Ok(out)
    }
}

fn corrupt(e: std::io::Error) -> String {
    format!("corrupt compressed data: {e}")
}

fn too_large() -> String {
    format!(
        "a chunk decompresses to more than {} MiB (the most one chunk may give; write smaller chunks)",
        MAX_CHUNK_OUTPUT / (1024 * 1024)
    )
}

/// The run's open compression streams.
#[derive(Default)]
pub(crate) struct CompressionStreams {
    open: HashMap<u32, Codec>,
    next: u32,
}

impl CompressionStreams {
    /// Answers `{"op": "compression", "fn", "args"}`
    /// (`coral_host_abi::op::COMPRESSION`):
    ///
    /// * `open` `{format, compress}` -> a handle;
    /// * `write` `{handle, data}` -> the hex bytes that came out;
    /// * `finish` `{handle}` -> the last hex bytes; the handle is closed;
    /// * `close` `{handle}` -> `null`: the stream was cancelled or aborted.
    ///
    /// # Errors
    /// The message of a `TypeError`: an unknown format, corrupt or
    /// truncated compressed data, a chunk that decompresses to more than
    /// [`MAX_CHUNK_OUTPUT`], too many open streams, a malformed request.
    pub(crate) fn call(&mut self, function: &str, args: &str) -> Result<Value, String> {
        let bad = |e: serde_json::Error| format!("malformed compression request: {e}");
        #[derive(Deserialize)]
        struct Open {
            format: String,
            compress: bool,
        }
        #[derive(Deserialize)]
        struct Chunk {
            handle: u32,
            #[serde(default)]
            data: String,
        }
        match function {
            "open" => {
                let a: Open = serde_json::from_str(args).map_err(bad)?;
                let codec = Codec::open(&a.format, a.compress)?;
                if self.open.len() >= MAX_OPEN_STREAMS {
                    return Err(format!(
                        "too many open compression streams (at most {MAX_OPEN_STREAMS}): close one first"
                    ));
                }
                self.next = self.next.wrapping_add(1);
                self.open.insert(self.next, codec);
                Ok(json!(self.next))
            }
            "write" => {
                let a: Chunk = serde_json::from_str(args).map_err(bad)?;
                let input = super::hex::unhex(&a.data).ok_or("write: data must be hex bytes")?;
                let codec = self.open.get_mut(&a.handle).ok_or("the stream is closed")?;
                match codec.write(&input) {
                    Ok(out) => Ok(json!(const_hex::encode(&out))),
                    Err(e) => {
                        self.open.remove(&a.handle);
                        Err(e)
                    }
                }
            }
            "finish" => {
                let a: Chunk = serde_json::from_str(args).map_err(bad)?;
                let codec = self.open.remove(&a.handle).ok_or("the stream is closed")?;
                Ok(json!(const_hex::encode(&codec.finish()?)))
            }
            "close" => {
                let a: Chunk = serde_json::from_str(args).map_err(bad)?;
                self.open.remove(&a.handle);
                Ok(Value::Null)
            }
            other => Err(format!("unknown compression operation {other}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(format: &str, text: &[u8]) -> Vec<u8> {
        let mut s = CompressionStreams::default();
        let call =
            |s: &mut CompressionStreams, f: &str, a: Value| s.call(f, &a.to_string()).unwrap();
        let c = call(&mut s, "open", json!({"format": format, "compress": true}));
        let mut packed = const_hex::decode(
            call(
                &mut s,
                "write",
                json!({"handle": c, "data": const_hex::encode(text)}),
            )
            .as_str()
            .unwrap(),
        )
        .unwrap();
        packed.extend(
            const_hex::decode(
                call(&mut s, "finish", json!({"handle": c}))
                    .as_str()
                    .unwrap(),
            )
            .unwrap(),
        );
        let d = call(&mut s, "open", json!({"format": format, "compress": false}));
        let mut out = Vec::new();
        for piece in packed.chunks(7) {
            out.extend(
                const_hex::decode(
                    call(
                        &mut s,
                        "write",
                        json!({"handle": d, "data": const_hex::encode(piece)}),
                    )
                    .as_str()
                    .unwrap(),
                )
                .unwrap(),
            );
        }
        out.extend(
            const_hex::decode(
                call(&mut s, "finish", json!({"handle": d}))
                    .as_str()
                    .unwrap(),
            )
            .unwrap(),
        );
        assert!(s.open.is_empty());
        out
    }

    #[test]
    fn every_format_round_trips_in_small_pieces() {
        let text = b"p99 latency of checkout, payments and inventory ".repeat(50);
        for format in ["gzip", "deflate", "deflate-raw"] {
            assert_eq!(roundtrip(format, &text), text, "{format}");
        }
    }

    #[test]
    fn a_bomb_is_refused_not_held() {
        // 64 MiB of zeros compress to ~64 KiB.
        let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..64 {
            encoder.write_all(&zeros).unwrap();
        }
        let bomb = encoder.finish().unwrap();
        let mut s = CompressionStreams::default();
        let d = s
            .call("open", r#"{"format":"gzip","compress":false}"#)
            .unwrap();
        let err = s
            .call(
                "write",
                &json!({"handle": d, "data": const_hex::encode(&bomb)}).to_string(),
            )
            .unwrap_err();
        assert!(err.contains("more than 16 MiB"), "{err}");
        assert!(s.open.is_empty());
    }

    #[test]
    fn unknown_formats_and_truncated_data_are_errors() {
        let mut s = CompressionStreams::default();
        assert!(
            s.call("open", r#"{"format":"brotli","compress":true}"#)
                .unwrap_err()
                .contains("Unsupported compression format: 'brotli'")
        );
        let d = s
            .call("open", r#"{"format":"gzip","compress":false}"#)
            .unwrap();
        s.call("write", &json!({"handle": d, "data": "1f8b08"}).to_string())
            .unwrap();
        assert!(s.call("finish", &json!({"handle": d}).to_string()).is_err());
    }
}
