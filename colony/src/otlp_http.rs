//! The OTLP/HTTP receiver (OpenTelemetry Protocol specification, "OTLP/HTTP"):
//! `POST /v1/traces`, `/v1/metrics` and `/v1/logs` on the colony's listener,
//! beside gRPC and Connect, as the Collector serves them on port 4318.
//!
//! * Bodies are `application/x-protobuf` or `application/json` (OTLP/JSON),
//!   optionally `Content-Encoding: gzip` (also `deflate` and `zstd`, as the
//!   Collector accepts); at most [`MAX_MESSAGE_BYTES`] before and after
//!   decompression.
//! * A stored request answers `200` with the `Export…ServiceResponse` in the
//!   request's encoding. A request that is not valid telemetry answers `400`,
//!   an unsupported content type or encoding `415`, a body over the limit
//!   `413`, a failure of the store `500`; every error body is a
//!   `google.rpc.Status` in the request's encoding (JSON when the content type
//!   was not understood). None of these is one the specification lets a
//!   client retry, so a bad request is not sent again and again.
//! * All or nothing, as over gRPC ([`crate::ingest`]): a refused request
//!   stores nothing.
//! * Logs: the colony stores none. A logs export is decoded (a malformed one
//!   is a `400`) and answered with a partial success that rejects every log
//!   record and says why, so exporters log the reason once instead of
//!   retrying.

use std::io::Read;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use coral_proto::MAX_MESSAGE_BYTES;
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;

use crate::error::ColonyError;
use crate::signal::{self, Signal};
use crate::store::Store;

/// Paths of the three signals (the specification's defaults).
pub const TRACES_PATH: &str = "/v1/traces";
/// See [`TRACES_PATH`].
pub const METRICS_PATH: &str = "/v1/metrics";
/// See [`TRACES_PATH`].
pub const LOGS_PATH: &str = "/v1/logs";

/// `google.rpc.Status`, the body of an OTLP/HTTP error (its `details` are
/// never sent).
#[derive(Clone, PartialEq, prost::Message, serde::Serialize)]
struct RpcStatus {
    #[prost(int32, tag = "1")]
    code: i32,
    #[prost(string, tag = "2")]
    message: String,
}

/// How a body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Protobuf,
    Json,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Self::Protobuf => "application/x-protobuf",
            Self::Json => "application/json",
        }
    }
}

/// A refused request: the HTTP status, the gRPC code for the body, why.
#[derive(Debug)]
struct Refusal {
    status: StatusCode,
    code: tonic::Code,
    message: String,
    format: Format,
}

impl Refusal {
    fn new(status: StatusCode, code: tonic::Code, format: Format, message: String) -> Self {
        Self {
            status,
            code,
            message,
            format,
        }
    }

    fn bad_request(format: Format, message: String) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            tonic::Code::InvalidArgument,
            format,
            message,
        )
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let status = RpcStatus {
            code: self.code as i32,
            message: self.message,
        };
        let body = match self.format {
            Format::Protobuf => prost::Message::encode_to_vec(&status),
            Format::Json => serde_json::to_vec(&status).unwrap_or_default(),
        };
        (
            self.status,
            [(header::CONTENT_TYPE, self.format.content_type())],
            body,
        )
            .into_response()
    }
}

impl Refusal {
    fn from_store(format: Format, e: ColonyError) -> Self {
        match e {
            ColonyError::InvalidTelemetry(_) | ColonyError::InvalidArgument(_) => {
                Self::bad_request(format, e.to_string())
            }
            // The store failing (I/O, memory) may pass: 503 is a status the
            // specification lets an exporter retry, with backoff.
            ColonyError::Db(_) | ColonyError::ResourceExhausted(_) => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                tonic::Code::Unavailable,
                format,
                e.to_string(),
            ),
            _ => Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                tonic::Code::Internal,
                format,
                e.to_string(),
            ),
        }
    }
}

/// The routes, for the colony's HTTP application.
pub fn routes(store: Arc<Store>) -> axum::Router {
    // The body limit is checked again after decompression (decode_body).
    let limit = DefaultBodyLimit::max(MAX_MESSAGE_BYTES);
    axum::Router::new()
        .route(
            TRACES_PATH,
            post(export::<ExportTraceServiceRequest>).layer(limit),
        )
        .route(
            METRICS_PATH,
            post(export::<ExportMetricsServiceRequest>).layer(limit),
        )
        .route(
            LOGS_PATH,
            post(export::<ExportLogsServiceRequest>).layer(limit),
        )
        .route("/v1/{*signal}", any(unknown_signal))
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(store)
}

