//! Topics of one cluster, through Kafka REST v3 with the API key Gureum keeps for that cluster.

use std::collections::BTreeMap;

use gureum_confluent::{rules, ConfigChange, TopicSummary};
use serde::{Deserialize, Serialize};
use tauri::AppHandle;

use crate::cloud::kafka_rest;
use gureum_confluent::access::Refused;

use crate::error::{from_kafka_rest, rest_refusal, BridgeError};

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
    let refused = |op: &str| {
        let auth = &auth;
        let r = Refused::new(op, "TOPIC", &input.name);
        move |e| rest_refusal(e, &auth.key, r)
    };
    client
        .create_topic(&auth, &input.name, Some(partitions as i32), &pairs)
        .await
        .map_err(refused("CREATE"))?;
    // The create answer may carry 0 counts and no configs; read it back.
    Ok(client
        .topic_summary(&auth, &input.name)
        .await
        .map_err(refused("DESCRIBE"))?
        .into())
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
        .map_err(|e| {
            rest_refusal(
                e,
                &auth.key,
                Refused::new("DESCRIBE_CONFIGS", "TOPIC", &topic),
            )
        })?;
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
        .map_err(|e| rest_refusal(e, &auth.key, Refused::new("ALTER_CONFIGS", "TOPIC", &topic)))
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
