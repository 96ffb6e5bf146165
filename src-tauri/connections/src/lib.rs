//! Gureum's saved connections.
//!
//! A connection is the built-in sandbox cloud, a Confluent Cloud organisation or a Kafka cluster.
//! Non-secret settings live in a versioned JSON file in the app's config dir (written atomically);
//! each connection's one secret lives only in the OS keyring. Tauri-free so it can be tested alone.

mod cluster_keys;
mod config_file;
mod error;
mod model;
mod store;
mod validate;

pub use cluster_keys::ClusterKey;
pub use config_file::{ConfigFile, CONFIG_FILE_NAME, SCHEMA_VERSION};
pub use error::{Error, FieldProblems};
pub use gureum_secrets::{KeyringStore, Secret, SecretStore, SecretStoreError};
pub use model::{
    ConfluentCloudSettings, Connection, ConnectionInput, Endpoint, KafkaSettings, SaslMechanism,
    SecretState, SecurityProtocol, SANDBOX_ID,
};
pub use store::ConnectionStore;
pub use validate::validate;
