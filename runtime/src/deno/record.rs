//! The control records `setup.js` writes on stderr (`RS "coral:" SECRET ":"
//! JSON LF`, taken out of the stream by [`super::demux`]): events, and how
//! the run ended.

use serde::Deserialize;

use super::output::SharedOutput;
use crate::contract::event::{Event, compact, null_json};
use crate::contract::report::{ScriptError, bounded_frames};

/// A control record from `setup.js`.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Record {
    Emit {
        name: String,
        #[serde(default)]
        data: Option<Box<serde_json::value::RawValue>>,
        severity: String,
        #[serde(default)]
        at_ms: f64,
    },
    Uncaught {
        name: String,
        message: String,
        #[serde(default)]
        frames: Vec<String>,
    },
    Timeout {},
}

/// How `setup.js` says a run ended.
#[derive(Debug)]
pub(crate) enum Ending {
    Uncaught(ScriptError),
    Timeout,
}

/// Acts on a record as it arrives: events are shown at once (in order with
/// the rest of stderr); an ending is returned for the run's outcome. A record is
/// `SECRET:JSON`; one without this run's secret was printed by the script,
/// not by `setup.js`, and is shown as the text it is.
pub(crate) fn handle_record(bytes: &[u8], secret: &str, output: &SharedOutput) -> Option<Ending> {
    let record = bytes
        .strip_prefix(secret.as_bytes())
        .and_then(|rest| rest.strip_prefix(b":"))
        .and_then(|json| serde_json::from_slice::<Record>(json).ok());
    match record {
        Some(Record::Emit {
            name,
            data,
            severity,
            at_ms,
        }) => {
            output.event(Event {
                name,
                severity,
                data: data.map_or_else(null_json, |raw| compact(&raw)),
                at_ms,
            });
            None
        }
        Some(Record::Uncaught {
            name,
            message,
            frames,
        }) => Some(Ending::Uncaught(ScriptError::reported(
            &name,
            &message,
            bounded_frames(frames),
        ))),
        Some(Record::Timeout {}) => Some(Ending::Timeout),
        // Not ours after all (a script printing the marker): show it.
        None => {
            let mut text = b"\x1ecoral:".to_vec();
            text.extend_from_slice(bytes);
            text.push(b'\n');
            output.write_stderr(&text);
            None
        }
    }
}
