//! The Coral agent (`coral agent serve`, RFD 076's agent-side execution):
//! deployed scripts running beside the services they watch, on a local
//! telemetry store, driven over ScriptService (`coral.agent.v1`).
//!
//! * [`script`]: kinds, states, what a deploy is and how its runs went;
//! * [`persist`]: the data directory, which survives `kill -9`;
//! * [`agent`]: the scripts and their runs (the wasm engine, one thread
//!   per run), time to live, resume after a restart;
//! * [`logs`] and [`events`]: what scripts print and `emit`;
//! * [`service`]: ScriptService over gRPC; [`auth`]: the token TCP calls
//!   need; [`server`]: the socket and listeners;
//! * [`host_metrics`]: this machine's CPU and memory in the local store;
//! * [`schedule`]: the agent's clock, cron schedules, restart backoff.
//!
//! The store is the colony's (`coral-colony`: schema, OTLP ingest,
//! QueryService), reused whole. `docs/agent.md` describes the model and
//! the security boundary.

pub mod agent;
pub mod auth;
pub mod events;
pub mod host_metrics;
pub mod logs;
pub mod persist;
pub mod schedule;
pub mod script;
pub mod server;
pub mod service;
