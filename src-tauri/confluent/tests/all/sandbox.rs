//! Every operation once, over real HTTP, against the sandbox cloud (Confluent's paths, shapes
//! and error envelopes over real brokers). Run under `tests/with-keyring.sh`: the sandbox
//! keeps its secrets in the OS keyring.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gureum_confluent::access::KeyVault;
use gureum_confluent::*;
use gureum_sandbox::SandboxConfig;
use gureum_secrets::{KeyringStore, Secret};

/// The sandbox cloud in this test's process, started as every crate's tests start one
/// ([`SandboxConfig::local`]): its Cloud API is real HTTP on a loopback port.
struct Sandbox {
    running: Option<gureum_sandbox::Sandbox>,
    rest_url: String,
    key: String,
    secret: Secret,
    _dir: tempfile::TempDir,
}

impl Sandbox {
    async fn start() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let secrets = KeyringStore::new(format!("gureum-test-confluent-{}", std::process::id()));
        let running = gureum_sandbox::Sandbox::start(SandboxConfig::local(
            dir.path().join("sandbox"),
            gureum_sandbox::built_sandbox_program(),
            Arc::new(secrets),
        ))
        .await
        .expect("the sandbox starts (is a keyring running? use tests/with-keyring.sh)");
        let (key, secret) = running.cloud_credentials().unwrap();
        Sandbox {
            rest_url: running.rest_url().to_string(),
            running: Some(running),
            key,
            secret,
            _dir: dir,
        }
    }

    async fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await;
        }
    }
}

