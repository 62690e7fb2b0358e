//! The events a script emits (`emit(name, data, severity)` in `@coral/sdk`):
//! what an [`Event`] is and the rules both engines hold it to. The wasm
//! engine checks them at the host ABI (`wasm::ops`); on Deno, `sdk/emit.ts`
//! checks the same before the event leaves the script, and the Deno engine
//! checks again when the record arrives.

use serde_json::value::RawValue;

use crate::colony::ErrorCode;

/// Most events one run may emit.
pub const MAX_EVENTS: usize = 10_000;

/// Longest event name.
const MAX_EVENT_NAME: usize = 256;

/// Event severities, least to most severe.
pub const SEVERITIES: &[&str] = &["debug", "info", "warning", "error", "critical"];

/// A structured event from `emit(name, data, severity)`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Event {
    /// What happened, e.g. `high_latency`.
    pub name: String,
    /// One of [`SEVERITIES`].
    pub severity: String,
    /// The script's data (any JSON), kept as the JSON text the script sent:
    /// an event then holds about the bytes it is counted for against
    /// `--max-output` (parsed into a `Value` it held several times that).
    pub data: Box<RawValue>,
    /// Milliseconds since the run started (virtual in deterministic mode).
    pub at_ms: f64,
}

impl PartialEq for Event {
    fn eq(&self, other: &Self) -> bool {
        (&self.name, &self.severity, self.data.get(), self.at_ms)
            == (&other.name, &other.severity, other.data.get(), other.at_ms)
    }
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "event {} [{}] {}", self.name, self.severity, self.data)
    }
}

/// Why an event is refused: the exception the script sees.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub class: &'static str,
    pub code: Option<ErrorCode>,
    pub message: String,
}

/// Checks an event before it is kept; `emitted` is how many the run has.
/// (`sdk/emit.ts` checks the same, so both engines refuse alike; this is
/// the boundary that holds whatever the guest does.)
pub(crate) fn check_event(name: &str, severity: &str, emitted: usize) -> Result<(), Refusal> {
    // Characters are Unicode code points, as `sdk/emit.ts` counts them.
    if name.is_empty() || name.chars().count() > MAX_EVENT_NAME {
        return Err(Refusal {
            class: "TypeError",
            code: None,
            message: format!("emit: the event name must be 1-{MAX_EVENT_NAME} characters"),
        });
    }
    if !SEVERITIES.contains(&severity) {
        return Err(Refusal {
            class: "TypeError",
            code: None,
            message: format!(
                "emit: unknown severity \"{severity}\" (one of {})",
                SEVERITIES.join(", ")
            ),
        });
    }
    if emitted >= MAX_EVENTS {
        return Err(Refusal {
            class: "Error",
            code: Some(ErrorCode::ResourceExhausted),
            message: format!("emit: a run may emit at most {MAX_EVENTS} events"),
        });
    }
    Ok(())
}

/// JSON `null`, for an event without data.
pub(crate) fn null_json() -> Box<RawValue> {
    RawValue::from_string("null".into()).expect("null is JSON")
}

/// `raw` without insignificant whitespace (and with object keys sorted), so
/// an event is one line whatever a guest sent. The parsed value lives only
/// for this call.
pub(crate) fn compact(raw: &RawValue) -> Box<RawValue> {
    serde_json::from_str::<serde_json::Value>(raw.get())
        .ok()
        .and_then(|value| serde_json::value::to_raw_value(&value).ok())
        .unwrap_or_else(null_json)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `sdk/emit.ts` checks events before they leave the script, so both
    /// engines refuse alike; it must hold the same rules as this module.
    #[test]
    fn the_sdk_holds_the_same_event_rules() {
        let sdk = include_str!("../../../sdk/emit.ts");
        let severities = SEVERITIES
            .iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ");
        assert!(
            sdk.contains(&format!(
                "const SEVERITIES: readonly string[] = [{severities}];"
            )),
            "sdk/emit.ts's SEVERITIES differ from {SEVERITIES:?}"
        );
        assert!(
            sdk.contains(&format!("const MAX_NAME = {MAX_EVENT_NAME};")),
            "sdk/emit.ts's MAX_NAME differs from {MAX_EVENT_NAME}"
        );
        for refused in [check_event("", "info", 0), check_event("x", "loud", 0)] {
            let message = refused.expect_err("refused").message;
            // The SDK builds the same text from its constants.
            let template = message
                .replace(&MAX_EVENT_NAME.to_string(), "${MAX_NAME}")
                .replace("\"loud\"", "\"${severity}\"")
                .replace(&SEVERITIES.join(", "), "${SEVERITIES.join(\", \")}");
            assert!(sdk.contains(&template), "sdk/emit.ts lacks `{template}`");
        }
        let full = check_event("x", "info", MAX_EVENTS).expect_err("the run is full");
        assert_eq!(full.code, Some(ErrorCode::ResourceExhausted));
    }

    #[test]
    fn event_names_count_code_points() {
        let name = "é".repeat(MAX_EVENT_NAME);
        assert!(check_event(&name, "info", 0).is_ok());
        assert!(check_event(&format!("{name}x"), "info", 0).is_err());
    }
}
