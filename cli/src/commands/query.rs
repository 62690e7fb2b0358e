//! `coral query`: ask a colony directly (the same QueryService scripts use).

use clap::{Args, Subcommand};
use coral_proto::colony::v1 as pb;
use coral_proto::colony::v1::query_service_client::QueryServiceClient;

use crate::duration::{format_ns, parse as parse_duration};
use crate::exit;
use crate::stdio::errln;
use crate::table::{Cell, Column, Output, Table, rfc3339};

/// `coral query …`.
#[derive(Debug, Args)]
pub struct QueryCommand {
    /// The colony's address (host:port).
    #[arg(
        long,
        global = true,
        env = "CORAL_COLONY_ADDR",
        default_value = "127.0.0.1:9090"
    )]
    colony: String,
    /// Output format.
    #[arg(long, short, global = true, value_enum, default_value_t = Output::Table)]
    output: Output,
    #[command(subcommand)]
    command: QuerySubcommand,
}

#[derive(Debug, Subcommand)]
enum QuerySubcommand {
    /// List services.
    Services {
        /// Only this namespace.
        #[arg(long)]
        namespace: Option<String>,
    },
    /// A latency percentile or the error rate of a service.
    Metrics {
        /// The service.
        service: String,
        /// The metric.
        #[arg(long, default_value = "http.server.duration")]
        metric: String,
        /// Percentile: 99 or 0.99 both mean P99.
        #[arg(long, default_value_t = 99.0)]
        percentile: f64,
        /// Report the error rate instead of a percentile.
        #[arg(long)]
        error_rate: bool,
        /// Window ending now (500ms, 5m, 1h, …).
        #[arg(long, default_value = "1h", value_parser = parse_duration)]
        window: std::time::Duration,
    },
    /// Slow or failing traces of a service.
    Traces {
        /// The service.
        service: String,
        /// Traces slower than --threshold.
        #[arg(long, conflicts_with = "errors", required_unless_present = "errors")]
        slow: bool,
        /// Traces that failed.
        #[arg(long)]
        errors: bool,
        /// With --slow: the minimum duration.
        #[arg(long, default_value = "500ms", value_parser = parse_duration)]
        threshold: std::time::Duration,
        /// Most traces to show.
        #[arg(long, default_value_t = 10)]
        limit: i32,
        /// Window ending now.
        #[arg(long, default_value = "1h", value_parser = parse_duration)]
        window: std::time::Duration,
    },
    /// Raw read-only SQL (one statement; automatic LIMIT and time window).
    Sql {
        /// The query.
        query: String,
        /// Most rows (default 10,000; with --no-auto-limits 100,000, the
        /// colony's maximum).
        #[arg(long, default_value_t = 0)]
        max_rows: i32,
        /// No automatic time filter and no default row LIMIT (--max-rows and
        /// the colony's maximum of 100,000 rows still apply).
        #[arg(long)]
        no_auto_limits: bool,
    },
}

/// A window flag in whole milliseconds; under 1 ms would mean "default".
fn window_ms(window: std::time::Duration) -> Result<i64, tonic::Status> {
    match i64::try_from(window.as_millis()) {
        Ok(ms) if ms >= 1 => Ok(ms),
        _ => Err(tonic::Status::invalid_argument(
            "--window must be at least 1ms",
        )),
    }
}

fn value_text(v: &pb::Value) -> String {
    use pb::value::Kind;
    match &v.kind {
        None | Some(Kind::NullValue(_)) => String::new(),
        Some(Kind::BoolValue(b)) => b.to_string(),
        Some(Kind::IntValue(i)) => i.to_string(),
        Some(Kind::DoubleValue(d)) => d.to_string(),
        Some(Kind::StringValue(s)) | Some(Kind::BigIntValue(s)) => s.clone(),
        Some(Kind::TimestampMicros(us)) => rfc3339(&Some(pbjson_types::Timestamp {
            seconds: us.div_euclid(1_000_000),
            nanos: (us.rem_euclid(1_000_000) * 1000) as i32,
        })),
    }
}

