//! The Connect protocol's unary JSON form of QueryService
//! (`POST /coral.colony.v1.QueryService/<Method>`, `Content-Type:
//! application/json`, protojson field names), for clients without gRPC —
//! the Deno SDK among them. Errors follow Connect: an HTTP status and
//! `{"code": "not_found", "message": "…"}`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::Extensions;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use coral_proto::connect::Code;

use crate::api::{self, CallError};
use crate::call;
use crate::grpc::{answer, call_for};
use crate::store::Store;

/// A Connect error: its code, HTTP status and message.
#[derive(Debug)]
struct ConnectError {
    code: Code,
    status: StatusCode,
    message: String,
}

impl ConnectError {
    fn new(code: Code, status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            code,
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for ConnectError {
    fn into_response(self) -> Response {
        let body = self.code.error_body(&self.message);
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
        let status =
            StatusCode::from_u16(e.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Self::new(e.code, status, e.message)
    }
}

/// Handles one unary Connect call.
pub async fn handle(
    State(store): State<Arc<Store>>,
    Path(method): Path<String>,
    extensions: Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/json") {
        return ConnectError::new(
            Code::InvalidArgument,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "unsupported content type \"{content_type}\": use application/json (Connect) or application/grpc"
            ),
        )
        .into_response();
    }
    let client_timeout = headers
        .get("connect-timeout-ms")
        .and_then(|v| v.to_str().ok())
        .and_then(call::parse_connect_timeout);
    let call = call_for(&store, &extensions, client_timeout);
    // The answer's error keeps its Connect code (`call_json`'s) unless the
    // call itself ran out of time.
    let result = answer(store, call, move |store, call| {
        Ok(api::call_json(store, call, &method, &body))
    })
    .await
    .unwrap_or_else(|e| Err(CallError::from(e)));
    match result {
        Ok(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Err(error) => ConnectError::from(error).into_response(),
    }
}