fn id<T: std::fmt::Debug>(v: &Option<String>, what: &T) -> String {
    v.clone().unwrap_or_else(|| panic!("no id in {what:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_against_the_sandbox() {
    let mut sb = Sandbox::start().await;
    let mut cfg = Config::new(&sb.rest_url, &sb.key, sb.secret.clone());
    cfg.timeout = Duration::from_secs(20);
    let c = Client::new(cfg.clone()).unwrap();

    // Environment
    let env = c
        .create_environment("it-env", Some("ESSENTIALS"))
        .await
        .unwrap();
    let env_id = id(&env.id, &env);
    assert_eq!(
        c.get_environment(&env_id)
            .await
            .unwrap()
            .display_name
            .as_deref(),
        Some("it-env")
    );
    assert!(c
        .list_environments()
        .await
        .unwrap()
        .iter()
        .any(|e| e.id.as_deref() == Some(env_id.as_str())));

    // Cluster: 202 PROVISIONING, then poll until PROVISIONED
    let new = NewCluster {
        display_name: "it-cluster".into(),
        environment_id: env_id.clone(),
        cloud: "GCP".into(),
        region: "us-central1".into(),
        availability: "SINGLE_ZONE".into(),
        config: ClusterConfig::Basic { max_ecku: None },
    };
    let cluster = c.create_cluster(&new).await.unwrap();
    let lkc = id(&cluster.id, &cluster);
    let deadline = Instant::now() + Duration::from_secs(90);
    let cluster = loop {
        let got = c.get_cluster(&env_id, &lkc).await.unwrap();
        match got.phase() {
            Some("PROVISIONED") => break got,
            Some("FAILED") => panic!("cluster failed: {got:?}"),
            _ if Instant::now() > deadline => panic!("cluster not provisioned in time: {got:?}"),
            _ => tokio::time::sleep(Duration::from_millis(250)).await,
        }
    };
    assert!(cluster
        .bootstrap()
        .is_some_and(|b| !b.starts_with("SASL_SSL://")));
    let renamed = c
        .update_cluster(&env_id, &lkc, Some("it-renamed"), None)
        .await
        .unwrap();
    assert_eq!(
        renamed.spec.as_ref().unwrap().display_name.as_deref(),
        Some("it-renamed")
    );
    // Resize path: Basic → Standard (the only type change allowed; Dedicated would take cku).
    let upgraded = c
        .update_cluster(
            &env_id,
            &lkc,
            None,
            Some(&ClusterConfig::Standard { max_ecku: None }),
        )
        .await
        .unwrap();
    assert!(matches!(
        upgraded.spec.as_ref().unwrap().config,
        Some(ClusterConfig::Standard { .. })
    ));
    let bad = c
        .update_cluster(
            &env_id,
            &lkc,
            None,
            Some(&ClusterConfig::Dedicated {
                cku: 1,
                zones: None,
            }),
        )
        .await
        .unwrap_err();
    assert_eq!(bad.kind, ErrorKind::Invalid, "{bad}");
    assert!(c
        .list_clusters(&env_id)
        .await
        .unwrap()
        .iter()
        .any(|x| x.id.as_deref() == Some(lkc.as_str())));

    // Service account + Kafka API key
    let sa = c
        .create_service_account("it-sa", "integration test")
        .await
        .unwrap();
    let sa_id = id(&sa.id, &sa);
    assert!(c
        .list_service_accounts()
        .await
        .unwrap()
        .iter()
        .any(|s| s.id == sa.id));
    let key = c
        .create_api_key(&NewApiKey {
            display_name: "it-key".into(),
            description: "d".into(),
            owner_id: sa_id.clone(),
            resource_id: Some(lkc.clone()),
            resource_environment: Some(env_id.clone()),
        })
        .await
        .unwrap();
    let key_id = id(&key.id, &key);
    let secret = key
        .secret()
        .expect("the create response carries the secret")
        .clone();
    assert!(!format!("{key:?}").contains(secret.expose()));
    let read = c.get_api_key(&key_id).await.unwrap();
    assert!(read.secret().is_none(), "reads never return the secret");
    let listed = c.list_api_keys(Some(&sa_id), Some(&lkc)).await.unwrap();
    assert_eq!(
        listed.iter().map(|k| k.id.clone()).collect::<Vec<_>>(),
        vec![Some(key_id.clone())]
    );
    let updated = c
        .update_api_key(&key_id, None, Some("new description"))
        .await
        .unwrap();
    assert_eq!(
        updated.spec.unwrap().description.as_deref(),
        Some("new description")
    );

    let auth = KafkaRestAuth {
        endpoint: cluster.rest_endpoint().unwrap().to_string(),
        cluster_id: lkc.clone(),
        key: key_id.clone(),
        secret,
    };
    // A service account's key authenticates, and may do nothing until ACLs say so: its topic
    // list is empty, not an error.
    let seen = Mutex::new(Vec::new());
    let ready = c
        .wait_for_api_key(
            &auth,
            None,
            |p| seen.lock().unwrap().push(p),
            &AtomicBool::new(false),
            Duration::from_millis(100),
            Duration::from_secs(30),
        )
        .await
        .unwrap();
    assert_eq!(ready.authorized, None);
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.last().unwrap().consecutive_ok, 2);
    assert!(c.list_topics(&auth).await.unwrap().is_empty());

    // The org's user, and a key it owns: it may do everything, ACLs included.
    let users = c.list_users().await.unwrap();
    assert_eq!(users.len(), 1);
    let admin_key = c
        .create_api_key(&NewApiKey {
            display_name: "it-admin".into(),
            description: "the user's own".into(),
            owner_id: users[0].id.clone().unwrap(),
            resource_id: Some(lkc.clone()),
            resource_environment: Some(env_id.clone()),
        })
        .await
        .unwrap();
    let admin = KafkaRestAuth {
        endpoint: auth.endpoint.clone(),
        cluster_id: lkc.clone(),
        key: id(&admin_key.id, &admin_key),
        secret: admin_key.secret().unwrap().clone(),
    };
    c.create_topic(&admin, "it.acl", Some(1), &[])
        .await
        .unwrap();
    assert_eq!(
        c.topic_operations(&auth, "it.acl").await.unwrap(),
        Some(vec![])
    );
    let principal = format!("User:{sa_id}");
    let everything = PresetTarget {
        topic: String::new(),
        prefixed: false,
        group: String::new(),
        group_prefixed: false,
    };
    c.create_acls(&admin, &Preset::FullAccess.acls(&principal, &everything))
        .await
        .unwrap();
    let granted = c
        .list_acls(&admin, &AclFilter::of_principal(&principal))
        .await
        .unwrap();
    assert_eq!(granted.len(), 4);
    let bad = c
        .create_acls(
            &admin,
            &[Acl::allow(
                "CLUSTER",
                "not-kafka-cluster",
                "LITERAL",
                &principal,
                "ALTER",
            )],
        )
        .await
        .unwrap_err();
    assert_eq!(
        (bad.kind, bad.code.as_deref()),
        (ErrorKind::Invalid, Some("40002")),
        "{bad}"
    );
    let denied = c.list_acls(&auth, &AclFilter::default()).await;
    assert!(
        denied.is_ok(),
        "full access includes DESCRIBE on the cluster"
    );
    let ready = c
        .wait_for_api_key(
            &auth,
            Some("it.acl"),
            |_| {},
            &AtomicBool::new(false),
            Duration::from_millis(100),
            Duration::from_secs(30),
        )
        .await
        .unwrap();
    let ops = ready.authorized.unwrap();
    assert!(
        ["READ", "WRITE", "DESCRIBE", "DELETE"]
            .iter()
            .all(|o| ops.iter().any(|x| x == o)),
        "{ops:?}"
    );

    let cancelled = c
        .wait_for_api_key(
            &auth,
            None,
            |_| {},
            &AtomicBool::new(true),
            Duration::from_millis(100),
            Duration::from_secs(5),
        )
        .await
        .unwrap_err();
    assert_eq!(cancelled.kind, ErrorKind::Cancelled);

    // Topics, configs, produce, partitions, groups
    c.create_topic(
        &auth,
        "it.orders",
        Some(6),
        &[("cleanup.policy", "compact")],
    )
    .await
    .unwrap();
    let topic = c.get_topic(&auth, "it.orders").await.unwrap();
    assert_eq!(topic.partitions_count, Some(6));
    assert!(c
        .list_topics(&auth)
        .await
        .unwrap()
        .iter()
        .any(|t| t.topic_name.as_deref() == Some("it.orders")));
    let dup = c
        .create_topic(&auth, "it.orders", Some(1), &[])
        .await
        .unwrap_err();
    assert_eq!(dup.kind, ErrorKind::Conflict, "{dup}");

    c.alter_topic_configs(
        &auth,
        "it.orders",
        &[
            ConfigChange::Set {
                name: "retention.ms".into(),
                value: "3600000".into(),
            },
            ConfigChange::Reset {
                name: "cleanup.policy".into(),
            },
        ],
    )
    .await
    .unwrap();
    let configs = c.list_topic_configs(&auth, "it.orders").await.unwrap();
    let find = |n: &str| {
        configs
            .iter()
            .find(|x| x.name.as_deref() == Some(n))
            .unwrap_or_else(|| panic!("no {n}"))
    };
    assert_eq!(find("retention.ms").value.as_deref(), Some("3600000"));
    assert_eq!(find("cleanup.policy").value.as_deref(), Some("delete"));
    // The cluster-wide view carries the same value, told apart by topic name.
    let all = c.list_all_topic_configs(&auth).await.unwrap();
    let retention = all
        .iter()
        .find(|x| {
            x.topic_name.as_deref() == Some("it.orders")
                && x.name.as_deref() == Some("retention.ms")
        })
        .expect("it.orders retention.ms in topics/-/configs");
    assert_eq!(retention.value.as_deref(), Some("3600000"));
    // The list view built from those two calls, and the one-topic read-back.
    let summaries = c.topic_summaries(&auth).await.unwrap();
    let orders = summaries
        .iter()
        .find(|s| s.name == "it.orders")
        .expect("it.orders listed");
    assert_eq!(
        (
            orders.retention_ms.as_deref(),
            orders.cleanup_policy.as_deref()
        ),
        (Some("3600000"), Some("delete"))
    );
    assert!(summaries.windows(2).all(|w| w[0].name <= w[1].name));
    assert_eq!(&c.topic_summary(&auth, "it.orders").await.unwrap(), orders);

    let record = Record {
        partition: Some(3),
        key: Some(Payload::String("order-1".into())),
        value: Some(Payload::Json(serde_json::json!({"qty": 2}))),
        headers: vec![("source".into(), b"it".to_vec())],
        timestamp_ms: Some(1_700_000_000_123),
    };
    let produced = c.produce(&auth, "it.orders", &record).await.unwrap();
    assert_eq!(
        (produced.partition_id, produced.offset, produced.error_code),
        (Some(3), Some(0), Some(200))
    );
    assert_eq!(
        produced.timestamp.as_deref(),
        Some("2023-11-14T22:13:20.123Z")
    );
    let binary = Record {
        value: Some(Payload::Binary(vec![0, 1, 2, 255])),
        ..Record::default()
    };
    assert!(c
        .produce(&auth, "it.orders", &binary)
        .await
        .unwrap()
        .offset
        .is_some());
    let wrong = Record {
        partition: Some(99),
        ..record.clone()
    };
    assert_eq!(
        c.produce(&auth, "it.orders", &wrong)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::NotFound
    );

    // The Metrics API meters REST produce too: the two records above, per topic, in time order;
    // the same query again comes from the client's cache.
    let now = chrono::Utc::now().timestamp();
    let query = gureum_confluent::metrics::MetricsQuery {
        metric: "received_records".into(),
        cluster_id: lkc.clone(),
        granularity: "PT1M".into(),
        start: now - 600,
        end: now + 60,
        group_by: Some("metric.topic".into()),
        topics: vec!["it.orders".into()],
    };
    let (series, cached) = c.query_metrics(&query).await.unwrap();
    assert!(!cached);
    assert_eq!(series.len(), 1, "{series:?}");
    assert_eq!(
        series[0].labels.get("metric.topic").map(String::as_str),
        Some("it.orders")
    );
    assert_eq!(series[0].points.iter().map(|p| p.1).sum::<f64>(), 2.0);
    assert!(series[0].points.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(
        c.query_metrics(&query).await.unwrap().1,
        "the second time from the cache"
    );
    let descriptors = c.metric_descriptors().await.unwrap();
    assert!(descriptors.iter().any(
        |d| d.name == "io.confluent.kafka.server/retained_bytes" && d.kind.starts_with("GAUGE")
    ));

    let partitions = c.list_partitions(&auth, "it.orders").await.unwrap();
    let mut ids: Vec<i32> = partitions.iter().filter_map(|p| p.partition_id).collect();
    ids.sort();
    assert_eq!(ids, [0, 1, 2, 3, 4, 5]);
    c.list_consumer_groups(&auth).await.unwrap();

    c.delete_topic(&auth, "it.orders").await.unwrap();
    assert_eq!(
        c.get_topic(&auth, "it.orders").await.unwrap_err().kind,
        ErrorKind::NotFound
    );

    // A deleted key reads as 403 forbidden_access → NotFound, and no longer authenticates.
    // Its ACLs deleted, the service account's key sees nothing again.
    let removed = c
        .delete_acls(&admin, &AclFilter::of_principal(&principal))
        .await
        .unwrap();
    assert_eq!(removed.len(), 4);
    assert!(c.list_topics(&auth).await.unwrap().is_empty());
    c.delete_api_key(&key_id).await.unwrap();
    let gone = c.get_api_key(&key_id).await.unwrap_err();
    assert_eq!(
        (gone.kind, gone.status, gone.code.as_deref()),
        (ErrorKind::NotFound, Some(403), Some("forbidden_access"))
    );
    let refused = c.list_topics(&auth).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Unauthorized);
    assert!(!format!("{refused:?}{refused}").contains(auth.secret.expose()));

    // Pagination: 23 more service accounts, listed 5 per page.
    let mut made = Vec::new();
    for i in 0..23 {
        made.push(
            c.create_service_account(&format!("it-page-{i:02}"), "")
                .await
                .unwrap()
                .id
                .unwrap(),
        );
    }
    let all = Client::new(cfg.clone())
        .unwrap()
        .with_page_size(5)
        .list_service_accounts()
        .await
        .unwrap();
    let all_ids: Vec<String> = all.iter().filter_map(|s| s.id.clone()).collect();
    assert!(
        made.iter().all(|m| all_ids.contains(m)),
        "missing some of {made:?} in {all_ids:?}"
    );
    let mut dedup = all_ids.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), all_ids.len(), "a page repeated");
    assert_eq!(
        all_ids,
        c.list_service_accounts()
            .await
            .unwrap()
            .into_iter()
            .filter_map(|s| s.id)
            .collect::<Vec<_>>()
    );
    c.delete_service_account(&made[0]).await.unwrap();

    // Cleanup order: cluster, then environment.
    c.delete_cluster(&env_id, &lkc).await.unwrap();
    assert_eq!(
        c.get_cluster(&env_id, &lkc).await.unwrap_err().kind,
        ErrorKind::NotFound
    );
    c.delete_environment(&env_id).await.unwrap();

    // Wrong Cloud secret → Unauthorized with the fix, and the secret nowhere.
    let mut wrong = cfg.clone();
    wrong.cloud_secret = Secret::new("wrong-s3cr3t-value");
    let e = Client::new(wrong)
        .unwrap()
        .list_environments()
        .await
        .unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Unauthorized, Some(401)));
    let shown = format!("{e} {e:?}");
    assert!(
        shown.contains("key or secret")
            && !shown.contains("wrong-s3cr3t")
            && !shown.contains(sb.secret.expose()),
        "{shown}"
    );

    // Sandbox gone → Unreachable, quickly.
    sb.stop().await;
    let start = Instant::now();
    let e = c.list_environments().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unreachable, "{e}");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}

