//! `coral colony demo|serve|ingest` and `coral query …` end to end: a real
//! DuckDB file, a real server on 127.0.0.1, the real CLI as a client.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use common::{coral, run, run_script, spawn_server, text};

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
    let (child, addr) = serve(&db, extra);
    Colony {
        child,
        addr,
        _dir: dir,
    }
}

/// `coral colony serve --db DB` on a free port, plus `extra`.
fn serve(db: &std::path::Path, extra: &[&str]) -> (Child, String) {
    let mut cmd = coral();
    cmd.args([
        "colony",
        "serve",
        "--db",
        db.to_str().unwrap(),
        "--listen",
        "127.0.0.1:0",
    ])
    .args(extra);
    spawn_server(cmd)
}

/// `coral colony ingest --db DB FILE`.
fn ingest(db: &std::path::Path, file: &std::path::Path) -> std::process::Output {
    run(&[
        "colony",
        "ingest",
        "--db",
        db.to_str().unwrap(),
        file.to_str().unwrap(),
    ])
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
    let _load = shared_load();
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
    // CSV carries raw values, the unit in the header.
    assert_eq!(
        rows[0],
        "trace_id,duration_ns,timestamp,span_name,http_status_code,error"
    );
    assert_eq!(rows.len(), 4, "{out}");
    for row in &rows[1..] {
        let duration: u64 = row.split(',').nth(1).unwrap().parse().unwrap();
        assert!(duration >= 1_000_000_000, "{row}");
    }

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
    let _load = shared_load();
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
    let _load = shared_load();
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
    let out = ingest(&db, &good);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("1 spans"));
    let out = ingest(&db, &bad);
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
    let _load = shared_load();
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
    let _load = shared_load();
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
    let _load = shared_load();
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
        assert!(
            !err.contains("warning"),
            "{engine}: data made for the epoch: {err}"
        );
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
fn deterministic_runs_warn_when_a_file_s_data_ends_elsewhere() {
    let _load = shared_load();
    // Made at the real time: under --deterministic the pinned clock is
    // 2026-01-01, so every window would be empty; the run says so.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("today.duckdb");
    let made = run(&["colony", "demo", "--db", db.to_str().unwrap()]);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made.stderr));
    for engine in ["wasm", "deno"] {
        let (code, _, err) = run_script(&[
            "run",
            "--engine",
            engine,
            "examples/check-latency.ts",
            "--deterministic",
            "--db",
            db.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{engine}: {err}");
        assert!(
            err.contains(
                "coral: warning: --deterministic pins the colony clock to 2026-01-01T00:00:00Z"
            ) && err.contains("`coral colony demo --fixed-now 1767225600`"),
            "{engine}: {err}"
        );
    }
    // Without --deterministic the clock is real and nothing is said.
    let (code, _, err) = run_script(&[
        "run",
        "examples/check-latency.ts",
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn a_slow_colony_times_out_per_call() {
    let _load = shared_load();
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

/// Every test of this binary holds the load lock: shared by most, alone
/// by the test that loads both cores for seconds (three 300 MB values) and
/// by the one that times a run against its deadline. The deadline test
/// took 8.7 s and 6.8 s, not under 4.5, in full runs with this binary's
/// tests in parallel (clean-clone `.ci/run`s), and passes alone.
static LOAD: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// The load lock, shared.
fn shared_load() -> std::sync::RwLockReadGuard<'static, ()> {
    LOAD.read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The load lock, alone.
fn heavy_load_excluded() -> std::sync::RwLockWriteGuard<'static, ()> {
    LOAD.write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A script that runs `sql` and prints the error's class and message.
fn sql_script(dir: &std::path::Path, prelude: &str, sql: &str) -> std::path::PathBuf {
    let script = dir.join("heavy.ts");
    std::fs::write(
        &script,
        format!(
            "import * as coral from \"@coral/sdk\";\n{prelude}\ntry {{ await coral.db.query(\"{sql}\"); console.log(\"answered\"); }} catch (e) {{ console.log((e as Error).name, (e as Error).message); }}\n"
        ),
    )
    .unwrap();
    script
}

/// Work DuckDB interrupts between chunks, that would run for hours.
const ENDLESS: &str = "SELECT count(*) FROM range(1000000000000) t(x) WHERE x % 7 = 3";

#[test]
fn the_servers_query_timeout_reaches_the_script_by_its_own_flag() {
    let _load = shared_load();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.duckdb");
    let demo = run(&["colony", "demo", "--db", db.to_str().unwrap()]);
    assert_eq!(demo.status.code(), Some(0), "{}", text(&demo.stderr));
    let (mut child, addr) = serve(&db, &["--query-timeout", "1"]);
    let script = sql_script(dir.path(), "", ENDLESS);
    let (code, out, err) = run_script(&["run", script.to_str().unwrap(), "--colony", &addr]);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("ColonyTimeout "), "{out}");
    assert!(out.contains("query timeout of 1s"), "{out}");
    assert!(out.contains("--query-timeout"), "{out}");
    assert!(
        !out.contains("--colony-timeout"),
        "not the client's limit: {out}"
    );
}

#[test]
fn an_embedded_query_ends_with_the_runs_deadline() {
    let _alone = heavy_load_excluded();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        // The first call opens the colony early; the heavy one starts 2 s
        // later and may run only until the run's 3 s deadline, not 3 s
        // from its start.
        (
            "await coral.services.list();\nawait new Promise((r) => setTimeout(r, 2000));",
            ENDLESS,
        ),
        // Work DuckDB cannot interrupt (one `contains` call on a long
        // needle, ~16 s) does not hold the run past its deadline either.
        (
            "",
            "SELECT contains(repeat('a', 2000000), repeat('a', 400000) || 'b')",
        ),
    ];
    for (prelude, sql) in cases {
        let script = sql_script(dir.path(), prelude, sql);
        let started = std::time::Instant::now();
        let (code, _, err) = run_script(&["run", script.to_str().unwrap(), "--timeout", "3"]);
        let took = started.elapsed();
        assert_eq!(code, 10, "the timeout outcome for {sql}: {err}");
        assert!(
            took < std::time::Duration::from_millis(4500),
            "{sql} took {took:?}"
        );
    }
}

#[test]
fn csv_carries_raw_values_and_the_table_the_human_form() {
    let _load = shared_load();
    let colony = demo_colony();
    let (code, csv, err) = query(
        &colony,
        &["metrics", "inventory", "--error-rate", "-o", "csv"],
    );
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "service,error_rate_fraction,error_count,total_count"
    );
    let fields: Vec<&str> = lines[1].split(',').collect();
    let rate: f64 = fields[1].parse().unwrap();
    let (errors, total): (f64, f64) = (fields[2].parse().unwrap(), fields[3].parse().unwrap());
    assert!((0.33..0.47).contains(&rate), "{csv}");
    assert!((rate - errors / total).abs() < 1e-9, "{csv}");
    let (_, table, _) = query(&colony, &["metrics", "inventory", "--error-rate"]);
    assert!(table.contains(&format!("{:.2}%", rate * 100.0)), "{table}");

    let (code, csv, err) = query(&colony, &["metrics", "payments", "-o", "csv"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "service,metric,percentile_fraction,value_ns,sample_count,method"
    );
    let fields: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(fields[2], "0.99");
    assert_eq!(fields[5], "exact", "span durations are exact: {csv}");
    assert!(fields[3].parse::<f64>().unwrap() > 1e9, "{csv}");
}

/// A free TCP port on 127.0.0.1 (bound, then released).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn closed_output_ends_query_and_colony_commands_quietly() {
    let _load = shared_load();
    let colony = demo_colony();
    // `coral query sql … | head -0`: the reader is gone before coral writes.
    let mut child = coral()
        .args([
            "query",
            "--colony",
            &colony.addr,
            "sql",
            "SELECT * FROM spans",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(141), "{}", text(&out.stderr));
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{}",
        text(&out.stderr)
    );
    // A stdout that fails otherwise (a full disk) is an error with a reason.
    let out = coral()
        .args(["query", "--colony", &colony.addr, "services"])
        .stdout(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(70));
    assert!(
        text(&out.stderr).contains("cannot write stdout: No space left on device"),
        "{}",
        text(&out.stderr)
    );

    // A server whose stderr reader went away keeps serving, and stops
    // cleanly (its "colony stopped" line is lost, not a panic).
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.duckdb");
    let addr = format!("127.0.0.1:{}", free_port());
    let mut server = coral()
        .args([
            "colony",
            "serve",
            "--db",
            db.to_str().unwrap(),
            "--listen",
            &addr,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(server.stderr.take());
    let mut answered = false;
    for _ in 0..100 {
        if query_at(&addr, &["services"]).0 == 0 {
            answered = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(answered, "the server did not answer");
    // SIGTERM (what service managers send) stops it as Ctrl-C does.
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = server.wait().unwrap();
    assert_eq!(status.code(), Some(0), "SIGTERM stops the server cleanly");
}

fn query_at(addr: &str, args: &[&str]) -> (i32, String, String) {
    let mut argv = vec!["query", "--colony", addr];
    argv.extend(args);
    run_script(&argv)
}

#[test]
fn demo_refuses_an_existing_file_unless_told_to_replace_it() {
    let _load = shared_load();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.duckdb");
    let db = db.to_str().unwrap();
    let made = run(&["colony", "demo", "--db", db, "--spans", "200"]);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made.stderr));
    let count = || {
        let out = run(&["run", "tests/fixtures/span-count.ts", "--db", db]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let before = count();
    let again = run(&["colony", "demo", "--db", db, "--spans", "200"]);
    assert_eq!(again.status.code(), Some(2));
    let err = text(&again.stderr);
    assert!(err.contains("already exists"), "{err}");
    assert!(err.contains("--replace"), "{err}");
    assert_eq!(count(), before, "nothing was added");
    let replaced = run(&["colony", "demo", "--db", db, "--spans", "200", "--replace"]);
    assert_eq!(
        replaced.status.code(),
        Some(0),
        "{}",
        text(&replaced.stderr)
    );
    assert!(text(&replaced.stderr).contains("(replaced)"));
    assert_eq!(count(), before, "the same data, once");
}

#[test]
fn ingest_reads_compressed_files_and_counts_skipped_logs() {
    let _load = shared_load();
    use std::io::Write;
    let fixture = std::fs::read(common::repo_root().join("tests/fixtures/export.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let gz = {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&fixture).unwrap();
        e.finish().unwrap()
    };
    let zst = zstd::stream::encode_all(fixture.as_slice(), 3).unwrap();
    // The Collector file exporter's `compression: zstd`: each export request
    // one zstd frame after its length (4 bytes, big-endian).
    let mut framed = Vec::new();
    for line in fixture.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let frame = zstd::stream::encode_all(line, 3).unwrap();
        framed.extend_from_slice(&(frame.len() as u32).to_be_bytes());
        framed.extend_from_slice(&frame);
    }
    for (name, bytes) in [
        ("export.json", fixture.clone()),
        ("export.json.gz", gz),
        ("export.json.zst", zst),
        ("export.zst", framed.clone()),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let db = dir.path().join(format!("{name}.duckdb"));
        let out = ingest(&db, &file);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains(&format!(
                "{name}: 1 spans, 1 metric points, 2 log records skipped (the colony stores no logs)"
            )),
            "{name}: {}",
            text(&out.stderr)
        );
    }
    // A truncated file is refused whole, naming the file and the record.
    let cut = dir.path().join("cut.zst");
    std::fs::write(&cut, &framed[..framed.len() - 5]).unwrap();
    let db = dir.path().join("cut.duckdb");
    let out = ingest(&db, &cut);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("cut.zst: record 3"), "{err}");
    assert!(err.contains("nothing from"), "{err}");
}

#[test]
fn runs_share_a_database_file_and_a_writer_is_named() {
    let _load = shared_load();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.duckdb");
    let db = db.to_str().unwrap();
    let made = run(&["colony", "demo", "--db", db, "--spans", "200"]);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made.stderr));
    // A long run holds the file open (it queries, then waits) while another
    // run reads it: read-only opens do not exclude each other.
    let script = dir.path().join("hold.ts");
    std::fs::write(
        &script,
        "import { services } from \"@coral/sdk\";\nconsole.log((await services.list()).length);\nawait new Promise((r) => setTimeout(r, 4000));\n",
    )
    .unwrap();
    let mut holder = coral()
        .args(["run", script.to_str().unwrap(), "--db", db])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(holder.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first.trim(), "6", "the holder has queried the file");
    let (code, out, err) = run_script(&["run", "tests/fixtures/span-count.ts", "--db", db]);
    assert_eq!(code, 0, "a second run reads the file at once: {err}");
    assert!(!out.is_empty());
    // A writer is refused while runs read the file, naming the reader; and
    // --replace does not pull the file from under them.
    let export = common::repo_root().join("tests/fixtures/export.json");
    let refused = ingest(std::path::Path::new(db), &export);
    let err = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{err}");
    assert!(err.contains("/coral (PID "), "the reader is named: {err}");
    assert!(err.contains("wait for that process"), "{err}");
    let replace = run(&["colony", "demo", "--db", db, "--replace"]);
    assert_eq!(replace.status.code(), Some(2), "{}", text(&replace.stderr));
    assert!(std::path::Path::new(db).exists());
    assert_eq!(holder.wait().unwrap().code(), Some(0));

    // A server has the file open for writing: the run says who and what to do.
    let (mut server, _) = serve(std::path::Path::new(db), &[]);
    let (code, _, err) = run_script(&["run", "tests/fixtures/span-count.ts", "--db", db]);
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("is in use by"), "{err}");
    assert!(err.contains("coral-colony"), "the holder is named: {err}");
    assert!(err.contains("--colony ADDR"), "{err}");
}

/// The server's peak resident memory (`VmHWM`), bytes.
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status");
    kib * 1024
}

