//! A Kafka connection (no Cloud API, SASL_PLAINTEXT with SCRAM-SHA-512): a broker of its own
//! (the sandbox's broker program, which takes only its SCRAM login), reached with the settings a
//! saved Kafka connection gives. Topics come from metadata; sends and the tail work as on
//! Confluent Cloud.

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gureum_connections::{KafkaSettings, SaslMechanism, SecurityProtocol};
use gureum_kafka::producer::{OutRecord, Producers, SendOptions};
use gureum_kafka::settings::ClientSettings;
use gureum_kafka::tail::{Tail, TailEvent};
use gureum_kafka::{topics, ErrorKind};
use gureum_sandbox::broker::BrokerProcess;
use gureum_sandbox::broker_client::BrokerLogin;
use gureum_secrets::Secret;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;

/// A broker on a temp folder (removed with the returned guard) and its login.
async fn broker() -> (BrokerProcess, BrokerLogin, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let login = BrokerLogin::generate();
    let broker = BrokerProcess::start(&support::broker_bin(), dir.path(), "plain", 1, &login)
        .await
        .unwrap_or_else(|e| panic!("the broker did not start: {e}"));
    (broker, login, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kafka_connection_lists_sends_and_tails() {
    let (broker, login, _dir) = broker().await;
    let settings = ClientSettings::kafka(
        &KafkaSettings {
            bootstrap_servers: broker.addr.to_string(),
            security_protocol: SecurityProtocol::SaslPlaintext,
            sasl_mechanism: SaslMechanism::ScramSha512,
            sasl_username: login.user().to_string(),
            ssl_ca_location: String::new(),
        },
        Some(Secret::new(login.expose_password())),
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
