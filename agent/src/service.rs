//! ScriptService (`proto/coral/agent/v1/script.proto`) over the agent's
//! scripts. Calls that wait (a deploy compiles, a stop waits for the run to
//! record its end) run on tokio's blocking pool.

use std::collections::BTreeMap;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use coral_host_abi::bundle::BundleMeta;
use coral_proto::agent::v1 as pb;
use coral_proto::agent::v1::script_service_server::ScriptService;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::{Stream, StreamExt};
use tonic::{Request, Response, Status};

use crate::agent::{Agent, AgentError};
use crate::logs::{Line, Source};
use crate::schedule::{Concurrency, Restart, Schedule};
use crate::script::{self, Kind, Program, Spec};

/// The gRPC face of an [`Agent`].
#[derive(Debug, Clone)]
pub struct ScriptApi {
    agent: Arc<Agent>,
}

impl ScriptApi {
    /// ScriptService over `agent`.
    pub fn new(agent: Arc<Agent>) -> Self {
        Self { agent }
    }

    /// Runs `f` on the blocking pool.
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(Arc<Agent>) -> Result<T, AgentError> + Send + 'static,
    ) -> Result<T, Status> {
        let agent = self.agent.clone();
        tokio::task::spawn_blocking(move || f(agent))
            .await
            .map_err(|e| Status::internal(format!("the call's worker failed: {e}")))?
            .map_err(to_status)
    }
}

/// The gRPC status of a refused call.
fn to_status(error: AgentError) -> Status {
    let message = error.to_string();
    match error {
        AgentError::NotFound(_) => Status::not_found(message),
        AgentError::Invalid(_) | AgentError::Program(_) => Status::invalid_argument(message),
        AgentError::State(_) => Status::failed_precondition(message),
        AgentError::Storage(_) => Status::internal(message),
    }
}

type Streamed<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

/// The deploy's spec and program, or why it is malformed.
fn deploy_request(request: pb::DeployRequest) -> Result<(Spec, Program), AgentError> {
    let kind = match pb::ScriptKind::try_from(request.kind) {
        Ok(pb::ScriptKind::Daemon) => Kind::Daemon,
        Ok(pb::ScriptKind::Schedule) => Kind::Schedule,
        Ok(pb::ScriptKind::Adhoc | pb::ScriptKind::Unspecified) => Kind::Adhoc,
        Err(_) => {
            return Err(AgentError::Invalid(format!(
                "unknown script kind {}",
                request.kind
            )));
        }
    };
    let ttl = match request.ttl_ms {
        0 => kind.default_ttl(),
        ms => Duration::from_millis(ms).min(script::MAX_TTL),
    };
    let (program, entry) = match request.program {
        Some(pb::deploy_request::Program::Script(compiled)) => (
            Program::Script {
                js: compiled.js,
                source_map: compiled.source_map,
                sources: compiled.sources.into_iter().collect::<BTreeMap<_, _>>(),
            },
            compiled.entry,
        ),
        Some(pb::deploy_request::Program::WasmBundle(wasm)) => {
            let entry = BundleMeta::read_from(&wasm)
                .map(|meta| meta.entry)
                .unwrap_or_default();
            (Program::Bundle(wasm), entry)
        }
        None => return Err(AgentError::Invalid("the deploy carries no program".into())),
    };
    let schedule = (!request.schedule.is_empty()).then(|| Schedule {
        cron: request.schedule.clone(),
        timezone: match request.timezone.as_str() {
            "" => "UTC".to_string(),
            zone => zone.to_string(),
        },
        concurrency: match pb::Concurrency::try_from(request.concurrency) {
            Ok(pb::Concurrency::Allow) => Concurrency::Allow,
            Ok(pb::Concurrency::Replace) => Concurrency::Replace,
            _ => Concurrency::Forbid,
        },
    });
    let restart = if request.restart_on_failure {
        Restart::OnFailure {
            max_restarts: (request.max_restarts > 0).then_some(request.max_restarts),
        }
    } else {
        Restart::Never
    };
    let spec = Spec {
        name: request.name,
        kind,
        ttl_ms: ttl.as_millis() as u64,
        params: request.params.into_iter().collect(),
        memory_bytes: request.memory_bytes,
        entry,
        deployed_at_ms: script::now_ms(),
        schedule,
        restart,
        keep_runs: match request.keep_runs {
            0 => script::DEFAULT_KEEP_RUNS,
            n => n as usize,
        },
    };
    Ok((spec, program))
}

/// A broadcast receiver as a stream that says where a slow follower lost
/// items instead of ending.
fn follow<T: Clone + Send + 'static, U: Send + 'static>(
    receiver: tokio::sync::broadcast::Receiver<T>,
    keep: impl Fn(&T) -> bool + Send + 'static,
    convert: impl Fn(T) -> U + Send + 'static,
    lagged: impl Fn(u64) -> Option<U> + Send + 'static,
) -> impl Stream<Item = Result<U, Status>> + Send {
    BroadcastStream::new(receiver).filter_map(move |item| match item {
        Ok(value) if keep(&value) => Some(Ok(convert(value))),
        Ok(_) => None,
        Err(BroadcastStreamRecvError::Lagged(n)) => lagged(n).map(Ok),
    })
}