/// Keys kept in memory, as the app keeps them in the keyring: (cluster, key, secret), oldest first.
#[derive(Default)]
struct MemoryVault(Mutex<Vec<(String, String, Secret)>>);

impl access::KeyVault for MemoryVault {
    type Error = String;
    async fn held(&self, cluster_id: &str) -> Result<Vec<(String, Secret)>, String> {
        Ok(self
            .0
            .lock()
            .unwrap()
            .iter()
            .rev()
            .filter(|(c, _, _)| c == cluster_id)
            .map(|(_, k, s)| (k.clone(), s.clone()))
            .collect())
    }
    async fn keep(
        &self,
        cluster_id: &str,
        key_id: &str,
        secret: &Secret,
        in_use: bool,
    ) -> Result<(), String> {
        let entry = (cluster_id.to_string(), key_id.to_string(), secret.clone());
        let mut v = self.0.lock().unwrap();
        if in_use {
            v.push(entry);
        } else {
            v.insert(0, entry);
        }
        Ok(())
    }
}

/// The access flows the app runs, over real HTTP: my account, a service account's key made with
/// the Producer preset (a key of my account made first to add the ACLs, kept aside), what each
/// key may do, the ACLs listed with names, deleted, and a bare key for the lesson.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_flows_against_the_sandbox() {
    let sb = Sandbox::start().await;
    let mut cfg = Config::new(&sb.rest_url, &sb.key, sb.secret.clone());
    cfg.timeout = Duration::from_secs(20);
    let c = Client::new(cfg).unwrap();
    let me = access::my_account(&c).await.unwrap();
    assert!(me.id.starts_with("u-") && me.kind == "User", "{me:?}");

    let env = id(
        &c.create_environment("acl-env", None).await.unwrap().id,
        &"env",
    );
    let created = c
        .create_cluster(&NewCluster {
            display_name: "acl-cluster".into(),
            environment_id: env.clone(),
            cloud: "AWS".into(),
            region: "us-east-1".into(),
            availability: "SINGLE_ZONE".into(),
            config: ClusterConfig::Basic { max_ecku: None },
        })
        .await
        .unwrap();
    let lkc = id(&created.id, &created);
    let deadline = Instant::now() + Duration::from_secs(90);
    let cluster = loop {
        let got = c.get_cluster(&env, &lkc).await.unwrap();
        if got.phase() == Some("PROVISIONED") {
            break got;
        }
        assert!(Instant::now() < deadline, "not provisioned");
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let place = access::ClusterRef {
        environment_id: env.clone(),
        cluster_id: lkc.clone(),
        rest_endpoint: cluster.rest_endpoint().unwrap().to_string(),
    };
    let vault = MemoryVault::default();
    let cancel = AtomicBool::new(false);
    let patience = access::Patience {
        interval: Duration::from_millis(200),
        timeout: Duration::from_secs(60),
    };

    // Nothing held: no ACLs can be read yet.
    let listing = access::list_acls(&c, &vault, &place).await.unwrap();
    assert_eq!(
        (listing.admin_key, listing.me.id.clone()),
        (None, me.id.clone())
    );

    // A topic, made with a key of my account (held aside: the vault held nothing, so it is used).
    let admin = access::ensure_admin_key(&c, &vault, &place, &me, |_, _| {}, &cancel, patience)
        .await
        .unwrap();
    assert!(admin.created);
    c.create_topic(&admin.auth, "orders", Some(3), &[])
        .await
        .unwrap();
    c.create_topic(&admin.auth, "payments", Some(3), &[])
        .await
        .unwrap();

    // A service account's key with the Producer preset: the ACLs go in first, with the admin key.
    let sa = c
        .create_service_account("orders-app", "acl flows")
        .await
        .unwrap();
    let sa_id = id(&sa.id, &sa);
    let acls = Preset::Producer.acls(
        &format!("User:{sa_id}"),
        &PresetTarget {
            topic: "orders".into(),
            prefixed: false,
            group: String::new(),
            group_prefixed: false,
        },
    );
    let made = access::create_key(
        &c,
        &vault,
        &access::KeyOrder {
            owner_id: sa_id.clone(),
            cluster: Some(place.clone()),
            name: "orders-app".into(),
            description: "".into(),
            acls: acls.clone(),
        },
        |_, _| {},
        &cancel,
        patience,
    )
    .await
    .unwrap();
    let admin_used = made.admin.as_ref().unwrap();
    assert!(!admin_used.created, "the held key of my account was reused");
    assert_eq!(admin_used.auth.key, admin.auth.key);
    assert!(made.store_error.is_none());
    assert!(made.kept, "a cluster key is kept");
    let sa_key = made.key.id.clone().unwrap();
    // The new key is the one in use; the admin key stays held.
    assert_eq!(vault.held(&lkc).await.unwrap()[0].0, sa_key);
    let sa_auth = place.auth(&sa_key, made.secret.clone());
    let ready = c
        .wait_for_api_key(
            &sa_auth,
            Some("orders"),
            |_| {},
            &cancel,
            Duration::from_millis(200),
            Duration::from_secs(60),
        )
        .await
        .unwrap();
    let ops = ready.authorized.unwrap();
    assert!(
        ops.contains(&"WRITE".to_string()) && ops.contains(&"DESCRIBE".to_string()),
        "{ops:?}"
    );
    assert!(!ops.contains(&"READ".to_string()), "{ops:?}");

    // What each key may do: the service account sees only its topic.
    let check = access::check_key(&c, &sa_auth, 50).await.unwrap();
    assert_eq!(check.visible, 1);
    assert_eq!(check.topics[0].topic, "orders");
    assert_eq!(
        check.owner.as_ref().map(|o| o.name.as_str()),
        Some("orders-app")
    );
    let mine = access::check_key(&c, &admin.auth, 50).await.unwrap();
    assert_eq!(mine.visible, 2);
    assert_eq!(mine.owner.map(|o| o.id), Some(me.id.clone()));
    let wrong = place.auth(&sa_key, Secret::new("not-the-secret"));
    assert_eq!(
        access::check_key(&c, &wrong, 50).await.unwrap_err().kind,
        ErrorKind::Unauthorized
    );
    // A pasted key the cluster refuses is not kept.
    let held_before = vault.held(&lkc).await.unwrap().len();
    let bad = Secret::new("not-the-secret");
    let refused = access::use_existing_key(&c, &vault, &place, &sa_key, bad, 50)
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, access::FlowError::Rest(e, k) if e.kind == ErrorKind::Unauthorized && *k == sa_key),
        "{refused:?}"
    );
    assert_eq!(vault.held(&lkc).await.unwrap().len(), held_before);

    // The ACLs, listed with the principal's name; the held keys with their owners.
    let listing = access::list_acls(&c, &vault, &place).await.unwrap();
    assert_eq!(listing.admin_key.as_deref(), Some(admin.auth.key.as_str()));
    assert_eq!(listing.rows.len(), 3);
    assert!(listing
        .rows
        .iter()
        .all(|r| r.account.name == "orders-app" && r.account.id == sa_id));
    let held: Vec<(String, String)> = vault
        .0
        .lock()
        .unwrap()
        .iter()
        .map(|(c, k, _)| (c.clone(), k.clone()))
        .collect();
    let described = access::describe_held(&c, &held).await.unwrap();
    assert_eq!(described.len(), 2);
    let used = described.iter().find(|h| h.in_use).unwrap();
    assert_eq!(
        (
            used.key_id.as_str(),
            used.owner.as_ref().map(|o| o.kind.as_str())
        ),
        (sa_key.as_str(), Some("ServiceAccount"))
    );
    assert_eq!(access::owner_of_key(&c, &sa_key).await.unwrap().id, sa_id);
    let refusal = access::Refused::new("READ", "TOPIC", "orders");
    let fix = access::fix_for_refusal(&c, &place, &refusal, sa_key.clone())
        .await
        .unwrap();
    assert_eq!(
        (fix.account.id.as_str(), fix.key_id.as_str()),
        (sa_id.as_str(), sa_key.as_str())
    );
    assert_eq!(fix.rest_endpoint, place.rest_endpoint);
    assert_eq!(fix.fix, access::fix_for(&refusal, &fix.account.principal()));

    // Delete one: it is gone; the key may no longer write.
    let write = acls.iter().find(|a| a.operation == "WRITE").unwrap();
    let gone = access::delete_acl(&c, &vault, &place, write, |_, _| {}, &cancel, patience)
        .await
        .unwrap();
    assert_eq!(gone.len(), 1);
    let ops = c
        .topic_operations(&sa_auth, "orders")
        .await
        .unwrap()
        .unwrap();
    assert!(!ops.contains(&"WRITE".to_string()), "{ops:?}");

    // The lesson's bare key: the account's ACLs removed, its held key reused.
    let bare = access::bare_service_key(
        &c,
        &vault,
        &place,
        "orders-app",
        |_, _| {},
        &cancel,
        patience,
    )
    .await
    .unwrap();
    assert_eq!(
        (bare.account.id.as_str(), bare.key_id.as_str(), bare.removed),
        (sa_id.as_str(), sa_key.as_str(), 2)
    );
    assert!(access::list_acls(&c, &vault, &place)
        .await
        .unwrap()
        .rows
        .is_empty());
    assert_eq!(
        c.topic_operations(&sa_auth, "orders").await.unwrap(),
        Some(Vec::new())
    );
}

