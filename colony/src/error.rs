//! Colony errors, and how each maps to a gRPC status (and so to the SDK's
//! exception classes).

use coral_proto::QUERY_TIMEOUT_FLAG;

use crate::call::LimitedBy;

fn timeout_message(limit: std::time::Duration, limited_by: LimitedBy) -> String {
    match limited_by {
        LimitedBy::Colony => format!(
            "the query ran past the colony's query timeout of {limit:?} and was interrupted (the server's limit: `coral colony serve {QUERY_TIMEOUT_FLAG} SECS`)"
        ),
        LimitedBy::Client => {
            format!("the query ran past the client's deadline of {limit:?} and was interrupted")
        }
    }
}

/// Why a colony operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ColonyError {
    /// The database file could not be opened.
    #[error("cannot open colony database {path}: {message}")]
    Open {
        /// The file.
        path: String,
        /// DuckDB's message.
        message: String,
    },
    /// Another process holds the database file's lock (DuckDB lets one
    /// process write a file, or many read it, never both).
    #[error("colony database {path} is in use by {holder}; {advice}")]
    Locked {
        /// The file.
        path: String,
        /// The process holding the lock, as DuckDB names it
        /// (`/usr/local/lib/coral/coral-colony (PID 1234)`).
        holder: String,
        /// What to do instead, for a reader or a writer.
        advice: &'static str,
    },
    /// No such service (or other named entity).
    #[error("{0}")]
    NotFound(String),
    /// A malformed request (bad percentile, negative window, …).
    #[error("{0}")]
    InvalidArgument(String),
    /// Raw SQL refused by the guardrails, with the reason.
    #[error("query rejected: {0}")]
    QueryRejected(String),
    /// The query needed more than the colony allows (memory).
    #[error("query exceeded the colony's resource limits: {0}")]
    ResourceExhausted(String),
    /// The call ran out of time, waiting for a reader or running, and its
    /// query was interrupted. The message names the limit and who set it:
    /// the colony's `--query-timeout` (named by [`QUERY_TIMEOUT_FLAG`],
    /// which clients look for to tell it from their own deadline) or the
    /// client's deadline.
    #[error("{}", timeout_message(*limit, *limited_by))]
    Timeout {
        /// The limit that ran out.
        limit: std::time::Duration,
        /// Who set it.
        limited_by: LimitedBy,
    },
    /// The client went away before the answer (gRPC `CANCELLED`).
    #[error("the client cancelled the call")]
    Cancelled,
    /// Input that is not valid telemetry (ingest).
    #[error("invalid telemetry: {0}")]
    InvalidTelemetry(String),
    /// Something broke that is not the caller's fault.
    #[error("internal error: {0}")]
    Internal(String),
    /// DuckDB failed.
    #[error("database error: {0}")]
    Db(#[from] duckdb::Error),
}

impl From<ColonyError> for tonic::Status {
    fn from(e: ColonyError) -> Self {
        let message = e.to_string();
        match e {
            ColonyError::NotFound(_) => Self::not_found(message),
            ColonyError::InvalidArgument(_) | ColonyError::InvalidTelemetry(_) => {
                Self::invalid_argument(message)
            }
            ColonyError::QueryRejected(_) => Self::failed_precondition(message),
            ColonyError::ResourceExhausted(_) => Self::resource_exhausted(message),
            ColonyError::Timeout { .. } => Self::deadline_exceeded(message),
            ColonyError::Cancelled => Self::cancelled(message),
            ColonyError::Open { .. }
            | ColonyError::Locked { .. }
            | ColonyError::Db(_)
            | ColonyError::Internal(_) => Self::internal(message),
        }
    }
}
