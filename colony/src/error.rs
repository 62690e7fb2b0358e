//! Colony errors, and how each maps to a gRPC status (and so to the SDK's
//! exception classes).

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
    /// The query ran past the server's timeout and was interrupted.
    #[error("query exceeded the colony's {0:?} timeout and was interrupted")]
    Timeout(std::time::Duration),
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
            ColonyError::Timeout(_) => Self::deadline_exceeded(message),
            ColonyError::Open { .. }
            | ColonyError::Locked { .. }
            | ColonyError::Db(_)
            | ColonyError::Internal(_) => Self::internal(message),
        }
    }
}
