//! The Connect protocol's unary JSON form of QueryService, as both ends use
//! it: the colony's Connect handler and the endpoint `coral run --engine
//! deno` serves. One list of error codes, with their Connect spelling (which
//! the SDK maps to exception classes) and HTTP status.

/// The path prefix of QueryService methods: `POST <prefix>/<Method>`.
pub const QUERY_SERVICE_PATH: &str = "/coral.colony.v1.QueryService";

/// Why a call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// The colony cannot be reached or opened.
    Unavailable,
    /// No such service.
    NotFound,
    /// A malformed request.
    InvalidArgument,
    /// Raw SQL refused by the guardrails.
    FailedPrecondition,
    /// A size or resource limit was hit.
    ResourceExhausted,
    /// The call ran past its timeout.
    DeadlineExceeded,
    /// The colony does not know the method.
    Unimplemented,
    /// Anything else.
    Internal,
}

impl Code {
    /// The Connect spelling (`not_found`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unavailable => "unavailable",
            Self::NotFound => "not_found",
            Self::InvalidArgument => "invalid_argument",
            Self::FailedPrecondition => "failed_precondition",
            Self::ResourceExhausted => "resource_exhausted",
            Self::DeadlineExceeded => "deadline_exceeded",
            Self::Unimplemented => "unimplemented",
            Self::Internal => "internal",
        }
    }

    /// Parses the Connect spelling; unknown codes are [`Self::Internal`].
    pub fn from_connect(code: &str) -> Self {
        match code {
            "unavailable" => Self::Unavailable,
            "not_found" => Self::NotFound,
            "invalid_argument" => Self::InvalidArgument,
            "failed_precondition" => Self::FailedPrecondition,
            "resource_exhausted" => Self::ResourceExhausted,
            "deadline_exceeded" => Self::DeadlineExceeded,
            "unimplemented" => Self::Unimplemented,
            _ => Self::Internal,
        }
    }

    /// The body of a failed unary call (Connect protocol, "Error end
    /// stream" JSON): `{"code": "not_found", "message": "…"}`, sent with
    /// [`Self::http_status`] and `application/json`.
    pub fn error_body(self, message: &str) -> String {
        serde_json::json!({ "code": self.as_str(), "message": message }).to_string()
    }

    /// The HTTP status Connect pairs with the code.
    pub fn http_status(self) -> u16 {
        match self {
            Self::Unavailable => 503,
            Self::NotFound => 404,
            Self::InvalidArgument | Self::FailedPrecondition => 400,
            Self::ResourceExhausted => 429,
            Self::DeadlineExceeded => 504,
            Self::Unimplemented => 501,
            Self::Internal => 500,
        }
    }
}
