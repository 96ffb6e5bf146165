//! A cluster built and run with no organisation around it: only a [`ClusterContext`] (a folder,
//! the broker program and login, TLS, an event log, a guard, a record of its own). Its brokers
//! start, clients produce through its front door, and a killed broker is replaced.

use crate::broker as support;

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::Arc;
use std::time::Duration;

use gureum_sandbox::acl::Principal;
use gureum_sandbox::front_door::NoopMeter;
use gureum_sandbox::tls::SandboxCa;
use gureum_sandbox::{ClusterContext, ClusterRecord, ClusterRuntime, EventKind, EventLog, Phase};
use rdkafka::config::ClientConfig;
use rdkafka::producer::{FutureProducer, FutureRecord};

struct Record {
    config: serde_json::Value,
    port: AtomicU16,
}

impl ClusterRecord for Record {
    fn config(&self) -> Option<serde_json::Value> {
        Some(self.config.clone())
    }
    fn bootstrap_port(&self) -> u16 {
        self.port.load(Ordering::SeqCst)
    }
    fn save_bootstrap_port(&self, port: u16) -> std::io::Result<()> {
        self.port.store(port, Ordering::SeqCst);
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_runs_on_its_context_alone() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let ca = SandboxCa::generate("alone CA").unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca.cert_pem()).unwrap();
    let record = Arc::new(Record {
        config: serde_json::json!({"kind": "Dedicated", "cku": 2}),
        port: AtomicU16::new(0),
    });
    let events = Arc::new(EventLog::default());
    let ctx = ClusterContext {
        dir: dir.path().join("lkc-alone"),
        broker_bin: support::bin(),
        broker_login: support::login(),
        tls: ca.server_config(&["127.0.0.1"]).unwrap(),
        events: events.clone(),
        meter: Arc::new(NoopMeter),
        guard: Arc::new(|user: &str, password: &str| match (user, password) {
            ("KEY", "SECRET") => Ok(Principal::User("u-alone".into())),
            _ => Err("Authentication failed".to_string()),
        }),
        record: record.clone(),
    };
    let config = record.config.clone();
    let rt = ClusterRuntime::new("lkc-alone", &config, ctx);
    rt.clone().provision().await;
    assert_eq!(rt.phase(), Phase::Provisioned);
    assert_eq!(rt.brokers().len(), 2, "one broker per CKU");
    let port = record.bootstrap_port();
    assert_ne!(port, 0, "the bootstrap port was saved in the record");

    rt.admin.create_topic("t", 2, -1, &[], false).await.unwrap();
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", format!("127.0.0.1:{port}"))
        .set("security.protocol", "SASL_SSL")
        .set("sasl.mechanisms", "PLAIN")
        .set("sasl.username", "KEY")
        .set("sasl.password", "SECRET")
        .set("ssl.ca.location", ca_file.to_str().unwrap())
        .create()
        .unwrap();
    producer
        .send(
            FutureRecord::<(), _>::to("t").payload("hello"),
            Duration::from_secs(15),
        )
        .await
        .map_err(|(e, _)| e)
        .unwrap();

    let (first, _) = rt.brokers()[0];
    assert!(rt.fail_broker(first).await);
    for _ in 0..200 {
        let ids: Vec<i32> = rt.brokers().iter().map(|b| b.0).collect();
        if ids.len() == 2 && !ids.contains(&first) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let ids: Vec<i32> = rt.brokers().iter().map(|b| b.0).collect();
    assert!(ids.len() == 2 && !ids.contains(&first), "{ids:?}");
    let kinds: Vec<EventKind> = events.recent("lkc-alone").iter().map(|e| e.kind).collect();
    assert!(
        kinds.contains(&EventKind::BrokerFailed) && kinds.contains(&EventKind::Healthy),
        "{kinds:?}"
    );
    rt.stop().await;
}
