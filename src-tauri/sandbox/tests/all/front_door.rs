//! The front door with a real librdkafka client (bundled librdkafka, configured exactly like a
//! Confluent Cloud client: SASL_SSL, PLAIN, the sandbox CA) in front of a real broker.

use crate::front_door_support as support;

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::{ClientContext, DefaultClientContext};
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::error::{KafkaError, KafkaResult};
use rdkafka::message::Message;
use rdkafka::producer::{
    BaseProducer, DeliveryResult, FutureProducer, FutureRecord, Producer, ProducerContext,
};
use rdkafka::types::RDKafkaErrorCode;
use support::{Broker, Door, BAD_SECRET_MESSAGE, KEY, SECRET, UNKNOWN_KEY_MESSAGE};

/// A client configured the way Confluent Cloud's console tells users to.
fn cloud_config(door: &Door, username: &str, password: &str) -> ClientConfig {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", door.bootstrap())
        .set("security.protocol", "SASL_SSL")
        .set("sasl.mechanisms", "PLAIN")
        .set("sasl.username", username)
        .set("sasl.password", password)
        .set("ssl.ca.location", door.ca_path());
    c
}

fn plaintext_config(bootstrap: &str) -> ClientConfig {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", bootstrap)
        .set("security.protocol", "PLAINTEXT");
    c
}

async fn create_topic(config: &ClientConfig, name: &str, partitions: i32) {
    let admin: AdminClient<DefaultClientContext> = config.create().unwrap();
    let topic = NewTopic::new(name, partitions, TopicReplication::Fixed(1));
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(10)));
    let result = tokio::time::timeout(
        Duration::from_secs(20),
        admin.create_topics([&topic], &opts),
    )
    .await
    .expect("CreateTopics timed out")
    .expect("CreateTopics failed");
    assert!(result[0].is_ok(), "creating {name}: {:?}", result[0]);
}

