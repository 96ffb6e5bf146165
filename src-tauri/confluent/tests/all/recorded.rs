//! Recorded responses the sandbox can't produce, served by a tiny HTTP server on 127.0.0.1.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gureum_confluent::{Client, Config, ErrorKind, KafkaRestAuth, Payload, Record, RetryPolicy};
use gureum_secrets::Secret;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const SECRET: &str = "s3cr3t-DO-NOT-PRINT+/abc";

struct Canned {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: String,
    delay: Duration,
}

fn canned(status: u16, ct: &'static str, body: &str) -> Canned {
    Canned {
        status,
        headers: vec![("Content-Type", ct)],
        body: body.to_string(),
        delay: Duration::ZERO,
    }
}

/// Answers each connection with the next canned response (the last one repeats) and records the
/// request lines ("GET /path?query").
async fn serve(responses: Vec<Canned>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let responses = Arc::new(responses);
    tokio::spawn(async move {
        let mut n = 0usize;
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let r = responses.clone();
            let i = n.min(r.len() - 1);
            n += 1;
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                // Headers, then Content-Length bytes of body.
                loop {
                    let Ok(k) = sock.read(&mut chunk).await else {
                        return;
                    };
                    if k == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..k]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text[..end]
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len {
                            break;
                        }
                    }
                }
                let first = String::from_utf8_lossy(&buf)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string();
                log.lock().unwrap().push(
                    first
                        .rsplit_once(' ')
                        .map(|(a, _)| a.to_string())
                        .unwrap_or(first),
                );
                let c = &r[i];
                tokio::time::sleep(c.delay).await;
                let mut out = format!(
                    "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                    c.status,
                    c.body.len()
                );
                for (k, v) in &c.headers {
                    out.push_str(&format!("{k}: {v}\r\n"));
                }
                out.push_str("\r\n");
                out.push_str(&c.body);
                let _ = sock.write_all(out.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    (url, seen)
}

fn client(url: &str) -> Client {
    let mut c = Config::new(url, "CLOUDKEY", Secret::new(SECRET));
    c.retry = RetryPolicy {
        max_retries: 4,
        base: Duration::from_millis(50),
        cap: Duration::from_millis(400),
    };
    c.timeout = Duration::from_secs(5);
    Client::new(c).unwrap()
}

fn auth(url: &str) -> KafkaRestAuth {
    KafkaRestAuth {
        endpoint: url.into(),
        cluster_id: "lkc-1".into(),
        key: "KAFKAKEY".into(),
        secret: Secret::new(SECRET),
    }
}

fn no_secret(e: &gureum_confluent::ApiError) {
    assert!(
        !format!("{e:?}").contains("s3cr3t") && !e.to_string().contains("s3cr3t"),
        "{e:?}"
    );
}

const JETTY_429: &str = "<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html;charset=ISO-8859-1\"/>\n<title>Error 429 Too Many Requests</title>\n</head>\n<body><h2>HTTP ERROR 429 Too Many Requests</h2>\n<table>\n<tr><th>URI:</th><td>/kafka/v3/clusters/lkc-1/topics</td></tr>\n</table>\n</body>\n</html>\n";
const JETTY_401: &str = "<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html;charset=ISO-8859-1\"/>\n<title>Error 401 Unauthorized</title>\n</head>\n<body><h2>HTTP ERROR 401 Unauthorized</h2>\n<table>\n<tr><th>URI:</th><td>/kafka/v3/clusters/lkc-1/topics</td></tr>\n<tr><th>STATUS:</th><td>401</td></tr>\n<tr><th>MESSAGE:</th><td>Unauthorized</td></tr>\n</table>\n<hr/><a href=\"https://eclipse.org/jetty\">Powered by Jetty:// 9.4.51</a><hr/>\n</body>\n</html>\n";
const TOPICS: &str = r#"{"kind":"KafkaTopicList","metadata":{"self":"x","next":null},"data":[{"kind":"KafkaTopic","topic_name":"orders","partitions_count":6,"is_internal":false}]}"#;

#[tokio::test]
async fn html_429_without_headers_is_retried_with_capped_backoff() {
    let (url, seen) = serve(vec![
        canned(429, "text/html;charset=iso-8859-1", JETTY_429),
        canned(429, "text/html", JETTY_429),
        canned(200, "application/json", TOPICS),
    ])
    .await;
    let start = Instant::now();
    let topics = client(&url).list_topics(&auth(&url)).await.unwrap();
    assert_eq!(topics[0].topic_name.as_deref(), Some("orders"));
    assert_eq!(seen.lock().unwrap().len(), 3);
    // Two waits, each at most the 400 ms cap.
    assert!(
        start.elapsed() < Duration::from_millis(1500),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn html_429_forever_ends_as_rate_limited_with_clean_message() {
    let (url, seen) = serve(vec![canned(429, "text/html", JETTY_429)]).await;
    let e = client(&url).list_topics(&auth(&url)).await.unwrap_err();
    assert_eq!(
        (e.kind, e.status, e.message.as_str()),
        (
            ErrorKind::RateLimited,
            Some(429),
            "HTTP ERROR 429 Too Many Requests"
        )
    );
    assert_eq!(seen.lock().unwrap().len(), 5, "1 try + 4 retries");
    no_secret(&e);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let mut first = canned(
        429,
        "application/json",
        r#"{"errors":[{"status":"429","detail":"Too Many Requests"}]}"#,
    );
    first.headers.push(("Retry-After", "1"));
    let (url, _) = serve(vec![
        first,
        canned(200, "application/json", r#"{"data":[],"metadata":{}}"#),
    ])
    .await;
    let mut cfg = Config::new(&url, "K", Secret::new(SECRET));
    cfg.retry.cap = Duration::from_secs(5);
    let start = Instant::now();
    Client::new(cfg).unwrap().list_environments().await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn post_503_is_not_retried_but_get_503_is() {
    let (url, seen) = serve(vec![canned(
        503,
        "application/json",
        r#"{"errors":[{"status":"503","detail":"Service Unavailable"}]}"#,
    )])
    .await;
    let e = client(&url)
        .create_environment("prod", None)
        .await
        .unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Server, Some(503)));
    assert_eq!(
        seen.lock().unwrap().len(),
        1,
        "a create must not be repeated after a 5xx"
    );
    let (url, seen) = serve(vec![
        canned(503, "text/plain", "unavailable"),
        canned(200, "application/json", r#"{"id":"env-1"}"#),
    ])
    .await;
    assert_eq!(
        client(&url)
            .get_environment("env-1")
            .await
            .unwrap()
            .id
            .as_deref(),
        Some("env-1")
    );
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn post_429_is_retried() {
    let (url, seen) = serve(vec![
        canned(429, "text/html", JETTY_429),
        canned(201, "application/json", r#"{"id":"env-9"}"#),
    ])
    .await;
    assert_eq!(
        client(&url)
            .create_environment("prod", Some("ESSENTIALS"))
            .await
            .unwrap()
            .id
            .as_deref(),
        Some("env-9")
    );
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn deleted_key_403_is_not_found() {
    let (url, _) = serve(vec![canned(403, "application/json", r#"{"errors":[{"status":"403","code":"forbidden_access","detail":"Forbidden Access","source":{}}]}"#)]).await;
    let e = client(&url)
        .get_api_key("7FJIYKQ4SGQDQ72H")
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.status, e.code.as_deref(), e.message.as_str()),
        (
            ErrorKind::NotFound,
            Some(403),
            Some("forbidden_access"),
            "Forbidden Access"
        )
    );
}

#[tokio::test]
async fn multi_page_list_follows_next_with_same_filters() {
    let page = |ids: &[&str], next: Option<&str>| {
        let data: Vec<String> = ids
            .iter()
            .map(|i| format!(r#"{{"id":"{i}","spec":{{"display_name":"c"}}}}"#))
            .collect();
        let next = next.map_or("null".to_string(), |n| format!("\"{n}\""));
        canned(
            200,
            "application/json",
            &format!(
                r#"{{"api_version":"cmk/v2","kind":"ClusterList","metadata":{{"first":"x","next":{next},"total_size":5}},"data":[{}]}}"#,
                data.join(",")
            ),
        )
    };
    let (url, seen) = serve(vec![
        page(
            &["lkc-1", "lkc-2"],
            Some("https://api.confluent.cloud/cmk/v2/clusters?page_token=T%2B1&environment=env-1"),
        ),
        page(
            &["lkc-3", "lkc-4"],
            Some("https://api.confluent.cloud/cmk/v2/clusters?environment=env-1&page_token=T2"),
        ),
        page(&["lkc-5"], None),
    ])
    .await;
    let all = client(&url).list_clusters("env-1").await.unwrap();
    let ids: Vec<_> = all.iter().map(|c| c.id.clone().unwrap()).collect();
    assert_eq!(ids, ["lkc-1", "lkc-2", "lkc-3", "lkc-4", "lkc-5"]);
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen[0],
        "GET /cmk/v2/clusters?environment=env-1&page_size=100"
    );
    assert_eq!(
        seen[1],
        "GET /cmk/v2/clusters?environment=env-1&page_size=100&page_token=T%2B1"
    );
    assert_eq!(
        seen[2],
        "GET /cmk/v2/clusters?environment=env-1&page_size=100&page_token=T2"
    );
}

#[tokio::test]
async fn new_error_envelope() {
    let (url, _) = serve(vec![canned(400, "application/json", r#"{"status":400,"error":{"code":"INVALID_ARGUMENT","message":"display_name must be 1 to 64 characters"},"requestId":"req-42","doc_url":"x"}"#)]).await;
    let e = client(&url)
        .create_service_account("", "")
        .await
        .unwrap_err();
    assert_eq!(
        (
            e.kind,
            e.code.as_deref(),
            e.message.as_str(),
            e.request_id.as_deref()
        ),
        (
            ErrorKind::Invalid,
            Some("INVALID_ARGUMENT"),
            "display_name must be 1 to 64 characters",
            Some("req-42")
        )
    );
}

#[tokio::test]
async fn jetty_html_401_is_unauthorized_with_clean_message() {
    let (url, _) = serve(vec![canned(401, "text/html;charset=iso-8859-1", JETTY_401)]).await;
    let e = client(&url).list_topics(&auth(&url)).await.unwrap_err();
    assert_eq!(
        (e.kind, e.status, e.message.as_str()),
        (
            ErrorKind::Unauthorized,
            Some(401),
            "HTTP ERROR 401 Unauthorized"
        )
    );
    let shown = e.to_string();
    assert!(
        !shown.contains('<') && shown.contains("key or secret"),
        "{shown}"
    );
    no_secret(&e);
}

#[tokio::test]
async fn slow_server_times_out_within_the_timeout() {
    let mut slow = canned(200, "application/json", "{}");
    slow.delay = Duration::from_secs(10);
    let (url, _) = serve(vec![slow]).await;
    let mut cfg = Config::new(&url, "K", Secret::new(SECRET));
    cfg.timeout = Duration::from_millis(500);
    let start = Instant::now();
    let e = Client::new(cfg)
        .unwrap()
        .get_environment("env-1")
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Timeout);
    assert!(
        start.elapsed() < Duration::from_millis(1500),
        "{:?}",
        start.elapsed()
    );
    no_secret(&e);
}

#[tokio::test]
async fn produce_200_with_error_code_is_an_error() {
    let (url, seen) = serve(vec![canned(
        200,
        "application/json",
        r#"{"error_code":400,"message":"Bad Request: data=1 is not a base64 string."}"#,
    )])
    .await;
    let rec = Record {
        value: Some(Payload::String("x".into())),
        ..Record::default()
    };
    let e = client(&url)
        .produce(&auth(&url), "orders", &rec)
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.status, e.code.as_deref()),
        (ErrorKind::Invalid, Some(200), Some("400"))
    );
    assert!(e.message.contains("base64"));
    assert_eq!(
        seen.lock().unwrap().len(),
        1,
        "produce is never retried after an answer"
    );
}

#[tokio::test]
async fn secrets_never_show() {
    let cfg = Config::new("http://127.0.0.1:1", "K", Secret::new(SECRET));
    let a = auth("http://127.0.0.1:1");
    let c = Client::new(cfg.clone()).unwrap();
    for text in [format!("{cfg:?}"), format!("{a:?}"), format!("{c:?}")] {
        assert!(!text.contains("s3cr3t"), "{text}");
    }
    let e = c.list_topics(&a).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unreachable);
    no_secret(&e);
}

fn metrics_query() -> gureum_confluent::metrics::MetricsQuery {
    gureum_confluent::metrics::MetricsQuery {
        metric: "sent_bytes".into(),
        cluster_id: "lkc-1".into(),
        granularity: "PT1M".into(),
        start: 1_571_343_420,
        end: 1_571_343_600,
        group_by: Some("metric.topic".into()),
        topics: vec![],
    }
}

#[tokio::test]
async fn metrics_points_come_back_in_time_order_across_pages() {
    // The API orders points newest first and pages by group; the client follows the token.
    let (url, seen) = serve(vec![
        canned(
            200,
            "application/json",
            r#"{"data":[
            {"timestamp":"2019-10-17T20:18:00Z","metric.topic":"foo","value":9246},
            {"timestamp":"2019-10-17T20:17:00Z","metric.topic":"foo","value":9741}],
            "meta":{"pagination":{"page_size":1,"next_page_token":"t2"}}}"#,
        ),
        canned(
            200,
            "application/json",
            r#"{"data":[
            {"timestamp":"2019-10-17T20:17:00Z","metric.topic":"bar","value":844.1}]}"#,
        ),
    ])
    .await;
    let (series, cached) = client(&url).query_metrics(&metrics_query()).await.unwrap();
    assert!(!cached);
    let foo = series
        .iter()
        .find(|s| s.labels["metric.topic"] == "foo")
        .unwrap();
    assert_eq!(
        foo.points,
        vec![(1_571_343_420, 9741.0), (1_571_343_480, 9246.0)]
    );
    let bar = series
        .iter()
        .find(|s| s.labels["metric.topic"] == "bar")
        .unwrap();
    assert_eq!(bar.points, vec![(1_571_343_420, 844.1)]);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert!(
        seen[0].starts_with("POST /v2/metrics/cloud/query"),
        "{seen:?}"
    );
    assert!(seen[1].contains("page_token=t2"), "{seen:?}");
}

#[tokio::test]
async fn a_metrics_429_is_not_retried_so_the_dashboard_keeps_its_data() {
    let (url, seen) = serve(vec![Canned {
        status: 429,
        headers: vec![("Content-Type", "application/json"), ("Retry-After", "30")],
        body: r#"{"errors":[{"status":"429","detail":"Too many requests"}]}"#.into(),
        delay: Duration::ZERO,
    }])
    .await;
    let started = Instant::now();
    let e = client(&url)
        .query_metrics(&metrics_query())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::RateLimited);
    assert!(started.elapsed() < Duration::from_secs(5), "no 30 s wait");
    assert_eq!(seen.lock().unwrap().len(), 1, "asked once");
}
