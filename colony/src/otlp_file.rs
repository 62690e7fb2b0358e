//! Reading the files the OpenTelemetry Collector's file exporter writes,
//! before [`crate::ingest::ingest_otlp_json`] parses them: plain OTLP/JSON
//! lines, a whole file compressed with gzip or zstd (`gzip export.json`), or
//! the exporter's own `compression: zstd` output, where every export request
//! is one zstd frame preceded by its length as a 4-byte big-endian integer
//! (the exporter's `exportMessageAsBuffer`).
//!
//! Formats are told apart by their magic numbers, not by file names.

use std::io::Read;

use crate::ColonyError;

/// The first bytes of a gzip member (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// The first bytes of a zstd frame (RFC 8878).
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// How a file's bytes are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// OTLP/JSON text as it is.
    Plain,
    /// The whole file is gzip (one or more members).
    Gzip,
    /// The whole file is zstd (one or more frames).
    Zstd,
    /// Length-prefixed zstd frames, one export request each.
    FramedZstd,
}

impl Encoding {
    /// Recognises `bytes` by their first bytes.
    pub fn detect(bytes: &[u8]) -> Self {
        if bytes.starts_with(&GZIP_MAGIC) {
            Self::Gzip
        } else if bytes.starts_with(&ZSTD_MAGIC) {
            Self::Zstd
        } else if bytes.len() > 8 && bytes[4..8] == ZSTD_MAGIC {
            Self::FramedZstd
        } else {
            Self::Plain
        }
    }
}

/// Turns a file's bytes into OTLP/JSON lines (one export request per line).
///
/// # Errors
/// [`ColonyError::InvalidTelemetry`] naming `name` when the compressed data
/// is corrupt or truncated, or the text is not UTF-8.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, ColonyError> {
    let invalid = |what: String| ColonyError::InvalidTelemetry(format!("{name}: {what}"));
    let text = match Encoding::detect(&bytes) {
        Encoding::Plain => bytes,
        Encoding::Gzip => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(bytes.as_slice())
                .read_to_end(&mut out)
                .map_err(|e| invalid(format!("corrupt gzip data: {e}")))?;
            out
        }
        Encoding::Zstd => zstd::stream::decode_all(bytes.as_slice())
            .map_err(|e| invalid(format!("corrupt zstd data: {e}")))?,
        Encoding::FramedZstd => {
            let mut out = Vec::new();
            let mut rest = bytes.as_slice();
            let mut record = 0usize;
            while !rest.is_empty() {
                record += 1;
                let (len, tail) = rest
                    .split_first_chunk::<4>()
                    .ok_or_else(|| invalid(format!("record {record}: truncated length")))?;
                let len = u32::from_be_bytes(*len) as usize;
                let frame = tail.get(..len).ok_or_else(|| {
                    invalid(format!(
                        "record {record}: {len} bytes announced, {} left (truncated file?)",
                        tail.len()
                    ))
                })?;
                let line = zstd::stream::decode_all(frame)
                    .map_err(|e| invalid(format!("record {record}: corrupt zstd data: {e}")))?;
                out.extend_from_slice(&line);
                out.push(b'\n');
                rest = &tail[len..];
            }
            out
        }
    };
    String::from_utf8(text).map_err(|e| invalid(format!("not UTF-8 text: {e}")))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const LINE: &str = r#"{"resourceSpans":[]}"#;

    #[test]
    fn plain_text_is_kept() {
        assert_eq!(decode("f", LINE.into()).unwrap(), LINE);
    }

    #[test]
    fn gzip_and_zstd_files_are_decompressed() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(LINE.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(Encoding::detect(&gz), Encoding::Gzip);
        assert_eq!(decode("f", gz).unwrap(), LINE);

        let zst = zstd::stream::encode_all(LINE.as_bytes(), 3).unwrap();
        assert_eq!(Encoding::detect(&zst), Encoding::Zstd);
        assert_eq!(decode("f", zst).unwrap(), LINE);
    }

    #[test]
    fn the_exporters_framed_zstd_gives_one_line_per_record() {
        let mut file = Vec::new();
        for _ in 0..2 {
            let frame = zstd::stream::encode_all(LINE.as_bytes(), 3).unwrap();
            file.extend_from_slice(&(frame.len() as u32).to_be_bytes());
            file.extend_from_slice(&frame);
        }
        assert_eq!(Encoding::detect(&file), Encoding::FramedZstd);
        assert_eq!(
            decode("f", file.clone()).unwrap(),
            format!("{LINE}\n{LINE}\n")
        );

        file.truncate(file.len() - 3);
        let err = decode("x.zst", file).unwrap_err().to_string();
        assert!(err.contains("x.zst: record 2:"), "{err}");
        assert!(err.contains("truncated"), "{err}");
    }

    #[test]
    fn corrupt_data_is_refused_with_the_file_name() {
        let mut gz = GZIP_MAGIC.to_vec();
        gz.extend_from_slice(b"garbage");
        let err = decode("bad.gz", gz).unwrap_err().to_string();
        assert!(err.contains("bad.gz: corrupt gzip data"), "{err}");
    }
}
