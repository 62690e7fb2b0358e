//! Every script in `examples/` runs against the embedded demo colony in
//! deterministic mode (the colony's clock and the demo data both end at
//! 2026-01-01T00:00:00Z), and what it prints is checked against answers
//! computed here directly in DuckDB over the same demo dataset.

mod common;

use coral_colony::{ColonyConfig, Store, demo};
use duckdb::params;

use common::{coral, run_with_guard, text};

/// The deterministic epoch, in Unix microseconds.
const EPOCH_US: i64 = 1_767_225_600_000_000;
const HOUR_MS: i64 = 3_600_000;

struct Demo {
    store: Store,
}

impl Demo {
    fn new() -> Self {
        let store = Store::open_in_memory(ColonyConfig::default()).unwrap();
        demo::generate(&store, demo::DEFAULT_SPANS, EPOCH_US).unwrap();
        Self { store }
    }

    fn services(&self) -> Vec<String> {
        self.store
            .read(|c| {
                let mut stmt =
                    c.prepare("SELECT DISTINCT service_name FROM resources ORDER BY 1")?;
                Ok(stmt
                    .query_map([], |r| r.get(0))?
                    .collect::<Result<Vec<String>, _>>()?)
            })
            .unwrap()
    }

    /// (start, end) of the window of `ms` ending at the epoch, in ns.
    fn window(ms: i64) -> (i64, i64) {
        (EPOCH_US * 1000 - ms * 1_000_000, EPOCH_US * 1000)
    }

    fn percentile(&self, service: &str, p: f64, window_ms: i64) -> f64 {
        let (start, end) = Self::window(window_ms);
        self.store
            .read(|c| {
                Ok(c.query_row(
                    &format!(
                        "SELECT quantile_cont(duration_ns, {p}) FROM spans
                         WHERE service_name = ? AND kind = 'SERVER' AND start_time_unix_nano BETWEEN ? AND ?"
                    ),
                    params![service, start, end],
                    |r| r.get(0),
                )?)
            })
            .unwrap()
    }

    /// (errors, total)
    fn errors(&self, service: &str, window_ms: i64) -> (i64, i64) {
        let (start, end) = Self::window(window_ms);
        self.store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT count(*) FILTER (WHERE is_error), count(*) FROM spans
                     WHERE service_name = ? AND kind = 'SERVER' AND start_time_unix_nano BETWEEN ? AND ?",
                    params![service, start, end],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap()
    }

    fn error_rate(&self, service: &str, window_ms: i64) -> f64 {
        let (errors, total) = self.errors(service, window_ms);
        errors as f64 / total as f64
    }

