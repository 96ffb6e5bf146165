use std::path::PathBuf;
use std::sync::Arc;

use gureum_connections::ConnectionStore;
use gureum_secrets::SecretVault;

/// The keyring "service" under which every Gureum secret is filed.
pub const KEYRING_SERVICE: &str = "gureum";

pub struct AppState {
    /// Shared with the session (`cloud::Clients`), which reads connections and keys too.
    pub connections: Arc<ConnectionStore<SecretVault>>,
    /// Where this run keeps secrets: the OS keyring, or memory for the session when none
    /// answered at start. The connections and the sandbox share this one store.
    pub secrets: SecretVault,
    pub config_dir: PathBuf,
}

impl AppState {
    /// Probes the OS keyring once ([`SecretVault::open`]).
    pub fn new(config_dir: PathBuf) -> Self {
        let secrets = SecretVault::open(KEYRING_SERVICE);
        match secrets.session_only() {
            None => log::info!("secrets: the OS keyring"),
            Some(why) => log::warn!(
                "no OS keyring ({why}): secrets are kept in memory for this session only"
            ),
        }
        AppState {
            connections: Arc::new(ConnectionStore::new(&config_dir, secrets.clone())),
            secrets,
            config_dir,
        }
    }
}
