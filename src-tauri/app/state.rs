use std::path::PathBuf;

use gureum_connections::{ConnectionStore, KeyringStore};

/// The keyring "service" under which every Gureum secret is filed.
pub const KEYRING_SERVICE: &str = "gureum";

pub struct AppState {
    pub connections: ConnectionStore<KeyringStore>,
    pub config_dir: PathBuf,
}

impl AppState {
    pub fn new(config_dir: PathBuf) -> Self {
        AppState {
            connections: ConnectionStore::new(&config_dir, KeyringStore::new(KEYRING_SERVICE)),
            config_dir,
        }
    }
}
