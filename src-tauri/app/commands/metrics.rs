//! The metrics dashboard's data: one metric of one cluster over a time range, from the
//! connection's Metrics API v2 (Confluent's, or the sandbox's), on a full time grid.

use gureum_confluent::metric_chart::{self, MetricInput, MetricView};
use gureum_confluent::metrics::PREFIX;
use serde::Serialize;
use tauri::AppHandle;

use crate::cloud::client_for;
use crate::error::{chart_error, BridgeError};

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct MetricDescriptorView {
    /// Short name, e.g. `received_bytes`.
    pub name: String,
    pub description: String,
    /// COUNTER_INT64 | GAUGE_INT64 | …
    pub kind: String,
    /// UCUM: `By` bytes, `1` a count.
    pub unit: String,
    pub labels: Vec<String>,
}

/// The metrics the connection's Metrics API serves for Kafka clusters.
#[tauri::command]
#[specta::specta]
pub async fn metric_descriptors(
    app: AppHandle,
    connection_id: String,
) -> Result<Vec<MetricDescriptorView>, BridgeError> {
    let client = client_for(&app, &connection_id).await?;
    Ok(client
        .metric_descriptors()
        .await?
        .into_iter()
        .map(|d| MetricDescriptorView {
            name: d.name.trim_start_matches(PREFIX).to_string(),
            description: d.description,
            kind: d.kind,
            unit: d.unit,
            labels: d.labels.into_iter().map(|l| l.key).collect(),
        })
        .collect())
}

/// One metric of a cluster over `[start, end)`, with the granularity chosen for the range, every
/// series on the same time grid: counters with no point are 0 (no traffic), not missing.
#[tauri::command]
#[specta::specta]
pub async fn query_metric(
    app: AppHandle,
    connection_id: String,
    cluster_id: String,
    input: MetricInput,
) -> Result<MetricView, BridgeError> {
    // The range is checked before the connection is asked for a client.
    metric_chart::query_for(&cluster_id, &input)?;
    let client = client_for(&app, &connection_id).await?;
    client
        .metric_chart(&cluster_id, &input)
        .await
        .map_err(chart_error)
}