    /// Average (cpu, memory) percent over the last hour.
    fn system(&self, service: &str) -> (f64, f64) {
        let (start, end) = Self::window(HOUR_MS);
        self.store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT round(avg(cpu_percent), 6), round(avg(memory_percent), 6) FROM host_metrics
                     WHERE service_name = ? AND epoch_ns(\"timestamp\") BETWEEN ? AND ?",
                    params![service, start, end],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap()
    }

    /// Rows of `sql` over the last hour of telemetry, as text columns.
    fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        let start = EPOCH_US - HOUR_MS * 1000;
        let windowed = format!(
            "WITH spans AS (SELECT * FROM main.spans WHERE \"timestamp\" >= make_timestamp({start})),
                  service_summary AS (SELECT * FROM main.service_summary WHERE \"timestamp\" >= make_timestamp({start})),
                  system_metrics_rollup AS (SELECT * FROM main.system_metrics_rollup WHERE \"timestamp\" >= make_timestamp({start}))
             {sql}"
        );
        self.store
            .read(|c| {
                let mut stmt = c.prepare(&windowed)?;
                let mut rows = stmt.query([])?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let n = row.as_ref().column_count();
                    out.push(
                        (0..n)
                            .map(|i| {
                                use duckdb::types::ValueRef;
                                match row.get_ref(i).unwrap() {
                                    ValueRef::Double(d) => format!("{d:.3}"),
                                    ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                                    ValueRef::BigInt(n) => n.to_string(),
                                    ValueRef::HugeInt(n) => n.to_string(),
                                    v => panic!("unexpected value {v:?}"),
                                }
                            })
                            .collect(),
                    );
                }
                Ok(out)
            })
            .unwrap()
    }
}

/// Runs an example deterministically; returns (exit code, stdout, stderr).
fn run_example(name: &str, extra: &[&str]) -> (i32, String, String) {
    let mut cmd = coral();
    cmd.args(["run", &format!("examples/{name}"), "--deterministic"])
        .args(extra);
    let out = run_with_guard(cmd, std::time::Duration::from_secs(120));
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

fn ok(name: &str) -> String {
    let (code, out, err) = run_example(name, &[]);
    assert_eq!(code, 0, "{name}: {err}");
    assert!(
        err.contains("embedded colony with the demo dataset (6 services, 12000 spans"),
        "{name} announces the demo colony: {err}"
    );
    out
}

fn ms(ns: f64) -> String {
    format!("{:.1}", ns / 1e6)
}

#[test]
fn latency_report_matches_duckdb() {
    let demo = Demo::new();
    let mut want = String::from("Service Latency Report\n\n");
    for svc in demo.services() {
        let p99 = demo.percentile(&svc, 0.99, HOUR_MS);
        let rate = demo.error_rate(&svc, HOUR_MS);
        want += &format!(
            "{svc}:\n  P99: {}ms\n  Error Rate: {:.2}%\n",
            ms(p99),
            rate * 100.0
        );
        if p99 > 500e6 {
            want += "  ⚠️  High latency detected!\n";
        }
    }
    assert!(
        want.contains("payments:\n  P99: 2"),
        "the demo's slow service"
    );
    assert_eq!(ok("latency-report.ts"), want);
}

#[test]
fn check_latency_matches_duckdb() {
    let demo = Demo::new();
    let mut want = String::from("Services with high latency (>500ms):\n\n");
    for svc in demo.services() {
        let p99 = demo.percentile(&svc, 0.99, HOUR_MS);
        if p99 > 500e6 {
            want += &format!("{svc}: {}ms\n", ms(p99));
        }
    }
    assert_eq!(ok("check-latency.ts"), want);
}

#[test]
fn cross_service_correlation_matches_duckdb() {
    let demo = Demo::new();
    let mut lines = Vec::new();
    for svc in ["payments", "orders", "inventory"] {
        let rate = demo.error_rate(svc, 300_000);
        let (cpu, memory) = demo.system(svc);
        if rate > 0.01 {
            lines.push(format!(
                "  {svc}: {:.2}% errors, CPU: {cpu}%, Memory: {memory}%\n",
                rate * 100.0
            ));
        }
    }
    assert!(lines.len() >= 2, "the demo data has a cascading failure");
    let want = format!("⚠️  Cascading failure detected!\n{}", lines.concat());
    assert_eq!(ok("cross-service-correlation.ts"), want);
}

#[test]
fn sdk_tour_matches_duckdb() {
    let demo = Demo::new();
    let namespaces = demo.rows(
        "SELECT service_name, any_value(service_namespace) FROM resources GROUP BY 1 ORDER BY 1",
    );
    let mut want: String = namespaces
        .iter()
        .map(|r| format!("{} ({})\n", r[0], r[1]))
        .collect();
    let (cpu, memory) = demo.system("payments");
    want += &format!("CPU: {cpu}%\nMemory: {memory}%\nScript started\n");
    let (code, out, err) = run_example("sdk-tour.ts", &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, want);
    assert!(err.ends_with("Something went wrong\n"), "{err}");
}

#[test]
fn correlation_analysis_matches_duckdb() {
    let demo = Demo::new();
    let rows = demo.rows(
        "SELECT s.service_name, count(*), sum(s.error_count), sum(s.request_count),
                corr(s.error_rate, m.cpu_percent), corr(s.error_rate, m.memory_percent)
         FROM service_summary s JOIN system_metrics_rollup m USING (service_name, \"timestamp\")
         GROUP BY 1 ORDER BY 1",
    );
    let out = ok("correlation-analysis.ts");
    assert_eq!(rows.len(), 6);
    for row in rows {
        let name = &row[0];
        let line = out
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no line for {name} in\n{out}"));
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields[1], row[1], "{line}");
        assert_eq!(fields[2], format!("{}/{}", row[2], row[3]), "{line}");
        assert_eq!(fields[3], row[4], "{line}");
        assert_eq!(fields[4], row[5], "{line}");
    }
}

#[test]
fn service_activity_matches_duckdb() {
    let demo = Demo::new();
    let out = ok("service-activity.ts");
    for svc in demo.services() {
        let (errors, total) = demo.errors(&svc, HOUR_MS);
        let line = out
            .lines()
            .find(|l| l.starts_with(&format!("{svc} ")))
            .unwrap_or_else(|| panic!("no line for {svc} in\n{out}"));
        assert!(
            line.ends_with(&format!("{total:>6} requests {errors:>5} errors")),
            "{line}"
        );
        // One bar per 10-minute bucket of the hour.
        assert_eq!(
            line.split_whitespace().nth(1).unwrap().chars().count(),
            6,
            "{line}"
        );
    }
}

/// The alert a check prints for `svc` over the 5-minute window, if any.
fn alert_line(demo: &Demo, svc: &str) -> Option<String> {
    let p99_ms = demo.percentile(svc, 0.99, 300_000) / 1e6;
    let (errors, total) = demo.errors(svc, 300_000);
    let pct = errors as f64 * 100.0 / total as f64;
    let level = if p99_ms > 1000.0 || pct > 10.0 {
        "CRITICAL"
    } else if p99_ms > 500.0 || pct > 5.0 {
        "WARNING"
    } else {
        return None;
    };
    Some(format!(
        "  {level:<8} {svc:<12} p99 {p99_ms:.1}ms, errors {pct:.2}% ({errors}/{total})"
    ))
}

#[test]
fn high_latency_alert_checks_until_the_deadline() {
    let demo = Demo::new();
    let alerts: Vec<String> = demo
        .services()
        .iter()
        .filter_map(|s| alert_line(&demo, s))
        .collect();
    assert!(!alerts.is_empty(), "the demo data has unhealthy services");
    // Checks at 0 s, 10 s and 20 s of virtual time; the 25 s deadline ends
    // the loop during the third sleep.
    let (code, out, err) = run_example("high-latency-alert.ts", &["--timeout", "25"]);
    assert_eq!(code, 10, "{err}");
    assert!(
        err.contains("the 25s limit (--timeout) was reached"),
        "{err}"
    );
    let mut want =
        String::from("Alerting on P99 > 500ms or errors > 5% (window 5 min, every 10s)\n");
    for (i, at) in ["00", "10", "20"].iter().enumerate() {
        want += &format!(
            "\n[2026-01-01T00:00:{at}.000Z] check {}: 6 services\n",
            i + 1
        );
        for alert in &alerts {
            want += alert;
            want.push('\n');
        }
    }
    assert_eq!(out, want);
    // Every alert is also an event, on stderr.
    assert_eq!(
        err.matches("event service_unhealthy [").count(),
        alerts.len() * 3,
        "{err}"
    );
}

#[test]
fn demo_monitor_ticks_with_set_interval() {
    let demo = Demo::new();
    let window = 15 * 60_000;
    let services = demo.services();
    let slowest = services
        .iter()
        .map(|s| (s, demo.percentile(s, 0.95, window)))
        .fold(None::<(&String, f64)>, |best, (s, p)| match best {
            Some((_, b)) if b >= p => best,
            _ => Some((s, p)),
        })
        .unwrap();
    let failing = services
        .iter()
        .map(|s| (s, demo.error_rate(s, window)))
        .fold(None::<(&String, f64)>, |best, (s, r)| match best {
            Some((_, b)) if b >= r => best,
            _ => Some((s, r)),
        })
        .unwrap();
    let line = |n: usize, at: &str| {
        format!(
            "00:00:{at} #{n}  slowest p95: {} {}ms  worst errors: {} {:.1}%\n",
            slowest.0,
            ms(slowest.1),
            failing.0,
            failing.1 * 100.0
        )
    };
    let (code, out, err) = run_example("demo-monitor.ts", &["--param", "ticks=3"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, [line(1, "00"), line(2, "05"), line(3, "10")].concat());
    // Without a tick count it runs until the deadline.
    let (code, out, err) = run_example("demo-monitor.ts", &["--timeout", "12"]);
    assert_eq!(code, 10, "{err}");
    assert_eq!(out.lines().count(), 3, "{out}");
}

#[test]
fn hello_needs_no_colony() {
    let (code, out, err) = run_example("hello.ts", &["--param", "name=you"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "Hello, you!\n");
    assert!(!err.contains("colony"), "no colony is opened: {err}");
}
