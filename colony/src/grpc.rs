//! The gRPC face of the QueryService (the OTLP collectors are
//! [`crate::otlp_grpc`]). Each call runs its DuckDB work on tokio's blocking
//! pool. A QueryService call is a
//! [`Call`] of the client's connection, bounded by `grpc-timeout` and the
//! colony's query timeout, and cancelled when the client goes away.

use std::sync::Arc;

use axum::http::Extensions;
use coral_proto::colony::v1 as pb;
use coral_proto::colony::v1::query_service_server::QueryService;
use tonic::metadata::MetadataMap;
use tonic::{Request, Response, Status};

use crate::api;
use crate::call::{self, Call, ClientId};
use crate::error::ColonyError;
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

    /// Runs a query for the client of a request with these `metadata` and
    /// `extensions` (see [`answer`]).
    async fn query<T: Send + 'static>(
        &self,
        metadata: &MetadataMap,
        extensions: &Extensions,
        f: impl FnOnce(&Store, &Call) -> Result<T, ColonyError> + Send + 'static,
    ) -> Result<Response<T>, Status> {
        let client_timeout = metadata
            .get("grpc-timeout")
            .and_then(|v| v.to_str().ok())
            .and_then(call::parse_grpc_timeout);
        let call = call_for(&self.store, extensions, client_timeout);
        answer(self.store.clone(), call, f)
            .await
            .map(Response::new)
            .map_err(Status::from)
    }
}

/// The call of a request: its client is its connection, as the server
/// recorded it (`ClientId::Local` when served without one), and its deadline
/// the earlier of the colony's query timeout and `client_timeout`.
pub(crate) fn call_for(
    store: &Store,
    extensions: &Extensions,
    client_timeout: Option<std::time::Duration>,
) -> Call {
    let client = extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or(ClientId::Local, |info| ClientId::Connection(info.0));
    Call::new(client, store.config().query_timeout, client_timeout)
}

/// Runs `f` for `call` on the blocking pool and answers by the call's
/// deadline (plus [`crate::readers::ABANDON_AFTER`]) whether or not DuckDB
/// has stopped; dropping the returned future (the client went away)
/// cancels the call, which interrupts its query.
pub(crate) async fn answer<T: Send + 'static>(
    store: Arc<Store>,
    call: Call,
    f: impl FnOnce(&Store, &Call) -> Result<T, ColonyError> + Send + 'static,
) -> Result<T, ColonyError> {
    let cancel = call.cancel_on_drop();
    let give_up_at = call.deadline() + crate::readers::ABANDON_AFTER;
    let task_call = call.clone();
    let task = tokio::task::spawn_blocking(move || f(&store, &task_call));
    let result = match tokio::time::timeout_at(give_up_at.into(), task).await {
        Ok(Ok(result)) => result,
        Ok(Err(e)) => Err(ColonyError::Internal(format!("query task failed: {e}"))),
        Err(_) => {
            call.cancel();
            Err(call.timeout())
        }
    };
    cancel.disarm();
    result
}

macro_rules! query_service {
    ($($name:ident $proto:literal $req:ident $resp:ident;)*) => {
        #[tonic::async_trait]
        impl QueryService for ColonyServices {
            $(
                async fn $name(&self, request: Request<pb::$req>) -> Result<Response<pb::$resp>, Status> {
                    let (metadata, extensions, req) = request.into_parts();
                    self.query(&metadata, &extensions, move |store, call| api::$name(store, call, &req)).await
                }
            )*
        }
    };
}

coral_proto::for_each_query_method!(query_service);
