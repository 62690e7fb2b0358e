//! The agent end to end: a real `coral agent serve` process, `coral script`
//! over its Unix socket and over TCP, scripts on the wasm engine, spans
//! from a real OpenTelemetry SDK, and `kill -9`.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{coral, run, text};

/// A running agent, killed when dropped.
struct Agent {
    child: Child,
    data: PathBuf,
    /// The lines it printed at start-up (addresses).
    banner: Vec<String>,
}

impl Agent {
    /// Starts `coral agent serve` on `data` and waits for its socket.
    fn start(data: &Path, extra: &[&str]) -> Self {
        let mut cmd = coral();
        cmd.args(["agent", "serve", "--data-dir"])
            .arg(data)
            .args([
                "--otlp-listen",
                "127.0.0.1:0",
                "--host-metrics-interval",
                "1s",
            ])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("coral agent serve starts");
        let stderr = child.stderr.take().unwrap();
        let (lines, banner) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
        let socket = data.join("agent.sock");
        let started = Instant::now();
        let mut seen = Vec::new();
        while !socket.exists() {
            while let Ok(line) = banner.try_recv() {
                seen.push(line);
            }
            if let Some(status) = child.try_wait().unwrap() {
                panic!("the agent exited ({status}): {seen:?}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "no socket: {seen:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        while let Ok(line) = banner.recv_timeout(Duration::from_millis(200)) {
            seen.push(line);
        }
        Self {
            child,
            data: data.to_path_buf(),
            banner: seen,
        }
    }

    fn socket(&self) -> String {
        self.data.join("agent.sock").display().to_string()
    }

    /// The address a banner line names after `label`.
    fn address(&self, label: &str) -> String {
        self.banner
            .iter()
            .find_map(|line| {
                line.split_once(label)
                    .map(|(_, rest)| rest.trim().to_string())
            })
            .unwrap_or_else(|| panic!("no \"{label}\" in {:?}", self.banner))
    }

    /// `coral script --agent <socket> <args>`: (code, stdout, stderr).
    fn script(&self, args: &[&str]) -> (i32, String, String) {
        let socket = self.socket();
        let mut all = vec!["script", "--agent", socket.as_str()];
        all.extend_from_slice(args);
        let out = run(&all);
        (
            out.status.code().unwrap_or(-1),
            text(&out.stdout),
            text(&out.stderr),
        )
    }

    /// The state of `name` (`-o json`).
    fn state(&self, name: &str) -> serde_json::Value {
        let (code, out, err) = self.script(&["status", name, "-o", "json"]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
    }

    /// Waits until `name`'s log (the script's lines on stdout, the
    /// agent's on stderr) holds `needle`; returns both, stdout first.
    fn wait_for_log(&self, name: &str, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let (_, out, err) = self.script(&["logs", name]);
            let out = format!("{out}{err}");
            if out.contains(needle) {
                return out;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "no \"{needle}\" in the log of {name}: {out}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until `name` is in `state`.
    fn wait_for_state(&self, name: &str, state: &str) -> serde_json::Value {
        let started = Instant::now();
        loop {
            let current = self.state(name);
            if current["state"] == state {
                return current;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{name} never became {state}: {current}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes `source` as `dir/<name>`; returns its path as text.
fn script_file(dir: &Path, name: &str, source: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, source).unwrap();
    path.display().to_string()
}

const TICKER: &str = r#"import { emit } from "@coral/sdk";
let n = 0;
setInterval(() => {
  n++;
  console.log(`tick ${n}`);
  emit("tick", { n }, "info");
}, 100);
"#;

#[test]
fn deploy_stop_start_delete_over_the_socket_with_logs_and_events_streamed() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(&dir.path().join("data"), &[]);
    let meta = std::fs::metadata(agent.socket()).unwrap();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o777,
        0o600,
        "the socket is private"
    );
    let meta = std::fs::metadata(&agent.data).unwrap();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o777,
        0o700,
        "the data directory is private"
    );
    let file = script_file(dir.path(), "ticker.ts", TICKER);
    let (code, out, err) = agent.script(&["deploy", &file, "--daemon", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    let deployed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(deployed["name"], "ticker");
    assert_eq!(deployed["kind"], "daemon");
    assert_eq!(deployed["state"], "running");

    // Followers see lines and events as they are written.
    let socket = agent.socket();
    let mut follow = coral();
    follow
        .args(["script", "--agent", &socket, "logs", "ticker", "-f"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut follower = follow.spawn().unwrap();
    let mut lines = BufReader::new(follower.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    while !seen.iter().any(|l: &String| l == "tick 5") {
        seen.push(lines.next().expect("the log is followed").unwrap());
    }
    assert_eq!(seen[0], "tick 1", "the script's lines, verbatim: {seen:?}");
    let _ = follower.kill();
    let _ = follower.wait();

    let mut follow = coral();
    follow
        .args([
            "script", "--agent", &socket, "events", "ticker", "-f", "-o", "json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut follower = follow.spawn().unwrap();
    let mut events = BufReader::new(follower.stdout.take().unwrap()).lines();
    for expected in 1..=3 {
        let event: serde_json::Value =
            serde_json::from_str(&events.next().unwrap().unwrap()).unwrap();
        assert_eq!(event["name"], "tick");
        assert_eq!(event["data"]["n"], expected);
        assert_eq!(event["run_id"], 1);
    }
    let _ = follower.kill();
    let _ = follower.wait();

    let (code, out, err) = agent.script(&["stop", "ticker", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"state\": \"stopped\""), "{out}");
    let (_, before, _) = agent.script(&["logs", "ticker"]);
    std::thread::sleep(Duration::from_millis(400));
    let (_, after, _) = agent.script(&["logs", "ticker"]);
    assert_eq!(before, after, "a stopped script prints nothing more");

    let (code, _, err) = agent.script(&["start", "ticker"]);
    assert_eq!(code, 0, "{err}");
    let started = agent.state("ticker");
    assert_eq!(started["state"], "running");
    assert_eq!(started["restarts"], 1);
    assert_eq!(started["run_id"], 2);
    let (code, _, err) = agent.script(&["start", "ticker"]);
    assert_eq!(code, 1, "starting a running script is refused");
    assert!(err.contains("already running"), "{err}");

    let (code, _, err) = agent.script(&["delete", "ticker"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = agent.script(&["list", "-o", "json"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "[]");
    let (code, _, err) = agent.script(&["status", "ticker"]);
    assert_eq!(code, 1);
    assert!(err.contains("no script named \"ticker\""), "{err}");
    assert!(!agent.data.join("scripts/ticker").exists());
}

#[test]
fn tcp_calls_need_the_token_and_queries_read_script_events() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "correct horse\n").unwrap();
    let wrong = dir.path().join("wrong");
    std::fs::write(&wrong, "battery staple\n").unwrap();
    let agent = Agent::start(
        &dir.path().join("data"),
        &[
            "--listen",
            "127.0.0.1:0",
            "--token-file",
            token.to_str().unwrap(),
        ],
    );
    let addr = agent.address("ScriptService (token) and QueryService on");
    let file = script_file(
        dir.path(),
        "once.ts",
        "import { emit } from \"@coral/sdk\";\nemit(\"seen\", { ok: true }, \"warning\");\n",
    );

    let over_tcp = |extra: &[&str], env_token: Option<&str>| {
        let mut cmd = coral();
        cmd.args(["script", "--agent", &addr]).args(extra);
        cmd.env_remove("CORAL_TOKEN");
        if let Some(t) = env_token {
            cmd.env("CORAL_TOKEN", t);
        }
        let out = common::run_with_guard(cmd, Duration::from_secs(120));
        (
            out.status.code().unwrap_or(-1),
            text(&out.stdout),
            text(&out.stderr),
        )
    };
    let (code, _, err) = over_tcp(&["deploy", &file], None);
    assert_eq!(code, 1, "no token: {err}");
    assert!(err.contains("token"), "{err}");
    let (code, _, err) = over_tcp(
        &["deploy", &file, "--token-file", wrong.to_str().unwrap()],
        None,
    );
    assert_eq!(code, 1, "a wrong token: {err}");
    let (code, _, err) = over_tcp(&["list"], Some("battery"));
    assert_eq!(code, 1, "a wrong CORAL_TOKEN: {err}");
    let (code, _, err) = over_tcp(
        &["deploy", &file, "--token-file", token.to_str().unwrap()],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = over_tcp(&["list"], Some("correct horse"));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("once"), "{out}");
    agent.wait_for_state("once", "succeeded");

    // Read-only queries need no token, and see what the script emitted.
    let (code, out, err) = common::run_script(&[
        "query",
        "--colony",
        &addr,
        "sql",
        "SELECT script, run_id, name, severity, data->>'ok' AS ok FROM script_events",
    ]);
    assert_eq!(code, 0, "{err}");
    let row = out.lines().nth(1).unwrap_or_default();
    for cell in ["once", "1", "seen", "warning", "true"] {
        assert!(row.split_whitespace().any(|c| c == cell), "{cell} in {out}");
    }
}

#[test]
fn a_daemon_expires_with_its_ttl_unless_renewed() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(&dir.path().join("data"), &[]);
    let file = script_file(dir.path(), "ticker.ts", TICKER);
    for name in ["short", "renewed"] {
        let (code, _, err) =
            agent.script(&["deploy", &file, "--name", name, "--daemon", "--ttl", "2s"]);
        assert_eq!(code, 0, "{err}");
    }
    let (code, out, err) = agent.script(&["renew", "renewed", "--ttl", "1h", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"state\": \"running\""), "{out}");
    let expired = agent.wait_for_state("short", "expired");
    assert!(
        expired["last_error"]
            .as_str()
            .unwrap()
            .contains("time to live ran out"),
        "{expired}"
    );
    let log = agent.wait_for_log("short", "expired");
    assert!(log.contains("tick 1"), "{log}");
    assert_eq!(agent.state("renewed")["state"], "running");
    // A bare number is not a duration.
    let (code, _, err) = agent.script(&["renew", "renewed", "--ttl", "5"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn kill_9_then_restart_resumes_the_daemon_with_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = script_file(dir.path(), "ticker.ts", TICKER);
    let mut agent = Agent::start(&data, &[]);
    let (code, _, err) = agent.script(&["deploy", &file, "--daemon"]);
    assert_eq!(code, 0, "{err}");
    agent.wait_for_log("ticker", "tick 3");
    // `coral agent` became coral-agent (exec): this pid is the agent.
    let killed = std::process::Command::new("kill")
        .args(["-9", &agent.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let _ = agent.child.wait();
    assert!(
        data.join("agent.sock").exists(),
        "kill -9 leaves a stale socket"
    );
    drop(agent);

    let agent = Agent::start(&data, &[]);
    let resumed = agent.wait_for_state("ticker", "running");
    assert_eq!(resumed["restarts"], 1, "{resumed}");
    assert_eq!(resumed["run_id"], 2, "{resumed}");
    // The new run's lines follow the old run's, all retained.
    let log = agent.wait_for_log("ticker", "resuming");
    let first_run_tick = log.find("tick 3").expect("run 1's lines are kept");
    let (_, events, _) = agent.script(&["events", "ticker", "-o", "json"]);
    assert!(
        events.lines().any(|l| l.contains("\"run_id\":1")),
        "run 1's events are kept: {events}"
    );
    let log = agent.wait_for_log("ticker", "tick 2\ntick 3\ntick 4");
    assert!(log.rfind("tick 1").unwrap() > first_run_tick, "{log}");
}

#[test]
fn a_compile_error_shows_where_and_deploys_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(&dir.path().join("data"), &[]);
    let file = script_file(dir.path(), "bad.ts", "const ok = 1;\nconst broken = (;\n");
    let (code, _, err) = agent.script(&["deploy", &file]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bad.ts:2:"), "{err}");
    let refused = script_file(dir.path(), "net.ts", "import \"node:fs\";\n");
    let (code, _, err) = agent.script(&["deploy", &refused]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("net.ts:1:"), "{err}");
    let (_, out, _) = agent.script(&["list", "-o", "json"]);
    assert_eq!(out.trim(), "[]");
}

#[test]
fn scripts_query_spans_from_an_opentelemetry_sdk_and_the_hosts_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(&dir.path().join("data"), &[]);
    let otlp = agent.address("OTLP receiver on");
    send_spans(&otlp);
    let file = script_file(
        dir.path(),
        "look.ts",
        r#"import { services, system, traces } from "@coral/sdk";
const names = (await services.list()).map((s) => s.name).sort();
console.log(`services ${names.join(",")}`);
const slow = await traces.findSlow("checkout", 1_000_000, 3600000);
console.log(`slow ${slow.length}`);
const m = await system.getMetrics("coral-agent", 600000);
console.log(`memory ${m.memory_bytes} samples ${m.sample_count}`);
"#,
    );
    // Host metrics are sampled every second: wait for two.
    std::thread::sleep(Duration::from_secs(3));
    let (code, _, err) = agent.script(&["deploy", &file]);
    assert_eq!(code, 0, "{err}");
    agent.wait_for_state("look", "succeeded");
    let (_, log, _) = agent.script(&["logs", "look"]);
    assert!(log.contains("services checkout,coral-agent"), "{log}");
    assert!(log.contains("slow 2"), "{log}");
    let memory: f64 = log
        .split("memory ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no memory figure: {log}"));
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap();
    let kib = |key: &str| -> f64 {
        meminfo
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap()
    };
    let used = (kib("MemTotal:") - kib("MemAvailable:")) * 1024.0;
    assert!(
        (memory - used).abs() < used * 0.25 + 256.0 * 1024.0 * 1024.0,
        "the agent saw {memory} bytes in use, /proc/meminfo says {used}"
    );
}

/// Sends two slow spans of `checkout` with the OpenTelemetry SDK's OTLP/gRPC
/// exporter, and flushes them.
fn send_spans(addr: &str) {
    use opentelemetry::trace::{Span as _, SpanKind, Tracer, TracerProvider as _};
    use opentelemetry_otlp::WithExportConfig;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_tonic()
            .with_endpoint(format!("http://{addr}"))
            .build()
            .unwrap();
        let provider = opentelemetry_sdk::trace::SdkTracerProvider::builder()
            .with_simple_exporter(exporter)
            .with_resource(
                opentelemetry_sdk::Resource::builder()
                    .with_service_name("checkout")
                    .build(),
            )
            .build();
        let tracer = provider.tracer("agent-test");
        for _ in 0..2 {
            let mut span = tracer
                .span_builder("GET /cart")
                .with_kind(SpanKind::Server)
                .with_start_time(std::time::SystemTime::now() - Duration::from_millis(50))
                .start(&tracer);
            span.end();
        }
        provider.force_flush().unwrap();
        provider.shutdown().unwrap();
    });
}

#[test]
fn a_bundle_deploys_and_a_file_that_is_no_bundle_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(&dir.path().join("data"), &[]);
    let source = script_file(dir.path(), "b.ts", "console.log(\"from a bundle\");\n");
    let wasm = dir.path().join("b.wasm");
    let out = run(&["build", &source, "-o", wasm.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (code, _, err) = agent.script(&["deploy", wasm.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let done = agent.wait_for_state("b", "succeeded");
    assert!(done["entry"].as_str().unwrap().ends_with("b.ts"), "{done}");
    agent.wait_for_log("b", "from a bundle");

    let foreign = dir.path().join("foreign.wasm");
    std::fs::write(&foreign, b"\0asm\x01\0\0\0").unwrap();
    let (code, _, err) = agent.script(&["deploy", foreign.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("cannot run") && err.contains("bundle"),
        "{err}"
    );
    let (_, out, _) = agent.script(&["list", "-o", "json"]);
    assert!(!out.contains("foreign"), "nothing was deployed: {out}");
}

#[test]
fn a_redeploy_replaces_the_running_script_and_its_runs_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(&dir.path().join("data"), &[]);
    let first = script_file(dir.path(), "ticker.ts", TICKER);
    let (code, _, err) = agent.script(&["deploy", &first, "--daemon"]);
    assert_eq!(code, 0, "{err}");
    agent.wait_for_log("ticker", "tick 2");
    let second = script_file(
        dir.path(),
        "second.ts",
        "import { emit } from \"@coral/sdk\";\nemit(\"second\", {}, \"info\");\nconsole.log(\"the second program\");\n",
    );
    let (code, _, err) = agent.script(&["deploy", &second, "--name", "ticker"]);
    assert_eq!(code, 0, "{err}");
    let done = agent.wait_for_state("ticker", "succeeded");
    assert_eq!(done["kind"], "adhoc", "{done}");
    assert_eq!(done["run_id"], 2, "run numbers go on: {done}");
    let log = agent.wait_for_log("ticker", "the second program");
    assert!(
        !log.contains("tick 1"),
        "the old log went with the old script: {log}"
    );
    std::thread::sleep(Duration::from_millis(300));
    let (_, log, _) = agent.script(&["logs", "ticker"]);
    assert!(!log.contains("tick"), "the old run is stopped: {log}");
    let (_, events, _) = agent.script(&["events", "ticker", "-o", "json"]);
    assert!(
        events.contains("\"run_id\":1") && events.contains("\"run_id\":2"),
        "{events}"
    );
}

/// The runs `coral script runs NAME -o json` lists.
fn runs(agent: &Agent, name: &str) -> Vec<serde_json::Value> {
    let (code, out, err) = agent.script(&["runs", name, "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    value["runs"].as_array().unwrap().clone()
}

#[test]
fn a_schedule_survives_an_agent_restart_with_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = script_file(dir.path(), "every.ts", "console.log(\"tick\");\n");
    let mut agent = Agent::start(&data, &[]);
    let (code, out, err) =
        agent.script(&["deploy", &file, "--schedule", "* * * * * *", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"kind\": \"schedule\""), "{out}");
    assert!(out.contains("\"next_tick\""), "{out}");
    let started = Instant::now();
    while runs(&agent, "every").len() < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the schedule never ran twice"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let (code, _, err) = agent.script(&["run-now", "every"]);
    assert_eq!(code, 0, "{err}");
    let killed = std::process::Command::new("kill")
        .args(["-9", &agent.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let _ = agent.child.wait();
    drop(agent);

    let agent = Agent::start(&data, &[]);
    let before = runs(&agent, "every");
    assert!(
        before.iter().any(|r| r["trigger"] == "run-now"),
        "{before:?}"
    );
    let started = Instant::now();
    loop {
        let after = runs(&agent, "every");
        let last_before = before.last().unwrap()["run_id"].as_u64().unwrap();
        if after
            .iter()
            .any(|r| r["run_id"].as_u64().unwrap() > last_before + 1)
        {
            assert!(after.iter().all(|r| r["state"] == "succeeded"), "{after:?}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no tick after the restart: {after:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // A bad pattern is refused at deploy.
    let (code, _, err) =
        agent.script(&["deploy", &file, "--name", "bad", "--schedule", "61 * * * *"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("invalid cron pattern"), "{err}");
}
