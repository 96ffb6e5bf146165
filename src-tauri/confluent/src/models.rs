//! Response models. Almost every field is optional and unknown fields are ignored (Confluent's
//! compatibility policy: fields get added, non-required ones may be absent, enums are open, so
//! phases, availabilities and states stay `String`s).

use std::collections::HashMap;

use gureum_secrets::Secret;
use serde::{Deserialize, Deserializer, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ObjectMeta {
    #[serde(rename = "self")]
    pub self_url: Option<String>,
    pub resource_name: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub deleted_at: Option<String>,
}

/// `spec.environment`, `spec.owner`, `spec.resource`, …
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ObjectRef {
    pub id: Option<String>,
    pub environment: Option<String>,
    pub kind: Option<String>,
    pub related: Option<String>,
    pub resource_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Environment {
    pub id: Option<String>,
    pub metadata: Option<ObjectMeta>,
    pub display_name: Option<String>,
    pub stream_governance_config: Option<StreamGovernanceConfig>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct StreamGovernanceConfig {
    pub package: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Cluster {
    pub id: Option<String>,
    pub metadata: Option<ObjectMeta>,
    pub spec: Option<ClusterSpec>,
    pub status: Option<ClusterStatus>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ClusterSpec {
    pub display_name: Option<String>,
    pub availability: Option<String>,
    pub cloud: Option<String>,
    pub region: Option<String>,
    pub config: Option<ClusterConfig>,
    pub environment: Option<ObjectRef>,
    pub network: Option<ObjectRef>,
    pub deletion_protection: Option<bool>,
    /// Deprecated in favour of `endpoints`, still what most responses carry.
    pub http_endpoint: Option<String>,
    pub kafka_bootstrap_endpoint: Option<String>,
    pub api_endpoint: Option<String>,
    pub endpoints: Option<HashMap<String, ClusterEndpoint>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ClusterEndpoint {
    pub kafka_bootstrap_endpoint: Option<String>,
    pub http_endpoint: Option<String>,
    pub connection_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ClusterStatus {
    /// PROVISIONING | PROVISIONED | FAILED | … (open).
    pub phase: Option<String>,
    /// CKUs in effect (Dedicated).
    pub cku: Option<i32>,
}

/// `spec.config`, a union keyed by `kind`. `Unknown` keeps a new cluster type readable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum ClusterConfig {
    Basic {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_ecku: Option<i32>,
    },
    Standard {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_ecku: Option<i32>,
    },
    Enterprise {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_ecku: Option<i32>,
    },
    Dedicated {
        cku: i32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        zones: Option<Vec<String>>,
    },
    Freight {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_ecku: Option<i32>,
    },
    #[serde(other)]
    Unknown,
}

impl Cluster {
    pub fn phase(&self) -> Option<&str> {
        self.status.as_ref()?.phase.as_deref()
    }
    pub fn environment_id(&self) -> Option<&str> {
        self.spec.as_ref()?.environment.as_ref()?.id.as_deref()
    }
    /// The Kafka REST base URL: `spec.http_endpoint`, else the PUBLIC entry of `spec.endpoints`.
    pub fn rest_endpoint(&self) -> Option<&str> {
        let spec = self.spec.as_ref()?;
        spec.http_endpoint
            .as_deref()
            .filter(|s| !s.is_empty())
            .or_else(|| {
                spec.endpoints
                    .as_ref()?
                    .get("PUBLIC")?
                    .http_endpoint
                    .as_deref()
            })
    }
    /// Bootstrap servers without the `SASL_SSL://` prefix real responses carry.
    pub fn bootstrap(&self) -> Option<&str> {
        let b = self.spec.as_ref()?.kafka_bootstrap_endpoint.as_deref()?;
        Some(b.strip_prefix("SASL_SSL://").unwrap_or(b))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ServiceAccount {
    pub id: Option<String>,
    pub metadata: Option<ObjectMeta>,
    pub display_name: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ApiKey {
    pub id: Option<String>,
    pub metadata: Option<ObjectMeta>,
    pub spec: Option<ApiKeySpec>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ApiKeySpec {
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub owner: Option<ObjectRef>,
    /// A cluster (`lkc-…`), or a Cloud key (`cloud`, or absent).
    pub resource: Option<ObjectRef>,
    /// Only in the create response: store it at once, it can't be read again. Reads send "".
    #[serde(default, deserialize_with = "non_empty_secret")]
    pub secret: Option<Secret>,
    pub expires_at: Option<String>,
}

impl ApiKey {
    pub fn secret(&self) -> Option<&Secret> {
        self.spec.as_ref()?.secret.as_ref()
    }
}

fn non_empty_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
    Ok(Option::<Secret>::deserialize(d)?.filter(|s| !s.is_blank()))
}

/// A Kafka REST `{related: URL}` link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Related {
    pub related: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Topic {
    pub cluster_id: Option<String>,
    pub topic_name: Option<String>,
    pub is_internal: Option<bool>,
    pub replication_factor: Option<i32>,
    /// Re-read after create: create responses may echo 0.
    pub partitions_count: Option<i32>,
    pub authorized_operations: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct TopicConfig {
    /// Set in every item; tells topics apart in the cluster-wide list.
    pub topic_name: Option<String>,
    pub name: Option<String>,
    pub value: Option<String>,
    pub is_default: Option<bool>,
    pub is_read_only: Option<bool>,
    pub is_sensitive: Option<bool>,
    /// DYNAMIC_TOPIC_CONFIG, DEFAULT_CONFIG, … (open).
    pub source: Option<String>,
    pub synonyms: Option<Vec<ConfigSynonym>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ConfigSynonym {
    pub name: Option<String>,
    pub value: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Partition {
    pub cluster_id: Option<String>,
    pub topic_name: Option<String>,
    pub partition_id: Option<i32>,
    pub leader: Option<Related>,
    pub replicas: Option<Related>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ConsumerGroup {
    pub cluster_id: Option<String>,
    pub consumer_group_id: Option<String>,
    pub is_simple: Option<bool>,
    pub partition_assignor: Option<String>,
    /// STABLE | EMPTY | DEAD | … (open).
    pub state: Option<String>,
    /// CLASSIC | CONSUMER | SHARE | … (open).
    #[serde(rename = "type")]
    pub group_type: Option<String>,
    pub is_mixed_consumer_group: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ProduceResult {
    /// 200 on success; anything else is turned into an [`crate::ApiError`] by `produce`.
    pub error_code: Option<i32>,
    pub message: Option<String>,
    pub cluster_id: Option<String>,
    pub topic_name: Option<String>,
    pub partition_id: Option<i32>,
    pub offset: Option<i64>,
    pub timestamp: Option<String>,
    pub key: Option<PayloadInfo>,
    pub value: Option<PayloadInfo>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PayloadInfo {
    #[serde(rename = "type")]
    pub payload_type: Option<String>,
    pub size: Option<i64>,
}

/// What `create_cluster` sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCluster {
    pub display_name: String,
    pub environment_id: String,
    /// AWS | GCP | AZURE
    pub cloud: String,
    pub region: String,
    /// SINGLE_ZONE | MULTI_ZONE | LOW | HIGH
    pub availability: String,
    pub config: ClusterConfig,
}

/// What `create_api_key` sends. `resource_id`: `lkc-…` for a Kafka key, None for a Cloud key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApiKey {
    pub display_name: String,
    pub description: String,
    pub owner_id: String,
    pub resource_id: Option<String>,
    pub resource_environment: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_config_union_and_unknowns() {
        let c: Cluster = serde_json::from_str(r#"{"id":"lkc-1","new_field":1,"spec":{"config":{"kind":"Dedicated","cku":2,"x":1},
            "kafka_bootstrap_endpoint":"SASL_SSL://h:9092","environment":{"id":"env-1"}},"status":{"phase":"SOMETHING_NEW"}}"#).unwrap();
        assert_eq!(
            c.spec.as_ref().unwrap().config,
            Some(ClusterConfig::Dedicated {
                cku: 2,
                zones: None
            })
        );
        assert_eq!(
            (c.bootstrap(), c.phase(), c.environment_id()),
            (Some("h:9092"), Some("SOMETHING_NEW"), Some("env-1"))
        );
        let u: ClusterConfig = serde_json::from_str(r#"{"kind":"Quantum","qubits":3}"#).unwrap();
        assert_eq!(u, ClusterConfig::Unknown);
        assert_eq!(
            serde_json::to_value(ClusterConfig::Basic { max_ecku: None }).unwrap(),
            serde_json::json!({"kind":"Basic"})
        );
    }

    #[test]
    fn api_key_secret_only_when_present_and_masked() {
        let k: ApiKey =
            serde_json::from_str(r#"{"id":"K","spec":{"secret":"s3cr3t-value"}}"#).unwrap();
        assert_eq!(k.secret().map(|s| s.expose()), Some("s3cr3t-value"));
        assert!(!format!("{k:?}").contains("s3cr3t"));
        let r: ApiKey = serde_json::from_str(r#"{"id":"K","spec":{"secret":""}}"#).unwrap();
        assert!(r.secret().is_none());
    }
}
