//! The metrics dashboard's data: one metric of one cluster over a time range, from the
//! connection's Metrics API v2 (Confluent's, or the sandbox's), on a full time grid.

use std::collections::BTreeMap;

use gureum_confluent::metrics::{granularity_for, MetricsQuery, PREFIX};
use serde::{Deserialize, Serialize};
use tauri::AppHandle;

use crate::cloud::client_for;
use crate::error::{BridgeError, ErrorCode};

/// Buckets a chart gets at most (the granularity is the finest the API allows within this).
const MAX_POINTS: i64 = 500;

#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct MetricInput {
    /// Short name, e.g. `received_bytes`.
    pub metric: String,
    /// Milliseconds since the epoch.
    pub start_ms: f64,
    pub end_ms: f64,
    /// One series per topic (`group_by metric.topic`).
    pub by_topic: bool,
    /// Only these topics (empty: all).
    pub topics: Vec<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SeriesView {
    /// The topic, or "total".
    pub label: String,
    /// One value per time; null where the API had no point and none is implied (the future).
    pub values: Vec<Option<f64>>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct MetricView {
    pub metric: String,
    /// The granularity chosen for the range (PT1M …).
    pub granularity: String,
    pub step_ms: f64,
    /// Bucket starts, oldest first, one per step across the range.
    pub times_ms: Vec<f64>,
    pub series: Vec<SeriesView>,
    /// Served from the client's cache (the API allows 60 requests a minute).
    pub cached: bool,
}

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
    let (start, end) = (
        (input.start_ms / 1000.0) as i64,
        (input.end_ms / 1000.0) as i64,
    );
    if end <= start {
        return Err(BridgeError::field(
            "range",
            "The range must end after it starts.",
        ));
    }
    let (granularity, step, start, end) = granularity_for(start, end, MAX_POINTS);
    let client = client_for(&app, &connection_id).await?;
    let query = MetricsQuery {
        metric: input.metric.clone(),
        cluster_id,
        granularity: granularity.into(),
        start,
        end,
        group_by: input.by_topic.then(|| "metric.topic".to_string()),
        topics: input.topics.clone(),
    };
    let (found, cached) = client.query_metrics(&query).await.map_err(|e| {
        if e.kind == gureum_confluent::ErrorKind::RateLimited {
            BridgeError::new(
                ErrorCode::CloudRateLimited,
                "The Metrics API allows 60 requests a minute and this one was refused; the charts keep their last data and refresh again shortly.",
            )
            .with_detail(e.message)
        } else {
            e.into()
        }
    })?;
    let now = chrono::Utc::now().timestamp();
    let times: Vec<i64> = (start..end).step_by(step as usize).collect();
    let grid = |points: &[(i64, f64)]| -> Vec<Option<f64>> {
        let at: BTreeMap<i64, f64> = points.iter().copied().collect();
        times
            .iter()
            .map(|t| match at.get(t) {
                Some(v) => Some(*v),
                // No point: nothing happened, unless the bucket hasn't begun.
                None if *t <= now => Some(0.0),
                None => None,
            })
            .collect()
    };
    let mut series: Vec<SeriesView> = found
        .iter()
        .map(|s| SeriesView {
            label: s
                .labels
                .get("metric.topic")
                .cloned()
                .unwrap_or_else(|| "total".into()),
            values: grid(&s.points),
        })
        .collect();
    if series.is_empty() && !input.by_topic {
        series.push(SeriesView {
            label: "total".into(),
            values: grid(&[]),
        });
    }
    Ok(MetricView {
        metric: input.metric,
        granularity: granularity.into(),
        step_ms: (step * 1000) as f64,
        times_ms: times.iter().map(|t| (*t * 1000) as f64).collect(),
        series,
        cached,
    })
}
