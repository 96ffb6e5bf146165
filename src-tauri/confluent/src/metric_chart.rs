//! A metrics chart's data: one metric of one cluster over a time range, with the finest
//! granularity the Metrics API allows for it, every series on one full time grid. Counters with no
//! point in a bucket that has begun are 0 (no traffic), not missing; buckets still to come are.

use std::collections::BTreeMap;

use gureum_forms::{FieldProblems, Problem, ProblemCode};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::http::Client;
use crate::metrics::{granularity_for, MetricSeries, MetricsQuery};

/// Buckets a chart gets at most (the granularity is the finest the API allows within this).
pub const MAX_POINTS: i64 = 500;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
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

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SeriesView {
    /// The topic, or "total".
    pub label: String,
    /// One value per time; null where the API had no point and none is implied (the future).
    pub values: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
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

/// Why a chart has no data: the range (at its field), or the Metrics API's answer.
#[derive(Debug)]
pub enum ChartError {
    Invalid(FieldProblems),
    Api(ApiError),
}

/// The query for `input`'s range, with its grid: (query, step in seconds).
pub fn query_for(
    cluster_id: &str,
    input: &MetricInput,
) -> Result<(MetricsQuery, i64), FieldProblems> {
    let (start, end) = (
        (input.start_ms / 1000.0) as i64,
        (input.end_ms / 1000.0) as i64,
    );
    if end <= start {
        return Err(FieldProblems::one(
            "range",
            Problem::new(
                ProblemCode::RangeOrder,
                "The range must end after it starts.",
            ),
        ));
    }
    let (granularity, step, start, end) = granularity_for(start, end, MAX_POINTS);
    let query = MetricsQuery {
        metric: input.metric.clone(),
        cluster_id: cluster_id.to_string(),
        granularity: granularity.into(),
        start,
        end,
        group_by: input.by_topic.then(|| "metric.topic".to_string()),
        topics: input.topics.clone(),
    };
    Ok((query, step))
}

/// Every series of `found` on the query's grid; `now` (Unix seconds) separates buckets without
/// traffic (0) from buckets to come (null). A cluster-wide chart with no series gets a "total".
pub fn on_grid(
    q: &MetricsQuery,
    step: i64,
    found: &[MetricSeries],
    now: i64,
    cached: bool,
) -> MetricView {
    let times: Vec<i64> = (q.start..q.end).step_by(step.max(1) as usize).collect();
    let grid = |points: &[(i64, f64)]| -> Vec<Option<f64>> {
        let at: BTreeMap<i64, f64> = points.iter().copied().collect();
        times
            .iter()
            .map(|t| match at.get(t) {
                Some(v) => Some(*v),
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
    if series.is_empty() && q.group_by.is_none() {
        series.push(SeriesView {
            label: "total".into(),
            values: grid(&[]),
        });
    }
    MetricView {
        metric: q.metric.clone(),
        granularity: q.granularity.clone(),
        step_ms: (step * 1000) as f64,
        times_ms: times.iter().map(|t| (*t * 1000) as f64).collect(),
        series,
        cached,
    }
}

impl Client {
    /// One metric of a cluster over `input`'s range, on a full time grid ([`on_grid`]).
    pub async fn metric_chart(
        &self,
        cluster_id: &str,
        input: &MetricInput,
    ) -> Result<MetricView, ChartError> {
        let (query, step) = query_for(cluster_id, input).map_err(ChartError::Invalid)?;
        let (found, cached) = self.query_metrics(&query).await.map_err(ChartError::Api)?;
        let now = chrono::Utc::now().timestamp();
        Ok(on_grid(&query, step, &found, now, cached))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(start_s: i64, end_s: i64, by_topic: bool) -> MetricInput {
        MetricInput {
            metric: "received_bytes".into(),
            start_ms: (start_s * 1000) as f64,
            end_ms: (end_s * 1000) as f64,
            by_topic,
            topics: vec![],
        }
    }

    #[test]
    fn a_range_must_end_after_it_starts() {
        let e = query_for("lkc-1", &input(100, 100, false)).unwrap_err();
        assert_eq!(e["range"], "The range must end after it starts.");
    }

    #[test]
    fn quiet_buckets_are_zero_and_future_ones_empty() {
        // 15 minutes from 0: a minute grid.
        let (q, step) = query_for("lkc-1", &input(0, 900, false)).unwrap();
        assert_eq!((q.granularity.as_str(), step), ("PT1M", 60));
        let found = [MetricSeries {
            labels: BTreeMap::new(),
            points: vec![(60, 5.0)],
        }];
        let v = on_grid(&q, step, &found, 120, true);
        assert_eq!(v.times_ms.len(), 15);
        assert_eq!(v.step_ms, 60_000.0);
        assert_eq!(v.series[0].label, "total");
        assert_eq!(
            &v.series[0].values[..4],
            &[Some(0.0), Some(5.0), Some(0.0), None]
        );
        assert!(v.cached);
        // No series at all: a flat total, not an empty chart.
        let empty = on_grid(&q, step, &[], 900, false);
        assert_eq!(empty.series.len(), 1);
        assert!(empty.series[0].values.iter().all(|v| *v == Some(0.0)));
    }

    #[test]
    fn per_topic_charts_label_each_series() {
        let (q, step) = query_for("lkc-1", &input(0, 900, true)).unwrap();
        assert_eq!(q.group_by.as_deref(), Some("metric.topic"));
        let found = [MetricSeries {
            labels: BTreeMap::from([("metric.topic".to_string(), "orders".to_string())]),
            points: vec![],
        }];
        assert_eq!(
            on_grid(&q, step, &found, 0, false).series[0].label,
            "orders"
        );
        // Per topic with none: no made-up total.
        assert!(on_grid(&q, step, &[], 0, false).series.is_empty());
    }
}
