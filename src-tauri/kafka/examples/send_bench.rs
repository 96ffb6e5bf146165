//! Benchmark (not a test) of the data plane, driven by `tests/bench/send.py`, which starts a
//! sandbox cloud and passes the cluster's settings in the environment:
//!   GUREUM_BENCH_BOOTSTRAP, GUREUM_BENCH_KEY, GUREUM_BENCH_SECRET, GUREUM_BENCH_CA,
//!   GUREUM_BENCH_TOPIC, GUREUM_BENCH_RECORDS (default 100000), GUREUM_BENCH_SIZE (default 1024)
//! Prints one JSON line: bulk throughput (Gureum's bulk path) and warm single-send latency
//! (Gureum's warm producer vs a bare rdkafka FutureProducer with the same settings).

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use gureum_kafka::bulk::{self, Job, Source};
use gureum_kafka::producer::{OutRecord, Producers, SendOptions};
use gureum_kafka::settings::ClientSettings;
use gureum_kafka::template::Template;
use gureum_secrets::Secret;
use rdkafka::producer::{FutureProducer, FutureRecord};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set; run tests/bench/send.py"))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let settings = ClientSettings::confluent(
        &env("GUREUM_BENCH_BOOTSTRAP"),
        &env("GUREUM_BENCH_KEY"),
        Secret::new(env("GUREUM_BENCH_SECRET")),
        Some(env("GUREUM_BENCH_CA").into()),
    );
    let topic = env("GUREUM_BENCH_TOPIC");
    let records: u64 = std::env::var("GUREUM_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let size: usize = std::env::var("GUREUM_BENCH_SIZE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);

    // Bulk: `records` values of `size` bytes (a constant template: no rendering cost to speak of,
    // like kcat reading lines), acks=all, idempotence on.
    let job = Job {
        topic: topic.clone(),
        partition: None,
        source: Source::Template {
            key: None,
            value: Template::parse(&"x".repeat(size)).unwrap(),
            headers: vec![],
            count: records,
        },
        options: SendOptions::default(),
    };
    let s2 = settings.clone();
    let summary =
        tokio::task::spawn_blocking(move || bulk::run(&s2, job, &AtomicBool::new(false), |_| {}))
            .await
            .unwrap()
            .expect("bulk run");
    assert_eq!(summary.progress.acked, records, "{summary:?}");
    let bulk_secs = summary.progress.elapsed_ms as f64 / 1000.0;

    // Warm single sends, one after another (each waits for its answer).
    const N: usize = 300;
    let producers = Producers::default();
    let opts = SendOptions::default();
    let one = || OutRecord {
        topic: topic.clone(),
        value: Some(vec![b'y'; 100]),
        ..Default::default()
    };
    for _ in 0..20 {
        producers.send(&settings, opts, one()).await.unwrap();
    }
    let mut ours = Vec::with_capacity(N);
    for _ in 0..N {
        let t = Instant::now();
        producers.send(&settings, opts, one()).await.unwrap();
        ours.push(t.elapsed().as_secs_f64() * 1000.0);
    }

    // A bare rdkafka producer, same settings (acks=all, idempotence, linger 0).
    let bare: FutureProducer = settings
        .client_config()
        .set("acks", "all")
        .set("enable.idempotence", "true")
        .set("linger.ms", "0")
        .create()
        .unwrap();
    let payload = vec![b'y'; 100];
    for _ in 0..20 {
        bare.send(
            FutureRecord::<(), _>::to(&topic).payload(&payload),
            Duration::from_secs(15),
        )
        .await
        .unwrap();
    }
    let mut raw = Vec::with_capacity(N);
    for _ in 0..N {
        let t = Instant::now();
        bare.send(
            FutureRecord::<(), _>::to(&topic).payload(&payload),
            Duration::from_secs(15),
        )
        .await
        .unwrap();
        raw.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ours.sort_by(f64::total_cmp);
    raw.sort_by(f64::total_cmp);
    println!(
        "{}",
        serde_json::json!({
            "bulk": {
                "records": records, "size": size, "seconds": bulk_secs,
                "records_per_sec": records as f64 / bulk_secs,
                "mb_per_sec": (records as usize * size) as f64 / 1e6 / bulk_secs,
            },
            "single_send_ms": {
                "sends": N,
                "gureum": {"median": percentile(&ours, 0.5), "p95": percentile(&ours, 0.95)},
                "bare_rdkafka": {"median": percentile(&raw, 0.5), "p95": percentile(&raw, 0.95)},
            }
        })
    );
    producers.close_all(Duration::from_secs(5));
}