/// The welcome's sample, run twice: everything made the first time (each step reported started
/// then done, with its id), found the second; a record sent through Kafka REST says where its
/// key went.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sample_then_a_rest_send() {
    use gureum_confluent::sample::{self, SamplePatience, SampleStep};
    let sb = Sandbox::start().await;
    let mut cfg = Config::new(&sb.rest_url, &sb.key, sb.secret.clone());
    cfg.timeout = Duration::from_secs(20);
    let c = Client::new(cfg).unwrap();
    let vault = MemoryVault::default();
    let steps = Mutex::new(Vec::new());
    let progress = |s: SampleStep, done: bool, d: Option<&str>| {
        steps.lock().unwrap().push((s, done, d.map(str::to_string)))
    };
    let (first, cluster) = sample::create(&c, &vault, progress, SamplePatience::default())
        .await
        .unwrap();
    assert_eq!(
        (first.topic.as_str(), first.cluster_name.as_str()),
        ("hello", "sample")
    );
    assert_eq!(cluster.phase(), Some("PROVISIONED"));
    let seen = steps.lock().unwrap().clone();
    assert_eq!(seen.len(), 8, "{seen:?}");
    assert_eq!(
        seen[3],
        (SampleStep::Cluster, true, Some(first.cluster_id.clone()))
    );
    assert_eq!(seen[7], (SampleStep::Topic, true, Some("hello".into())));
    let (again, _) = sample::create(&c, &vault, |_, _, _| {}, SamplePatience::default())
        .await
        .unwrap();
    assert_eq!(again, first, "the second run finds what the first made");
    assert_eq!(vault.0.lock().unwrap().len(), 1, "one key made");

    let secret = vault.0.lock().unwrap()[0].2.clone();
    let auth = gureum_confluent::access::ClusterRef {
        environment_id: first.environment_id.clone(),
        cluster_id: first.cluster_id.clone(),
        rest_endpoint: cluster.rest_endpoint().unwrap().to_string(),
    }
    .auth(&first.key_id, secret);
    let record = gureum_confluent::Record::from_form(None, Some("k"), "v", None, vec![], None);
    let sent = c.send_record(&auth, "hello", &record).await.unwrap();
    assert_eq!(sent.partitions, 3);
    assert_eq!(sent.key_partition, Some(sent.partition));
    assert!(sent.offset >= 0);
}
