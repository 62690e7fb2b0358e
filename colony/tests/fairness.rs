//! One client cannot deny the colony to others: hostile queries are refused
//! or answered by their deadline, readers are shared per connection, the
//! client's `grpc-timeout` and disconnects are honoured, and health checks
//! never queue. Real servers on 127.0.0.1, real gRPC clients.

mod common;

use std::time::{Duration, Instant};

use common::serve;
use coral_colony::{ColonyConfig, Store};
use coral_proto::colony::v1 as pb;
use coral_proto::colony::v1::query_service_client::QueryServiceClient;
use tonic::Code;

type Client = QueryServiceClient<tonic::transport::Channel>;

async fn server(readers: usize, query_timeout: Duration) -> std::net::SocketAddr {
    let store = Store::open_in_memory(ColonyConfig {
        readers,
        query_timeout,
        ..ColonyConfig::default()
    })
    .unwrap();
    serve(store).await
}

/// A client on a connection of its own.
async fn connect(addr: std::net::SocketAddr) -> Client {
    QueryServiceClient::connect(format!("http://{addr}"))
        .await
        .unwrap()
}

fn sql(sql: &str) -> pb::ExecuteQueryRequest {
    pb::ExecuteQueryRequest {
        sql: sql.into(),
        ..Default::default()
    }
}

/// One call of `contains` on a long needle: seconds of work DuckDB cannot
/// interrupt, and allowed (it is linear for the needles people use).
const UNINTERRUPTIBLE: &str =
    "SELECT contains(repeat('a', 1000000), repeat('a', 200000) || 'b') AS found";
/// Work DuckDB interrupts between chunks, that would run for hours.
const ENDLESS: &str = "SELECT count(*) FROM range(1000000000000) t(x) WHERE x % 7 = 3";
/// The edit distance that held every reader for ~50 s.
const LEVENSHTEIN: &str = "SELECT levenshtein(repeat('a', 60000), repeat('b', 60000))";

async fn select_42(client: &mut Client) -> Duration {
    let started = Instant::now();
    let answer = client.execute_query(sql("SELECT 42")).await.unwrap();
    assert_eq!(
        answer.into_inner().rows[0].values[0].kind,
        Some(pb::value::Kind::IntValue(42))
    );
    started.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cheap_calls_and_health_answer_while_four_hostile_queries_run() {
    let addr = server(4, Duration::from_secs(1)).await;
    let mut hostile = Vec::new();
    for query in [LEVENSHTEIN, UNINTERRUPTIBLE] {
        for _ in 0..4 {
            let mut client = connect(addr).await;
            hostile.push(tokio::spawn(async move {
                let started = Instant::now();
                let status = client.execute_query(sql(query)).await.unwrap_err();
                (query, status, started.elapsed())
            }));
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    let mut other = connect(addr).await;
    let took = select_42(&mut other).await;
    assert!(took < Duration::from_secs(3), "SELECT 42 took {took:?}");

    let started = Instant::now();
    assert_eq!(
        common::health(addr, "").await,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );
    assert!(started.elapsed() < Duration::from_secs(3));

    for task in hostile {
        let (query, status, took) = task.await.unwrap();
        if query == LEVENSHTEIN {
            assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
            assert!(
                status
                    .message()
                    .contains("levenshtein() (at character 8) is not allowed")
            );
        } else {
            // Answered by the 1 s timeout (plus the 200 ms grace), not when
            // DuckDB is done seconds later.
            assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
            assert!(
                status.message().contains("query timeout of 1s"),
                "{status:?}"
            );
            assert!(status.message().contains("--query-timeout"));
            assert!(
                took < Duration::from_millis(2500),
                "answered after {took:?}"
            );
        }
    }
    // Readers that were busy with abandoned work were replaced: the colony
    // still answers at once.
    let took = select_42(&mut other).await;
    assert!(took < Duration::from_secs(1), "SELECT 42 took {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_connection_gets_a_fair_share_of_the_readers() {
    // Two readers: one client holds at most one of them.
    let addr = server(2, Duration::from_secs(60)).await;
    let greedy = connect(addr).await;
    let mut calls = Vec::new();
    for _ in 0..2 {
        let mut greedy = greedy.clone();
        calls.push(tokio::spawn(async move {
            let mut request = tonic::Request::new(sql(ENDLESS));
            request.set_timeout(Duration::from_secs(2));
            greedy.execute_query(request).await.unwrap_err()
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let took = select_42(&mut connect(addr).await).await;
    assert!(took < Duration::from_secs(1), "SELECT 42 took {took:?}");
    for call in calls {
        let status = call.await.unwrap();
        // tonic ends the call on its side at the deadline it sent, racing
        // the server's answer.
        assert!(
            matches!(status.code(), Code::DeadlineExceeded | Code::Cancelled),
            "{status:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_clients_deadline_ends_the_query_and_counts_the_wait_for_a_reader() {
    let addr = server(1, Duration::from_secs(60)).await;
    let body = serde_json::json!({ "sql": ENDLESS }).to_string();
    let deadline = "connect-timeout-ms: 1500\r\n";
    let started = Instant::now();
    let running = tokio::spawn(async move {
        common::connect_call_with(addr, "ExecuteQuery", &body, deadline).await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The only reader is busy: this call's 500 ms pass while it waits.
    let waiting_started = Instant::now();
    let (status, waited) = common::connect_call_with(
        addr,
        "ExecuteQuery",
        r#"{"sql": "SELECT 42"}"#,
        "connect-timeout-ms: 500\r\n",
    )
    .await;
    let waited_for = waiting_started.elapsed();
    assert_eq!(status, 504, "{waited}");
    assert_eq!(waited["code"], "deadline_exceeded");
    assert!(
        waited["message"]
            .as_str()
            .unwrap()
            .contains("client's deadline of 500ms")
    );
    assert!(
        waited_for < Duration::from_millis(1200),
        "answered after {waited_for:?}"
    );

    let (status, ran) = running.await.unwrap();
    let ran_for = started.elapsed();
    assert_eq!(status, 504, "{ran}");
    assert!(
        ran["message"]
            .as_str()
            .unwrap()
            .contains("client's deadline of 1.5s"),
        "{ran}"
    );
    assert!(
        ran_for < Duration::from_millis(2500),
        "answered after {ran_for:?}"
    );
    // The interrupted query gave its reader back.
    let took = select_42(&mut connect(addr).await).await;
    assert!(took < Duration::from_secs(1), "SELECT 42 took {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_client_that_goes_away_frees_its_reader() {
    // One reader, a one-minute timeout: only cancelling frees it in time.
    let addr = server(1, Duration::from_secs(60)).await;
    let mut leaving = connect(addr).await;
    let gone = tokio::time::timeout(
        Duration::from_millis(300),
        leaving.execute_query(sql(ENDLESS)),
    )
    .await;
    assert!(gone.is_err(), "the endless query answered");
    drop(leaving);
    let took = select_42(&mut connect(addr).await).await;
    assert!(took < Duration::from_secs(3), "SELECT 42 took {took:?}");
}
