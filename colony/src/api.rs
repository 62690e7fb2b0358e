//! One function per QueryService method, taking the [`Call`] (client and
//! deadline) and the protobuf request: the gRPC service, the Connect JSON
//! handler and the embedded colony all call these, so the transports cannot
//! drift apart. [`call_json`] is the protojson form shared by Connect and
//! the embedded colony.

use coral_proto::colony::v1 as pb;
use coral_proto::connect::Code;

use crate::call::Call;
use crate::error::ColonyError;
use crate::guard;
use crate::query::{self, Window};
use crate::store::Store;

fn window(store: &Store, time_range_ms: i64) -> Result<Window, ColonyError> {
    Window::ending_at(store.now_us().saturating_mul(1000), time_range_ms)
}

/// ListServices.
pub fn list_services(
    store: &Store,
    call: &Call,
    req: &pb::ListServicesRequest,
) -> Result<pb::ListServicesResponse, ColonyError> {
    query::list_services(store, call, &req.namespace)
}

/// GetService.
pub fn get_service(
    store: &Store,
    call: &Call,
    req: &pb::GetServiceRequest,
) -> Result<pb::GetServiceResponse, ColonyError> {
    query::get_service(store, call, &req.name)
}

/// GetPercentile.
pub fn get_percentile(
    store: &Store,
    call: &Call,
    req: &pb::GetPercentileRequest,
) -> Result<pb::GetPercentileResponse, ColonyError> {
    query::percentile(store, call, req, window(store, req.time_range_ms)?)
}

/// GetErrorRate.
pub fn get_error_rate(
    store: &Store,
    call: &Call,
    req: &pb::GetErrorRateRequest,
) -> Result<pb::GetErrorRateResponse, ColonyError> {
    query::error_rate(store, call, &req.service, window(store, req.time_range_ms)?)
}

/// FindSlowTraces.
pub fn find_slow_traces(
    store: &Store,
    call: &Call,
    req: &pb::FindSlowTracesRequest,
) -> Result<pb::FindSlowTracesResponse, ColonyError> {
    query::slow_traces(store, call, req, window(store, req.time_range_ms)?)
}

/// FindErrorTraces.
pub fn find_error_traces(
    store: &Store,
    call: &Call,
    req: &pb::FindErrorTracesRequest,
) -> Result<pb::FindErrorTracesResponse, ColonyError> {
    query::error_traces(store, call, req, window(store, req.time_range_ms)?)
}

/// GetSystemMetrics.
pub fn get_system_metrics(
    store: &Store,
    call: &Call,
    req: &pb::GetSystemMetricsRequest,
) -> Result<pb::GetSystemMetricsResponse, ColonyError> {
    query::system_metrics(store, call, &req.service, window(store, req.time_range_ms)?)
}

/// ExecuteQuery.
pub fn execute_query(
    store: &Store,
    call: &Call,
    req: &pb::ExecuteQueryRequest,
) -> Result<pb::ExecuteQueryResponse, ColonyError> {
    guard::execute(store, call, req)
}

/// A failed [`call_json`]: a Connect/gRPC code name (`not_found`,
/// `invalid_argument`, …) and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    /// The code (`code.as_str()` is the Connect spelling).
    pub code: Code,
    /// What went wrong.
    pub message: String,
}

impl CallError {
    fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl From<ColonyError> for CallError {
    fn from(e: ColonyError) -> Self {
        let code = match &e {
            ColonyError::NotFound(_) => Code::NotFound,
            ColonyError::InvalidArgument(_) | ColonyError::InvalidTelemetry(_) => {
                Code::InvalidArgument
            }
            ColonyError::QueryRejected(_) => Code::FailedPrecondition,
            ColonyError::ResourceExhausted(_) => Code::ResourceExhausted,
            // Nobody waits for a cancelled call's answer; Connect has no
            // code of its own for it in our list.
            ColonyError::Timeout { .. } | ColonyError::Cancelled => Code::DeadlineExceeded,
            ColonyError::Open { .. }
            | ColonyError::Locked { .. }
            | ColonyError::Db(_)
            | ColonyError::Internal(_) => Code::Internal,
        };
        Self::new(code, e.to_string())
    }
}

macro_rules! call_json {
    ($($name:ident $proto:literal $req:ident $resp:ident;)*) => {
        /// Calls QueryService method `method` (its protobuf name, e.g.
        /// `ListServices`) with a protojson request (empty means `{}`) for
        /// `call` and returns the protojson response.
        pub fn call_json(store: &Store, call: &Call, method: &str, body: &[u8]) -> Result<Vec<u8>, CallError> {
            let body = if body.is_empty() { b"{}".as_slice() } else { body };
            match method {
                $(
                    $proto => {
                        let req: pb::$req = serde_json::from_slice(body).map_err(|e| {
                            CallError::new(
                                Code::InvalidArgument,
                                format!("invalid {} JSON: {e}", stringify!($req)),
                            )
                        })?;
                        let resp = $name(store, call, &req)?;
                        serde_json::to_vec(&resp).map_err(|e| CallError::new(Code::Internal, e.to_string()))
                    }
                )*
                _ => Err(CallError::new(
                    Code::Unimplemented,
                    format!("no method coral.colony.v1.QueryService/{method}"),
                )),
            }
        }
    };
}

coral_proto::for_each_query_method!(call_json);
