//! The connection store against the real OS keyring (gnome-keyring under dbus-run-session in CI).

use std::fs;
use std::path::{Path, PathBuf};

use gureum_connections::*;

fn service() -> String {
    format!("gureum-test-{}", std::process::id())
        + &format!("-{:?}", std::thread::current().id()).replace(['(', ')'], "")
}

fn cloud(name: &str, secret: Option<&str>) -> ConnectionInput {
    ConnectionInput {
        id: None,
        name: name.into(),
        endpoint: Endpoint::ConfluentCloud(ConfluentCloudSettings {
            cloud_api_key: "ABCDEFGH12345678".into(),
            cloud_api_url: "https://api.confluent.cloud".into(),
            metrics_api_url: "https://api.telemetry.confluent.cloud".into(),
        }),
        secret: secret.map(Secret::new),
    }
}

fn kafka_sasl(name: &str, password: Option<&str>) -> ConnectionInput {
    ConnectionInput {
        id: None,
        name: name.into(),
        endpoint: Endpoint::Kafka(KafkaSettings {
            bootstrap_servers: "localhost:9092".into(),
            security_protocol: SecurityProtocol::SaslSsl,
            sasl_mechanism: SaslMechanism::ScramSha512,
            sasl_username: "alice".into(),
            ssl_ca_location: String::new(),
        }),
        secret: password.map(Secret::new),
    }
}

/// Every file under `dir`, read as text: the proof that no secret is on disk.
fn all_text(dir: &Path) -> String {
    let mut out = String::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out += &all_text(&p);
        } else {
            out += &String::from_utf8_lossy(&fs::read(&p).unwrap());
        }
    }
    out
}

#[test]
fn secret_goes_to_keyring_and_never_to_disk() {
    let dir = tempfile::tempdir().unwrap();
    let store = ConnectionStore::new(dir.path(), KeyringStore::new(service()));
    let c = store
        .save(cloud("Prod org", Some("cloud-secret-Zq9+/x")))
        .unwrap();

    assert_eq!(
        store.secret(&c.id).unwrap().unwrap().expose(),
        "cloud-secret-Zq9+/x"
    );
    assert_eq!(store.secret_state(&c.id).unwrap(), SecretState::Stored);
    let on_disk = all_text(dir.path());
    assert!(on_disk.contains("Prod org") && on_disk.contains("ABCDEFGH12345678"));
    assert!(
        !on_disk.contains("cloud-secret"),
        "secret leaked to the config dir"
    );

    // Read back through a fresh store: the sandbox first, then ours.
    let again = ConnectionStore::new(dir.path(), KeyringStore::new(service()));
    let list = again.list().unwrap();
    assert_eq!(
        list.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["Sandbox cloud", "Prod org"]
    );
    assert_eq!(list[1], c);

    store.remove(&c.id).unwrap();
    assert_eq!(
        store.secret(&c.id).unwrap(),
        None,
        "removing a connection removes its secret"
    );
    assert_eq!(store.list().unwrap().len(), 1);
}

#[test]
fn edit_keeps_or_replaces_the_secret_and_drops_it_when_unneeded() {
    let dir = tempfile::tempdir().unwrap();
    let store = ConnectionStore::new(dir.path(), KeyringStore::new(service()));
    let c = store.save(kafka_sasl("cluster", Some("pw-1"))).unwrap();

    let mut edit = kafka_sasl("cluster renamed", None);
    edit.id = Some(c.id.clone());
    store.save(edit.clone()).unwrap();
    assert_eq!(
        store.secret(&c.id).unwrap().unwrap().expose(),
        "pw-1",
        "blank secret on edit keeps the old one"
    );

    edit.secret = Some(Secret::new("pw-2"));
    store.save(edit.clone()).unwrap();
    assert_eq!(store.secret(&c.id).unwrap().unwrap().expose(), "pw-2");

    if let Endpoint::Kafka(k) = &mut edit.endpoint {
        k.security_protocol = SecurityProtocol::Plaintext;
    }
    edit.secret = None;
    store.save(edit).unwrap();
    assert_eq!(
        store.secret(&c.id).unwrap(),
        None,
        "a PLAINTEXT connection keeps no password"
    );
    assert_eq!(store.secret_state(&c.id).unwrap(), SecretState::NotNeeded);
    store.remove(&c.id).unwrap();
}