#[tonic::async_trait]
impl ScriptService for ScriptApi {
    async fn deploy(
        &self,
        request: Request<pb::DeployRequest>,
    ) -> Result<Response<pb::ScriptStatus>, Status> {
        let (spec, program) = deploy_request(request.into_inner()).map_err(to_status)?;
        let status = self
            .blocking(move |agent| agent.deploy(spec, program))
            .await?;
        Ok(Response::new(status))
    }

    async fn stop(
        &self,
        request: Request<pb::ScriptRef>,
    ) -> Result<Response<pb::ScriptStatus>, Status> {
        let name = request.into_inner().name;
        Ok(Response::new(
            self.blocking(move |agent| agent.stop(&name)).await?,
        ))
    }

    async fn start(
        &self,
        request: Request<pb::ScriptRef>,
    ) -> Result<Response<pb::ScriptStatus>, Status> {
        let name = request.into_inner().name;
        Ok(Response::new(
            self.blocking(move |agent| agent.start(&name)).await?,
        ))
    }

    async fn delete(
        &self,
        request: Request<pb::ScriptRef>,
    ) -> Result<Response<pb::DeleteResponse>, Status> {
        let name = request.into_inner().name;
        self.blocking(move |agent| agent.delete(&name)).await?;
        Ok(Response::new(pb::DeleteResponse {}))
    }

    async fn renew(
        &self,
        request: Request<pb::RenewRequest>,
    ) -> Result<Response<pb::ScriptStatus>, Status> {
        let request = request.into_inner();
        let ttl = (request.ttl_ms > 0)
            .then(|| Duration::from_millis(request.ttl_ms).min(script::MAX_TTL));
        let name = request.name;
        Ok(Response::new(
            self.blocking(move |agent| agent.renew(&name, ttl)).await?,
        ))
    }

    async fn get_status(
        &self,
        request: Request<pb::ScriptRef>,
    ) -> Result<Response<pb::ScriptStatus>, Status> {
        let name = request.into_inner().name;
        Ok(Response::new(self.agent.status(&name).map_err(to_status)?))
    }

    async fn list(
        &self,
        _request: Request<pb::ListRequest>,
    ) -> Result<Response<pb::ListResponse>, Status> {
        Ok(Response::new(pb::ListResponse {
            scripts: self.agent.list(),
        }))
    }

    async fn run_now(
        &self,
        request: Request<pb::ScriptRef>,
    ) -> Result<Response<pb::ScriptStatus>, Status> {
        let name = request.into_inner().name;
        Ok(Response::new(
            self.blocking(move |agent| agent.run_now(&name)).await?,
        ))
    }

    async fn list_runs(
        &self,
        request: Request<pb::ScriptRef>,
    ) -> Result<Response<pb::ListRunsResponse>, Status> {
        let name = request.into_inner().name;
        let (runs, next) = self.agent.runs(&name).map_err(to_status)?;
        Ok(Response::new(pb::ListRunsResponse {
            runs: runs.iter().map(|run| run.to_proto()).collect(),
            next_tick_unix_ms: next.unwrap_or(0),
        }))
    }

    type StreamLogsStream = Streamed<pb::LogLine>;

    async fn stream_logs(
        &self,
        request: Request<pb::StreamLogsRequest>,
    ) -> Result<Response<Self::StreamLogsStream>, Status> {
        let request = request.into_inner();
        let log = self.agent.log(&request.name).map_err(to_status)?;
        let (lines, receiver) = log.snapshot();
        let retained = tokio_stream::iter(lines.into_iter().map(|line| Ok(line.to_proto())));
        if !request.follow {
            return Ok(Response::new(Box::pin(retained)));
        }
        let followed = follow(
            receiver,
            |_| true,
            |line: Line| line.to_proto(),
            |n| {
                Some(
                    Line {
                        run_id: 0,
                        time_ms: script::now_ms(),
                        source: Source::Agent,
                        text: format!("({n} lines not shown: this follower fell behind)"),
                    }
                    .to_proto(),
                )
            },
        );
        Ok(Response::new(Box::pin(retained.chain(followed))))
    }

    type StreamEventsStream = Streamed<pb::ScriptEvent>;

    async fn stream_events(
        &self,
        request: Request<pb::StreamEventsRequest>,
    ) -> Result<Response<Self::StreamEventsStream>, Status> {
        let request = request.into_inner();
        if !self.agent.exists(&request.name) {
            return Err(to_status(AgentError::NotFound(request.name)));
        }
        let name = request.name.clone();
        let (events, receiver) = self
            .blocking(move |agent| {
                agent
                    .events()
                    .retained(&name)
                    .map_err(|e| AgentError::Storage(std::io::Error::other(e.to_string())))
            })
            .await?;
        let retained = tokio_stream::iter(events.into_iter().map(|e| Ok(e.to_proto())));
        if !request.follow {
            return Ok(Response::new(Box::pin(retained)));
        }
        let name = request.name;
        let followed = follow(
            receiver,
            move |event: &crate::events::Emitted| event.script == name,
            |event| event.to_proto(),
            |_| None,
        );
        Ok(Response::new(Box::pin(retained.chain(followed))))
    }
}
