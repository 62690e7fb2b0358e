//! The OTLP/gRPC collectors (`TraceService`, `MetricsService` and
//! `LogsService`, each with its one `Export` method), served with the
//! decoder of [`crate::otlp_proto`] in place of `tonic-prost`'s codec, so
//! that attribute values nest as deep over gRPC as over HTTP and in files.
//! A request that does not decode is `INVALID_ARGUMENT`, naming why.

use std::convert::Infallible;
use std::marker::PhantomData;
use std::sync::Arc;
use std::task::{Context, Poll};

use coral_proto::MAX_MESSAGE_BYTES;
use prost::Message;
use prost::bytes::Buf;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::codegen::{Body, BoxFuture, StdError, http};
use tonic::server::{Grpc, NamedService, UnaryService};
use tonic::{Request, Response, Status};

use crate::signal::{self, Signal};
use crate::store::Store;

/// The collector of signal `S`, a tower service for
/// [`tonic::service::Routes`].
#[derive(Debug)]
pub struct Collector<S> {
    store: Arc<Store>,
    signal: PhantomData<fn() -> S>,
}

impl<S> Collector<S> {
    /// The collector storing into `store`.
    pub fn new(store: Arc<Store>) -> Self {
        Self {
            store,
            signal: PhantomData,
        }
    }
}

impl<S> Clone for Collector<S> {
    fn clone(&self) -> Self {
        Self::new(self.store.clone())
    }
}

impl<S: Signal> NamedService for Collector<S> {
    const NAME: &'static str = S::SERVICE;
}

impl<S: Signal, B> tower::Service<http::Request<B>> for Collector<S>
where
    B: Body + Send + 'static,
    B::Error: Into<StdError> + Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = BoxFuture<Self::Response, Infallible>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let export = request.uri().path() == format!("/{}/Export", S::SERVICE);
        let method = ExportMethod::<S>(self.clone());
        Box::pin(async move {
            if !export {
                return Ok(Status::unimplemented("no such method").into_http());
            }
            let mut grpc =
                Grpc::new(OtlpCodec::<S>(PhantomData)).max_decoding_message_size(MAX_MESSAGE_BYTES);
            Ok(grpc.unary(method, request).await)
        })
    }
}

struct ExportMethod<S>(Collector<S>);

impl<S: Signal> UnaryService<S> for ExportMethod<S> {
    type Response = S::Response;
    type Future = BoxFuture<Response<S::Response>, Status>;

    fn call(&mut self, request: Request<S>) -> Self::Future {
        let store = self.0.store.clone();
        Box::pin(async move {
            signal::export(store, request.into_inner())
                .await
                .map(Response::new)
                .map_err(Status::from)
        })
    }
}

/// Decodes `S` with [`crate::otlp_proto`], encodes its response with prost.
struct OtlpCodec<S>(PhantomData<fn() -> S>);

impl<S: Signal> Codec for OtlpCodec<S> {
    type Encode = S::Response;
    type Decode = S;
    type Encoder = OtlpCodec<S>;
    type Decoder = OtlpCodec<S>;

    fn encoder(&mut self) -> Self::Encoder {
        OtlpCodec(PhantomData)
    }

    fn decoder(&mut self) -> Self::Decoder {
        OtlpCodec(PhantomData)
    }
}

impl<S: Signal> Encoder for OtlpCodec<S> {
    type Item = S::Response;
    type Error = Status;

    fn encode(&mut self, item: S::Response, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        item.encode(dst)
            .map_err(|e| Status::internal(format!("cannot encode the answer: {e}")))
    }
}

impl<S: Signal> Decoder for OtlpCodec<S> {
    type Item = S;
    type Error = Status;

    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<S>, Status> {
        let bytes = src.copy_to_bytes(src.remaining());
        S::decode_otlp(&bytes).map(Some).map_err(|e| {
            Status::invalid_argument(format!("failed to decode an OTLP export request: {e}"))
        })
    }
}
