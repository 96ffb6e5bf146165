//! Why a connection has no client or settings. Each variant is one thing the user can act on;
//! the app turns them into bridge codes (`src-tauri/app/error.rs`).

use gureum_confluent::ApiError;
use gureum_connections::Error as ConnectionError;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The sandbox cloud isn't running: the message says whether it is starting, stopped or
    /// failed, and what to do (the slot that runs it knows which).
    #[error("{message}")]
    SandboxNotReady {
        message: String,
        detail: Option<String>,
    },
    #[error("The Cloud API secret of “{connection}” is not in the OS keyring; enter it again in Settings → Connections.")]
    SecretMissing { connection: String },
    #[error("“{connection}” is a Kafka cluster connection: it has no Cloud API, so it has no environments or clusters to manage. Pick the sandbox or a Confluent Cloud connection.")]
    NoCloudApi { connection: String },
    /// `what`: "REST endpoint" or "bootstrap endpoint".
    #[error("“{cluster}” has no {what} yet; wait until it is provisioned.")]
    ClusterNotReady { cluster: String, what: &'static str },
    #[error("Gureum has no API key for “{cluster}”. Create one for this cluster under API keys; Gureum keeps it in your OS keyring and uses it here.")]
    ClusterKeyMissing { cluster: String },
    #[error("Gureum does not hold the secret of {key_id} for this cluster.")]
    KeyNotHeld { key_id: String },
    #[error(transparent)]
    Connections(#[from] ConnectionError),
    /// The secret store (OS keyring) refused or is missing.
    #[error(transparent)]
    Secret(#[from] gureum_secrets::SecretStoreError),
    #[error(transparent)]
    Cloud(#[from] ApiError),
    #[error(transparent)]
    Kafka(#[from] gureum_kafka::KafkaError),
    #[error("{0}")]
    Internal(String),
}
