//! `coral agent serve`: the listeners of one agent.
//!
//! * the Unix socket (ScriptService, no token): bound under a temporary
//!   name, made mode 0600, serving, and only then renamed into place, so a
//!   socket at its path always answers; a stale one (left by `kill -9`) is
//!   replaced, a live one (another agent) is an error;
//! * `--listen` (ScriptService with the token, QueryService without);
//! * `--otlp-listen` (the colony's own router: OTLP/gRPC and OTLP/HTTP
//!   ingest into the local store, and its QueryService);
//! * a loopback listener for the scripts' own queries (the same router).

use std::net::SocketAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, anyhow};
use coral_colony::Store;
use coral_colony::grpc::ColonyServices;
use coral_proto::MAX_MESSAGE_BYTES;
use coral_proto::agent::v1::script_service_server::ScriptServiceServer;
use coral_proto::colony::v1::query_service_server::QueryServiceServer;
use tokio::net::{TcpListener, UnixListener};
use tokio_stream::wrappers::{TcpListenerStream, UnixListenerStream};

use crate::agent::Agent;
use crate::service::ScriptApi;

/// A bound Unix socket, renamed into place by [`UnixSocket::publish`].
#[derive(Debug)]
pub struct UnixSocket {
    listener: UnixListener,
    bound_at: PathBuf,
    path: PathBuf,
}

impl UnixSocket {
    /// Binds the socket for `path` under a temporary name, mode 0600.
    pub fn bind(path: &Path) -> anyhow::Result<Self> {
        if let Ok(meta) = std::fs::symlink_metadata(path) {
            use std::os::unix::fs::FileTypeExt;
            if !meta.file_type().is_socket() {
                return Err(anyhow!(
                    "{} exists and is not a socket; choose another --socket",
                    path.display()
                ));
            }
            if std::os::unix::net::UnixStream::connect(path).is_ok() {
                return Err(anyhow!(
                    "another agent is serving on {} (its socket answers); stop it first or choose another --socket",
                    path.display()
                ));
            }
            std::fs::remove_file(path)
                .with_context(|| format!("cannot replace the stale socket {}", path.display()))?;
        }
        let bound_at = path.with_extension(format!("sock.{}", std::process::id()));
        let _ = std::fs::remove_file(&bound_at);
        // Created 0600, not made so afterwards: nobody else can connect in
        // between.
        // SAFETY: umask only swaps the process's file-creation mask; it is
        // restored at once (nothing else creates files at start-up).
        let mask = unsafe { libc::umask(0o177) };
        let bound = UnixListener::bind(&bound_at);
        // SAFETY: as above, restoring the previous mask.
        unsafe { libc::umask(mask) };
        let listener =
            bound.with_context(|| format!("cannot bind the socket {}", bound_at.display()))?;
        std::fs::set_permissions(&bound_at, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot make {} private", bound_at.display()))?;
        Ok(Self {
            listener,
            bound_at,
            path: path.to_path_buf(),
        })
    }

    /// The path clients will connect to.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Everything `serve` listens on.
#[derive(Debug)]
pub struct Listeners {
    pub socket: UnixSocket,
    /// `--listen`, with the token its ScriptService calls need.
    pub tcp: Option<(TcpListener, String)>,
    /// `--otlp-listen`.
    pub otlp: Option<TcpListener>,
    /// The scripts' own QueryService (loopback).
    pub queries: TcpListener,
}

/// Serves until `shutdown` completes, then removes the socket.
pub async fn serve(
    agent: Arc<Agent>,
    store: Arc<Store>,
    listeners: Listeners,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let Listeners {
        socket,
        tcp,
        otlp,
        queries,
    } = listeners;
    let scripts = ScriptServiceServer::new(ScriptApi::new(agent))
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(MAX_MESSAGE_BYTES);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut tasks = tokio::task::JoinSet::new();

    let until = |mut stopped: tokio::sync::watch::Receiver<bool>| async move {
        let _ = stopped.wait_for(|s| *s).await;
    };
    let socket_server = tonic::transport::Server::builder()
        .add_service(scripts.clone())
        .serve_with_incoming_shutdown(
            UnixListenerStream::new(socket.listener),
            until(stopped.clone()),
        );
    tasks.spawn(async move { socket_server.await.map_err(|e| e.to_string()) });
    // Calls are accepted from here on: now the socket may appear.
    std::fs::rename(&socket.bound_at, &socket.path)
        .with_context(|| format!("cannot publish the socket {}", socket.path.display()))?;

    if let Some((listener, token)) = tcp {
        let guarded = tonic::service::interceptor::InterceptedService::new(
            scripts,
            crate::auth::require(token),
        );
        let queries = QueryServiceServer::new(ColonyServices::new(store.clone()))
            .max_decoding_message_size(MAX_MESSAGE_BYTES)
            .max_encoding_message_size(MAX_MESSAGE_BYTES);
        let tcp_server = tonic::transport::Server::builder()
            .add_service(guarded)
            .add_service(queries)
            .serve_with_incoming_shutdown(TcpListenerStream::new(listener), until(stopped.clone()));
        tasks.spawn(async move { tcp_server.await.map_err(|e| e.to_string()) });
    }
    let colony = |listener: TcpListener, store: Arc<Store>| async move {
        coral_colony::server::serve(listener, store)
            .await
            .map_err(|e| e.to_string())
    };
    if let Some(listener) = otlp {
        tasks.spawn(colony(listener, store.clone()));
    }
    tasks.spawn(colony(queries, store));

    tokio::select! {
        () = shutdown => {}
        Some(ended) = tasks.join_next() => {
            let _ = std::fs::remove_file(&socket.path);
            return Err(match ended {
                Ok(Ok(())) => anyhow!("a listener stopped"),
                Ok(Err(e)) => anyhow!("a listener failed: {e}"),
                Err(e) => anyhow!("a listener failed: {e}"),
            });
        }
    }
    let _ = stop.send(true);
    let _ = std::fs::remove_file(&socket.path);
    Ok(())
}

/// The address a listener is bound to, for the start-up lines.
pub fn local(listener: &TcpListener) -> String {
    listener
        .local_addr()
        .map(|a: SocketAddr| a.to_string())
        .unwrap_or_else(|_| "?".into())
}
