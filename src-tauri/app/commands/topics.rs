//! Topics of one cluster, through Kafka REST v3 with the API key Gureum keeps for that cluster.

use gureum_confluent::access::Refused;
use gureum_confluent::topic_forms::{self, ConfigEntryInput, NewTopicInput, TopicConfigView};
use gureum_confluent::TopicSummary;
use serde::Serialize;
use tauri::AppHandle;

use crate::cloud::kafka_rest;
use crate::error::{from_kafka_rest, rest_refusal, topic_error, BridgeError};

/// One row of the topic list.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct TopicView {
    pub name: String,
    pub partitions: i32,
    pub replication_factor: i32,
    /// `retention.ms` as the cluster reports it ("-1" = forever); None if unknown.
    pub retention_ms: Option<String>,
    pub cleanup_policy: Option<String>,
}

impl From<TopicSummary> for TopicView {
    fn from(t: TopicSummary) -> Self {
        TopicView {
            name: t.name,
            partitions: t.partitions,
            replication_factor: t.replication_factor,
            retention_ms: t.retention_ms,
            cleanup_policy: t.cleanup_policy,
        }
    }
}

#[tauri::command]
#[specta::specta]
pub async fn list_topics(
    app: AppHandle,
    connection_id: String,
    environment_id: String,
    cluster_id: String,
) -> Result<Vec<TopicView>, BridgeError> {
    let (client, auth, _) = kafka_rest(&app, &connection_id, &environment_id, &cluster_id).await?;
    Ok(client
        .topic_summaries(&auth)
        .await
        .map_err(|e| from_kafka_rest(e, &auth.key))?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// Checked against Kafka's and the cluster type's rules first; the cluster's verdict still wins.
#[tauri::command]
#[specta::specta]
pub async fn create_topic(
    app: AppHandle,
    connection_id: String,
    environment_id: String,
    cluster_id: String,
    input: NewTopicInput,
) -> Result<TopicView, BridgeError> {
    // Syntax first, before any network: these answers don't depend on the cluster.
    let topic = input.check()?;
    let (client, auth, info) =
        kafka_rest(&app, &connection_id, &environment_id, &cluster_id).await?;
    let made = client
        .create_checked_topic(&auth, &topic, &info.kind, info.cku)
        .await
        .map_err(|e| topic_error(e, &auth.key))?;
    Ok(made.into())
}

#[tauri::command]
#[specta::specta]
pub async fn topic_configs(
    app: AppHandle,
    connection_id: String,
    environment_id: String,
    cluster_id: String,
    topic: String,
) -> Result<Vec<TopicConfigView>, BridgeError> {
    let (client, auth, _) = kafka_rest(&app, &connection_id, &environment_id, &cluster_id).await?;
    client
        .topic_config_views(&auth, &topic)
        .await
        .map_err(|e| topic_error(e, &auth.key))
}

/// One `configs:alter` batch: values set, `None` values reset to the default.
#[tauri::command]
#[specta::specta]
pub async fn alter_topic_configs(
    app: AppHandle,
    connection_id: String,
    environment_id: String,
    cluster_id: String,
    topic: String,
    changes: Vec<ConfigEntryInput>,
) -> Result<(), BridgeError> {
    let batch = topic_forms::config_changes(changes)?;
    if batch.is_empty() {
        return Ok(());
    }
    let (client, auth, _) = kafka_rest(&app, &connection_id, &environment_id, &cluster_id).await?;
    client
        .alter_checked_configs(&auth, &topic, &batch)
        .await
        .map_err(|e| topic_error(e, &auth.key))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_topic(
    app: AppHandle,
    connection_id: String,
    environment_id: String,
    cluster_id: String,
    topic: String,
) -> Result<(), BridgeError> {
    let (client, auth, _) = kafka_rest(&app, &connection_id, &environment_id, &cluster_id).await?;
    client
        .delete_topic(&auth, &topic)
        .await
        .map_err(|e| rest_refusal(e, &auth.key, Refused::new("DELETE", "TOPIC", &topic)))
}
