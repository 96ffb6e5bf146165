//! Confluent's Metrics API v2 (`api.telemetry.confluent.cloud`), served from the same base URL
//! as the rest of the sandbox: query, attributes, metric and resource descriptors. Cloud API key
//! auth, the `{"errors": […]}` envelope, and the documented limit of 60 requests a minute.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use serde_json::{json, Value};

use super::common::{json_body, require_cloud_key};
use super::errors::{RestError, RestResult};
use crate::metrics::catalog::{Kind, CATALOG, PREFIX};
use crate::metrics::{now, query};
use crate::organization::Organization;

/// Requests per rolling minute. Confluent counts per IP; every sandbox client is on loopback,
/// so one window serves them all.
/// Requests a minute, counted per Cloud API key (after the key is checked, so an anonymous flood
/// uses up nobody's allowance).
pub struct RateLimit {
    per_minute: usize,
    seen: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimit {
    /// `per_minute` 0 turns the limit off.
    pub fn new(per_minute: usize) -> Self {
        RateLimit {
            per_minute,
            seen: Mutex::default(),
        }
    }

    /// Ok, or how long until `key`'s next request would be accepted.
    fn admit(&self, key: &str) -> Result<(), Duration> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let now = Instant::now();
        let mut all = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let seen = all.entry(key.to_string()).or_default();
        while seen
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
        {
            seen.pop_front();
        }
        if seen.len() >= self.per_minute {
            let oldest = *seen.front().expect("full");
            return Err(Duration::from_secs(60).saturating_sub(now.duration_since(oldest)));
        }
        seen.push_back(now);
        Ok(())
    }
}

fn too_many(wait: Duration) -> Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let mut resp = RestError::cloud(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_requests",
        format!("Too many requests: the Metrics API allows 60 a minute. Retry in {secs} s."),
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

/// The checks every Metrics API call passes: credentials, then the key's rate, then dataset.
fn gate(
    cloud: &Organization,
    rate: &RateLimit,
    headers: &HeaderMap,
    dataset: &str,
) -> Result<(), Response> {
    let key = cloud
        .read(|s| require_cloud_key(s, headers))
        .map_err(IntoResponse::into_response)?;
    rate.admit(&key).map_err(too_many)?;
    if dataset != "cloud" {
        return Err(RestError::cloud(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("Unknown dataset '{dataset}'; the only dataset is 'cloud'."),
        )
        .into_response());
    }
    Ok(())
}

fn bad_query(e: query::BadQuery) -> Response {
    RestError::invalid(e.pointer, e.detail).into_response()
}

fn offset(params: &HashMap<String, String>) -> Result<usize, Response> {
    match params.get("page_token") {
        None => Ok(0),
        Some(t) => query::page_offset(t).ok_or_else(|| {
            RestError::invalid("page_token", "page_token is invalid or expired.").into_response()
        }),
    }
}

/// A POST's gate, page offset and JSON body, or the answer that refuses it.
fn checked_post(
    cloud: &Organization,
    rate: &RateLimit,
    headers: &HeaderMap,
    dataset: &str,
    params: &HashMap<String, String>,
    body: &[u8],
) -> Result<(usize, Value), Response> {
    gate(cloud, rate, headers, dataset)?;
    let offset = offset(params)?;
    let body = json_body(body).map_err(IntoResponse::into_response)?;
    Ok((offset, body))
}

pub async fn query(
    State(cloud): State<Arc<Organization>>,
    Extension(rate): Extension<Arc<RateLimit>>,
    Path(dataset): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (offset, body) = match checked_post(&cloud, &rate, &headers, &dataset, &params, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let t = now();
    match query::Query::parse(&body, t) {
        Ok(q) => Json(q.run(&cloud.metrics.all(), t, offset)).into_response(),
        Err(e) => bad_query(e),
    }
}

pub async fn attributes(
    State(cloud): State<Arc<Organization>>,
    Extension(rate): Extension<Arc<RateLimit>>,
    Path(dataset): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (offset, body) = match checked_post(&cloud, &rate, &headers, &dataset, &params, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    match query::attributes(&body, &cloud.metrics.all(), now(), offset) {
        Ok(v) => Json(v).into_response(),
        Err(e) => bad_query(e),
    }
}

fn page_size(params: &HashMap<String, String>) -> RestResult<usize> {
    match params.get("page_size") {
        None => Ok(100),
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| {
                RestError::invalid("page_size", "page_size must be an integer from 1 to 1000.")
            }),
    }
}

pub async fn metric_descriptors(
    State(cloud): State<Arc<Organization>>,
    Extension(rate): Extension<Arc<RateLimit>>,
    Path(dataset): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = gate(&cloud, &rate, &headers, &dataset) {
        return r;
    }
    let (size, offset) = match (page_size(&params), offset(&params)) {
        (Ok(s), Ok(o)) => (s, o),
        (Err(e), _) => return e.into_response(),
        (_, Err(r)) => return r,
    };
    let wanted = params.get("resource_type").map(String::as_str);
    let all: Vec<Value> = CATALOG
        .iter()
        .filter(|_| wanted.is_none_or(|r| r == "kafka"))
        .map(|d| {
            json!({
                "name": format!("{PREFIX}{}", d.name),
                "description": d.description,
                "type": match d.kind { Kind::Counter => "COUNTER_INT64", Kind::Gauge => "GAUGE_INT64" },
                "unit": d.unit,
                "lifecycle_stage": "GENERAL_AVAILABILITY",
                "exportable": true,
                "resources": ["kafka"],
                "labels": d.labels.iter().map(|(k, desc)| json!({"key": k, "description": desc, "exportable": true})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let total = all.len();
    let data: Vec<Value> = all.into_iter().skip(offset).take(size).collect();
    let next = offset + data.len();
    let mut pagination = json!({ "page_size": size, "total_size": total });
    let mut links = json!({});
    if next < total {
        let token = query::page_token(next);
        pagination["next_page_token"] = json!(token);
        links["next"] = json!(format!(
            "{}/v2/metrics/cloud/descriptors/metrics?page_size={size}&page_token={token}",
            cloud.base_url
        ));
    }
    Json(json!({ "data": data, "meta": { "pagination": pagination }, "links": links }))
        .into_response()
}

pub async fn resource_descriptors(
    State(cloud): State<Arc<Organization>>,
    Extension(rate): Extension<Arc<RateLimit>>,
    Path(dataset): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = gate(&cloud, &rate, &headers, &dataset) {
        return r;
    }
    Json(json!({
        "data": [{
            "type": "kafka",
            "description": "A Kafka cluster.",
            "labels": [{"key": "kafka.id", "description": "ID of the Kafka cluster", "exportable": true}],
        }],
        "meta": { "pagination": { "page_size": 100, "total_size": 1 } },
        "links": {},
    }))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_admits_n_a_minute_then_says_how_long_to_wait() {
        let limit = RateLimit::new(3);
        for _ in 0..3 {
            assert!(limit.admit("A").is_ok());
        }
        let wait = limit.admit("A").unwrap_err();
        assert!(
            wait > Duration::from_secs(58) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        // Another key has its own minute.
        assert!(limit.admit("B").is_ok());
        assert!(RateLimit::new(0).admit("A").is_ok());
    }
}
