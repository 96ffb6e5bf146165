//! Authorization as the data plane meets it on the sandbox (which enforces ACLs as Confluent
//! Cloud does): a service account's key gets in but may do nothing without ACLs, and every
//! refusal — a send, a bulk send, the tail, a consumer in a group — names the operation and the
//! resource it lacked. The Producer preset makes sending work (reading still refused), the
//! Consumer preset reading.

use crate::support;

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use gureum_confluent::{Preset, PresetTarget};
use gureum_kafka::bulk::{self, Job, Source};
use gureum_kafka::producer::{Acks, Compression, OutRecord, Producers, SendOptions};
use gureum_kafka::settings::ClientSettings;
use gureum_kafka::tail::Tail;
use gureum_kafka::template::Template;
use gureum_kafka::{topics, ErrorKind, KafkaError};

use support::world;

const TOPIC: &str = "acl.orders";
const GROUP: &str = "acl-readers";

fn opts() -> SendOptions {
    SendOptions {
        acks: Acks::All,
        compression: Compression::None,
    }
}

fn one(value: &str) -> OutRecord {
    OutRecord {
        topic: TOPIC.into(),
        value: Some(value.as_bytes().to_vec()),
        ..Default::default()
    }
}

#[track_caller]
fn refused(e: &KafkaError) -> (String, String, String) {
    assert_eq!(e.kind, ErrorKind::NotAuthorized, "{e:?}");
    let d = e.denied.clone().expect("a refusal names what it refused");
    (d.operation, d.resource_type, d.resource_name)
}

fn s(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

async fn grant(preset: Preset, principal: &str) {
    let w = world();
    let acls = preset.acls(
        principal,
        &PresetTarget {
            topic: TOPIC.into(),
            prefixed: false,
            group: GROUP.into(),
            group_prefixed: false,
        },
    );
    let (client, rest) = (w.client.clone(), w.rest.clone());
    w.runtime
        .spawn(async move { client.create_acls(&rest, &acls).await })
        .await
        .unwrap()
        .unwrap();
}

fn try_read(settings: &ClientSettings) -> Result<topics::ReadTry, KafkaError> {
    topics::try_read(settings, TOPIC, GROUP, 100, Duration::from_secs(20))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_accounts_key_may_do_what_its_acls_allow_and_refusals_say_what_is_missing() {
    let w = world();
    w.topic(TOPIC, 3, &[]).await;
    let (id, secret) = w.new_key("acl app").await;
    let app = ClientSettings::confluent(&w.bootstrap, &id, secret, Some(w.ca.clone()));
    let principal = format!("User:{}", w.sa);
    let producers = Producers::default();

    // No ACLs: the key authenticates (a refused login would be AuthFailed) but may not write.
    let started = Instant::now();
    let e = loop {
        let e = producers
            .send(&app, opts(), one("first"))
            .await
            .unwrap_err();
        if e.kind != ErrorKind::AuthFailed || started.elapsed() > Duration::from_secs(20) {
            break e;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert_eq!(refused(&e), s("WRITE", "TOPIC", TOPIC));
    assert!(
        e.message.contains("may not WRITE topic “acl.orders”"),
        "{}",
        e.message
    );

    // A bulk send stops at the first refusal, and says so.
    let job = Job {
        topic: TOPIC.into(),
        partition: None,
        source: Source::Template {
            key: None,
            value: Template::parse("{{seq}}").unwrap(),
            headers: Vec::new(),
            count: 1000,
        },
        options: opts(),
    };
    let bulk_app = app.clone();
    let e = tokio::task::spawn_blocking(move || {
        bulk::run(&bulk_app, job, &AtomicBool::new(false), |_| {})
    })
    .await
    .unwrap()
    .unwrap_err();
    assert_eq!(refused(&e), s("WRITE", "TOPIC", TOPIC));

    // Reading: the tail and a consumer in a group are refused too.
    let tail_app = app.clone();
    let e =
        tokio::task::spawn_blocking(move || Tail::start(&tail_app, TOPIC, None, 10, |_| {}).err())
            .await
            .unwrap()
            .expect("the tail is refused");
    assert_eq!(refused(&e), s("READ", "TOPIC", TOPIC));
    let read_app = app.clone();
    let e = tokio::task::spawn_blocking(move || try_read(&read_app))
        .await
        .unwrap()
        .unwrap_err();
    let (op, kind, _) = refused(&e);
    assert_eq!(op, "READ", "{e:?}");
    assert!(kind == "TOPIC" || kind == "GROUP", "{e:?}");

    // The Producer preset: sending works; reading is still refused.
    grant(Preset::Producer, &principal).await;
    let d = producers.send(&app, opts(), one("second")).await.unwrap();
    assert!(d.offset >= 0);
    let read_app = app.clone();
    let e = tokio::task::spawn_blocking(move || try_read(&read_app))
        .await
        .unwrap()
        .unwrap_err();
    let (op, _, _) = refused(&e);
    assert_eq!(op, "READ", "{e:?}");
    let tail_app = app.clone();
    let e = tokio::task::spawn_blocking(move || {
        // The topic is visible now (DESCRIBE): the refusal comes from the first fetch.
        let (tx, rx) = std::sync::mpsc::channel();
        let tail = Tail::start(&tail_app, TOPIC, None, 10, move |ev| {
            if let gureum_kafka::tail::TailEvent::Failed(e) = ev {
                let _ = tx.send(e);
            }
        });
        match tail {
            Err(e) => e,
            Ok(t) => {
                let e = rx
                    .recv_timeout(Duration::from_secs(20))
                    .expect("the tail is refused");
                t.stop();
                e
            }
        }
    })
    .await
    .unwrap();
    assert_eq!(refused(&e), s("READ", "TOPIC", TOPIC));

    // The Consumer preset: reading works, in its group.
    grant(Preset::Consumer, &principal).await;
    let read_app = app.clone();
    let got = tokio::task::spawn_blocking(move || try_read(&read_app))
        .await
        .unwrap()
        .unwrap();
    assert!(got.records >= 1, "{got:?}");
    assert_eq!(got.partitions, 3);
    // The tail reads too: it assigns its partitions and commits nothing, so the group Gureum's
    // consumer names is no business of the ACLs.
    let tail_app = app.clone();
    let got = tokio::task::spawn_blocking(move || {
        let (tx, rx) = std::sync::mpsc::channel();
        let t = Tail::start(&tail_app, TOPIC, None, 10, move |ev| {
            let _ = tx.send(match ev {
                gureum_kafka::tail::TailEvent::Records(r) => Ok(r.len()),
                gureum_kafka::tail::TailEvent::Failed(e) => Err(e),
            });
        })
        .unwrap();
        let got = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("the tail sends something");
        t.stop();
        got
    })
    .await
    .unwrap();
    assert!(got.unwrap() >= 1);
}
