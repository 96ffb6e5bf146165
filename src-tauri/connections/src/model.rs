use serde::{Deserialize, Serialize};

use gureum_secrets::Secret;

/// The built-in sandbox cloud's fixed id: always present, never stored in the config file.
pub const SANDBOX_ID: &str = "sandbox";

/// A saved connection, as the config file and the UI see it. Never holds a secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Connection {
    pub id: String,
    pub name: String,
    pub endpoint: Endpoint,
}

impl Connection {
    pub fn sandbox() -> Self {
        Connection {
            id: SANDBOX_ID.into(),
            name: "Sandbox cloud".into(),
            endpoint: Endpoint::Sandbox,
        }
    }
    pub fn is_builtin(&self) -> bool {
        self.id == SANDBOX_ID
    }
}

/// Where a connection points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Endpoint {
    /// The local cloud that ships with Gureum.
    Sandbox,
    /// A Confluent Cloud organisation, reached with a Cloud API key.
    ConfluentCloud(ConfluentCloudSettings),
    /// Any Kafka cluster, reached by its bootstrap servers.
    Kafka(KafkaSettings),
}

impl Endpoint {
    /// Whether this endpoint has a secret (Cloud API secret or SASL password) in the keyring.
    pub fn needs_secret(&self) -> bool {
        match self {
            Endpoint::Sandbox => false,
            Endpoint::ConfluentCloud(_) => true,
            Endpoint::Kafka(k) => k.security_protocol.uses_sasl(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConfluentCloudSettings {
    /// The Cloud API key's id (not secret; its secret lives in the keyring).
    pub cloud_api_key: String,
    /// Control plane base URL (org/v2, cmk/v2, iam/v2).
    pub cloud_api_url: String,
    /// Metrics API base URL.
    pub metrics_api_url: String,
}

impl ConfluentCloudSettings {
    pub const DEFAULT_CLOUD_API_URL: &'static str = "https://api.confluent.cloud";
    pub const DEFAULT_METRICS_API_URL: &'static str = "https://api.telemetry.confluent.cloud";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KafkaSettings {
    /// Comma-separated `host:port` list.
    pub bootstrap_servers: String,
    pub security_protocol: SecurityProtocol,
    /// Used only when the protocol is SASL_*.
    pub sasl_mechanism: SaslMechanism,
    /// Used only when the protocol is SASL_*; its password lives in the keyring.
    pub sasl_username: String,
    /// A PEM CA file to trust for SSL/SASL_SSL; empty means the system's CAs.
    pub ssl_ca_location: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SecurityProtocol {
    Plaintext,
    Ssl,
    SaslPlaintext,
    SaslSsl,
}

impl SecurityProtocol {
    pub fn uses_sasl(self) -> bool {
        matches!(
            self,
            SecurityProtocol::SaslPlaintext | SecurityProtocol::SaslSsl
        )
    }
    pub fn uses_tls(self) -> bool {
        matches!(self, SecurityProtocol::Ssl | SecurityProtocol::SaslSsl)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum SaslMechanism {
    #[serde(rename = "PLAIN")]
    Plain,
    #[serde(rename = "SCRAM-SHA-256")]
    ScramSha256,
    #[serde(rename = "SCRAM-SHA-512")]
    ScramSha512,
}

/// What the settings form sends: the connection plus, optionally, a new secret.
/// `id: None` creates; `secret: None` on an edit keeps the stored secret.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConnectionInput {
    pub id: Option<String>,
    pub name: String,
    pub endpoint: Endpoint,
    pub secret: Option<Secret>,
}

/// Whether a connection's secret is in the keyring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SecretState {
    NotNeeded,
    Stored,
    Missing,
}
