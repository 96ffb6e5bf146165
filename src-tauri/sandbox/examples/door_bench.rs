//! Benchmark (prints figures; not a test): produce throughput through a front door that
//! authorizes every request (a service account with WRITE on the topic, by ACL) against the same
//! producer straight to the broker behind it (SASL/SCRAM on plaintext, the door's own login), in
//! one run, alternating. 1 KB records, acks=all, idempotence off, librdkafka defaults otherwise.
//!
//!   cargo build --release --ignore-rust-version -p gureum-sandbox --bins --example door_bench
//!   target/release/examples/door_bench [records per run, default 100000] [rounds, default 15]
//!
//! On two cores the broker is most of the CPU (59% of perf samples against about 5% for the
//! door, its TLS and the client together) and its speed drifts by ±10% between runs, so only a
//! median over many rounds says anything; run it on an otherwise idle machine.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gureum_sandbox::acl::{
    AclBinding, Operation, PatternType, Permission, Principal, ResourceType,
};
use gureum_sandbox::broker::BrokerProcess;
use gureum_sandbox::broker_client::{BrokerClient, BrokerLogin};
use gureum_sandbox::front_door::{FrontDoor, FrontDoorConfig, Guard};
use gureum_sandbox::tls::SandboxCa;
use rdkafka::config::ClientConfig;
use rdkafka::producer::{BaseRecord, DeliveryResult, Producer, ProducerContext, ThreadedProducer};
use rdkafka::ClientContext;

const TOPIC: &str = "bench";
const KEY: &str = "BENCHKEY00000000";
/// A key of the org's user: the door checks no ACL for it (the cost of authorization alone is
/// the difference between the two door runs).
const USER_KEY: &str = "BENCHUSER0000000";
const SECRET: &str = "bench-secret";

/// A service account allowed to write the topic, and nothing else.
struct BenchGuard {
    acls: Arc<Vec<AclBinding>>,
}

impl Guard for BenchGuard {
    fn authenticate(&self, user: &str, password: &str) -> Result<Principal, String> {
        if (user, password) == (KEY, SECRET) {
            Ok(Principal::ServiceAccount("sa-bench".into()))
        } else if (user, password) == (USER_KEY, SECRET) {
            Ok(Principal::User("u-bench".into()))
        } else {
            Err("Authentication failed".into())
        }
    }
    fn acls(&self) -> Arc<Vec<AclBinding>> {
        self.acls.clone()
    }
}

fn allow(rtype: ResourceType, name: &str, op: Operation) -> AclBinding {
    AclBinding {
        cluster: "lkc-bench".into(),
        resource_type: rtype,
        resource_name: name.into(),
        pattern_type: PatternType::Literal,
        principal: "User:sa-bench".into(),
        host: "*".into(),
        operation: op,
        permission: Permission::Allow,
    }
}

#[derive(Default)]
struct Counts {
    ok: AtomicU64,
    failed: AtomicU64,
}

struct Ctx(Arc<Counts>);
impl ClientContext for Ctx {}
impl ProducerContext for Ctx {
    type DeliveryOpaque = ();
    fn delivery(&self, r: &DeliveryResult<'_>, _: ()) {
        let c = if r.is_ok() {
            &self.0.ok
        } else {
            &self.0.failed
        };
        c.fetch_add(1, Ordering::Relaxed);
    }
}

