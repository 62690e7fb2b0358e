//! The gRPC face: QueryService, OTLP trace, metrics and logs collectors. Each call
//! runs its DuckDB work on tokio's blocking pool.

use std::sync::Arc;

use coral_proto::colony::v1 as pb;
use coral_proto::colony::v1::query_service_server::QueryService;
use opentelemetry_proto::tonic::collector::logs::v1::logs_service_server::LogsService;
use opentelemetry_proto::tonic::collector::logs::v1::{
    ExportLogsServiceRequest, ExportLogsServiceResponse,
};
use opentelemetry_proto::tonic::collector::metrics::v1::metrics_service_server::MetricsService;
use opentelemetry_proto::tonic::collector::metrics::v1::{
    ExportMetricsServiceRequest, ExportMetricsServiceResponse,
};
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::TraceService;
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use tonic::{Request, Response, Status};

use crate::api;
use crate::error::ColonyError;
use crate::ingest;
use crate::store::Store;

/// The colony's gRPC services, sharing one store.
#[derive(Debug, Clone)]
pub struct ColonyServices {
    store: Arc<Store>,
}

impl ColonyServices {
    /// Services over `store`.
    pub fn new(store: Arc<Store>) -> Self {
        Self { store }
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, ColonyError> + Send + 'static,
    ) -> Result<Response<T>, Status> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|e| Status::internal(format!("query task failed: {e}")))?
            .map(Response::new)
            .map_err(Status::from)
    }
}

macro_rules! query_service {
    ($($name:ident $proto:literal $req:ident $resp:ident;)*) => {
        #[tonic::async_trait]
        impl QueryService for ColonyServices {
            $(
                async fn $name(&self, request: Request<pb::$req>) -> Result<Response<pb::$resp>, Status> {
                    let req = request.into_inner();
                    self.blocking(move |store| api::$name(store, &req)).await
                }
            )*
        }
    };
}

coral_proto::for_each_query_method!(query_service);

#[tonic::async_trait]
impl TraceService for ColonyServices {
    async fn export(
        &self,
        request: Request<ExportTraceServiceRequest>,
    ) -> Result<Response<ExportTraceServiceResponse>, Status> {
        let req = request.into_inner();
        self.blocking(move |store| {
            ingest::ingest_traces(store, &req).map(|_| ExportTraceServiceResponse {
                partial_success: None,
            })
        })
        .await
    }
}

#[tonic::async_trait]
impl MetricsService for ColonyServices {
    async fn export(
        &self,
        request: Request<ExportMetricsServiceRequest>,
    ) -> Result<Response<ExportMetricsServiceResponse>, Status> {
        let req = request.into_inner();
        self.blocking(move |store| {
            ingest::ingest_metrics(store, &req).map(|_| ExportMetricsServiceResponse {
                partial_success: None,
            })
        })
        .await
    }
}

/// Logs are decoded and answered with a partial success rejecting every
/// record ([`ingest::reject_logs`]): the colony stores none.
#[tonic::async_trait]
impl LogsService for ColonyServices {
    async fn export(
        &self,
        request: Request<ExportLogsServiceRequest>,
    ) -> Result<Response<ExportLogsServiceResponse>, Status> {
        Ok(Response::new(ingest::reject_logs(request.get_ref())))
    }
}
