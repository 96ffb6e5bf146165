//! What the session caches, and what drops it, against real sandbox clouds (two of them, on
//! folders of their own, so a "restart" really moves the Cloud API to another port) and a real
//! connection store whose secrets live in memory for the test.

use std::path::PathBuf;
use std::sync::Arc;

use gureum_confluent::Cluster;
use gureum_connections::{
    ConfluentCloudSettings, ConnectionInput, ConnectionStore, Endpoint, KafkaSettings,
    SaslMechanism, SecurityProtocol, SANDBOX_ID,
};
use gureum_sandbox::{Sandbox, SandboxConfig};
use gureum_secrets::{Secret, SecretVault};
use gureum_session::{SandboxAccess, SandboxCloudApi, Session, SessionError, Target};
use tokio::sync::Mutex;

/// The app's sandbox slot, reduced to what the session asks of it.
#[derive(Default)]
struct Slot(Mutex<Option<Sandbox>>);

fn down() -> SessionError {
    SessionError::SandboxNotReady {
        message: "The sandbox cloud is stopped.".into(),
        detail: None,
    }
}

impl SandboxAccess for Slot {
    async fn rest_url(&self) -> Result<String, SessionError> {
        let s = self.0.lock().await;
        Ok(s.as_ref().ok_or_else(down)?.rest_url().to_string())
    }
    async fn cloud_api(&self) -> Result<SandboxCloudApi, SessionError> {
        let s = self.0.lock().await;
        let s = s.as_ref().ok_or_else(down)?;
        let (key, secret) = s
            .cloud_credentials()
            .map_err(|e| SessionError::Internal(e.to_string()))?;
        Ok(SandboxCloudApi {
            url: s.rest_url().to_string(),
            key,
            secret,
        })
    }
    async fn ca_path(&self) -> Option<PathBuf> {
        self.0.lock().await.as_ref().map(|s| s.ca_path())
    }
}

async fn sandbox(dir: &std::path::Path) -> Sandbox {
    // No cluster is made here, so no broker ever starts: any existing file will do.
    Sandbox::start(SandboxConfig::local(
        dir.to_path_buf(),
        std::env::current_exe().unwrap(),
        Arc::new(SecretVault::session("test")),
    ))
    .await
    .expect("a sandbox starts")
}

struct World {
    session: Session<SecretVault, Slot>,
    slot: Arc<Slot>,
    store: Arc<ConnectionStore<SecretVault>>,
    _dirs: Vec<tempfile::TempDir>,
}

fn world() -> World {
    let config = tempfile::tempdir().unwrap();
    let store = Arc::new(ConnectionStore::new(
        config.path(),
        SecretVault::session("test"),
    ));
    let slot = Arc::new(Slot::default());
    World {
        session: Session::new(store.clone(), slot.clone()),
        slot,
        store,
        _dirs: vec![config],
    }
}

async fn environments(session: &Session<SecretVault, Slot>, conn: &str) -> Vec<String> {
    let client = session.client(conn).await.expect("a client");
    client
        .list_environments()
        .await
        .expect("the Cloud API answers")
        .into_iter()
        .filter_map(|e| e.display_name)
        .collect()
}