/// Records a second over one run of `n` records.
fn run(config: &ClientConfig, n: u64) -> f64 {
    let counts = Arc::new(Counts::default());
    let producer: ThreadedProducer<Ctx> = config
        .create_with_context(Ctx(counts.clone()))
        .expect("producer");
    let value = vec![b'x'; 1024];
    // Connect and learn the topic before the clock starts.
    producer
        .send(BaseRecord::<(), _>::to(TOPIC).payload(&value))
        .ok();
    producer
        .flush(Duration::from_secs(30))
        .expect("warm-up flush");
    counts.ok.store(0, Ordering::SeqCst);
    let start = Instant::now();
    for _ in 0..n {
        let mut record = BaseRecord::<(), _>::to(TOPIC).payload(&value);
        loop {
            match producer.send(record) {
                Ok(()) => break,
                Err((_, r)) => {
                    record = r;
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        }
    }
    producer.flush(Duration::from_secs(120)).expect("flush");
    let secs = start.elapsed().as_secs_f64();
    let (ok, failed) = (
        counts.ok.load(Ordering::SeqCst),
        counts.failed.load(Ordering::SeqCst),
    );
    assert_eq!((ok, failed), (n, 0), "every record acknowledged");
    n as f64 / secs
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().map_or(100_000, |a| a.parse().expect("records"));
    let rounds: usize = args.next().map_or(15, |a| a.parse().expect("rounds"));
    let bin = gureum_sandbox::built_sandbox_program();
    let dir = tempfile::tempdir().unwrap();
    let login = BrokerLogin::generate();
    let broker = BrokerProcess::start(&bin, dir.path(), "bench", 1, &login)
        .await
        .expect("broker");
    let admin = BrokerClient::new(broker.addr, login.clone());
    admin
        .create_topic(TOPIC, 6, -1, &[], false)
        .await
        .expect("topic");
    let ca = SandboxCa::generate("door bench CA").unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca.cert_pem()).unwrap();
    let guard = BenchGuard {
        acls: Arc::new(vec![
            allow(ResourceType::Topic, TOPIC, Operation::Write),
            allow(
                ResourceType::Cluster,
                "kafka-cluster",
                Operation::IdempotentWrite,
            ),
        ]),
    };
    let door = FrontDoor::start(FrontDoorConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        advertised_host: "127.0.0.1".into(),
        tls: ca.server_config(&["127.0.0.1"]).unwrap(),
        upstream: broker.addr,
        upstream_login: login.clone(),
        guard: Arc::new(guard),
        topology: None,
    })
    .await
    .expect("door");

    let base = |c: &mut ClientConfig| {
        c.set("acks", "all")
            .set("enable.idempotence", "false")
            .set("linger.ms", "5")
            .set("queue.buffering.max.messages", "200000");
    };
    let mut through_door = ClientConfig::new();
    base(&mut through_door);
    through_door
        .set("bootstrap.servers", door.local_addr().to_string())
        .set("security.protocol", "SASL_SSL")
        .set("sasl.mechanisms", "PLAIN")
        .set("sasl.username", KEY)
        .set("sasl.password", SECRET)
        .set("ssl.ca.location", ca_file.to_str().unwrap());
    let mut as_user = through_door.clone();
    as_user.set("sasl.username", USER_KEY);
    let mut direct = ClientConfig::new();
    base(&mut direct);
    direct
        .set("bootstrap.servers", broker.addr.to_string())
        .set("security.protocol", "SASL_PLAINTEXT")
        .set("sasl.mechanisms", "SCRAM-SHA-512")
        .set("sasl.username", login.user())
        .set("sasl.password", login.expose_password());

    let (mut door_rates, mut direct_rates, mut user_rates) = (Vec::new(), Vec::new(), Vec::new());
    let (mut door_ratios, mut authz_ratios) = (Vec::new(), Vec::new());
    for round in 1..=rounds {
        // Rotate which goes first, so none always meets a warmer broker (or a longer log).
        let mut order: Vec<(&str, &ClientConfig)> = vec![
            ("door", &through_door),
            ("direct", &direct),
            ("user", &as_user),
        ];
        order.rotate_left(round % 3);
        let mut this_round = std::collections::HashMap::new();
        for (name, cfg) in order {
            let cfg = cfg.clone();
            let rate = tokio::task::spawn_blocking(move || run(&cfg, n))
                .await
                .unwrap();
            println!(
                "round {round}: {name:<6} {rate:>9.0} records/s  {:>6.1} MB/s",
                rate * 1024.0 / 1e6
            );
            this_round.insert(name, rate);
        }
        let (d, b, u) = (this_round["door"], this_round["direct"], this_round["user"]);
        println!(
            "round {round}: door/direct {:.3}, authorizing/not {:.3}",
            d / b,
            d / u
        );
        door_rates.push(d);
        direct_rates.push(b);
        user_rates.push(u);
        // The broker's speed drifts between rounds (on two cores it is most of the CPU), so the
        // ratio is taken within a round, where the three runs follow each other.
        door_ratios.push(d / b);
        authz_ratios.push(d / u);
    }
    let (d, b, u) = (median(door_rates), median(direct_rates), median(user_rates));
    println!(
        "median over {rounds} rounds of {n} x 1 KB, acks=all: through the door authorizing a service account {d:.0}/s, \
         through the door as a user (no ACL checked) {u:.0}/s, straight to the broker {b:.0}/s; \
         median of each round's ratio: door/direct {:.3}, authorizing/not {:.3}",
        median(door_ratios),
        median(authz_ratios)
    );
    door.shutdown().await;
    broker.stop().await;
}
