//! Collects ICU4X's annotated output as ECMA-402 `formatToParts` parts.

use std::fmt;

use serde::Serialize;
use writeable::{Part, PartsWrite, Writeable};

use crate::{IntlError, MAX_OUTPUT};

/// One ECMA-402 part: `{type, value, source?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    /// The ECMA-402 part type (`integer`, `group`, `year`, `literal`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// The text.
    pub value: String,
    /// For ranges: `startRange`, `endRange` or `shared`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'static str>,
}

/// A [`PartsWrite`] sink. Text under a datetime field is typed by that field
/// (the digits of a year are the `year`, not `integer`); otherwise by the
/// innermost part; unannotated text is a `literal`.
#[derive(Default)]
pub struct Parts {
    pub pieces: Vec<Piece>,
    stack: Vec<Part>,
    bytes: usize,
}

impl Parts {
    fn kind(&self) -> String {
        let field = self
            .stack
            .iter()
            .find(|p| p.category == "datetime" && !p.value.ends_with("Range"));
        match field.or(self.stack.last()) {
            Some(part) => map_kind(part).to_string(),
            None => "literal".to_string(),
        }
    }

    fn source(&self) -> Option<&'static str> {
        self.stack.iter().find_map(|p| match p.value {
            "startRange" | "endRange" if p.category == "datetime" => Some(p.value),
            _ => None,
        })
    }

    /// Appends text of a given type (merged with an adjacent piece of the
    /// same type).
    pub fn push(&mut self, kind: &str, text: &str) {
        if text.is_empty() {
            return;
        }
        self.bytes += text.len();
        let source = self.source();
        if let Some(last) = self.pieces.last_mut()
            && last.kind == kind
            && last.source == source
        {
            last.value.push_str(text);
            return;
        }
        self.pieces.push(Piece {
            kind: kind.to_string(),
            value: text.to_string(),
            source,
        });
    }

    /// Writes a formatter's output into the sink.
    pub fn write(&mut self, w: &impl Writeable) -> Result<(), IntlError> {
        w.write_to_parts(self)
            .map_err(|_| IntlError::Range("formatted text too long".into()))
    }

    /// The parts of one writeable.
    pub fn of(w: &impl Writeable) -> Result<Vec<Piece>, IntlError> {
        let mut parts = Parts::default();
        parts.write(w)?;
        Ok(parts.pieces)
    }
}

/// ICU4X part names that differ from ECMA-402's.
fn map_kind(part: &Part) -> &'static str {
    match (part.category, part.value) {
        ("list", "element") => "element",
        ("list", _) => "literal",
        ("relativetime", "literal") => "literal",
        ("relativetime", _) => "integer",
        ("percent", _) => "percentSign",
        ("currency", _) | (_, "currency") => "currency",
        (_, value) => value,
    }
}

impl fmt::Write for Parts {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.bytes + s.len() > MAX_OUTPUT {
            return Err(fmt::Error);
        }
        let kind = self.kind();
        self.push(&kind, s);
        Ok(())
    }
}

impl PartsWrite for Parts {
    type SubPartsWrite = Self;

    fn with_part(
        &mut self,
        part: Part,
        mut f: impl FnMut(&mut Self::SubPartsWrite) -> fmt::Result,
    ) -> fmt::Result {
        self.stack.push(part);
        let result = f(self);
        self.stack.pop();
        result
    }
}
