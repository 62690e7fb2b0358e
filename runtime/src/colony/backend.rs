//! What answers a colony call: the [`Backend`] trait both backends
//! implement, and how a call fails ([`BackendError`], with a Connect/gRPC
//! [`ErrorCode`]).

use std::time::Duration;

/// Why a colony call failed, as a Connect/gRPC code. The SDK turns each into
/// a named exception class (`docs/sdk.md`).
pub use coral_proto::connect::Code as ErrorCode;

// A colony's largest answer must fit through the ABI's host-call response
// (the guest is told `ResponseTooLarge` otherwise, never given half).
const _: () =
    assert!(coral_proto::MAX_MESSAGE_BYTES <= coral_host_abi::MAX_RESPONSE_BYTES as usize);

/// A failed colony call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct BackendError {
    /// What kind of failure.
    pub code: ErrorCode,
    /// The message the script sees.
    pub message: String,
}

impl BackendError {
    /// A failure of kind `code`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// Answers QueryService calls.
pub trait Backend: Send {
    /// Calls `method` (its protobuf name, e.g. `ListServices`) with a
    /// protojson request; returns the protojson response. Gives up after
    /// `timeout`.
    fn call(
        &mut self,
        method: &str,
        request: &[u8],
        timeout: Duration,
    ) -> Result<Vec<u8>, BackendError>;
}
