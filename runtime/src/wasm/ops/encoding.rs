//! The host half of `TextDecoder` for every encoding but UTF-8 (which the
//! engine decodes itself): the WHATWG Encoding Standard's labels and
//! decoders, from `encoding_rs` (the implementation Firefox and Deno use),
//! for `engine/src/web/text_decoder.js`.
//!
//! A decoder in the middle of a stream (`decode(bytes, {stream: true})`)
//! keeps its state here, under a handle the guest holds, until the call that
//! ends the stream; at most [`MAX_OPEN_STREAMS`] at a time per run.

use std::collections::HashMap;

use encoding_rs::{Decoder, DecoderResult, Encoding};
use serde::Deserialize;
use serde_json::{Value, json};

/// Most decoders a run may hold in the middle of a stream.
pub const MAX_OPEN_STREAMS: usize = 256;

/// The run's decoders that are in the middle of a stream.
#[derive(Default)]
pub(crate) struct TextDecoders {
    open: HashMap<u32, Decoder>,
    next: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DecodeArgs {
    /// A name [`TextDecoders::call`]'s `label` gave.
    encoding: String,
    fatal: bool,
    #[serde(rename = "ignoreBOM")]
    ignore_bom: bool,
    stream: bool,
    handle: Option<u32>,
    /// The bytes, as hex.
    data: String,
}

impl TextDecoders {
    /// Answers `{"op": "encoding", "fn", "args"}` (`coral_host_abi::op::ENCODING`):
    ///
    /// * `label` `{label}` -> the encoding's name as `TextDecoder.encoding`
    ///   gives it (`"windows-1252"` for `"latin1"`), or `null` for a label
    ///   the standard does not know (and for `replacement`, which a
    ///   `TextDecoder` refuses);
    /// * `decode` `{encoding, fatal, ignoreBOM, stream, handle, data}` ->
    ///   `{text, handle}`: `handle` is set while the stream goes on.
    ///
    /// # Errors
    /// The message of a `TypeError`: malformed data (`fatal`), too many open
    /// streams, or a malformed request.
    pub(crate) fn call(&mut self, function: &str, args: &str) -> Result<Value, String> {
        let bad = |e: serde_json::Error| format!("malformed encoding request: {e}");
        match function {
            "label" => {
                #[derive(Deserialize)]
                struct Args {
                    label: String,
                }
                let a: Args = serde_json::from_str(args).map_err(bad)?;
                Ok(Encoding::for_label_no_replacement(a.label.as_bytes())
                    .map_or(Value::Null, |e| json!(e.name().to_ascii_lowercase())))
            }
            "decode" => {
                let a: DecodeArgs = serde_json::from_str(args).map_err(bad)?;
                self.decode(a)
            }
            other => Err(format!("unknown encoding operation {other}")),
        }
    }

    fn decode(&mut self, a: DecodeArgs) -> Result<Value, String> {
        let bytes = super::hex::unhex(&a.data).ok_or("decode: data must be hex bytes")?;
        let mut decoder = match a.handle.and_then(|h| self.open.remove(&h)) {
            Some(decoder) => decoder,
            None => {
                let encoding = Encoding::for_label_no_replacement(a.encoding.as_bytes())
                    .ok_or_else(|| format!("unknown encoding {}", a.encoding))?;
                if a.ignore_bom {
                    encoding.new_decoder_without_bom_handling()
                } else {
                    encoding.new_decoder_with_bom_removal()
                }
            }
        };
        let last = !a.stream;
        let capacity = decoder
            .max_utf8_buffer_length(bytes.len())
            .ok_or("decode: the input is too large")?;
        let mut text = String::with_capacity(capacity);
        if a.fatal {
            let (result, _) = decoder.decode_to_string_without_replacement(&bytes, &mut text, last);
            if let DecoderResult::Malformed(_, _) = result {
                // The stream ends with the error (the standard's "do not
                // flush" is unset again).
                return Err("The encoded data is not valid".into());
            }
        } else {
            let _ = decoder.decode_to_string(&bytes, &mut text, last);
        }
        let handle = if a.stream {
            if self.open.len() >= MAX_OPEN_STREAMS {
                return Err(format!(
                    "too many TextDecoders in the middle of a stream (at most {MAX_OPEN_STREAMS}): end a stream with decode() without {{stream: true}}"
                ));
            }
            let handle = a.handle.unwrap_or_else(|| {
                self.next = self.next.wrapping_add(1);
                self.next
            });
            self.open.insert(handle, decoder);
            Some(handle)
        } else {
            None
        };
        Ok(json!({ "text": text, "handle": handle }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(d: &mut TextDecoders, args: Value) -> Result<Value, String> {
        d.call("decode", &args.to_string())
    }

    #[test]
    fn labels_are_the_standards() {
        let mut d = TextDecoders::default();
        assert_eq!(
            d.call("label", r#"{"label":" Latin1 "}"#).unwrap(),
            json!("windows-1252")
        );
        assert_eq!(
            d.call("label", r#"{"label":"sjis"}"#).unwrap(),
            json!("shift_jis")
        );
        assert_eq!(
            d.call("label", r#"{"label":"replacement"}"#).unwrap(),
            Value::Null
        );
        assert_eq!(
            d.call("label", r#"{"label":"bogus"}"#).unwrap(),
            Value::Null
        );
    }

    #[test]
    fn a_stream_keeps_a_split_character() {
        let mut d = TextDecoders::default();
        let first = decode(
            &mut d,
            json!({"encoding": "utf-16le", "fatal": false, "ignoreBOM": false, "stream": true, "data": "fffe41"}),
        )
        .unwrap();
        assert_eq!(first["text"], json!(""));
        let handle = first["handle"].as_u64().unwrap();
        let rest = decode(
            &mut d,
            json!({"encoding": "utf-16le", "fatal": false, "ignoreBOM": false, "stream": false, "handle": handle, "data": "00"}),
        )
        .unwrap();
        assert_eq!(rest, json!({"text": "A", "handle": null}));
        assert!(d.open.is_empty());
    }

    #[test]
    fn fatal_decoders_refuse_malformed_bytes() {
        let mut d = TextDecoders::default();
        let err = decode(
            &mut d,
            json!({"encoding": "shift_jis", "fatal": true, "ignoreBOM": false, "stream": false, "data": "81"}),
        )
        .unwrap_err();
        assert_eq!(err, "The encoded data is not valid");
    }

    #[test]
    fn open_streams_are_bounded() {
        let mut d = TextDecoders::default();
        for _ in 0..MAX_OPEN_STREAMS {
            decode(
                &mut d,
                json!({"encoding": "big5", "fatal": false, "ignoreBOM": false, "stream": true, "data": "81"}),
            )
            .unwrap();
        }
        let err = decode(
            &mut d,
            json!({"encoding": "big5", "fatal": false, "ignoreBOM": false, "stream": true, "data": "81"}),
        )
        .unwrap_err();
        assert!(err.contains("at most 256"), "{err}");
    }
}
