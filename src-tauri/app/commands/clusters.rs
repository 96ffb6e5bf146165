//! Environments and Kafka clusters of a connection's Cloud API (the sandbox's or Confluent
//! Cloud's, through the same client). Adapters only: the client does the work.

use gureum_confluent::cluster_forms::{
    cluster_update, environment_name, ClusterType, NewClusterInput,
};
use gureum_confluent::{Cluster, ClusterConfig, Environment};
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
    let display_name = environment_name(&display_name)?;
    let client = client_for(&app, &connection_id).await?;
    Ok(client.create_environment(display_name, None).await?.into())
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
