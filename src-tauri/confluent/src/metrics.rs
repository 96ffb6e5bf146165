//! Metrics API v2 (`POST /v2/metrics/cloud/query`, `GET …/descriptors/metrics`) with the Cloud API
//! key, on the connection's metrics URL (`https://api.telemetry.confluent.cloud`, or the
//! sandbox's). The API allows 60 requests a minute (docs/confluent-cloud-api.md#metrics-api-v2), so
//! calls are paced (a rolling minute of [`PACE`] requests, waiting rather than failing) and answers
//! are cached for [`CACHE_TTL`]: switching views doesn't hammer it. A 429 is not retried here: a
//! dashboard keeps its last data and tries again at its next refresh.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{ApiError, ErrorKind};
use crate::http::{decode, Call, Client};

/// Requests per rolling minute Gureum allows itself (the API allows 60; headroom for other tools
/// on the same key).
pub const PACE: usize = 50;
/// How long an answer is reused.
pub const CACHE_TTL: Duration = Duration::from_secs(30);
pub const PREFIX: &str = "io.confluent.kafka.server/";

/// One query: a metric of one Kafka cluster over `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MetricsQuery {
    /// Short name (`received_bytes`) or full (`io.confluent.kafka.server/received_bytes`).
    pub metric: String,
    pub cluster_id: String,
    /// PT1M … P1D, or ALL.
    pub granularity: String,
    /// Unix seconds.
    pub start: i64,
    pub end: i64,
    /// e.g. `metric.topic`; None: one series for the cluster.
    pub group_by: Option<String>,
    /// Only these topics (empty: all).
    pub topics: Vec<String>,
}

