//! `coral colony demo|serve|ingest` and `coral query …` end to end: a real
//! DuckDB file, a real server on 127.0.0.1, the real CLI as a client.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use common::{coral, run, run_script, text};

/// A served demo colony; killed on drop.
struct Colony {
    child: Child,
    addr: String,
    _dir: tempfile::TempDir,
}

impl Drop for Colony {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn demo_colony() -> Colony {
    demo_colony_with(&[])
}

/// A served demo colony; `extra` goes to both `demo` and `serve`.
fn demo_colony_with(extra: &[&str]) -> Colony {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.duckdb");
    let mut argv = vec!["colony", "demo", "--db", db.to_str().unwrap()];
    argv.extend(extra);
    let demo = run(&argv);
    assert_eq!(demo.status.code(), Some(0), "{}", text(&demo.stderr));
    assert!(
        text(&demo.stderr).contains("12000 spans"),
        "{}",
        text(&demo.stderr)
    );
    let mut child = coral()
        .args([
            "colony",
            "serve",
            "--db",
            db.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
        ])
        .args(extra)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let banner = lines.next().unwrap().unwrap();
    let addr = banner
        .split(" on ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    Colony {
        child,
        addr,
        _dir: dir,
    }
}

fn query(colony: &Colony, args: &[&str]) -> (i32, String, String) {
    let mut argv = vec!["query", "--colony", &colony.addr];
    argv.extend(args);
    let out = run(&argv);
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

#[test]
fn query_commands_read_the_demo_colony() {
    let colony = demo_colony();
    let (code, out, err) = query(&colony, &["services"]);
    assert_eq!(code, 0, "{err}");
    for service in [
        "api-gateway",
        "payments",
        "orders",
        "inventory",
        "users",
        "search",
    ] {
        assert!(out.contains(service), "{service} missing from\n{out}");
    }
    assert!(out.starts_with("SERVICE"), "{out}");

    // payments has the slow tail: its P99 is over a second.
    let (code, out, err) = query(
        &colony,
        &["metrics", "payments", "--percentile", "99", "-o", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(json["value"].as_f64().unwrap() > 1e9, "{out}");

    // inventory fails about 40% of requests.
    let (_, out, _) = query(
        &colony,
        &[
            "metrics",
            "inventory",
            "--error-rate",
            "--window",
            "1h",
            "-o",
            "json",
        ],
    );
    let rate = serde_json::from_str::<serde_json::Value>(&out).unwrap()["rate"]
        .as_f64()
        .unwrap();
    assert!((0.33..0.47).contains(&rate), "inventory error rate {rate}");

    let (code, out, _) = query(
        &colony,
        &[
            "traces",
            "payments",
            "--slow",
            "--threshold",
            "1s",
            "--limit",
            "3",
            "-o",
            "csv",
        ],
    );
    assert_eq!(code, 0);
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows[0], "TRACE ID,DURATION,TIME,SPAN,STATUS");
    assert_eq!(rows.len(), 4, "{out}");

    let (code, out, _) = query(&colony, &["traces", "inventory", "--errors"]);
    assert_eq!(code, 0);
    assert!(out.contains("error 503"), "{out}");

    let (code, out, err) = query(
        &colony,
        &[
            "sql",
            "SELECT service_name, AVG(p99_duration_ns) FROM service_summary GROUP BY service_name ORDER BY 2 DESC",
            "-o",
            "csv",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines().nth(1).unwrap().starts_with("payments,"),
        "{out}"
    );
}

#[test]
fn query_errors_have_distinct_exit_codes() {
    let colony = demo_colony();
    let (code, _, err) = query(&colony, &["metrics", "ghost"]);
    assert_eq!(code, 1);
    assert!(err.contains("service \"ghost\" not found"), "{err}");
    let (code, _, err) = query(&colony, &["sql", "DROP TABLE spans"]);
    assert_eq!(code, 1);
    assert!(err.contains("read-only"), "{err}");
    let out = run(&["query", "--colony", "127.0.0.1:1", "services"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("unavailable"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn ingest_stores_good_files_and_refuses_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.duckdb");
    let good = dir.path().join("good.json");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    std::fs::write(
        &good,
        format!(
            r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"cli-svc"}}}}]}},"scopeSpans":[{{"spans":[{{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"GET /","kind":2,"startTimeUnixNano":"{now}","endTimeUnixNano":"{}"}}]}}]}}]}}"#,
            now + 1_000_000
        ),
    )
    .unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"nope\": 1}\n").unwrap();
    let out = run(&[
        "colony",
        "ingest",
        "--db",
        db.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("1 spans"));
    let out = run(&[
        "colony",
        "ingest",
        "--db",
        db.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("bad.json:1"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("nothing from"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn stopping_coral_colony_serve_stops_the_server() {
    let colony = demo_colony();
    let addr = colony.addr.clone();
    assert!(std::net::TcpStream::connect(&addr).is_ok());
    drop(colony); // kills the `coral colony serve` process
    // Nothing is left listening: `coral colony` became the server (exec), it
    // did not leave a coral-colony child behind.
    let mut refused = false;
    for _ in 0..50 {
        if std::net::TcpStream::connect(&addr).is_err() {
            refused = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(refused, "a server still listens on {addr}");
}

/// The deterministic epoch (2026-01-01T00:00:00Z) in Unix seconds.
const EPOCH_SECS: &str = "1767225600";

#[test]
fn scripts_get_the_same_answers_over_grpc_as_embedded() {
    // A colony server whose data and clock end at the epoch answers like the
    // embedded colony of a deterministic run.
    let colony = demo_colony_with(&["--fixed-now", EPOCH_SECS]);
    let embedded = run_script(&["run", "examples/latency-report.ts", "--deterministic"]);
    assert_eq!(embedded.0, 0, "{}", embedded.2);
    // Both engines: Deno's SDK calls reach the server through the run's
    // Connect endpoint, which forwards them over gRPC.
    for (engine, env) in [
        ("wasm", false),
        ("wasm", true),
        ("deno", false),
        ("deno", true),
    ] {
        let mut cmd = coral();
        cmd.args(["run", "--engine", engine, "examples/latency-report.ts"]);
        if env {
            cmd.env("CORAL_COLONY_ADDR", &colony.addr);
        } else {
            cmd.args(["--colony", &colony.addr]);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), embedded.1);
        assert!(
            !text(&out.stderr).contains("embedded colony"),
            "no demo announcement when a colony is given"
        );
    }
    // Errors cross gRPC with their class.
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("missing.ts");
    std::fs::write(
        &script,
        "import * as coral from \"@coral/sdk\";\ntry { await coral.services.get(\"nope\"); } catch (e) { console.log((e as Error).name); }\ntry { await coral.db.query(\"DROP TABLE spans\"); } catch (e) { console.log((e as Error).name); }\n",
    )
    .unwrap();
    for engine in ["wasm", "deno"] {
        let (code, out, err) = run_script(&[
            "run",
            "--engine",
            engine,
            script.to_str().unwrap(),
            "--colony",
            &colony.addr,
        ]);
        assert_eq!(code, 0, "{engine}: {err}");
        assert_eq!(out, "NotFound\nQueryRejected\n", "{engine}");
    }
}

#[test]
fn scripts_query_a_database_file_in_process() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("colony.duckdb");
    let made = run(&[
        "colony",
        "demo",
        "--db",
        db.to_str().unwrap(),
        "--fixed-now",
        EPOCH_SECS,
    ]);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made.stderr));
    let embedded = run_script(&["run", "examples/latency-report.ts", "--deterministic"]);
    for engine in ["wasm", "deno"] {
        let (code, out, err) = run_script(&[
            "run",
            "--engine",
            engine,
            "examples/latency-report.ts",
            "--deterministic",
            "--db",
            db.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{engine}: {err}");
        assert_eq!(
            out, embedded.1,
            "{engine}: the same data gives the same report"
        );
        assert!(!err.contains("demo dataset"), "{engine}: {err}");
    }
    // A missing file is a clear ColonyUnavailable, exit 3.
    let missing = dir.path().join("nope.duckdb");
    let (code, _, err) = run_script(&[
        "run",
        "examples/check-latency.ts",
        "--db",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("ColonyUnavailable: no colony database at"),
        "{err}"
    );
    assert!(!missing.exists(), "nothing is created");
}

#[test]
fn a_slow_colony_times_out_per_call() {
    // A listener that accepts and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("slow.ts");
    std::fs::write(
        &script,
        "import * as coral from \"@coral/sdk\";\ntry { await coral.services.list(); } catch (e) { console.log((e as Error).name, (e as Error).message); }\n",
    )
    .unwrap();
    let (code, out, err) = run_script(&[
        "run",
        script.to_str().unwrap(),
        "--colony",
        &addr,
        "--colony-timeout",
        "1",
    ]);
    drop(listener);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("ColonyTimeout ") || out.starts_with("ColonyUnavailable "),
        "{out}"
    );
    assert!(out.contains(&addr), "the message names the address: {out}");
}
