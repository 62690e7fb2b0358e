//! Coral's protobuf APIs, generated at build time: `coral.colony.v1`
//! (QueryService) and `coral.agent.v1` (ScriptService) as tonic clients/servers and prost messages, with protojson
//! (`serde`) impls for the Connect JSON transport. No logic lives here.

#![allow(missing_debug_implementations, clippy::all, unused_qualifications)]

/// `coral.colony.v1`.
pub mod colony {
    /// Version 1 of the colony query API.
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/coral.colony.v1.rs"));
        include!(concat!(env!("OUT_DIR"), "/coral.colony.v1.serde.rs"));
    }
}

/// `coral.agent.v1`.
pub mod agent {
    /// Version 1 of the agent's script API.
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/coral.agent.v1.rs"));
        include!(concat!(env!("OUT_DIR"), "/coral.agent.v1.serde.rs"));
    }
}

pub mod connect;
pub mod embed;

/// The largest gRPC message a colony and its clients exchange (64 MiB): one
/// figure for the colony server, the runtime's gRPC backend and `coral
/// query`. Answers stay well under it ([`MAX_RESULT_BYTES`] of row data).
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// Most rows one `ExecuteQuery` answer carries, whatever `max_rows` asks
/// (the default is 10,000).
pub const MAX_ROWS: usize = 100_000;

/// Most bytes of row data one `ExecuteQuery` answer carries (32 MiB, half
/// the 64 MiB gRPC message limit); past it the colony truncates the answer
/// with `truncated_by: "bytes"`. One figure for the colony that enforces it
/// and the clients that explain it.
pub const MAX_RESULT_BYTES: usize = 32 * 1024 * 1024;

/// The flag that sets a colony server's query timeout (`coral colony serve
/// --query-timeout SECS`). The colony names it in its timeout errors, and
/// clients look for it to tell the server's limit from their own deadline
/// (`--colony-timeout`).
pub const QUERY_TIMEOUT_FLAG: &str = "--query-timeout";

/// Encoded file descriptors, for gRPC reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/descriptors.bin"));

/// Calls `$m! { rust_name "ProtoName" Request Response; … }` with every
/// QueryService method, so each transport (gRPC and Connect servers, the
/// embedded colony, the runtime's clients) generates its items from one list.
#[macro_export]
#[doc(hidden)]
macro_rules! for_each_query_method {
    ($m:ident) => {
        $m! {
            list_services "ListServices" ListServicesRequest ListServicesResponse;
            get_service "GetService" GetServiceRequest GetServiceResponse;
            get_percentile "GetPercentile" GetPercentileRequest GetPercentileResponse;
            get_error_rate "GetErrorRate" GetErrorRateRequest GetErrorRateResponse;
            find_slow_traces "FindSlowTraces" FindSlowTracesRequest FindSlowTracesResponse;
            find_error_traces "FindErrorTraces" FindErrorTracesRequest FindErrorTracesResponse;
            get_system_metrics "GetSystemMetrics" GetSystemMetricsRequest GetSystemMetricsResponse;
            execute_query "ExecuteQuery" ExecuteQueryRequest ExecuteQueryResponse;
        }
    };
}
