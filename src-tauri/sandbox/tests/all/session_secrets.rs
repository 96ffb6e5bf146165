//! A sandbox whose secrets live in memory for one session (no OS keyring): every start on the
//! same folder makes a new CA — rewriting `ca.pem` and saying so, so clients can be told to
//! trust it again — and a new Cloud API key, while the organisation and what it holds survive.
//! With the same store (the keyring case) nothing changes between starts.

use std::sync::Arc;

use gureum_sandbox::{Sandbox, SandboxConfig};
use gureum_secrets::{SecretStore, SecretVault};

async fn start(dir: &std::path::Path, secrets: Arc<dyn SecretStore>) -> Sandbox {
    Sandbox::start(SandboxConfig::local(
        dir.to_path_buf(),
        crate::broker::bin(),
        secrets,
    ))
    .await
    .expect("the sandbox starts without a keyring")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_session_means_a_new_ca_and_cloud_key_and_says_so() {
    let dir = tempfile::tempdir().unwrap();

    let first = start(dir.path(), Arc::new(SecretVault::session("test"))).await;
    assert!(!first.ca_renewed(), "a first start has no CA to replace");
    let ca1 = std::fs::read_to_string(first.ca_path()).unwrap();
    let (key1, _) = first.cloud_credentials().unwrap();
    first.stop().await;

    // Same store again (a keyring): the same CA and key.
    let kept = Arc::new(SecretVault::session("test"));
    let a = start(dir.path(), kept.clone()).await;
    let ca_a = std::fs::read_to_string(a.ca_path()).unwrap();
    a.stop().await;
    let b = start(dir.path(), kept).await;
    assert!(!b.ca_renewed());
    assert_eq!(std::fs::read_to_string(b.ca_path()).unwrap(), ca_a);
    let (key_b, _) = b.cloud_credentials().unwrap();
    b.stop().await;

    // A new session: nothing of the last one's secrets.
    let second = start(dir.path(), Arc::new(SecretVault::session("test"))).await;
    assert!(second.ca_renewed(), "clients must be told the CA changed");
    let ca2 = std::fs::read_to_string(second.ca_path()).unwrap();
    assert_ne!(ca1, ca2);
    assert_ne!(ca_a, ca2);
    let (key2, secret2) = second.cloud_credentials().unwrap();
    assert_ne!(key2, key1);
    assert_ne!(key2, key_b);
    assert!(!secret2.is_blank());
    // No secret of this session reached the folder.
    for entry in walk(dir.path()) {
        let text = String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).to_string();
        assert!(!text.contains("PRIVATE KEY"), "{}", entry.display());
        assert!(!text.contains(secret2.expose()), "{}", entry.display());
    }
    second.stop().await;
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
