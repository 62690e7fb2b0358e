//! A colony server over gRPC (tonic). The guest thread is a plain thread, so
//! each call blocks on a small current-thread tokio runtime owned here.

use std::time::Duration;

use coral_proto::colony::v1 as pb;
use coral_proto::colony::v1::query_service_client::QueryServiceClient;
use tonic::transport::{Channel, Endpoint};

use super::backend::{Backend, BackendError, ErrorCode};

use coral_proto::MAX_MESSAGE_BYTES;

/// `host:port` or a URL, as an `http://` URL.
pub fn endpoint_url(address: &str) -> String {
    if address.contains("://") {
        address.to_string()
    } else {
        format!("http://{address}")
    }
}

/// A colony server.
#[derive(Debug)]
pub struct GrpcBackend {
    address: String,
    runtime: tokio::runtime::Runtime,
    client: QueryServiceClient<Channel>,
}

impl GrpcBackend {
    /// A client for the colony at `address`. Connects on the first call, so a
    /// colony that is down is reported by that call.
    pub fn connect(address: &str, connect_timeout: Duration) -> Result<Self, BackendError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| BackendError::new(ErrorCode::Internal, e.to_string()))?;
        let endpoint = Endpoint::from_shared(endpoint_url(address))
            .map_err(|e| {
                BackendError::new(
                    ErrorCode::Unavailable,
                    format!("invalid colony address \"{address}\": {e}"),
                )
            })?
            .connect_timeout(connect_timeout)
            .tcp_nodelay(true);
        let channel = {
            let _guard = runtime.enter();
            endpoint.connect_lazy()
        };
        let client = QueryServiceClient::new(channel)
            .max_decoding_message_size(MAX_MESSAGE_BYTES)
            .max_encoding_message_size(MAX_MESSAGE_BYTES);
        Ok(Self {
            address: address.to_string(),
            runtime,
            client,
        })
    }

    fn status_error(
        &self,
        status: &tonic::Status,
        method: &str,
        timeout: Duration,
    ) -> BackendError {
        use tonic::Code;
        let code = match status.code() {
            Code::Unknown if status.message().contains("connect") => ErrorCode::Unavailable,
            Code::Unavailable => ErrorCode::Unavailable,
            Code::NotFound => ErrorCode::NotFound,
            Code::InvalidArgument | Code::OutOfRange => ErrorCode::InvalidArgument,
            Code::FailedPrecondition => ErrorCode::FailedPrecondition,
            Code::ResourceExhausted => ErrorCode::ResourceExhausted,
            Code::DeadlineExceeded | Code::Cancelled => ErrorCode::DeadlineExceeded,
            Code::Unimplemented => ErrorCode::Unimplemented,
            _ => ErrorCode::Internal,
        };
        // The colony's own query timeout names its flag: pass it on, it is
        // not this client's deadline.
        let server_limit = status.message().contains(coral_proto::QUERY_TIMEOUT_FLAG);
        let message = if code == ErrorCode::DeadlineExceeded && server_limit {
            format!("the colony at {}: {}", self.address, status.message())
        } else if code == ErrorCode::DeadlineExceeded {
            format!(
                "the colony at {} did not answer {method} within {timeout:?} (raise it with --colony-timeout)",
                self.address
            )
        } else if code == ErrorCode::Unavailable {
            let cause = std::error::Error::source(status)
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            format!(
                "the colony at {} is unavailable ({}{cause}); is it running? (set by --colony or CORAL_COLONY_ADDR)",
                self.address,
                status.message()
            )
        } else {
            status.message().to_string()
        };
        BackendError::new(code, message)
    }
}

fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, BackendError> {
    let body = if body.is_empty() {
        b"{}".as_slice()
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| {
        BackendError::new(
            ErrorCode::InvalidArgument,
            format!("invalid {} JSON: {e}", std::any::type_name::<T>()),
        )
    })
}

macro_rules! grpc_call {
    ($($name:ident $proto:literal $req:ident $resp:ident;)*) => {
        impl Backend for GrpcBackend {
            fn call(
                &mut self,
                method: &str,
                request: &[u8],
                timeout: Duration,
            ) -> Result<Vec<u8>, BackendError> {
                let mut client = self.client.clone();
                let answer: Result<Vec<u8>, tonic::Status> = match method {
                    $(
                        $proto => {
                            let req: pb::$req = decode(request)?;
                            let mut req = tonic::Request::new(req);
                            req.set_timeout(timeout);
                            let call = client.$name(req);
                            match self.runtime.block_on(async { tokio::time::timeout(timeout, call).await }) {
                                Ok(result) => result.map(|resp| {
                                    serde_json::to_vec(&resp.into_inner()).unwrap_or_default()
                                }),
                                Err(_) => Err(tonic::Status::deadline_exceeded("timeout")),
                            }
                        }
                    )*
                    _ => {
                        return Err(BackendError::new(
                            ErrorCode::Unimplemented,
                            format!("no method coral.colony.v1.QueryService/{method}"),
                        ))
                    }
                };
                answer.map_err(|status| self.status_error(&status, method, timeout))
            }
        }
    };
}

coral_proto::for_each_query_method!(grpc_call);