/// A Confluent Cloud connection whose Cloud API is `sandbox`'s (a real Cloud API, key and secret).
fn cloud_input(id: Option<String>, sandbox: &Sandbox) -> ConnectionInput {
    let (key, secret) = sandbox.cloud_credentials().unwrap();
    ConnectionInput {
        id,
        name: "Org".into(),
        endpoint: Endpoint::ConfluentCloud(ConfluentCloudSettings {
            cloud_api_key: key,
            cloud_api_url: sandbox.rest_url().to_string(),
            metrics_api_url: sandbox.rest_url().to_string(),
        }),
        secret: Some(secret),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sandbox_restart_gives_a_client_for_its_new_address() {
    let mut w = world();
    let (a_dir, b_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = sandbox(a_dir.path()).await;
    let b = sandbox(b_dir.path()).await;
    assert_ne!(a.rest_url(), b.rest_url());
    let client = w.session.client(SANDBOX_ID).await;
    assert!(
        matches!(client, Err(SessionError::SandboxNotReady { .. })),
        "no sandbox yet: {client:?}"
    );

    let (key, secret) = a.cloud_credentials().unwrap();
    let admin = gureum_confluent::Client::new(gureum_confluent::Config::new(
        a.rest_url().to_string(),
        key,
        secret,
    ))
    .unwrap();
    admin.create_environment("only-in-a", None).await.unwrap();
    let (key, secret) = b.cloud_credentials().unwrap();
    let admin = gureum_confluent::Client::new(gureum_confluent::Config::new(
        b.rest_url().to_string(),
        key,
        secret,
    ))
    .unwrap();
    admin.create_environment("only-in-b", None).await.unwrap();

    *w.slot.0.lock().await = Some(a);
    assert!(environments(&w.session, SANDBOX_ID)
        .await
        .contains(&"only-in-a".to_string()));
    let first = w.session.client(SANDBOX_ID).await.unwrap();
    let again = w.session.client(SANDBOX_ID).await.unwrap();
    assert_eq!(first.config().cloud_api_url, again.config().cloud_api_url);

    // "Restart": the slot now holds another sandbox on another port.
    let old = w.slot.0.lock().await.replace(b).unwrap();
    old.stop().await;
    let names = environments(&w.session, SANDBOX_ID).await;
    assert!(names.contains(&"only-in-b".to_string()), "{names:?}");
    assert!(!names.contains(&"only-in-a".to_string()), "{names:?}");

    // Stopped: the session says so instead of calling a dead port.
    let b = w.slot.0.lock().await.take().unwrap();
    b.stop().await;
    assert!(matches!(
        w.session.client(SANDBOX_ID).await,
        Err(SessionError::SandboxNotReady { .. })
    ));
    w._dirs.extend([a_dir, b_dir]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_connection_keeps_its_old_client_until_forgotten() {
    let w = world();
    let (a_dir, b_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (a, b) = (sandbox(a_dir.path()).await, sandbox(b_dir.path()).await);
    let saved = w.store.save(cloud_input(None, &a)).unwrap();
    let first = w.session.client(&saved.id).await.unwrap();
    assert_eq!(first.config().cloud_api_url, a.rest_url());

    // Edited to point at another org: cached until the app says the connection changed.
    w.store
        .save(cloud_input(Some(saved.id.clone()), &b))
        .unwrap();
    let cached = w.session.client(&saved.id).await.unwrap();
    assert_eq!(cached.config().cloud_api_url, a.rest_url());
    w.session.forget(&saved.id).await;
    let fresh = w.session.client(&saved.id).await.unwrap();
    assert_eq!(fresh.config().cloud_api_url, b.rest_url());
    fresh.list_environments().await.expect("b's key works on b");

    // Removed: no client, and the error names why.
    w.store.remove(&saved.id).unwrap();
    w.session.forget(&saved.id).await;
    assert!(matches!(
        w.session.client(&saved.id).await,
        Err(SessionError::Connections(_))
    ));
    a.stop().await;
    b.stop().await;
}

fn cluster(rest: &str) -> Cluster {
    serde_json::from_value(serde_json::json!({
        "id": "lkc-cache1",
        "spec": {
            "display_name": "orders",
            "http_endpoint": rest,
            "kafka_bootstrap_endpoint": "SASL_SSL://127.0.0.1:9092",
            "config": { "kind": "Dedicated", "cku": 2 },
            "environment": { "id": "env-1" }
        },
        "status": { "phase": "PROVISIONED" }
    }))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replaced_key_is_used_once_keys_are_forgotten_and_a_deleted_cluster_is_read_again() {
    let w = world();
    let dir = tempfile::tempdir().unwrap();
    let a = sandbox(dir.path()).await;
    let saved = w.store.save(cloud_input(None, &a)).unwrap();
    let conn = saved.id.as_str();

    // Nothing known of the cluster and not in the org: the Cloud API's answer comes back.
    assert!(matches!(
        w.session.kafka_rest(conn, "env-1", "lkc-cache1").await,
        Err(SessionError::Cloud(_))
    ));
    w.session.client(conn).await.unwrap();
    w.session
        .remember_clusters(conn, [&cluster("https://rest.example:443")])
        .await;
    let (_, info) = w
        .session
        .cluster_info(conn, "env-1", "lkc-cache1")
        .await
        .unwrap();
    assert_eq!(
        (info.name.as_str(), info.kind.as_str(), info.cku),
        ("orders", "Dedicated", Some(2))
    );
    assert_eq!(info.bootstrap.as_deref(), Some("127.0.0.1:9092"));

    match w.session.kafka_rest(conn, "env-1", "lkc-cache1").await {
        Err(SessionError::ClusterKeyMissing { cluster }) => assert_eq!(cluster, "orders"),
        other => panic!("expected no key yet: {other:?}"),
    }
    w.store
        .save_cluster_key(conn, "lkc-cache1", "KEY1", &Secret::new("s1"))
        .unwrap();
    let (_, auth, _) = w
        .session
        .kafka_rest(conn, "env-1", "lkc-cache1")
        .await
        .unwrap();
    assert_eq!(
        (auth.key.as_str(), auth.endpoint.as_str()),
        ("KEY1", "https://rest.example:443")
    );

    w.store
        .save_cluster_key(conn, "lkc-cache1", "KEY2", &Secret::new("s2"))
        .unwrap();
    let (_, cached, _) = w
        .session
        .kafka_rest(conn, "env-1", "lkc-cache1")
        .await
        .unwrap();
    assert_eq!(
        cached.key, "KEY1",
        "the key in use is cached until keys are forgotten"
    );
    w.session.forget_keys(conn).await;
    let (_, auth, _) = w
        .session
        .kafka_rest(conn, "env-1", "lkc-cache1")
        .await
        .unwrap();
    assert_eq!((auth.key.as_str(), auth.secret.expose()), ("KEY2", "s2"));

    // One named key, and a key of another cluster refused.
    let (_, named) = w
        .session
        .kafka_rest_with_key(conn, "env-1", "lkc-cache1", "KEY1")
        .await
        .unwrap();
    assert_eq!(named.secret.expose(), "s1");
    assert!(matches!(
        w.session
            .kafka_rest_with_key(conn, "env-1", "lkc-cache1", "NOPE")
            .await,
        Err(SessionError::KeyNotHeld { .. })
    ));

    // The data plane's settings come from the same cluster and key.
    let target = Target {
        connection_id: conn.into(),
        environment_id: "env-1".into(),
        cluster_id: "lkc-cache1".into(),
    };
    let settings = w.session.settings(&target).await.unwrap();
    let text = format!("{settings:?}");
    assert!(
        text.contains("127.0.0.1:9092") && text.contains("KEY2"),
        "{text}"
    );
    assert!(!text.contains("s2"), "settings print no secret: {text}");

    // Deleted: forgotten, so the next call asks the Cloud API again (which no longer has it).
    w.session.forget_cluster(conn, "lkc-cache1").await;
    assert!(matches!(
        w.session.cluster_info(conn, "env-1", "lkc-cache1").await,
        Err(SessionError::Cloud(_))
    ));
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kafka_connection_has_settings_but_no_cloud_api() {
    let w = world();
    let saved = w
        .store
        .save(ConnectionInput {
            id: None,
            name: "Self-managed".into(),
            endpoint: Endpoint::Kafka(KafkaSettings {
                bootstrap_servers: "127.0.0.1:19092".into(),
                security_protocol: SecurityProtocol::SaslPlaintext,
                sasl_mechanism: SaslMechanism::ScramSha512,
                sasl_username: "alice".into(),
                ssl_ca_location: String::new(),
            }),
            secret: Some(Secret::new("pw-1")),
        })
        .unwrap();
    match w.session.client(&saved.id).await {
        Err(SessionError::NoCloudApi { connection }) => assert_eq!(connection, "Self-managed"),
        other => panic!("a Kafka connection has no Cloud API: {other:?}"),
    }
    let target = Target {
        connection_id: saved.id.clone(),
        environment_id: String::new(),
        cluster_id: String::new(),
    };
    let text = format!("{:?}", w.session.settings(&target).await.unwrap());
    assert!(
        text.contains("127.0.0.1:19092") && text.contains("alice"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cloud_connection_without_its_secret_says_so() {
    let w = world();
    let dir = tempfile::tempdir().unwrap();
    let a = sandbox(dir.path()).await;
    let saved = w.store.save(cloud_input(None, &a)).unwrap();
    // Another run without a keyring: the config survived, the secret didn't.
    let other = Session::new(
        Arc::new(ConnectionStore::new(
            w.store.config_path().parent().unwrap(),
            SecretVault::session("another run"),
        )),
        w.slot.clone(),
    );
    match other.client(&saved.id).await {
        Err(SessionError::SecretMissing { connection }) => assert_eq!(connection, "Org"),
        other => panic!("expected a missing secret: {other:?}"),
    }
    a.stop().await;
}