fn format_of(headers: &HeaderMap) -> Result<Format, Refusal> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/x-protobuf" => Ok(Format::Protobuf),
        "application/json" => Ok(Format::Json),
        _ => Err(Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            tonic::Code::InvalidArgument,
            Format::Json,
            format!(
                "unsupported content type \"{content_type}\": OTLP/HTTP takes application/x-protobuf or application/json"
            ),
        )),
    }
}

/// The body, decompressed per `Content-Encoding`, at most
/// [`MAX_MESSAGE_BYTES`].
fn decode_body(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    format: Format,
) -> Result<Vec<u8>, Refusal> {
    let too_large = || {
        Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            tonic::Code::ResourceExhausted,
            format,
            format!(
                "the request is larger than {MAX_MESSAGE_BYTES} bytes (after decompression); export smaller batches"
            ),
        )
    };
    let body = body.map_err(|e| match e {
        BytesRejection::FailedToBufferBody(_) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            too_large()
        }
        e => Refusal::bad_request(format, format!("cannot read the request body: {e}")),
    })?;
    let encoding = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity")
        .trim()
        .to_ascii_lowercase();
    let limit = MAX_MESSAGE_BYTES as u64 + 1;
    let mut out = Vec::new();
    let read = match encoding.as_str() {
        "" | "identity" => return Ok(body.to_vec()),
        "gzip" | "x-gzip" => flate2::read::MultiGzDecoder::new(body.as_ref())
            .take(limit)
            .read_to_end(&mut out),
        "deflate" => flate2::read::ZlibDecoder::new(body.as_ref())
            .take(limit)
            .read_to_end(&mut out),
        // A 16 MiB window at most: zstd's default (128 MiB) would let a small
        // body claim that much memory.
        "zstd" => zstd::stream::read::Decoder::new(body.as_ref())
            .and_then(|mut d| d.window_log_max(24).map(|_| d))
            .and_then(|d| d.take(limit).read_to_end(&mut out)),
        other => {
            return Err(Refusal::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                tonic::Code::InvalidArgument,
                format,
                format!(
                    "unsupported content encoding \"{other}\": use gzip, deflate, zstd or none"
                ),
            ));
        }
    };
    read.map_err(|e| {
        Refusal::bad_request(format, format!("corrupt {encoding} request body: {e}"))
    })?;
    if out.len() > MAX_MESSAGE_BYTES {
        return Err(too_large());
    }
    Ok(out)
}

/// Decodes an export request from the body.
fn parse<T: Signal>(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(T, Format), Refusal> {
    let format = format_of(headers)?;
    let bytes = decode_body(headers, body, format)?;
    let request = match format {
        Format::Protobuf => T::decode_otlp(&bytes).map_err(|e| {
            Refusal::bad_request(format, format!("not an OTLP protobuf export request: {e}"))
        })?,
        Format::Json => crate::otlp_json::from_slice(&bytes).map_err(|e| {
            Refusal::bad_request(format, format!("not an OTLP/JSON export request: {e}"))
        })?,
    };
    Ok((request, format))
}

/// A success answer in the request's encoding.
fn answer<T: prost::Message + serde::Serialize>(format: Format, response: &T) -> Response {
    let body = match format {
        Format::Protobuf => response.encode_to_vec(),
        Format::Json => serde_json::to_vec(response).unwrap_or_default(),
    };
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, format.content_type())],
        body,
    )
        .into_response()
}

/// `POST /v1/traces`, `/v1/metrics` and `/v1/logs`: decode, store on the
/// blocking pool, answer.
async fn export<S: Signal>(
    State(store): State<Arc<Store>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let (request, format) = match parse::<S>(&headers, body) {
        Ok(parsed) => parsed,
        Err(refusal) => return refusal.into_response(),
    };
    match signal::export(store, request).await {
        Ok(response) => answer(format, &response),
        Err(e) => Refusal::from_store(format, e).into_response(),
    }
}

/// A path under `/v1/` that is not a signal: 404, with a status body.
async fn unknown_signal(headers: HeaderMap) -> Response {
    let message =
        format!("no such OTLP/HTTP path: use {TRACES_PATH}, {METRICS_PATH} or {LOGS_PATH}");
    unimplemented(&headers, StatusCode::NOT_FOUND, message)
}

/// A method other than POST on a signal's path: 405, with a status body.
async fn method_not_allowed(headers: HeaderMap) -> Response {
    unimplemented(
        &headers,
        StatusCode::METHOD_NOT_ALLOWED,
        "OTLP/HTTP takes POST".into(),
    )
}

fn unimplemented(headers: &HeaderMap, status: StatusCode, message: String) -> Response {
    let format = format_of(headers).unwrap_or(Format::Json);
    Refusal::new(status, tonic::Code::Unimplemented, format, message).into_response()
}
