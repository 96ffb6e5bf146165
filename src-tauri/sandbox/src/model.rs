//! What the sandbox organisation holds, persisted atomically as one JSON file. Secrets are never
//! in here: API keys keep only a hash, and the CA key and the org's Cloud API secret live in the
//! OS keyring.

use std::path::Path;

use serde::{Deserialize, Serialize};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    pub schema_version: u32,
    pub org_id: String,
    /// The admin user that owns the org's Cloud API key.
    pub admin_user_id: String,
    pub environments: Vec<Environment>,
    pub clusters: Vec<Cluster>,
    pub service_accounts: Vec<ServiceAccount>,
    pub api_keys: Vec<ApiKey>,
    /// Ids of deleted clusters and keys: reading them answers 403, as Confluent Cloud does.
    #[serde(default)]
    pub deleted: Vec<String>,
    /// Every cluster's ACLs (each names its cluster).
    #[serde(default)]
    pub acls: Vec<crate::acl::AclBinding>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Environment {
    pub id: String,
    pub display_name: String,
    pub package: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cluster {
    pub id: String,
    pub environment: String,
    pub display_name: String,
    pub availability: String,
    pub cloud: String,
    pub region: String,
    /// `spec.config` as Confluent shapes it: {"kind": "Basic"} or {"kind": "Dedicated", "cku": 2}.
    pub config: serde_json::Value,
    pub created_at: String,
    pub updated_at: String,
    /// The front door's port (the bootstrap endpoint); kept across restarts when free.
    pub bootstrap_port: u16,
}

impl Cluster {
    pub fn kind(&self) -> &str {
        self.config
            .get("kind")
            .and_then(|k| k.as_str())
            .unwrap_or("Basic")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServiceAccount {
    pub id: String,
    pub display_name: String,
    pub description: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiKey {
    pub id: String,
    pub secret_hash: String,
    pub display_name: String,
    pub description: String,
    /// `sa-…` or `u-…`.
    pub owner: String,
    /// `lkc-…` for a Kafka key; None for a Cloud API key.
    pub resource: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl State {
    pub fn load(path: &Path) -> std::io::Result<Option<State>> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let state: State = serde_json::from_slice(&bytes).map_err(|e| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("{}: {e}", path.display()),
                    )
                })?;
                if state.schema_version > SCHEMA_VERSION {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!(
                            "{} was written by a newer Gureum (schema {})",
                            path.display(),
                            state.schema_version
                        ),
                    ));
                }
                Ok(Some(state))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Replaces the file atomically, so a crash leaves the old state or the new, never half.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        use std::io::Write;
        let mut file = atomic_write_file::AtomicWriteFile::options().open(path)?;
        file.write_all(&serde_json::to_vec_pretty(self).expect("state serialises"))?;
        file.commit()
    }

    pub fn cluster(&self, id: &str) -> Option<&Cluster> {
        self.clusters.iter().find(|c| c.id == id)
    }
}