/// A series: its labels (empty without group_by) and points, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricSeries {
    pub labels: BTreeMap<String, String>,
    /// (bucket start, Unix seconds; value).
    pub points: Vec<(i64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MetricDescriptor {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub labels: Vec<LabelDescriptor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LabelDescriptor {
    pub key: String,
    #[serde(default)]
    pub description: String,
}

/// The granularities the API takes, with the longest interval each allows.
pub const GRANULARITIES: &[(&str, i64, Option<i64>)] = &[
    ("PT1M", 60, Some(6 * 3600)),
    ("PT5M", 300, Some(86400)),
    ("PT15M", 900, Some(4 * 86400)),
    ("PT30M", 1800, Some(7 * 86400)),
    ("PT1H", 3600, None),
    ("PT4H", 4 * 3600, None),
    ("PT6H", 6 * 3600, None),
    ("PT12H", 12 * 3600, None),
    ("P1D", 86400, None),
];

/// The finest granularity the API allows for `[start, end)` with at most `max_points` buckets,
/// and the range on whole buckets (so the first and last points are like the rest):
/// `(name, step seconds, start, end)`. The end is rounded up; the start down, unless that makes
/// the range longer than the granularity allows — then up, leaving out a partial first bucket.
pub fn granularity_for(start: i64, end: i64, max_points: i64) -> (&'static str, i64, i64, i64) {
    let up = |t: i64, step: i64| t + (step - t.rem_euclid(step)) % step;
    let down = |t: i64, step: i64| t - t.rem_euclid(step);
    GRANULARITIES
        .iter()
        .find_map(|&(name, step, max)| {
            let e = up(end, step);
            [down(start, step), up(start, step)]
                .into_iter()
                .find(|s| e > *s && max.is_none_or(|m| e - s <= m) && (e - s) / step <= max_points)
                .map(|s| (name, step, s, e))
        })
        .unwrap_or_else(|| ("P1D", 86400, down(start, 86400), up(end, 86400)))
}

/// Pacing and the cache, shared by every clone of a [`Client`].
#[derive(Debug, Default)]
pub(crate) struct MetricsState {
    sent: Mutex<VecDeque<Instant>>,
    cache: Mutex<HashMap<String, (Instant, Vec<MetricSeries>)>>,
}

impl MetricsState {
    /// Waits until a request fits in the rolling minute, then counts it.
    async fn pace(&self) {
        loop {
            let wait = {
                let mut sent = self.sent.lock().unwrap_or_else(|p| p.into_inner());
                let now = Instant::now();
                while sent
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
                {
                    sent.pop_front();
                }
                if sent.len() < PACE {
                    sent.push_back(now);
                    return;
                }
                Duration::from_secs(60) - now.duration_since(*sent.front().expect("full"))
            };
            log::info!("Metrics API: pacing, next request in {wait:?}");
            tokio::time::sleep(wait).await;
        }
    }
}

fn full_name(metric: &str) -> String {
    if metric.contains('/') {
        metric.to_string()
    } else {
        format!("{PREFIX}{metric}")
    }
}

fn rfc3339(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `2026-11-26T10:59:00Z` (what the API answers) → Unix seconds.
fn parse_time(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.timestamp())
}

impl Client {
    fn metrics_call(&self, method: Method, segments: &[&str]) -> Result<Call<'_>, ApiError> {
        let mut call = self.cloud(method, segments)?;
        call.url = Self::url(&self.config.metrics_api_url, segments)?;
        // A query is a read: repeating it after a 5xx is safe.
        call.idempotent = true;
        call.retry_rate_limited = false;
        call.by_id = false;
        Ok(call)
    }

    /// The metric's series, paced and cached (a cache hit is marked by the bool).
    pub async fn query_metrics(
        &self,
        q: &MetricsQuery,
    ) -> Result<(Vec<MetricSeries>, bool), ApiError> {
        let mut filter = json!({ "field": "resource.kafka.id", "op": "EQ", "value": q.cluster_id });
        if !q.topics.is_empty() {
            let topics: Vec<Value> = q
                .topics
                .iter()
                .map(|t| json!({ "field": "metric.topic", "op": "EQ", "value": t }))
                .collect();
            filter = json!({ "op": "AND", "filters": [filter, { "op": "OR", "filters": topics }] });
        }
        let mut body = json!({
            "aggregations": [{ "metric": full_name(&q.metric) }],
            "filter": filter,
            "granularity": q.granularity,
            "intervals": [format!("{}/{}", rfc3339(q.start), rfc3339(q.end))],
            "format": "FLAT",
            "limit": 1000,
        });
        if let Some(g) = &q.group_by {
            body["group_by"] = json!([g]);
        }
        let key = body.to_string();
        if let Some((at, hit)) = self
            .metrics
            .cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
        {
            if at.elapsed() < CACHE_TTL {
                return Ok((hit.clone(), true));
            }
        }
        let mut by_labels: BTreeMap<BTreeMap<String, String>, Vec<(i64, f64)>> = BTreeMap::new();
        let mut token: Option<String> = None;
        loop {
            self.metrics.pace().await;
            let mut call = self.metrics_call(Method::POST, &["v2", "metrics", "cloud", "query"])?;
            call.body = Some(body.clone());
            if let Some(t) = &token {
                call.query.push(("page_token".into(), t.clone()));
            }
            let page: FlatPage = decode(&self.send(&call).await?)?;
            for p in page.data {
                let Some(t) = parse_time(&p.timestamp) else {
                    return Err(ApiError::new(
                        ErrorKind::Decode,
                        format!("a point's timestamp '{}' is not RFC 3339", p.timestamp),
                    ));
                };
                let labels = p
                    .labels
                    .into_iter()
                    .map(|(k, v)| {
                        (
                            k,
                            v.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| v.to_string()),
                        )
                    })
                    .collect();
                by_labels.entry(labels).or_default().push((t, p.value));
            }
            match page
                .meta
                .and_then(|m| m.pagination)
                .and_then(|p| p.next_page_token)
            {
                Some(t) if Some(&t) != token.as_ref() => token = Some(t),
                _ => break,
            }
        }
        let series: Vec<MetricSeries> = by_labels
            .into_iter()
            .map(|(labels, mut points)| {
                // The API orders points newest first; charts want time order.
                points.sort_by_key(|p| p.0);
                MetricSeries { labels, points }
            })
            .collect();
        self.metrics
            .cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, (Instant::now(), series.clone()));
        Ok((series, false))
    }

    /// The metrics the API serves for Kafka clusters.
    pub async fn metric_descriptors(&self) -> Result<Vec<MetricDescriptor>, ApiError> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            self.metrics.pace().await;
            let mut call = self.metrics_call(
                Method::GET,
                &["v2", "metrics", "cloud", "descriptors", "metrics"],
            )?;
            call.query.push(("resource_type".into(), "kafka".into()));
            call.query.push(("page_size".into(), "1000".into()));
            if let Some(t) = &token {
                call.query.push(("page_token".into(), t.clone()));
            }
            let page: DescriptorPage = decode(&self.send(&call).await?)?;
            out.extend(page.data);
            match page
                .meta
                .and_then(|m| m.pagination)
                .and_then(|p| p.next_page_token)
            {
                Some(t) if Some(&t) != token.as_ref() => token = Some(t),
                _ => return Ok(out),
            }
        }
    }
}