/// Answers are held to their 32 MiB budget while DuckDB builds them, not
/// only when sent: three 300 MB values at once are refused with the budget
/// and keep the server under DuckDB's 2 GB `memory_limit` (they took it to
/// 3.34 GB when the answer was copied out of DuckDB first and sized after).
#[test]
fn huge_values_are_refused_before_they_leave_duckdb() {
    let _alone = heavy_load_excluded();
    let colony = demo_colony();
    let before = peak_rss(colony.child.id());
    let queries: Vec<_> = (0..3)
        .map(|_| {
            let addr = colony.addr.clone();
            std::thread::spawn(move || {
                query_at(&addr, &["sql", "SELECT repeat('x', 300000000) AS v"])
            })
        })
        .collect();
    for query in queries {
        let (code, _, err) = query.join().unwrap();
        assert_ne!(code, 0);
        assert!(
            err.contains("the first row alone holds more than the 32 MiB"),
            "{err}"
        );
    }
    let peak = peak_rss(colony.child.id());
    // DuckDB itself takes ~500 MB to compute each 300 MB value (three
    // `strlen(repeat(…))` alone peak at ~1.5 GB); the answers add little.
    assert!(
        peak < before + (2 << 30),
        "peak {} MiB (from {} MiB)",
        peak >> 20,
        before >> 20
    );
    let (code, _, err) = query_at(&colony.addr, &["sql", "SELECT 42"]);
    assert_eq!(code, 0, "the server still answers: {err}");
}
