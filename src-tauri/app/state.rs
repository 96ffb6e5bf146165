use std::path::PathBuf;

use gureum_connections::ConnectionStore;
use gureum_secrets::SecretVault;

/// The keyring "service" under which every Gureum secret is filed.
pub const KEYRING_SERVICE: &str = "gureum";

pub struct AppState {
    pub connections: ConnectionStore<SecretVault>,
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
            connections: ConnectionStore::new(&config_dir, secrets.clone()),
            secrets,
            config_dir,
        }
    }
}
