//! Topics of one cluster, through Kafka REST v3 with the API key Gureum keeps for that cluster.

use std::collections::{BTreeMap, HashMap};

use gureum_confluent::{rules, ConfigChange};
use serde::{Deserialize, Serialize};
use tauri::AppHandle;

use crate::cloud::kafka_rest;
use crate::error::{from_kafka_rest, BridgeError};

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

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct TopicConfigView {
    pub name: String,
    pub value: Option<String>,
    pub is_default: bool,
    /// The service does not let it be changed.
    pub is_read_only: bool,
    pub source: String,
}

/// A config row of the "new topic" and "edit configs" forms.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct ConfigEntryInput {
    pub name: String,
    /// None: back to the default (edit form only).
    pub value: Option<String>,
}

#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct NewTopicInput {
    pub name: String,
    /// Signed and wide so that 0, negatives and 100000 reach the rules and get their message.
    pub partitions: f64,
    pub configs: Vec<ConfigEntryInput>,
}

fn invalid(problems: Vec<rules::FieldProblem>) -> Result<(), BridgeError> {
    if problems.is_empty() {
        return Ok(());
    }
    let mut fields = BTreeMap::new();
    for p in problems {
        fields
            .entry(p.field.to_string())
            .and_modify(|m: &mut String| {
                m.push(' ');
                m.push_str(&p.message)
            })
            .or_insert(p.message);
    }
    Err(BridgeError::validation(fields))
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
    let (topics, configs) = tokio::join!(
        client.list_topics(&auth),
        client.list_all_topic_configs(&auth)
    );
    let topics = topics.map_err(|e| from_kafka_rest(e, &auth.key))?;
    // Retention is a nicety: a cluster that can't list all configs still lists its topics.
    let mut wanted: HashMap<String, (Option<String>, Option<String>)> = HashMap::new();
    if let Ok(configs) = configs {
        for c in configs {
            let (Some(topic), Some(name)) = (c.topic_name, c.name) else {
                continue;
            };
            let slot = wanted.entry(topic).or_default();
            match name.as_str() {
                "retention.ms" => slot.0 = c.value,
                "cleanup.policy" => slot.1 = c.value,
                _ => {}
            }
        }
    }
    let mut out: Vec<TopicView> = topics
        .into_iter()
        .filter(|t| t.is_internal != Some(true))
        .filter_map(|t| {
            let name = t.topic_name?;
            let (retention_ms, cleanup_policy) = wanted.remove(&name).unwrap_or_default();
            Some(TopicView {
                partitions: t.partitions_count.unwrap_or(0),
                replication_factor: t.replication_factor.unwrap_or(0),
                retention_ms,
                cleanup_policy,
                name,
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
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
    let configs: Vec<(String, String)> = input
        .configs
        .iter()
        .filter(|c| !c.name.trim().is_empty())
        .map(|c| {
            (
                c.name.trim().to_string(),
                c.value.clone().unwrap_or_default().trim().to_string(),
            )
        })
        .collect();
    if input.partitions.fract() != 0.0 || input.partitions.abs() >= 1e12 {
        invalid(vec![rules::FieldProblem {
            field: "partitions_count",
            message: "Enter a whole number of partitions.".into(),
        }])?;
    }
    let partitions = input.partitions as i64;
    // Syntax first, before any network: these answers don't depend on the cluster.
    invalid(rules::new_topic(&input.name, partitions, None, &configs))?;
    let (client, auth, info) =
        kafka_rest(&app, &connection_id, &environment_id, &cluster_id).await?;
    invalid(rules::new_topic(
        &input.name,
        partitions,
        rules::partition_limit(&info.kind, info.cku),
        &configs,
    ))?;
    let pairs: Vec<(&str, &str)> = configs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let kafka = |e| from_kafka_rest(e, &auth.key);
    client
        .create_topic(&auth, &input.name, Some(partitions as i32), &pairs)
        .await
        .map_err(kafka)?;
    // The create answer may carry 0 counts; read it back.
    let t = client.get_topic(&auth, &input.name).await.map_err(kafka)?;
    // Its effective configs (defaults included) for the list row; what was set, if that fails.
    let effective = client
        .list_topic_configs(&auth, &input.name)
        .await
        .unwrap_or_default();
    let value = |n: &str| {
        effective
            .iter()
            .find(|c| c.name.as_deref() == Some(n))
            .and_then(|c| c.value.clone())
            .or_else(|| configs.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()))
    };
    Ok(TopicView {
        partitions: t.partitions_count.unwrap_or(partitions as i32),
        replication_factor: t.replication_factor.unwrap_or(0),
        retention_ms: value("retention.ms"),
        cleanup_policy: value("cleanup.policy"),
        name: input.name,
    })
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
    let list = client
        .list_topic_configs(&auth, &topic)
        .await
        .map_err(|e| from_kafka_rest(e, &auth.key))?;
    let mut out: Vec<TopicConfigView> = list
        .into_iter()
        .filter(|c| c.is_sensitive != Some(true))
        .filter_map(|c| {
            Some(TopicConfigView {
                name: c.name?,
                value: c.value,
                is_default: c.is_default.unwrap_or(false),
                is_read_only: c.is_read_only.unwrap_or(false),
                source: c.source.unwrap_or_default(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
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
    let sets: Vec<(String, String)> = changes
        .iter()
        .filter_map(|c| {
            Some((
                c.name.trim().to_string(),
                c.value.as_ref()?.trim().to_string(),
            ))
        })
        .collect();
    invalid(rules::config_problems(&sets))?;
    let batch: Vec<ConfigChange> = changes
        .into_iter()
        .map(|c| match c.value {
            Some(v) => ConfigChange::Set {
                name: c.name.trim().to_string(),
                value: v.trim().to_string(),
            },
            None => ConfigChange::Reset {
                name: c.name.trim().to_string(),
            },
        })
        .collect();
    if batch.is_empty() {
        return Ok(());
    }
    let (client, auth, _) = kafka_rest(&app, &connection_id, &environment_id, &cluster_id).await?;
    client
        .alter_topic_configs(&auth, &topic, &batch)
        .await
        .map_err(|e| from_kafka_rest(e, &auth.key))
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
        .map_err(|e| from_kafka_rest(e, &auth.key))
}