#[test]
fn invalid_input_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = ConnectionStore::new(dir.path(), KeyringStore::new(service()));
    let mut bad = cloud("", Some("would-be-secret"));
    if let Endpoint::ConfluentCloud(c) = &mut bad.endpoint {
        c.cloud_api_url = "not a url".into();
    }
    match store.save(bad) {
        Err(Error::Invalid(fields)) => {
            assert_eq!(
                fields.fields().collect::<Vec<_>>(),
                ["cloud_api_url", "name"]
            );
        }
        other => panic!("expected field errors, got {other:?}"),
    }
    assert!(!store.config_path().exists(), "no config written");
    assert!(
        fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing in the config dir"
    );

    store.save(cloud("dup", Some("s"))).unwrap();
    let before = fs::read(store.config_path()).unwrap();
    assert!(
        matches!(store.save(cloud("DUP", Some("s2"))), Err(Error::Invalid(f)) if f.contains("name"))
    );
    assert_eq!(
        fs::read(store.config_path()).unwrap(),
        before,
        "duplicate name changes nothing"
    );
    let id = store.list().unwrap()[1].id.clone();
    store.remove(&id).unwrap();
}

#[test]
fn the_sandbox_is_always_there_and_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = ConnectionStore::new(dir.path(), KeyringStore::new(service()));
    assert_eq!(store.list().unwrap(), vec![Connection::sandbox()]);
    assert!(matches!(
        store.remove(SANDBOX_ID),
        Err(Error::BuiltinReadOnly)
    ));
    let mut edit = cloud("x", Some("s"));
    edit.id = Some(SANDBOX_ID.into());
    assert!(matches!(store.save(edit), Err(Error::BuiltinReadOnly)));
    assert!(matches!(store.remove("c-nope"), Err(Error::NotFound(_))));
}

/// The real keyring, with the config file sabotaged right after the keyring write: the config
/// write then fails, and the store must put the keyring back as it was.
struct SabotageAfterSet {
    real: KeyringStore,
    config: PathBuf,
}

impl SecretStore for SabotageAfterSet {
    fn set(&self, account: &str, secret: &Secret) -> Result<(), SecretStoreError> {
        self.real.set(account, secret)?;
        // A non-empty directory where the file must go: the atomic rename fails.
        let _ = fs::remove_file(&self.config);
        fs::create_dir_all(self.config.join("blocker")).unwrap();
        Ok(())
    }
    fn get(&self, account: &str) -> Result<Option<Secret>, SecretStoreError> {
        self.real.get(account)
    }
    fn delete(&self, account: &str) -> Result<(), SecretStoreError> {
        self.real.delete(account)
    }
}

#[test]
fn a_failed_config_write_undoes_the_keyring_write() {
    let dir = tempfile::tempdir().unwrap();
    let real = KeyringStore::new(service());
    let config = dir.path().join(CONFIG_FILE_NAME);
    let store = ConnectionStore::new(
        dir.path(),
        SabotageAfterSet {
            real: real.clone(),
            config: config.clone(),
        },
    );
    let err = store.save(cloud("doomed", Some("never-kept"))).unwrap_err();
    assert!(matches!(err, Error::ConfigIo { .. }), "{err:?}");
    // No keyring entry named after any id survives: list what the store would have used.
    let leftover = fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftover, 1, "only the blocker dir");
    // The id was random, so look at every entry of our service through secret-tool.
    assert!(
        !keyring_listing().contains("connection/"),
        "keyring entry left behind"
    );
    // The same look does see an entry when there is one.
    real.set("connection/probe", &Secret::new("p")).unwrap();
    assert!(keyring_listing().contains("connection/probe"));
    real.delete("connection/probe").unwrap();
}

