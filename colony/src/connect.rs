//! The Connect protocol's unary JSON form of QueryService
//! (`POST /coral.colony.v1.QueryService/<Method>`, `Content-Type:
//! application/json`, protojson field names), for clients without gRPC —
//! the Deno SDK among them. Errors follow Connect: an HTTP status and
//! `{"code": "not_found", "message": "…"}`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::api::{self, CallError};
use crate::store::Store;

/// The path prefix of QueryService methods.
pub const SERVICE_PATH: &str = "/coral.colony.v1.QueryService";

/// A Connect error: its code, HTTP status and message.
#[derive(Debug)]
struct ConnectError {
    code: &'static str,
    status: StatusCode,
    message: String,
}

impl ConnectError {
    fn new(code: &'static str, status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            code,
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for ConnectError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "code": self.code, "message": self.message }).to_string();
        (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    }
}

impl From<CallError> for ConnectError {
    fn from(e: CallError) -> Self {
        let status = match e.code {
            "not_found" => StatusCode::NOT_FOUND,
            "invalid_argument" | "failed_precondition" => StatusCode::BAD_REQUEST,
            "resource_exhausted" => StatusCode::TOO_MANY_REQUESTS,
            "deadline_exceeded" => StatusCode::GATEWAY_TIMEOUT,
            "unimplemented" => StatusCode::NOT_IMPLEMENTED,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Self::new(e.code, status, e.message)
    }
}

/// Handles one unary Connect call.
pub async fn handle(
    State(store): State<Arc<Store>>,
    Path(method): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/json") {
        return ConnectError::new(
            "invalid_argument",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "unsupported content type \"{content_type}\": use application/json (Connect) or application/grpc"
            ),
        )
        .into_response();
    }
    let result = tokio::task::spawn_blocking(move || api::call_json(&store, &method, &body)).await;
    match result {
        Ok(Ok(json)) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Ok(Err(error)) => ConnectError::from(error).into_response(),
        Err(e) => ConnectError::new("internal", StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
            .into_response(),
    }
}
