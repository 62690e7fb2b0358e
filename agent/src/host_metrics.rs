//! This machine's CPU and memory, sampled with `sysinfo` and stored in the
//! local store as the OpenTelemetry Collector's hostmetrics receiver sends
//! them (`system.cpu.utilization`, `system.memory.usage` and
//! `system.memory.utilization` with `state = used`), through the colony's
//! own OTLP ingest, under the service `coral-agent` (`host.name` the
//! hostname). So `services.list()` and `system.getMetrics("coral-agent")`
//! answer on a fresh agent.

use std::sync::Arc;
use std::time::Duration;

use coral_colony::{Store, ingest};
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use opentelemetry_proto::tonic::metrics::v1::{
    Gauge, Metric, NumberDataPoint, ResourceMetrics, ScopeMetrics, metric, number_data_point,
};
use opentelemetry_proto::tonic::resource::v1::Resource;
use sysinfo::{CpuRefreshKind, MemoryRefreshKind, RefreshKind, System};

/// The service name the agent's own metrics are recorded under.
pub const SERVICE_NAME: &str = "coral-agent";

/// One sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Busy share of all CPUs since the previous sample, 0 to 1.
    pub cpu_utilization: f64,
    /// Memory in use (total minus available), in bytes.
    pub memory_used_bytes: u64,
    /// `memory_used_bytes` over the total, 0 to 1.
    pub memory_utilization: f64,
}

/// Samples this machine every `interval` and stores each sample, until the
/// process ends (a thread of its own). The first sample is taken once the
/// CPU counters have moved (sysinfo needs two readings).
pub fn start(store: Arc<Store>, interval: Duration) -> std::io::Result<()> {
    let host = System::host_name().unwrap_or_else(|| "localhost".into());
    std::thread::Builder::new()
        .name("coral-host-metrics".into())
        .spawn(move || {
            let mut system = System::new_with_specifics(
                RefreshKind::nothing()
                    .with_cpu(CpuRefreshKind::nothing().with_cpu_usage())
                    .with_memory(MemoryRefreshKind::nothing().with_ram()),
            );
            std::thread::sleep(
                sysinfo::MINIMUM_CPU_UPDATE_INTERVAL.max(Duration::from_millis(250)),
            );
            loop {
                let sample = take(&mut system);
                // A sample that cannot be stored is skipped; the next may be.
                let _ = ingest::ingest_metrics(&store, &request(&host, sample, now_ns()));
                std::thread::sleep(interval);
            }
        })
        .map(drop)
}

fn take(system: &mut System) -> Sample {
    system.refresh_cpu_usage();
    system.refresh_memory();
    let total = system.total_memory().max(1);
    let used = system
        .total_memory()
        .saturating_sub(system.available_memory());
    Sample {
        cpu_utilization: f64::from(system.global_cpu_usage()) / 100.0,
        memory_used_bytes: used,
        memory_utilization: used as f64 / total as f64,
    }
}

fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

fn text(key: &str, value: &str) -> KeyValue {
    KeyValue {
        key: key.into(),
        value: Some(AnyValue {
            value: Some(any_value::Value::StringValue(value.into())),
        }),
        ..Default::default()
    }
}

fn gauge(name: &str, unit: &str, value: f64, attributes: Vec<KeyValue>, at_ns: u64) -> Metric {
    Metric {
        name: name.into(),
        unit: unit.into(),
        data: Some(metric::Data::Gauge(Gauge {
            data_points: vec![NumberDataPoint {
                attributes,
                time_unix_nano: at_ns,
                value: Some(number_data_point::Value::AsDouble(value)),
                ..Default::default()
            }],
        })),
        ..Default::default()
    }
}

/// The OTLP export of one sample.
pub fn request(host: &str, sample: Sample, at_ns: u64) -> ExportMetricsServiceRequest {
    let used = || vec![text("state", "used")];
    ExportMetricsServiceRequest {
        resource_metrics: vec![ResourceMetrics {
            resource: Some(Resource {
                attributes: vec![
                    text("service.name", SERVICE_NAME),
                    text("service.instance.id", host),
                    text("host.name", host),
                ],
                ..Default::default()
            }),
            scope_metrics: vec![ScopeMetrics {
                metrics: vec![
                    gauge(
                        "system.cpu.utilization",
                        "1",
                        sample.cpu_utilization,
                        vec![],
                        at_ns,
                    ),
                    gauge(
                        "system.memory.usage",
                        "By",
                        sample.memory_used_bytes as f64,
                        used(),
                        at_ns,
                    ),
                    gauge(
                        "system.memory.utilization",
                        "1",
                        sample.memory_utilization,
                        used(),
                        at_ns,
                    ),
                ],
                ..Default::default()
            }],
            ..Default::default()
        }],
    }
}
