//! A plain Kafka connection (no Cloud API, PLAINTEXT): a nisshi broker of its own, reached with
//! the settings a saved Kafka connection gives. Topics come from metadata; sends and the tail work
//! as on Confluent Cloud.

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gureum_connections::{KafkaSettings, SaslMechanism, SecurityProtocol};
use gureum_kafka::producer::{OutRecord, Producers, SendOptions};
use gureum_kafka::settings::ClientSettings;
use gureum_kafka::tail::{Tail, TailEvent};
use gureum_kafka::{topics, ErrorKind};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;

struct Broker(Child);

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn broker() -> (Broker, String) {
    let bin = gureum_sandbox::locate_broker().expect("nisshi is missing: run tests/setup.sh");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("tcp://127.0.0.1:{port}");
    let child = Command::new(bin)
        .args([
            "broker",
            "--cluster-id",
            "plain",
            "--listener-url",
            &url,
            "--advertised-listener-url",
            &url,
        ])
        .args(["--storage-engine", "memory://"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nisshi did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    (Broker(child), format!("127.0.0.1:{port}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plaintext_kafka_connection_lists_sends_and_tails() {
    let (_broker, bootstrap) = broker();
    let settings = ClientSettings::kafka(
        &KafkaSettings {
            bootstrap_servers: bootstrap,
            security_protocol: SecurityProtocol::Plaintext,
            sasl_mechanism: SaslMechanism::Plain,
            sasl_username: String::new(),
            ssl_ca_location: String::new(),
        },
        None,
    )
    .unwrap();
    let admin: AdminClient<DefaultClientContext> = settings.client_config().create().unwrap();
    let made = admin
        .create_topics(
            &[NewTopic::new("events", 4, TopicReplication::Fixed(1))],
            &AdminOptions::new(),
        )
        .await
        .unwrap();
    assert!(made.iter().all(Result::is_ok), "{made:?}");

    let s2 = settings.clone();
    let listed = tokio::task::spawn_blocking(move || topics::list(&s2))
        .await
        .unwrap()
        .unwrap();
    assert!(
        listed
            .iter()
            .any(|t| t.name == "events" && t.partitions == 4),
        "{listed:?}"
    );

    let seen = Arc::new(Mutex::new(Vec::new()));
    let s3 = seen.clone();
    let tail = Tail::start(&settings, "events", None, 10, move |e| {
        if let TailEvent::Records(r) = e {
            s3.lock().unwrap().extend(r);
        }
    })
    .unwrap();
    let producers = Producers::default();
    let d = producers
        .send(
            &settings,
            SendOptions::default(),
            OutRecord {
                topic: "events".into(),
                key: Some(b"k".to_vec()),
                value: Some(b"plain".to_vec()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!((d.partitions, d.key_partition), (4, Some(d.partition)));
    let deadline = Instant::now() + Duration::from_secs(20);
    while !seen
        .lock()
        .unwrap()
        .iter()
        .any(|r| r.offset == d.offset && r.partition == d.partition)
    {
        assert!(Instant::now() < deadline, "the tail never saw the record");
        std::thread::sleep(Duration::from_millis(50));
    }
    tail.stop();

    // A missing topic is said, not created (allow.auto.create.topics=false).
    let e = producers
        .send(
            &settings,
            SendOptions::default(),
            OutRecord {
                topic: "absent".into(),
                value: Some(b"x".to_vec()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::TopicMissing, "{e:?}");
    producers.close_all(Duration::from_secs(5));
}