#[derive(Deserialize)]
struct FlatPage {
    #[serde(default)]
    data: Vec<FlatPoint>,
    meta: Option<Meta>,
}

#[derive(Deserialize)]
struct FlatPoint {
    timestamp: String,
    value: f64,
    /// One key per group_by label.
    #[serde(flatten)]
    labels: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
struct DescriptorPage {
    #[serde(default)]
    data: Vec<MetricDescriptor>,
    meta: Option<Meta>,
}

#[derive(Deserialize)]
struct Meta {
    pagination: Option<Pagination>,
}

#[derive(Deserialize)]
struct Pagination {
    next_page_token: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn granularity_follows_the_apis_limits() {
        let at = 1_800_000_000; // on a day boundary
        let g = |secs: i64, budget: i64| {
            let (name, step, ..) = granularity_for(at, at + secs, budget);
            (name, step)
        };
        assert_eq!(g(15 * 60, 500), ("PT1M", 60));
        assert_eq!(g(6 * 3600, 500), ("PT1M", 60));
        assert_eq!(g(24 * 3600, 500), ("PT5M", 300));
        assert_eq!(g(7 * 86400, 500), ("PT30M", 1800));
        assert_eq!(g(30 * 86400, 500), ("PT4H", 14400));
        // A 7-day range at PT1M is not allowed, whatever the point budget.
        assert_eq!(g(7 * 86400, 20_000).0, "PT30M");
    }

    #[test]
    fn widening_to_whole_buckets_still_fits_the_limit() {
        // Exactly 7 days, but not on bucket boundaries: widened it would be 7 days and a bit,
        // which PT30M refuses, so the partial first bucket is left out instead.
        let start = 1_800_000_000 + 7 * 60 + 13;
        let (name, step, s, e) = granularity_for(start, start + 7 * 86400, 500);
        assert_eq!((name, step, e - s), ("PT30M", 1800, 7 * 86400));
        assert!(s > start && e >= start + 7 * 86400 && s % step == 0 && e % step == 0);
        // Exactly 6 h on minute boundaries stays PT1M.
        let (name, _, s, e) = granularity_for(1_800_000_000, 1_800_000_000 + 6 * 3600, 500);
        assert_eq!((name, e - s), ("PT1M", 6 * 3600));
    }

    #[test]
    fn times_round_trip() {
        for (secs, text) in [
            (0, "1970-01-01T00:00:00Z"),
            (1_571_343_420, "2019-10-17T20:17:00Z"),
            (1_800_000_000, "2027-01-15T08:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
        ] {
            assert_eq!(rfc3339(secs), text);
            assert_eq!(parse_time(text), Some(secs));
        }
        assert_eq!(parse_time("2019-10-17T22:17:00+02:00"), Some(1_571_343_420));
        assert_eq!(parse_time("2019-10-17T20:17:00.000Z"), Some(1_571_343_420));
        assert_eq!(parse_time("yesterday"), None);
    }
}
