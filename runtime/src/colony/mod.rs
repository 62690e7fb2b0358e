//! Where SDK queries go: a [`backend::Backend`] answers QueryService calls given as
//! protojson (the same bodies Connect carries, so the SDK's two transports
//! send identical requests). [`Colony`] picks and lazily opens one:
//!
//! * [`grpc::GrpcBackend`]: a colony server over gRPC (`--colony`,
//!   `CORAL_COLONY_ADDR`);
//! * [`embedded::EmbeddedBackend`]: the colony in this process, loaded as a
//!   shared library on the first query (`--db <file>`, or the demo dataset).
//!
//! Shared by both engines; imports neither.

mod backend;
mod client;
mod embedded;
mod grpc;
mod options;

pub use backend::{BackendError, ErrorCode};
pub(crate) use client::Colony;
pub use grpc::endpoint_url;
pub use options::{ColonyOptions, ColonySource};
