//! How deep an OTLP request may nest, so that valid attribute nesting is accepted to a documented depth and anything
//! deeper is refused with a reason instead of exhausting a stack.
//!
//! * **Attribute depth** ([`MAX_ATTRIBUTE_DEPTH`], 1,000): an attribute's
//!   value is depth 1, a value inside a `kvlistValue` or `arrayValue` one
//!   more; a log record's body counts as a value.
//! * **JSON** ([`check_json`], OTLP/HTTP JSON bodies and OTLP/JSON files):
//!   one pass over the text counting the `kvlistValue`/`arrayValue` objects
//!   around each point, and all brackets ([`MAX_JSON_DEPTH`]); `serde_json`
//!   then parses without its fixed 128-level limit.
//! * **Protobuf** (OTLP/gRPC, OTLP/HTTP protobuf): [`crate::otlp_proto`]
//!   counts attribute levels while it decodes, with a stack on the heap.
//!
//! Deep but valid JSON needs more stack than a default thread has: callers
//! decode it on a thread of [`DEEP_STACK_BYTES`] ([`on_deep_stack`]).

/// The deepest attribute value accepted (see the module docs).
pub const MAX_ATTRIBUTE_DEPTH: usize = 1_000;

/// Most bracket levels an OTLP/JSON document may nest: four per attribute
/// level (`{"kvlistValue": {"values": [{"value": {`) plus the envelope.
pub const MAX_JSON_DEPTH: usize = 4 * MAX_ATTRIBUTE_DEPTH + 32;

/// Nesting beyond which decoding moves to a thread of [`DEEP_STACK_BYTES`]:
/// what a default 2 MiB stack decodes comfortably.
pub const SHALLOW: usize = 96;

/// Stack of the thread deep input is decoded on (64 MiB, reserved, not
/// committed, until used): generous for [`MAX_JSON_DEPTH`] levels of
/// `serde_json` parsing and decoding; the tests decode 1,000 attribute
/// levels on it.
pub const DEEP_STACK_BYTES: usize = 64 * 1024 * 1024;

/// What a scan found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Depth {
    /// Deepest nesting of brackets.
    pub structure: usize,
    /// Deepest attribute value (see the module docs).
    pub attributes: usize,
}

impl Depth {
    /// Whether decoding needs a thread of [`DEEP_STACK_BYTES`].
    pub fn is_deep(self) -> bool {
        self.structure > SHALLOW
    }
}

pub(crate) fn too_deep(attributes: bool) -> String {
    if attributes {
        format!(
            "attribute values are nested more than {MAX_ATTRIBUTE_DEPTH} levels deep (the most the colony accepts)"
        )
    } else {
        format!(
            "the request nests more than the colony accepts (attribute values up to {MAX_ATTRIBUTE_DEPTH} levels deep)"
        )
    }
}

/// Scans OTLP/JSON text.
///
/// # Errors
/// The reason, when it nests deeper than the bounds in the module docs.
/// Text that is not JSON ends the scan without an error: parsing then
/// refuses it.
pub fn check_json(bytes: &[u8]) -> Result<Depth, String> {
    // Per open bracket: whether it is the value of "kvlistValue" or
    // "arrayValue", i.e. holds a nested attribute value.
    let mut stack: Vec<bool> = Vec::new();
    let mut nested = 0usize;
    let mut depth = Depth {
        structure: 0,
        attributes: 0,
    };
    let mut key_is_nesting = false;
    let mut at = 0usize;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                let start = at + 1;
                let mut escaped = false;
                at += 1;
                while at < bytes.len() {
                    match bytes[at] {
                        b'\\' => {
                            escaped = true;
                            at += 1;
                        }
                        b'"' => break,
                        _ => {}
                    }
                    at += 1;
                }
                let text = &bytes[start..at.min(bytes.len())];
                // A key is followed by ':'; only keys matter.
                let mut next = at + 1;
                while next < bytes.len() && bytes[next].is_ascii_whitespace() {
                    next += 1;
                }
                if bytes.get(next) == Some(&b':') {
                    key_is_nesting = if escaped {
                        let quoted = &bytes[start - 1..(at + 1).min(bytes.len())];
                        serde_json::from_slice::<String>(quoted)
                            .is_ok_and(|k| k == "kvlistValue" || k == "arrayValue")
                    } else {
                        text == b"kvlistValue" || text == b"arrayValue"
                    };
                }
            }
            b'{' | b'[' => {
                let nesting = std::mem::take(&mut key_is_nesting) && bytes[at] == b'{';
                stack.push(nesting);
                if nesting {
                    nested += 1;
                    // The value around it is one level, this object's
                    // values the next.
                    depth.attributes = depth.attributes.max(nested + 1);
                    if nested + 1 > MAX_ATTRIBUTE_DEPTH {
                        return Err(too_deep(true));
                    }
                }
                depth.structure = depth.structure.max(stack.len());
                if stack.len() > MAX_JSON_DEPTH {
                    return Err(too_deep(false));
                }
            }
            b'}' | b']' => {
                if stack.pop() == Some(true) {
                    nested -= 1;
                }
                key_is_nesting = false;
            }
            b',' => key_is_nesting = false,
            _ => {}
        }
        at += 1;
    }
    Ok(depth)
}

/// Runs `f` here, or on a thread of [`DEEP_STACK_BYTES`] when `depth` is
/// deep, and returns what it returns.
///
/// # Errors
/// The reason the thread could not start or ended in a panic.
pub fn on_deep_stack<R: Send>(depth: Depth, f: impl FnOnce() -> R + Send) -> Result<R, String> {
    if !depth.is_deep() {
        return Ok(f());
    }
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("colony-deep-decode".into())
            .stack_size(DEEP_STACK_BYTES)
            .spawn_scoped(scope, f)
            .map_err(|e| format!("cannot start a decoding thread: {e}"))?
            .join()
            .map_err(|_| "decoding failed".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An OTLP/JSON trace export whose one resource attribute nests
    /// `levels` deep through `kvlistValue`s.
    fn nested(levels: usize) -> String {
        let mut value = r#"{"stringValue":"leaf"}"#.to_string();
        for _ in 1..levels {
            value = format!(r#"{{"kvlistValue":{{"values":[{{"key":"k","value":{value}}}]}}}}"#);
        }
        format!(
            r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"deep","value":{value}}}]}},"scopeSpans":[]}}]}}"#
        )
    }

    #[test]
    fn attribute_levels_are_counted_to_the_bound() {
        // JSON only sees nesting: a flat value is not counted there.
        for levels in [2, 30, MAX_ATTRIBUTE_DEPTH] {
            assert_eq!(
                check_json(nested(levels).as_bytes()).unwrap().attributes,
                levels
            );
        }
        let err = check_json(nested(MAX_ATTRIBUTE_DEPTH + 1).as_bytes()).unwrap_err();
        assert!(err.contains("more than 1000 levels"), "{err}");
    }

    #[test]
    fn escaped_keys_and_bare_brackets_cannot_hide_depth() {
        let escaped = "{\"value\":{\"kvlist\\u0056alue\":".repeat(1_001);
        assert!(
            check_json(escaped.as_bytes())
                .unwrap_err()
                .contains("1000 levels")
        );
        let brackets = "[".repeat(MAX_JSON_DEPTH + 1);
        assert!(check_json(brackets.as_bytes()).is_err());
        // Brackets inside strings are text.
        assert_eq!(check_json(br#"{"a": "[[[{{{"}"#).unwrap().structure, 1);
    }
}
