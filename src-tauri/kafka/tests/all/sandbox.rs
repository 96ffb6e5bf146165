//! The data plane against the sandbox cloud, as against Confluent Cloud: SASL_SSL + PLAIN with a
//! cluster API key, through the front door, to real brokers. Sends, bulk sends, the tail and
//! every bad input the Send screen must explain.

use crate::support;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gureum_kafka::bulk::{self, Job, Source};
use gureum_kafka::partitioner::partition_for_key;
use gureum_kafka::producer::{Acks, Compression, OutRecord, Producers, SendOptions};
use gureum_kafka::settings::ClientSettings;
use gureum_kafka::tail::{self, Tail, TailEvent, TailRecord};
use gureum_kafka::template::Template;
use gureum_kafka::ErrorKind;
use gureum_secrets::Secret;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::{Message, Offset, TopicPartitionList};

use support::world;

fn record(topic: &str) -> OutRecord {
    OutRecord {
        topic: topic.into(),
        ..Default::default()
    }
}

/// Every record of `topic` from the start: (partition, offset, value).
fn read_all(
    settings: &ClientSettings,
    topic: &str,
    partitions: i32,
    expect: usize,
) -> Vec<(i32, i64, Vec<u8>)> {
    let c: BaseConsumer = settings
        .client_config()
        .set("group.id", "reader")
        .set("enable.auto.commit", "false")
        .create()
        .unwrap();
    let mut tpl = TopicPartitionList::new();
    for p in 0..partitions {
        tpl.add_partition_offset(topic, p, Offset::Beginning)
            .unwrap();
    }
    c.assign(&tpl).unwrap();
    let mut out = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut quiet_since = Instant::now();
    while Instant::now() < deadline {
        match c.poll(Duration::from_millis(200)) {
            Some(Ok(m)) => {
                out.push((
                    m.partition(),
                    m.offset(),
                    m.payload().unwrap_or_default().to_vec(),
                ));
                quiet_since = Instant::now();
            }
            Some(Err(e)) => panic!("reading back: {e}"),
            None if out.len() >= expect && quiet_since.elapsed() > Duration::from_secs(2) => break,
            None => {}
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_returns_the_brokers_record_metadata() {
    let w = world();
    w.topic("send.meta", 6, &[]).await;
    let producers = Producers::default();
    let settings = w.settings();
    let opts = SendOptions::default();

    // A keyed record lands where murmur2 puts it; the answer says so.
    let keyed = OutRecord {
        key: Some(b"customer-42".to_vec()),
        value: Some(br#"{"total": 12.5}"#.to_vec()),
        headers: vec![
            ("source".into(), b"gureum".to_vec()),
            ("trace".into(), b"abc".to_vec()),
        ],
        ..record("send.meta")
    };
    let d = producers.send(&settings, opts, keyed).await.unwrap();
    let expected = partition_for_key(b"customer-42", 6);
    assert_eq!(
        (d.partition, d.key_partition, d.partitions),
        (expected, Some(expected), 6)
    );
    assert_eq!(d.offset, 0, "the first record of its partition");
    assert_eq!(d.timestamp_type, Some("CreateTime"));
    assert!(d.latency_us > 0);

    // An explicit partition and timestamp are kept.
    let d2 = producers
        .send(
            &settings,
            opts,
            OutRecord {
                partition: Some(3),
                timestamp_ms: Some(1_700_000_000_000),
                value: Some(b"hello".to_vec()),
                ..record("send.meta")
            },
        )
        .await
        .unwrap();
    assert_eq!((d2.partition, d2.key_partition), (3, None));
    assert_eq!(d2.timestamp_ms, Some(1_700_000_000_000));

    // The same producer again: warm, and the next offset.
    let d3 = producers
        .send(
            &settings,
            opts,
            OutRecord {
                partition: Some(3),
                value: Some(b"again".to_vec()),
                ..record("send.meta")
            },
        )
        .await
        .unwrap();
    assert_eq!((d3.partition, d3.offset), (3, d2.offset + 1));

    // What is stored is what was sent, headers included.
    let back = tokio::task::spawn_blocking(move || {
        tail::fetch_record(&settings, "send.meta", expected, 0)
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(back.key.unwrap().text.as_deref(), Some("customer-42"));
    assert_eq!(
        back.value.unwrap().text.as_deref(),
        Some(r#"{"total": 12.5}"#)
    );
    let headers: Vec<(String, Option<String>)> =
        back.headers.into_iter().map(|(k, v)| (k, v.text)).collect();
    assert_eq!(
        headers,
        vec![
            ("source".into(), Some("gureum".into())),
            ("trace".into(), Some("abc".into()))
        ]
    );

    // Other acks and compressions work too (acks=0 has no offset to give).
    for (acks, compression) in [
        (Acks::Leader, Compression::Gzip),
        (Acks::All, Compression::Zstd),
        (Acks::None, Compression::Lz4),
    ] {
        let d = producers
            .send(
                &w.settings(),
                SendOptions { acks, compression },
                OutRecord {
                    value: Some(b"x".to_vec()),
                    ..record("send.meta")
                },
            )
            .await
            .unwrap();
        if acks == Acks::None {
            assert_eq!(d.offset, -1);
        } else {
            assert!(d.offset >= 0);
        }
    }
    producers.close_all(Duration::from_secs(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_sends_100k_and_none_is_lost() {
    let w = world();
    w.topic("bulk.100k", 6, &[]).await;
    let settings = w.settings();
    let job = Job {
        topic: "bulk.100k".into(),
        partition: None,
        source: Source::Template {
            key: Some(Template::parse("user-{{int 1 500}}").unwrap()),
            value: Template::parse(r#"{"seq": {{seq}}, "id": "{{uuid}}"}"#).unwrap(),
            headers: vec![("run".into(), Template::parse("bulk").unwrap())],
            count: 100_000,
        },
        options: SendOptions::default(),
    };
    let reports = Arc::new(Mutex::new(Vec::new()));
    let r2 = reports.clone();
    let s2 = settings.clone();
    let summary = tokio::task::spawn_blocking(move || {
        bulk::run(&s2, job, &AtomicBool::new(false), |p| {
            r2.lock().unwrap().push(p.clone())
        })
    })
    .await
    .unwrap()
    .unwrap();
    assert!(!summary.cancelled);
    assert_eq!(
        (
            summary.progress.acked,
            summary.progress.failed,
            summary.not_sent
        ),
        (100_000, 0, 0),
        "{summary:?}"
    );
    assert!(summary.errors.is_empty());
    let reports = reports.lock().unwrap();
    assert!(reports.len() >= 2, "progress arrives while sending");
    assert!(reports.windows(2).all(|w| w[0].acked <= w[1].acked));
    println!(
        "bulk: 100000 records in {} ms ({:.0} records/s, {:.1} MB/s)",
        summary.progress.elapsed_ms,
        summary.progress.records_per_sec(),
        summary.progress.mb_per_sec()
    );

    let s2 = settings.clone();
    let check =
        tokio::task::spawn_blocking(move || gureum_kafka::topics::check_sequence(&s2, "bulk.100k"))
            .await
            .unwrap()
            .unwrap();
    assert_eq!(
        (
            check.records,
            check.distinct,
            check.duplicates,
            check.missing,
            check.highest
        ),
        (100_000, 100_000, 0, 0, Some(99_999))
    );

    let back = tokio::task::spawn_blocking(move || read_all(&settings, "bulk.100k", 6, 100_000))
        .await
        .unwrap();
    assert_eq!(back.len(), 100_000);
    let seqs: HashSet<u64> = back
        .iter()
        .map(|(_, _, v)| {
            serde_json::from_slice::<serde_json::Value>(v).unwrap()["seq"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(seqs.len(), 100_000, "every record exactly once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_bulk_send_reports_exactly_what_was_acked() {
    let w = world();
    w.topic("bulk.cancel", 3, &[]).await;
    let settings = w.settings();
    let cancel = Arc::new(AtomicBool::new(false));
    let job = Job {
        topic: "bulk.cancel".into(),
        partition: None,
        source: Source::Template {
            key: None,
            value: Template::parse("{{seq}}:{{string 200}}").unwrap(),
            headers: vec![],
            count: 2_000_000,
        },
        options: SendOptions::default(),
    };
    let (c2, s2) = (cancel.clone(), settings.clone());
    let run = tokio::task::spawn_blocking(move || {
        bulk::run(&s2, job, &c2, |p| {
            if p.acked >= 20_000 {
                c2.store(true, Ordering::Relaxed);
            }
        })
    });
    let summary = run.await.unwrap().unwrap();
    assert!(summary.cancelled);
    let acked = summary.progress.acked;
    assert!(acked >= 20_000 && acked < 2_000_000, "{summary:?}");
    assert_eq!(summary.progress.failed, 0);
    assert_eq!(summary.not_sent, 2_000_000 - acked);
    let back =
        tokio::task::spawn_blocking(move || read_all(&settings, "bulk.cancel", 3, acked as usize))
            .await
            .unwrap();
    assert_eq!(
        back.len() as u64,
        acked,
        "the summary's count is what the topic holds"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tail_shows_the_last_records_then_what_another_client_sends() {
    let w = world();
    w.topic("tail.live", 2, &[("max.message.bytes", "8388608")])
        .await;
    let settings = w.settings();
    let producers = Producers::default();
    for i in 0..30 {
        producers
            .send(
                &settings,
                SendOptions::default(),
                OutRecord {
                    key: Some(format!("k{i}").into_bytes()),
                    value: Some(format!("old-{i}").into_bytes()),
                    ..record("tail.live")
                },
            )
            .await
            .unwrap();
    }
    let seen: Arc<Mutex<Vec<TailRecord>>> = Arc::default();
    let s2 = seen.clone();
    let tail = Tail::start(&settings, "tail.live", None, 5, move |e| match e {
        TailEvent::Records(r) => s2.lock().unwrap().extend(r),
        TailEvent::Failed(e) => panic!("tail failed: {e:?}"),
    })
    .unwrap();
    wait_for(
        || seen.lock().unwrap().len() >= 10,
        "the last 5 of each partition",
    );
    assert_eq!(seen.lock().unwrap().len(), 10);

    // Another client: Python's confluent-kafka (librdkafka 2.16), with the same settings.
    let python = std::env::var("GUREUM_TEST_PYTHON").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/.venv/bin/python").to_string()
    });
    let conf: serde_json::Map<String, serde_json::Value> = settings
        .properties(true)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into()))
        .collect();
    let script = r#"
import json, sys
from confluent_kafka import Producer
p = Producer({**json.loads(sys.argv[1]), "message.max.bytes": 10 * 1024 * 1024})
p.produce("tail.live", key=b"py", value=b"from python", headers=[("lang", b"python")])
p.produce("tail.live", key=b"big", value=b"x" * (5 * 1024 * 1024))
assert p.flush(30) == 0
"#;
    let out = std::process::Command::new(&python)
        .args(["-c", script, &serde_json::Value::Object(conf).to_string()])
        .output()
        .unwrap_or_else(|e| panic!("{python}: {e} (tests/setup.sh installs tests/.venv)"));
    assert!(
        out.status.success(),
        "python producer: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    wait_for(
        || seen.lock().unwrap().len() >= 12,
        "the two records from Python",
    );
    let all = seen.lock().unwrap().clone();
    let py = all
        .iter()
        .find(|r| r.key.as_ref().and_then(|k| k.text.as_deref()) == Some("py"))
        .unwrap();
    assert_eq!(
        py.value.as_ref().unwrap().text.as_deref(),
        Some("from python")
    );
    assert_eq!(py.headers[0].0, "lang");
    // The 5 MB record arrives as a 2 KB preview that knows its size.
    let big = all
        .iter()
        .find(|r| r.key.as_ref().and_then(|k| k.text.as_deref()) == Some("big"))
        .unwrap();
    let v = big.value.as_ref().unwrap();
    assert_eq!(
        (v.size, v.truncated, v.text.as_ref().unwrap().len()),
        (5 * 1024 * 1024, true, tail::PREVIEW)
    );
    // "Show all" gets it whole.
    let (p, o, s2) = (big.partition, big.offset, settings.clone());
    let whole = tokio::task::spawn_blocking(move || tail::fetch_record(&s2, "tail.live", p, o))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(whole.value.unwrap().text.unwrap().len(), 5 * 1024 * 1024);

    // Paused: nothing new shows; resumed: it catches up.
    tail.set_paused(true);
    std::thread::sleep(Duration::from_millis(300));
    let before = seen.lock().unwrap().len();
    producers
        .send(
            &settings,
            SendOptions::default(),
            OutRecord {
                value: Some(b"while paused".to_vec()),
                ..record("tail.live")
            },
        )
        .await
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(seen.lock().unwrap().len(), before, "paused");
    tail.set_paused(false);
    wait_for(
        || seen.lock().unwrap().len() == before + 1,
        "the record sent while paused",
    );
    tail.stop();
}

fn wait_for(cond: impl Fn() -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_with_its_reason() {
    let w = world();
    w.topic("bad.input", 3, &[]).await;
    let producers = Producers::default();
    let opts = SendOptions::default();
    let value = |n: usize| Some(vec![b'v'; n]);

    // Partition out of range: said at once, with the topic's range.
    let e = producers
        .send(
            &w.settings(),
            opts,
            OutRecord {
                partition: Some(7),
                value: value(1),
                ..record("bad.input")
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::PartitionOutOfRange);
    assert!(e.message.contains("3 partitions (0–2)"), "{}", e.message);

    // A topic that does not exist (and is not created by asking).
    let started = Instant::now();
    let e = producers
        .send(
            &w.settings(),
            opts,
            OutRecord {
                value: value(1),
                ..record("no.such.topic")
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::TopicMissing, "{e:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "said quickly: {:?}",
        started.elapsed()
    );
    let still_missing = producers
        .send(
            &w.settings(),
            opts,
            OutRecord {
                value: value(1),
                ..record("no.such.topic")
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        still_missing.kind,
        ErrorKind::TopicMissing,
        "asking did not create it"
    );

    // Larger than the topic's max.message.bytes (Confluent's default: 2 MB): the broker refuses.
    let e = producers
        .send(
            &w.settings(),
            opts,
            OutRecord {
                value: value(3 * 1024 * 1024),
                ..record("bad.input")
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooLarge, "{e:?}");
    // Under it is fine.
    producers
        .send(
            &w.settings(),
            opts,
            OutRecord {
                value: value(1024 * 1024 + 100),
                ..record("bad.input")
            },
        )
        .await
        .unwrap();

    // A wrong secret: refused quickly, with the reason.
    let wrong = ClientSettings::confluent(
        &w.bootstrap,
        &w.rest.key,
        Secret::new("not-the-secret"),
        Some(w.ca.clone()),
    );
    let started = Instant::now();
    let e = producers
        .send(
            &wrong,
            opts,
            OutRecord {
                value: value(1),
                ..record("bad.input")
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::AuthFailed, "{e:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );

    // A deleted key: new connections are refused.
    let (id, secret) = w.new_key("soon deleted").await;
    w.delete_key(&id).await;
    let deleted = ClientSettings::confluent(&w.bootstrap, &id, secret, Some(w.ca.clone()));
    let e = producers
        .send(
            &deleted,
            opts,
            OutRecord {
                value: value(1),
                ..record("bad.input")
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::AuthFailed, "{e:?}");

    // Nothing listening: a clear message within the timeout, no hang.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let nowhere = ClientSettings::confluent(
        &format!("127.0.0.1:{port}"),
        &w.rest.key,
        w.rest.secret.clone(),
        Some(w.ca.clone()),
    );
    let started = Instant::now();
    let e = producers
        .send(
            &nowhere,
            opts,
            OutRecord {
                value: value(1),
                ..record("bad.input")
            },
        )
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert_eq!(e.kind, ErrorKind::Unreachable, "{e:?}");
    assert!(took < Duration::from_secs(16), "{took:?}");
    println!("unreachable reported after {took:?}: {}", e.message);

    // A bulk run to a missing partition stops with the reason instead of counting failures.
    let job = Job {
        topic: "bad.input".into(),
        partition: Some(9),
        source: Source::Template {
            key: None,
            value: Template::parse("x").unwrap(),
            headers: vec![],
            count: 10,
        },
        options: opts,
    };
    let s = w.settings();
    let summary =
        tokio::task::spawn_blocking(move || bulk::run(&s, job, &AtomicBool::new(false), |_| {}))
            .await
            .unwrap();
    match summary {
        Err(e) => assert_eq!(e.kind, ErrorKind::PartitionOutOfRange, "{e:?}"),
        Ok(s) => {
            assert_eq!(s.progress.acked, 0);
            assert!(
                s.errors
                    .iter()
                    .any(|g| g.kind == ErrorKind::PartitionOutOfRange),
                "{s:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_check_tells_the_refusals_apart() {
    use gureum_kafka::settings::Security;
    let w = world();
    let timeout = Duration::from_secs(8);
    let good = w.settings();
    let ok = tokio::task::spawn_blocking(move || gureum_kafka::topics::list_within(&good, timeout))
        .await
        .unwrap();
    assert!(ok.is_ok(), "{ok:?}");

    // Plaintext against a TLS-only front door: no answer a client can read.
    let plain = ClientSettings {
        bootstrap: w.bootstrap.clone(),
        security: Security::Plaintext,
    };
    let started = Instant::now();
    let e = tokio::task::spawn_blocking(move || gureum_kafka::topics::list_within(&plain, timeout))
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unreachable, "{e:?}");
    assert!(started.elapsed() < timeout + Duration::from_secs(3));
    println!("plaintext refused: {} ({:?})", e.message, e.detail);

    // A wrong secret: the login is refused, and said so at once.
    let wrong = ClientSettings::confluent(
        &w.bootstrap,
        &w.rest.key,
        Secret::new("nope"),
        Some(w.ca.clone()),
    );
    let started = Instant::now();
    let e = tokio::task::spawn_blocking(move || gureum_kafka::topics::list_within(&wrong, timeout))
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::AuthFailed, "{e:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "refused after {:?}",
        started.elapsed()
    );
}
