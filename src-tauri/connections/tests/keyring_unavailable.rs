//! With no Secret Service reachable, saving fails plainly and writes nothing — never a
//! plaintext fallback. Its own test binary, so the broken bus address can't affect other tests.

use gureum_connections::*;

#[test]
fn no_keyring_means_a_clear_error_and_nothing_saved() {
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/gureum-test-bus",
    );
    let dir = tempfile::tempdir().unwrap();
    let store = ConnectionStore::new(dir.path(), KeyringStore::new("gureum-test-nobus"));
    let input = ConnectionInput {
        id: None,
        name: "org".into(),
        endpoint: Endpoint::ConfluentCloud(ConfluentCloudSettings {
            cloud_api_key: "KEY".into(),
            cloud_api_url: ConfluentCloudSettings::DEFAULT_CLOUD_API_URL.into(),
            metrics_api_url: ConfluentCloudSettings::DEFAULT_METRICS_API_URL.into(),
        }),
        secret: Some(Secret::new("topsecret")),
    };
    match store.save(input) {
        Err(Error::Secret(SecretStoreError::Unavailable(why))) => {
            assert!(!why.contains("topsecret"));
            let msg = Error::Secret(SecretStoreError::Unavailable(why)).to_string();
            assert!(
                msg.contains("not available")
                    && msg.contains("never stores secrets in plain files"),
                "{msg}"
            );
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert!(!store.config_path().exists(), "nothing saved half-way");
}
