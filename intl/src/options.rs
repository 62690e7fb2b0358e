//! ECMA-402's option readers (`GetOption`, `GetNumberOption`,
//! `DefaultNumberOption`) over the options the guest glue collected.
//!
//! The glue reads each option the constructor knows with a property access
//! (so getters run in the spec's order) and coerces it as the spec says:
//! strings with `ToString`, numbers with `ToNumber` (a non-finite number is
//! sent as the string `"NaN"` or `"Infinity"`), booleans with `ToBoolean`.
//! Absent options are left out.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::IntlError;

/// The options object of one constructor call.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(transparent)]
pub struct Options(pub BTreeMap<String, Value>);

impl Options {
    /// Whether the option was given.
    pub fn has(&self, name: &str) -> bool {
        self.0.get(name).is_some_and(|v| !v.is_null())
    }

    /// A string option, which must be one of `allowed` (`GetOption`).
    pub fn string(
        &self,
        name: &str,
        allowed: &[&str],
        default: Option<&str>,
    ) -> Result<Option<String>, IntlError> {
        let Some(value) = self.0.get(name).filter(|v| !v.is_null()) else {
            return Ok(default.map(String::from));
        };
        let text = as_string(value);
        if !allowed.is_empty() && !allowed.contains(&text.as_str()) {
            return Err(IntlError::invalid_option(name, &text));
        }
        Ok(Some(text))
    }

    /// A free-form string option (`GetOption` with no value list).
    pub fn text(&self, name: &str) -> Option<String> {
        self.0.get(name).filter(|v| !v.is_null()).map(as_string)
    }

    /// A boolean option.
    pub fn boolean(&self, name: &str) -> Option<bool> {
        match self.0.get(name)? {
            Value::Bool(b) => Some(*b),
            Value::Null => None,
            other => Some(!as_string(other).is_empty()),
        }
    }

    /// `DefaultNumberOption`: `None` when absent, else an integer in
    /// `min..=max` (floored) or a `RangeError`.
    pub fn number(&self, name: &str, min: i64, max: i64) -> Result<Option<i64>, IntlError> {
        let Some(value) = self.0.get(name).filter(|v| !v.is_null()) else {
            return Ok(None);
        };
        let n = match value {
            Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
            Value::Bool(b) => f64::from(u8::from(*b)),
            other => as_string(other).trim().parse::<f64>().unwrap_or(f64::NAN),
        };
        if !n.is_finite() || n < min as f64 || n > max as f64 {
            return Err(IntlError::Range(format!(
                "{name} value is out of range (must be {min} to {max})"
            )));
        }
        Ok(Some(n.floor() as i64))
    }
}

fn as_string(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
