//! The one error type: the JavaScript exception class a failed request throws.

/// An ECMA-402 abrupt completion. The message is shown to the script.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IntlError {
    /// An option or argument out of its allowed range or set (`RangeError`).
    #[error("{0}")]
    Range(String),
    /// An argument of the wrong type (`TypeError`).
    #[error("{0}")]
    Type(String),
}

impl IntlError {
    /// The JavaScript class the guest throws.
    pub fn class(&self) -> &'static str {
        match self {
            Self::Range(_) => "RangeError",
            Self::Type(_) => "TypeError",
        }
    }

    /// A `RangeError` for an option whose value is not one of `allowed`.
    pub(crate) fn invalid_option(name: &str, value: &str) -> Self {
        Self::Range(format!(
            "Value {value} out of range for Intl option \"{name}\""
        ))
    }
}

/// An ICU4X data failure: data for a supported locale is always baked in, so
/// this means an unsupported combination, reported as a `RangeError`.
impl From<icu_provider::DataError> for IntlError {
    fn from(e: icu_provider::DataError) -> Self {
        Self::Range(format!("no locale data: {e}"))
    }
}
