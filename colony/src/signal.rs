//! The three OTLP signals as the colony takes them, over gRPC
//! ([`crate::otlp_grpc`]) and HTTP ([`crate::otlp_http`]) alike: an export
//! request is decoded ([`crate::otlp_proto`] or [`crate::otlp_json`]),
//! stored on tokio's blocking pool ([`export`]) and answered with its
//! `Export…ServiceResponse`.

use std::sync::Arc;

use opentelemetry_proto::tonic::collector::logs::v1::{
    ExportLogsServiceRequest, ExportLogsServiceResponse,
};
use opentelemetry_proto::tonic::collector::metrics::v1::{
    ExportMetricsServiceRequest, ExportMetricsServiceResponse,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};

use crate::error::ColonyError;
use crate::ingest;
use crate::otlp_proto::Export;
use crate::store::Store;

/// An OTLP signal's export request.
pub trait Signal:
    Export + prost::Message + Default + serde::de::DeserializeOwned + Send + 'static
{
    /// Its gRPC service (`opentelemetry/proto/collector/*/v1/*_service.proto`).
    const SERVICE: &'static str;
    /// The `Export…ServiceResponse`.
    type Response: prost::Message + serde::Serialize + Default + Send + 'static;
    /// Stores the request, all or nothing, and answers it.
    fn store(store: &Store, request: &Self) -> Result<Self::Response, ColonyError>;
}

impl Signal for ExportTraceServiceRequest {
    const SERVICE: &'static str = "opentelemetry.proto.collector.trace.v1.TraceService";
    type Response = ExportTraceServiceResponse;
    fn store(store: &Store, request: &Self) -> Result<Self::Response, ColonyError> {
        ingest::ingest_traces(store, request).map(|_| Self::Response::default())
    }
}

impl Signal for ExportMetricsServiceRequest {
    const SERVICE: &'static str = "opentelemetry.proto.collector.metrics.v1.MetricsService";
    type Response = ExportMetricsServiceResponse;
    fn store(store: &Store, request: &Self) -> Result<Self::Response, ColonyError> {
        ingest::ingest_metrics(store, request).map(|_| Self::Response::default())
    }
}

/// Logs are decoded and answered with a partial success rejecting every
/// record ([`ingest::reject_logs`]): the colony stores none.
impl Signal for ExportLogsServiceRequest {
    const SERVICE: &'static str = "opentelemetry.proto.collector.logs.v1.LogsService";
    type Response = ExportLogsServiceResponse;
    fn store(_: &Store, request: &Self) -> Result<Self::Response, ColonyError> {
        Ok(ingest::reject_logs(request))
    }
}

/// Stores `request` on the blocking pool (where it is also dropped: a
/// deeply nested request takes stack to drop).
///
/// # Errors
/// What [`Signal::store`] returns; [`ColonyError::Internal`] when the task
/// failed.
pub async fn export<S: Signal>(store: Arc<Store>, request: S) -> Result<S::Response, ColonyError> {
    tokio::task::spawn_blocking(move || S::store(&store, &request))
        .await
        .map_err(|e| ColonyError::Internal(format!("ingest task failed: {e}")))?
}