impl QueryCommand {
    /// Runs the command; returns the exit code.
    pub fn execute(self) -> u8 {
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                errln!("error: cannot start the async runtime: {e}");
                return exit::INTERNAL;
            }
        };
        runtime.block_on(self.run())
    }

    async fn run(self) -> u8 {
        let QueryCommand {
            colony,
            output,
            command,
        } = self;
        let endpoint = coral_runtime::endpoint_url(&colony);
        let mut client = match QueryServiceClient::connect(endpoint.clone()).await {
            // As large as the colony may send (ExecuteQuery results).
            Ok(client) => client.max_decoding_message_size(coral_proto::MAX_MESSAGE_BYTES),
            Err(e) => {
                errln!(
                    "error: the colony at {colony} is unavailable ({e}); start one with `coral colony serve` or set CORAL_COLONY_ADDR"
                );
                return exit::UNAVAILABLE;
            }
        };
        let result: Result<(), tonic::Status> = async {
            match command {
                QuerySubcommand::Services { namespace } => {
                    let resp = client
                        .list_services(pb::ListServicesRequest {
                            namespace: namespace.unwrap_or_default(),
                        })
                        .await?
                        .into_inner();
                    Table {
                        columns: vec![
                            Column::new("SERVICE", "service"),
                            Column::new("NAMESPACE", "namespace"),
                            Column::new("REGION", "region"),
                            Column::new("INSTANCES", "instance_count"),
                            Column::new("LAST SEEN", "last_seen"),
                        ],
                        rows: resp
                            .services
                            .iter()
                            .map(|s| {
                                vec![
                                    Cell::text(&s.name),
                                    Cell::text(&s.namespace),
                                    Cell::text(&s.region),
                                    Cell::text(s.instance_count.to_string()),
                                    Cell::text(rfc3339(&s.last_seen)),
                                ]
                            })
                            .collect(),
                    }
                    .print(output, &resp);
                }
                QuerySubcommand::Metrics {
                    service,
                    metric,
                    percentile,
                    error_rate,
                    window,
                } => {
                    let window_ms = window_ms(window)?;
                    if error_rate {
                        let resp = client
                            .get_error_rate(pb::GetErrorRateRequest {
                                service: service.clone(),
                                time_range_ms: window_ms,
                            })
                            .await?
                            .into_inner();
                        Table {
                            columns: vec![
                                Column::new("SERVICE", "service"),
                                Column::new("ERROR RATE", "error_rate_fraction"),
                                Column::new("ERRORS", "error_count"),
                                Column::new("REQUESTS", "total_count"),
                            ],
                            rows: vec![vec![
                                Cell::text(service),
                                Cell::shown_as(format!("{:.2}%", resp.rate * 100.0), resp.rate),
                                Cell::text(resp.error_count.to_string()),
                                Cell::text(resp.total_count.to_string()),
                            ]],
                        }
                        .print(output, &resp);
                    } else {
                        let fraction = if percentile > 1.0 {
                            percentile / 100.0
                        } else {
                            percentile
                        };
                        let resp = client
                            .get_percentile(pb::GetPercentileRequest {
                                service: service.clone(),
                                metric: metric.clone(),
                                percentile: fraction,
                                time_range_ms: window_ms,
                            })
                            .await?
                            .into_inner();
                        let (value, unit) = if resp.unit == "nanoseconds" {
                            (format_ns(resp.value), "ns".to_string())
                        } else {
                            (format!("{} {}", resp.value, resp.unit), resp.unit.clone())
                        };
                        let value_column = if unit.is_empty() {
                            "value".to_string()
                        } else {
                            format!("value_{unit}")
                        };
                        Table {
                            columns: vec![
                                Column::new("SERVICE", "service"),
                                Column::new("METRIC", "metric"),
                                Column::new("PERCENTILE", "percentile_fraction"),
                                Column::new("VALUE", &value_column),
                                Column::new("SAMPLES", "sample_count"),
                                Column::new("METHOD", "method"),
                            ],
                            rows: vec![vec![
                                Cell::text(service),
                                Cell::text(metric),
                                Cell::shown_as(format!("P{}", fraction * 100.0), fraction),
                                Cell::shown_as(value, resp.value),
                                Cell::text(resp.sample_count.to_string()),
                                Cell::text(resp.method.clone()),
                            ]],
                        }
                        .print(output, &resp);
                    }
                }
                QuerySubcommand::Traces {
                    service,
                    slow,
                    errors: _,
                    threshold,
                    limit,
                    window,
                } => {
                    let window_ms = window_ms(window)?;
                    let (traces, json) = if slow {
                        let r = client
                            .find_slow_traces(pb::FindSlowTracesRequest {
                                service,
                                min_duration_ns: threshold.as_nanos() as i64,
                                time_range_ms: window_ms,
                                limit,
                            })
                            .await?
                            .into_inner();
                        let json = serde_json::to_value(&r).unwrap_or_default();
                        (r.traces, json)
                    } else {
                        let r = client
                            .find_error_traces(pb::FindErrorTracesRequest {
                                service,
                                time_range_ms: window_ms,
                                limit,
                            })
                            .await?
                            .into_inner();
                        let json = serde_json::to_value(&r).unwrap_or_default();
                        (r.traces, json)
                    };
                    Table {
                        columns: vec![
                            Column::new("TRACE ID", "trace_id"),
                            Column::new("DURATION", "duration_ns"),
                            Column::new("TIME", "timestamp"),
                            Column::new("SPAN", "span_name"),
                            Column::new("STATUS", "http_status_code"),
                            Column::csv_only("error"),
                        ],
                        rows: traces
                            .iter()
                            .map(|t| {
                                vec![
                                    Cell::text(&t.trace_id),
                                    Cell::shown_as(format_ns(t.duration_ns as f64), t.duration_ns),
                                    Cell::text(rfc3339(&t.timestamp)),
                                    Cell::text(&t.span_name),
                                    Cell::shown_as(
                                        if t.error {
                                            format!("error {}", t.http_status_code)
                                        } else {
                                            t.http_status_code.to_string()
                                        },
                                        t.http_status_code,
                                    ),
                                    Cell::shown_as(String::new(), t.error),
                                ]
                            })
                            .collect(),
                    }
                    .print(output, &json);
                }
                QuerySubcommand::Sql {
                    query,
                    max_rows,
                    no_auto_limits,
                } => {
                    let resp = client
                        .execute_query(pb::ExecuteQueryRequest {
                            sql: query,
                            max_rows,
                            no_auto_limits,
                            time_range_ms: 0,
                        })
                        .await?
                        .into_inner();
                    Table {
                        columns: resp
                            .columns
                            .iter()
                            .map(|c| Column::new(&c.name, &c.name))
                            .collect(),
                        rows: resp
                            .rows
                            .iter()
                            .map(|r| r.values.iter().map(|v| Cell::text(value_text(v))).collect())
                            .collect(),
                    }
                    .print(output, &resp);
                    match (resp.truncated, resp.truncated_by.as_str()) {
                        (false, _) => {}
                        (true, "bytes") => errln!(
                            "(truncated at {} rows: the answer reached the colony's {} MiB budget; select fewer or narrower columns, or aggregate)",
                            resp.row_count,
                            coral_proto::MAX_RESULT_BYTES / (1024 * 1024)
                        ),
                        (true, _) if resp.row_count as usize >= coral_proto::MAX_ROWS => errln!(
                            "(truncated at {} rows, the colony's maximum; aggregate or narrow the query)",
                            resp.row_count
                        ),
                        (true, _) => errln!(
                            "(truncated at {} rows, the row cap; raise it with --max-rows N, up to {})",
                            resp.row_count,
                            coral_proto::MAX_ROWS
                        ),
                    }
                }
            }
            Ok(())
        }
        .await;
        match result {
            Ok(()) => exit::SUCCESS,
            Err(status) if status.code() == tonic::Code::Unavailable => {
                errln!(
                    "error: the colony at {colony} is unavailable: {}",
                    status.message()
                );
                exit::UNAVAILABLE
            }
            Err(status) => {
                errln!("error: {}", status.message());
                exit::QUERY_FAILED
            }
        }
    }
}