/// Topic names and (host, port) of every broker, as the client sees them.
async fn metadata(config: &ClientConfig) -> KafkaResult<(Vec<String>, Vec<(String, i32)>)> {
    let producer: BaseProducer = config.create()?;
    tokio::task::spawn_blocking(move || {
        let md = producer
            .client()
            .fetch_metadata(None, Duration::from_secs(10))?;
        let topics = md.topics().iter().map(|t| t.name().to_string()).collect();
        let brokers = md
            .brokers()
            .iter()
            .map(|b| (b.host().to_string(), b.port()))
            .collect();
        Ok((topics, brokers))
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn produce_and_consume_1000_records_through_the_front_door() {
    let broker = Broker::start();
    let door = Door::start(broker.addr).await;
    let config = cloud_config(&door, KEY, SECRET);
    create_topic(&config, "orders", 3).await;

    // Every broker the client learns about is the front door.
    let (topics, brokers) = metadata(&config)
        .await
        .expect("metadata through the front door");
    assert!(topics.contains(&"orders".to_string()), "{topics:?}");
    assert!(!brokers.is_empty());
    for (host, port) in &brokers {
        assert_eq!(
            (host.as_str(), *port),
            ("127.0.0.1", i32::from(door.port())),
            "{brokers:?}"
        );
    }

    let producer: FutureProducer = config
        .clone()
        .set("acks", "all")
        .set("linger.ms", "5")
        .create()
        .unwrap();
    let sent: Vec<String> = (0..1000).map(|i| format!("record-{i:04}")).collect();
    let deliveries: Vec<_> = sent
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let key = format!("key-{}", i % 17);
            producer
                .send_result(FutureRecord::to("orders").key(&key).payload(v))
                .map_err(|(e, _)| e)
                .unwrap()
        })
        .collect();
    for d in deliveries {
        let outcome = tokio::time::timeout(Duration::from_secs(20), d)
            .await
            .expect("delivery timed out");
        outcome
            .expect("delivery future cancelled")
            .expect("record not acknowledged");
    }

    // A consumer group: FindCoordinator's answer must also lead back to the front door.
    let consumer: StreamConsumer = config
        .clone()
        .set("group.id", "front-door-test")
        .set("auto.offset.reset", "earliest")
        .set("session.timeout.ms", "10000")
        .create()
        .unwrap();
    consumer.subscribe(&["orders"]).unwrap();
    let mut received = HashSet::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while received.len() < sent.len() {
        let left = deadline.saturating_duration_since(Instant::now());
        let msg = tokio::time::timeout(left, consumer.recv())
            .await
            .unwrap_or_else(|_| panic!("only {} of 1000 records consumed in 30 s", received.len()))
            .expect("consume error");
        received.insert(String::from_utf8(msg.payload().unwrap().to_vec()).unwrap());
    }
    assert_eq!(received, sent.into_iter().collect::<HashSet<_>>());

    // The traffic really went through the front door (and its meter).
    let m = &door.meter;
    assert!(
        m.authenticated.load(Ordering::SeqCst) >= 3,
        "admin, producer and consumer authenticate"
    );
    assert!(m.requests(0) >= 1, "Produce requests were piped");
    assert!(m.requests(1) >= 1, "Fetch requests were piped");
    assert!(m.requests(10) >= 1, "FindCoordinator requests were piped");
    assert!(
        m.request_bytes.load(Ordering::SeqCst) > 1000 * 11,
        "at least the payloads went in"
    );
    drop(consumer);
    drop(producer);
    door.front.shutdown().await;
}

/// One error librdkafka reported: its code and its text.
type Reported = (Option<RDKafkaErrorCode>, String);

/// Records what librdkafka reports through its error callback.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Reported>>>);

impl ClientContext for Recorder {
    fn error(&self, error: KafkaError, reason: &str) {
        self.0
            .lock()
            .unwrap()
            .push((error.rdkafka_error_code(), reason.to_string()));
    }
}

impl ProducerContext for Recorder {
    type DeliveryOpaque = ();
    fn delivery(&self, _: &DeliveryResult<'_>, _: ()) {}
}

/// Serves librdkafka's events until `wanted` is reported or `patience` passes, then asks for
/// metadata (2 s). Returns whether metadata arrived, and every error reported.
async fn probe(
    config: ClientConfig,
    wanted: fn(&Reported) -> bool,
    patience: Duration,
) -> (bool, Vec<Reported>) {
    let recorder = Recorder::default();
    let errors = recorder.0.clone();
    let producer: BaseProducer<Recorder> = config.create_with_context(recorder).unwrap();
    tokio::task::spawn_blocking(move || {
        // The client connects to its bootstrap server as soon as it exists.
        let deadline = Instant::now() + patience;
        while !errors.lock().unwrap().iter().any(wanted) && Instant::now() < deadline {
            producer.poll(Duration::from_millis(100));
        }
        let got_metadata = producer
            .client()
            .fetch_metadata(None, Duration::from_secs(2))
            .is_ok();
        let errors = errors.lock().unwrap().clone();
        (got_metadata, errors)
    })
    .await
    .unwrap()
}

/// How long to wait for the error a refused client should report.
const PATIENCE: Duration = Duration::from_secs(10);

fn is_auth_error(e: &Reported) -> bool {
    e.0 == Some(RDKafkaErrorCode::Authentication)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_secret_is_an_authentication_error() {
    let broker = Broker::start();
    let door = Door::start(broker.addr).await;
    let (got_metadata, errors) = probe(
        cloud_config(&door, KEY, "not-the-secret"),
        is_auth_error,
        PATIENCE,
    )
    .await;
    assert!(
        !got_metadata,
        "metadata must not be served without authentication"
    );
    let auth = errors
        .iter()
        .find(|e| is_auth_error(e))
        .unwrap_or_else(|| panic!("no authentication error in {errors:?}"));
    println!("librdkafka reported: {auth:?}");
    // librdkafka words it "SASL authentication error: <our message> (after N ms in state …)".
    assert!(auth.1.contains("SASL authentication error"), "{auth:?}");
    assert!(
        auth.1.contains(BAD_SECRET_MESSAGE),
        "the authenticator's message reaches the client: {auth:?}"
    );
    assert_eq!(door.meter.authenticated.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_api_key_is_refused() {
    let broker = Broker::start();
    let door = Door::start(broker.addr).await;
    let (got_metadata, errors) = probe(
        cloud_config(&door, "NOSUCHKEY", SECRET),
        is_auth_error,
        PATIENCE,
    )
    .await;
    assert!(!got_metadata);
    let auth = errors
        .iter()
        .find(|e| is_auth_error(e))
        .unwrap_or_else(|| panic!("no authentication error in {errors:?}"));
    assert!(auth.1.contains(UNKNOWN_KEY_MESSAGE), "{auth:?}");
    assert_eq!(door.meter.authenticated.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plaintext_client_gets_nothing_and_the_door_stays_up() {
    let broker = Broker::start();
    let door = Door::start(broker.addr).await;
    let (got_metadata, errors) = probe(
        plaintext_config(&door.bootstrap()),
        |_| true,
        Duration::from_secs(1),
    )
    .await;
    println!("a plaintext client saw: {errors:?}");
    assert!(
        !got_metadata,
        "a PLAINTEXT client must not get metadata from the front door"
    );
    assert!(
        door.meter.opened.load(Ordering::SeqCst) >= 1,
        "the plaintext client did connect"
    );
    assert_eq!(door.meter.authenticated.load(Ordering::SeqCst), 0);
    // The failed handshakes did not hurt the front door.
    metadata(&cloud_config(&door, KEY, SECRET))
        .await
        .expect("a proper client still works");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_that_does_not_trust_the_sandbox_ca_fails() {
    let broker = Broker::start();
    let door = Door::start(broker.addr).await;
    let other = Door::start(broker.addr).await; // another sandbox, another CA
    let mut config = cloud_config(&door, KEY, SECRET);
    config.set("ssl.ca.location", other.ca_path());
    let (got_metadata, errors) = probe(
        config,
        |e| e.1.contains("certificate verify failed"),
        PATIENCE,
    )
    .await;
    assert!(!got_metadata);
    assert!(
        errors
            .iter()
            .any(|e| e.1.contains("certificate verify failed")),
        "{errors:?}"
    );
    assert_eq!(door.meter.authenticated.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_upstream_sends_new_connections_to_the_replacement_broker() {
    let first = Broker::start();
    let door = Door::start(first.addr).await;
    let config = cloud_config(&door, KEY, SECRET);
    create_topic(&config, "on-first", 1).await;

    // A replacement broker with its own storage, so its topics tell the two apart.
    let second = Broker::start();
    create_topic(&support::direct_config(&second), "on-second", 1).await;
    door.front.set_upstream(second.addr);
    drop(first);

    let (topics, brokers) = metadata(&config)
        .await
        .expect("metadata from the replacement broker");
    assert!(
        topics.contains(&"on-second".to_string()) && !topics.contains(&"on-first".to_string()),
        "{topics:?}"
    );
    assert!(
        brokers
            .iter()
            .all(|(_, port)| *port == i32::from(door.port())),
        "{brokers:?}"
    );
}

/// Produce throughput of 1 KiB records, acks=all, through the front door and straight to the
/// broker's plaintext port, in the same run. Run it optimised:
/// `cargo test --release -p gureum-sandbox --test front_door -- --ignored --nocapture`.
/// FRONT_DOOR_BENCH_RECORDS sets the record count (default 50,000).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: prints records/s"]
async fn throughput_front_door_vs_direct() {
    let n: usize = std::env::var("FRONT_DOOR_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    let broker = Broker::start();
    let door = Door::start(broker.addr).await;
    let direct = support::direct_config(&broker);
    let front = cloud_config(&door, KEY, SECRET);
    let payload = vec![b'x'; 1024];

    let mut rates = Vec::new();
    // Alternate, so neither path always runs on the larger database.
    for round in 0..2 {
        for (name, config) in [("direct", &direct), ("front door", &front)] {
            let topic = format!("bench-{}-{round}", name.replace(' ', "-"));
            create_topic(config, &topic, 3).await;
            let producer: FutureProducer = config
                .clone()
                .set("acks", "all")
                .set("linger.ms", "5")
                .set("queue.buffering.max.messages", "1000000")
                .create()
                .unwrap();
            produce(&producer, &topic, &payload, 1000).await; // warm-up: metadata, connections
            let start = Instant::now();
            produce(&producer, &topic, &payload, n).await;
            let rate = n as f64 / start.elapsed().as_secs_f64();
            println!(
                "round {round}: {name:>10}: {n} x 1 KiB acks=all in {:.2?} = {rate:.0} records/s",
                start.elapsed()
            );
            rates.push((name, rate));
        }
    }
    let mean = |which: &str| {
        let r: Vec<f64> = rates
            .iter()
            .filter(|(n, _)| *n == which)
            .map(|(_, r)| *r)
            .collect();
        r.iter().sum::<f64>() / r.len() as f64
    };
    let (d, f) = (mean("direct"), mean("front door"));
    println!(
        "mean: direct {d:.0}/s, front door {f:.0}/s, front door / direct = {:.2}",
        f / d
    );
}

async fn produce(producer: &FutureProducer, topic: &str, payload: &[u8], n: usize) {
    let mut pending = Vec::with_capacity(n);
    for i in 0..n {
        let key = i.to_string();
        let record = FutureRecord::to(topic).key(&key).payload(payload);
        pending.push(
            producer
                .send_result(record)
                .map_err(|(e, _)| e)
                .expect("enqueue"),
        );
    }
    for d in pending {
        d.await.expect("cancelled").expect("not acknowledged");
    }
    producer.flush(Duration::from_secs(30)).unwrap();
}
