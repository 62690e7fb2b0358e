//! One function per QueryService method, taking the protobuf request: the
//! gRPC service and the Connect JSON handler both call these, so the two
//! transports cannot drift apart.

use coral_proto::colony::v1 as pb;

use crate::error::ColonyError;
use crate::guard;
use crate::query::{self, Window};
use crate::store::Store;

/// ListServices.
pub fn list_services(
    store: &Store,
    req: &pb::ListServicesRequest,
) -> Result<pb::ListServicesResponse, ColonyError> {
    query::list_services(store, &req.namespace)
}

/// GetService.
pub fn get_service(
    store: &Store,
    req: &pb::GetServiceRequest,
) -> Result<pb::GetServiceResponse, ColonyError> {
    query::get_service(store, &req.name)
}

/// GetPercentile.
pub fn get_percentile(
    store: &Store,
    req: &pb::GetPercentileRequest,
) -> Result<pb::GetPercentileResponse, ColonyError> {
    query::percentile(store, req, Window::ending_now(req.time_range_ms)?)
}

/// GetErrorRate.
pub fn get_error_rate(
    store: &Store,
    req: &pb::GetErrorRateRequest,
) -> Result<pb::GetErrorRateResponse, ColonyError> {
    query::error_rate(store, &req.service, Window::ending_now(req.time_range_ms)?)
}

/// FindSlowTraces.
pub fn find_slow_traces(
    store: &Store,
    req: &pb::FindSlowTracesRequest,
) -> Result<pb::FindSlowTracesResponse, ColonyError> {
    query::slow_traces(store, req, Window::ending_now(req.time_range_ms)?)
}

/// FindErrorTraces.
pub fn find_error_traces(
    store: &Store,
    req: &pb::FindErrorTracesRequest,
) -> Result<pb::FindErrorTracesResponse, ColonyError> {
    query::error_traces(store, req, Window::ending_now(req.time_range_ms)?)
}

/// GetSystemMetrics.
pub fn get_system_metrics(
    store: &Store,
    req: &pb::GetSystemMetricsRequest,
) -> Result<pb::GetSystemMetricsResponse, ColonyError> {
    query::system_metrics(store, &req.service, Window::ending_now(req.time_range_ms)?)
}

/// ExecuteQuery.
pub fn execute_query(
    store: &Store,
    req: &pb::ExecuteQueryRequest,
) -> Result<pb::ExecuteQueryResponse, ColonyError> {
    guard::execute(store, req)
}

/// Calls `$m! { rust_name "ProtoName" Request Response; … }` with every
/// method, so each transport generates its items from one list.
#[macro_export]
#[doc(hidden)]
macro_rules! for_each_method {
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
