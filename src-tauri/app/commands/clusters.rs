//! Environments and Kafka clusters of a connection's Cloud API (the sandbox's or Confluent
//! Cloud's, through the same client). Adapters only: the client does the work.

use std::collections::BTreeMap;

use gureum_confluent::cluster_forms::cluster_update;
use gureum_confluent::{Cluster, ClusterConfig, Environment, NewCluster};
use serde::{Deserialize, Serialize};
use tauri::AppHandle;

use crate::cloud::{client_for, forget_cluster, remember_clusters};
use crate::error::BridgeError;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct EnvironmentView {
    pub id: String,
    pub name: String,
}

impl From<Environment> for EnvironmentView {
    fn from(e: Environment) -> Self {
        let id = e.id.unwrap_or_default();
        EnvironmentView {
            name: e.display_name.unwrap_or_else(|| id.clone()),
            id,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub enum ClusterType {
    Basic,
    Standard,
    Enterprise,
    Dedicated,
    Freight,
    /// A type this Gureum does not know yet.
    Other,
}

/// One Kafka cluster as the window shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ClusterView {
    pub id: String,
    pub name: String,
    pub environment_id: String,
    #[serde(rename = "type")]
    pub cluster_type: ClusterType,
    pub cloud: String,
    pub region: String,
    pub availability: String,
    /// PROVISIONING | PROVISIONED | FAILED | … (open).
    pub phase: String,
    /// host:port, without `SASL_SSL://`.
    pub bootstrap: Option<String>,
    /// Kafka REST base URL.
    pub rest_endpoint: Option<String>,
    /// Dedicated clusters: CKUs in effect (else as ordered).
    pub cku: Option<i32>,
}

impl From<Cluster> for ClusterView {
    fn from(c: Cluster) -> Self {
        let spec = c.spec.clone().unwrap_or_default();
        let (cluster_type, ordered_cku) = match spec.config {
            Some(ClusterConfig::Basic { .. }) => (ClusterType::Basic, None),
            Some(ClusterConfig::Standard { .. }) => (ClusterType::Standard, None),
            Some(ClusterConfig::Enterprise { .. }) => (ClusterType::Enterprise, None),
            Some(ClusterConfig::Dedicated { cku, .. }) => (ClusterType::Dedicated, Some(cku)),
            Some(ClusterConfig::Freight { .. }) => (ClusterType::Freight, None),
            Some(ClusterConfig::Unknown) | None => (ClusterType::Other, None),
        };
        ClusterView {
            name: spec.display_name.clone().unwrap_or_default(),
            environment_id: c.environment_id().unwrap_or_default().to_string(),
            cluster_type,
            cloud: spec.cloud.clone().unwrap_or_default(),
            region: spec.region.clone().unwrap_or_default(),
            availability: spec.availability.clone().unwrap_or_default(),
            phase: c.phase().unwrap_or("UNKNOWN").to_string(),
            bootstrap: c.bootstrap().map(str::to_string),
            rest_endpoint: c.rest_endpoint().map(str::to_string),
            cku: c.status.as_ref().and_then(|s| s.cku).or(ordered_cku),
            id: c.id.unwrap_or_default(),
        }
    }
}

/// What the "New cluster" form sends.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct NewClusterInput {
    pub environment_id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub cluster_type: ClusterType,
    /// Dedicated only.
    pub cku: Option<i32>,
    /// AWS | GCP | AZURE
    pub cloud: String,
    pub region: String,
    /// SINGLE_ZONE | MULTI_ZONE (LOW | HIGH for newer types)
    pub availability: String,
}

impl NewClusterInput {
    fn into_request(self) -> Result<NewCluster, BridgeError> {
        let mut fields = BTreeMap::new();
        if self.name.trim().is_empty() {
            fields.insert(
                "display_name".to_string(),
                "Give the cluster a name.".to_string(),
            );
        }
        let config = match self.cluster_type {
            ClusterType::Basic => ClusterConfig::Basic { max_ecku: None },
            ClusterType::Standard => ClusterConfig::Standard { max_ecku: None },
            ClusterType::Enterprise => ClusterConfig::Enterprise { max_ecku: None },
            ClusterType::Freight => ClusterConfig::Freight { max_ecku: None },
            ClusterType::Dedicated => match self.cku {
                Some(cku) if cku >= 1 => ClusterConfig::Dedicated { cku, zones: None },
                _ => {
                    fields.insert(
                        "cku".to_string(),
                        "A Dedicated cluster needs at least 1 CKU.".to_string(),
                    );
                    ClusterConfig::Unknown
                }
            },
            ClusterType::Other => {
                fields.insert("type".to_string(), "Pick a cluster type.".to_string());
                ClusterConfig::Unknown
            }
        };
        if !fields.is_empty() {
            return Err(BridgeError::validation(fields));
        }
        Ok(NewCluster {
            display_name: self.name.trim().to_string(),
            environment_id: self.environment_id,
            cloud: self.cloud,
            region: self.region,
            availability: self.availability,
            config,
        })
    }
}

#[tauri::command]
#[specta::specta]
pub async fn list_environments(
    app: AppHandle,
    connection_id: String,
) -> Result<Vec<EnvironmentView>, BridgeError> {
    let client = client_for(&app, &connection_id).await?;
    Ok(client
        .list_environments()
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

#[tauri::command]
#[specta::specta]
pub async fn create_environment(
    app: AppHandle,
    connection_id: String,
    display_name: String,
) -> Result<EnvironmentView, BridgeError> {
    if display_name.trim().is_empty() {
        return Err(BridgeError::field(
            "display_name",
            "Give the environment a name.",
        ));
    }
    let client = client_for(&app, &connection_id).await?;
    Ok(client
        .create_environment(display_name.trim(), None)
        .await?
        .into())
}

#[tauri::command]
#[specta::specta]
pub async fn list_clusters(
    app: AppHandle,
    connection_id: String,
    environment_id: String,
) -> Result<Vec<ClusterView>, BridgeError> {
    let client = client_for(&app, &connection_id).await?;
    let list = client.list_clusters(&environment_id).await?;
    remember_clusters(&app, &connection_id, &list).await;
    Ok(list.into_iter().map(Into::into).collect())
}

/// Answers at once with phase PROVISIONING; poll `get_cluster` until PROVISIONED or FAILED.
#[tauri::command]
#[specta::specta]
pub async fn create_cluster(
    app: AppHandle,
    connection_id: String,
    input: NewClusterInput,
) -> Result<ClusterView, BridgeError> {
    let request = input.into_request()?;
    let client = client_for(&app, &connection_id).await?;
    let cluster = client.create_cluster(&request).await?;
    remember_clusters(&app, &connection_id, [&cluster]).await;
    Ok(cluster.into())
}

#[tauri::command]
#[specta::specta]
pub async fn get_cluster(
    app: AppHandle,
    connection_id: String,
    environment_id: String,
    cluster_id: String,
) -> Result<ClusterView, BridgeError> {
    let client = client_for(&app, &connection_id).await?;
    let cluster = client.get_cluster(&environment_id, &cluster_id).await?;
    remember_clusters(&app, &connection_id, [&cluster]).await;
    Ok(cluster.into())
}

/// A rename and/or a new size. Only Dedicated clusters are sized in CKUs; Confluent shrinks
/// them one CKU at a time and says so if asked for more.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct ClusterChange {
    pub name: Option<String>,
    pub cku: Option<i32>,
}

#[tauri::command]
#[specta::specta]
pub async fn update_cluster(
    app: AppHandle,
    connection_id: String,
    environment_id: String,
    cluster_id: String,
    change: ClusterChange,
) -> Result<ClusterView, BridgeError> {
    let update = cluster_update(change.name.as_deref(), change.cku)?;
    let client = client_for(&app, &connection_id).await?;
    let (name, config) = (update.name.as_deref(), update.config.as_ref());
    let cluster = client
        .update_cluster(&environment_id, &cluster_id, name, config)
        .await?;
    remember_clusters(&app, &connection_id, [&cluster]).await;
    Ok(cluster.into())
}

#[tauri::command]
#[specta::specta]
pub async fn delete_cluster(
    app: AppHandle,
    connection_id: String,
    environment_id: String,
    cluster_id: String,
) -> Result<(), BridgeError> {
    let client = client_for(&app, &connection_id).await?;
    client.delete_cluster(&environment_id, &cluster_id).await?;
    forget_cluster(&app, &connection_id, &cluster_id).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(t: ClusterType, cku: Option<i32>, name: &str) -> NewClusterInput {
        NewClusterInput {
            environment_id: "env-1".into(),
            name: name.into(),
            cluster_type: t,
            cku,
            cloud: "AWS".into(),
            region: "ap-northeast-2".into(),
            availability: "SINGLE_ZONE".into(),
        }
    }

    #[test]
    fn new_cluster_input_becomes_the_clients_request() {
        let r = input(ClusterType::Dedicated, Some(2), " big ")
            .into_request()
            .unwrap();
        assert_eq!(r.display_name, "big");
        assert_eq!(
            r.config,
            ClusterConfig::Dedicated {
                cku: 2,
                zones: None
            }
        );
        let e = input(ClusterType::Dedicated, None, "")
            .into_request()
            .unwrap_err();
        let f = e.fields.unwrap();
        assert!(f.contains_key("cku") && f.contains_key("display_name"));
    }

    #[test]
    fn cluster_view_reads_the_open_model() {
        let c: Cluster = serde_json::from_str(r#"{"id":"lkc-1","spec":{"display_name":"orders","cloud":"AWS","region":"us-east-1","availability":"SINGLE_ZONE",
            "config":{"kind":"Basic"},"kafka_bootstrap_endpoint":"SASL_SSL://h:9092","http_endpoint":"https://h:443","environment":{"id":"env-1"}},"status":{"phase":"PROVISIONING"}}"#).unwrap();
        let v = ClusterView::from(c);
        assert_eq!(
            (
                v.id.as_str(),
                v.name.as_str(),
                v.cluster_type,
                v.phase.as_str()
            ),
            ("lkc-1", "orders", ClusterType::Basic, "PROVISIONING")
        );
        assert_eq!(v.bootstrap.as_deref(), Some("h:9092"));
        assert_eq!(serde_json::to_value(&v).unwrap()["type"], "Basic");
    }
}
