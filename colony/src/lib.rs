//! The colony: Coral's telemetry store and query service.
//!
//! It owns the DuckDB schema ([`store`], `docs/colony.md`), OTLP ingest
//! ([`ingest`]; the signals: [`signal`]; OTLP/gRPC: [`otlp_grpc`], OTLP/HTTP:
//! [`otlp_http`] and OTLP/JSON files, plain or compressed: [`otlp_file`];
//! protobuf decoding: [`otlp_proto`], OTLP/JSON decoding: [`otlp_json`];
//! nesting bounds: [`nesting`]), distributions from histogram points
//! ([`histogram`]), the QueryService
//! semantics ([`query`], [`guard`] for raw SQL, its answers held to their
//! budget in `answer`), calls and their fair share
//! of the database ([`call`], [`readers`]), its two transports (gRPC in
//! [`grpc`], Connect JSON in [`connect`], served together by [`server`]) and
//! the deterministic demo dataset ([`demo`]).

mod answer;
pub mod api;
pub mod call;
pub mod connect;
pub mod demo;
pub mod error;
pub mod grpc;
pub mod guard;
pub mod histogram;
pub mod ingest;
pub mod nesting;
pub mod otlp_file;
pub mod otlp_grpc;
pub mod otlp_http;
pub mod otlp_json;
pub mod otlp_proto;
pub mod query;
pub mod readers;
mod schema;
pub mod server;
pub mod signal;
pub mod store;
mod watchdog;

pub use error::ColonyError;
pub use store::{ColonyConfig, Store};