fn keyring_listing() -> String {
    let out = std::process::Command::new("secret-tool")
        .args(["search", "--all", "service", &service()])
        .output()
        .expect("secret-tool (libsecret-tools) is installed by tests/setup.sh");
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn cluster_keys_live_in_the_keyring_and_go_with_their_connection() {
    let dir = tempfile::tempdir().unwrap();
    let store = ConnectionStore::new(dir.path(), KeyringStore::new(service()));
    let org = store.save(cloud("Org", Some("cloud-secret"))).unwrap();
    assert!(store.cluster_key(&org.id, "lkc-1").unwrap().is_none());
    store
        .save_cluster_key(&org.id, "lkc-1", "KEYOLD", &Secret::new("old-secret-1"))
        .unwrap();
    store
        .save_cluster_key(&org.id, "lkc-1", "KEYNEW", &Secret::new("new-secret-2"))
        .unwrap();
    store
        .save_cluster_key(SANDBOX_ID, "lkc-2", "KEYSBX", &Secret::new("sbx-secret-3"))
        .unwrap();
    // The newest key of that very cluster and connection is the one used.
    let (id, secret) = store.cluster_key(&org.id, "lkc-1").unwrap().unwrap();
    assert_eq!((id.as_str(), secret.expose()), ("KEYNEW", "new-secret-2"));
    assert!(store.cluster_key(&org.id, "lkc-2").unwrap().is_none());
    let text = all_text(dir.path());
    assert!(text.contains("KEYNEW") && text.contains("lkc-1"));
    for s in ["old-secret-1", "new-secret-2", "sbx-secret-3"] {
        assert!(!text.contains(s), "secret on disk");
    }
    // Forgetting the newest falls back to the older one; its keyring entry is gone.
    store.forget_cluster_key(&org.id, "KEYNEW").unwrap();
    assert_eq!(
        store.cluster_key(&org.id, "lkc-1").unwrap().unwrap().0,
        "KEYOLD"
    );
    assert!(!keyring_listing().contains("KEYNEW"));
    store.forget_cluster_key(&org.id, "never-stored").unwrap();
    // Removing the connection removes its keys, not the sandbox's.
    store.remove(&org.id).unwrap();
    assert!(store.cluster_keys(&org.id).unwrap().is_empty());
    let listing = keyring_listing();
    assert!(!listing.contains("KEYOLD"), "{listing}");
    assert!(listing.contains("cluster-key/sandbox/KEYSBX"));
    store.forget_cluster_key(SANDBOX_ID, "KEYSBX").unwrap();
    assert!(!keyring_listing().contains("KEYSBX"));
}

#[test]
fn a_spare_key_does_not_replace_the_one_in_use_until_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let store = ConnectionStore::new(dir.path(), KeyringStore::new(service()));
    let org = store.save(cloud("Spare", Some("cloud-secret"))).unwrap();
    // A cluster's only key is used, spare or not.
    store
        .keep_cluster_key(
            &org.id,
            "lkc-9",
            "KEYADMIN",
            &Secret::new("admin-secret"),
            false,
        )
        .unwrap();
    assert_eq!(
        store.cluster_key(&org.id, "lkc-9").unwrap().unwrap().0,
        "KEYADMIN"
    );
    store
        .save_cluster_key(&org.id, "lkc-9", "KEYAPP", &Secret::new("app-secret"))
        .unwrap();
    store
        .keep_cluster_key(
            &org.id,
            "lkc-9",
            "KEYSPARE",
            &Secret::new("spare-secret"),
            false,
        )
        .unwrap();
    assert_eq!(
        store.cluster_key(&org.id, "lkc-9").unwrap().unwrap().0,
        "KEYAPP"
    );
    let (k, s) = store
        .cluster_key_by_id(&org.id, "KEYSPARE")
        .unwrap()
        .unwrap();
    assert_eq!(
        (k.cluster_id.as_str(), s.expose()),
        ("lkc-9", "spare-secret")
    );
    assert!(store.cluster_key_by_id(&org.id, "NOPE").unwrap().is_none());
    // Choosing one makes it the key in use.
    assert!(store.use_cluster_key(&org.id, "KEYADMIN").unwrap());
    assert_eq!(
        store.cluster_key(&org.id, "lkc-9").unwrap().unwrap().0,
        "KEYADMIN"
    );
    assert!(!store.use_cluster_key(&org.id, "NOPE").unwrap());
    store.remove(&org.id).unwrap();
    assert!(!keyring_listing().contains("KEYSPARE"));
}
