//! The run's colony endpoint for Deno: QueryService over Connect JSON on a
//! free loopback port, answered by the same [`Colony`] the wasm engine uses
//! (embedded demo or `--db` file loaded in this process, or `--colony` over
//! gRPC). Deno may reach this port and nothing else, so a script can only
//! make the read-only QueryService calls the wasm engine offers: there is no
//! ingest route to write through, whatever colony sits behind.
//!
//! Two threads: an HTTP server (tokio, current-thread) and the colony owner,
//! a plain thread, because the gRPC backend drives its own runtime and must
//! not be called from inside another.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use coral_proto::connect::QUERY_SERVICE_PATH;

use super::output::SharedOutput;
use crate::colony::{BackendError, Colony, ColonyOptions, ErrorCode};

/// Largest request body accepted (SDK requests are small; SQL text at most).
const MAX_REQUEST_BYTES: usize = 1 << 20;

struct Job {
    method: String,
    body: Bytes,
    reply: tokio::sync::oneshot::Sender<Result<Vec<u8>, BackendError>>,
}

/// Calls answered and time spent, for `--stats`.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct BridgeStats {
    pub calls: u64,
    pub busy: Duration,
}

/// A running endpoint; [`Bridge::stop`] shuts it down.
pub(crate) struct Bridge {
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    colony: Option<JoinHandle<BridgeStats>>,
}

impl Bridge {
    /// Starts serving `options` until [`Bridge::stop`]. Calls are cut short
    /// at `deadline` (the run's), like the wasm engine's.
    pub(crate) fn start(
        options: &ColonyOptions,
        fixed_now_us: Option<i64>,
        deadline: Instant,
        output: Arc<SharedOutput>,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;

        let (jobs, queue) = mpsc::channel::<Job>();
        let colony = Colony::new(options.source.clone(), fixed_now_us);
        let call_timeout = options.call_timeout;
        let colony = std::thread::Builder::new()
            .name("coral-colony-bridge".into())
            .spawn(move || serve_calls(colony, queue, call_timeout, deadline, &output))?;

        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = std::thread::Builder::new()
            .name("coral-connect-bridge".into())
            .spawn(move || {
                runtime.block_on(async move {
                    use axum::serve::ListenerExt;
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                        return;
                    };
                    // Small answers must not wait for a delayed ACK (Nagle).
                    let listener = listener.tap_io(|tcp| {
                        let _ = tcp.set_nodelay(true);
                    });
                    let app = Router::new()
                        .route(&format!("{QUERY_SERVICE_PATH}/{{method}}"), post(call))
                        .layer(axum::extract::DefaultBodyLimit::max(MAX_REQUEST_BYTES))
                        .with_state(jobs);
                    let _ = axum::serve(listener, app)
                        .with_graceful_shutdown(async {
                            let _ = stopped.await;
                        })
                        .await;
                });
            })?;
        Ok(Self {
            addr,
            shutdown: Some(shutdown),
            server: Some(server),
            colony: Some(colony),
        })
    }

    /// The base URL the SDK posts to.
    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The `host:port` Deno is allowed to reach.
    pub(crate) fn net_permission(&self) -> String {
        self.addr.to_string()
    }

    /// Stops serving; returns what was answered.
    pub(crate) fn stop(mut self) -> BridgeStats {
        self.shut_down()
    }

    fn shut_down(&mut self) -> BridgeStats {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.join();
        }
        // The server dropped its job sender, so the colony thread ends.
        self.colony
            .take()
            .and_then(|colony| colony.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.shut_down();
    }
}

fn serve_calls(
    mut colony: Colony,
    queue: mpsc::Receiver<Job>,
    call_timeout: Duration,
    deadline: Instant,
    output: &SharedOutput,
) -> BridgeStats {
    let mut announce = |line: &str| output.write_stderr(line.as_bytes());
    for job in queue {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let result = if remaining.is_zero() {
            Err(BackendError::new(
                ErrorCode::DeadlineExceeded,
                "the run's --timeout was reached",
            ))
        } else {
            colony.call(
                &job.method,
                &job.body,
                call_timeout.min(remaining),
                &mut announce,
            )
        };
        let _ = job.reply.send(result);
    }
    BridgeStats {
        calls: colony.calls,
        busy: colony.busy,
    }
}

async fn call(
    State(jobs): State<mpsc::Sender<Job>>,
    Path(method): Path<String>,
    body: Bytes,
) -> Response {
    let (reply, answer) = tokio::sync::oneshot::channel();
    let sent = jobs.send(Job {
        method,
        body,
        reply,
    });
    let result = match sent {
        Ok(()) => answer.await.unwrap_or_else(|_| {
            Err(BackendError::new(
                ErrorCode::Internal,
                "the colony bridge stopped",
            ))
        }),
        Err(_) => Err(BackendError::new(
            ErrorCode::Unavailable,
            "the colony bridge stopped",
        )),
    };
    match result {
        Ok(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Err(e) => (
            StatusCode::from_u16(e.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            [(header::CONTENT_TYPE, "application/json")],
            e.code.error_body(&e.message),
        )
            .into_response(),
    }
}
