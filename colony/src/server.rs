//! `coral colony serve`: gRPC (QueryService, OTLP traces, metrics and logs,
//! health, reflection), Connect JSON and OTLP/HTTP on one listener. Requests
//! are told apart by content type: `application/grpc*` goes to tonic,
//! anything else to the HTTP router (Connect paths and `/v1/*`).

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, header};
use axum::routing::post;
use coral_proto::colony::v1::query_service_server::QueryServiceServer;
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::connect;
use crate::grpc::ColonyServices;
use crate::otlp_grpc::Collector;
use crate::store::Store;

use coral_proto::MAX_MESSAGE_BYTES;

/// The whole HTTP application of a colony.
pub async fn router(store: Arc<Store>) -> axum::Router {
    let services = ColonyServices::new(store.clone());
    let (health, health_service) = tonic_health::server::health_reporter();
    health
        .set_serving::<QueryServiceServer<ColonyServices>>()
        .await;
    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(coral_proto::FILE_DESCRIPTOR_SET)
        .build_v1()
        .expect("the embedded descriptor set is valid");
    let grpc = tonic::service::Routes::new(
        QueryServiceServer::new(services)
            .max_decoding_message_size(MAX_MESSAGE_BYTES)
            .max_encoding_message_size(MAX_MESSAGE_BYTES),
    )
    .add_service(Collector::<ExportTraceServiceRequest>::new(store.clone()))
    .add_service(Collector::<ExportMetricsServiceRequest>::new(store.clone()))
    .add_service(Collector::<ExportLogsServiceRequest>::new(store.clone()))
    .add_service(health_service)
    .add_service(reflection)
    .into_axum_router()
    .layer(axum::middleware::map_response(
        decode_errors_are_invalid_arguments,
    ));
    let connect = axum::Router::new()
        .route(
            &format!("{}/{{method}}", coral_proto::connect::QUERY_SERVICE_PATH),
            post(connect::handle),
        )
        .with_state(store.clone())
        .merge(crate::otlp_http::routes(store));
    axum::Router::new().fallback_service(tower::service_fn(move |req: Request<Body>| {
        let grpc = grpc.clone();
        let connect = connect.clone();
        async move {
            let is_grpc = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|ct| ct.starts_with("application/grpc"));
            if is_grpc {
                grpc.oneshot(req).await
            } else {
                connect.oneshot(req).await
            }
        }
    }))
}

/// tonic answers a request it cannot decode with `INTERNAL` ("failed to
/// decode Protobuf message"); the fault is the caller's, which gRPC calls
/// `INVALID_ARGUMENT` (and OTLP exporters then do not retry it). The status
/// of such an answer is in its headers (a trailers-only response).
async fn decode_errors_are_invalid_arguments(mut response: Response<Body>) -> Response<Body> {
    let headers = response.headers();
    let internal = headers.get("grpc-status").is_some_and(|s| s == "13");
    let undecodable = headers
        .get("grpc-message")
        .and_then(|m| m.to_str().ok())
        .is_some_and(|m| {
            m.starts_with("failed%20to%20decode") || m.starts_with("failed to decode")
        });
    if internal && undecodable {
        response.headers_mut().insert(
            "grpc-status",
            HeaderValue::from(tonic::Code::InvalidArgument as i32),
        );
    }
    response
}

/// Serves the colony on `listener` until the future is dropped.
pub async fn serve(listener: TcpListener, store: Arc<Store>) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    // Without TCP_NODELAY, small answers wait for the client's delayed ACK
    // (Nagle): ~40 ms per unary call on loopback.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    // Each connection's address names its client, for the fair share of
    // readers (`crate::readers`).
    let app = router(store)
        .await
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).await
}
