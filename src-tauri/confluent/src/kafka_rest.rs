//! Kafka REST v3 on a cluster's `http_endpoint`, with that cluster's API key. Lists here are not
//! paginated. `wait_for_api_key` covers a new key's propagation delay.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use base64::Engine;
use reqwest::Method;
use serde_json::{json, Value};

use crate::config::KafkaRestAuth;
use crate::error::{ApiError, ErrorKind};
use crate::http::{data, decode, Call, Client};
use crate::models::*;

/// One change in a `configs:alter` batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigChange {
    Set {
        name: String,
        value: String,
    },
    /// Back to the default (operation DELETE).
    Reset {
        name: String,
    },
}

/// A record's key or value, as Kafka REST encodes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    Binary(Vec<u8>),
    Json(Value),
    String(String),
}

impl Payload {
    fn to_json(&self) -> Value {
        match self {
            Payload::Binary(b) => json!({ "type": "BINARY", "data": b64(b) }),
            Payload::Json(v) => json!({ "type": "JSON", "data": v }),
            Payload::String(s) => json!({ "type": "STRING", "data": s }),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub partition: Option<i32>,
    pub key: Option<Payload>,
    pub value: Option<Payload>,
    pub headers: Vec<(String, Vec<u8>)>,
    /// Milliseconds since the epoch; None: the broker's time of arrival.
    pub timestamp_ms: Option<i64>,
}

/// Reported after each probe of [`Client::wait_for_api_key`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitProgress {
    pub attempt: u32,
    /// 200s in a row so far; done at 2.
    pub consecutive_ok: u32,
    pub elapsed: Duration,
    /// Why the last probe failed (usually Unauthorized while the key propagates).
    pub last_error: Option<ErrorKind>,
    /// Once authenticated, what the key's owner may do on the topic asked about (an empty list:
    /// authenticated, but authorized for nothing there). None until known, or if not asked.
    pub authorized: Option<Vec<String>>,
}

/// How a new key turned out: it authenticates (else the wait fails), and may or may not be
/// allowed to do anything. A topic list of 200 proves only the first: a service account
/// without ACLs gets an empty list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyReadiness {
    /// The operations allowed on the probed topic; None if no topic was probed or it doesn't
    /// exist yet.
    pub authorized: Option<Vec<String>>,
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

impl Client {
    pub(crate) fn kafka<'a>(
        &self,
        auth: &'a KafkaRestAuth,
        method: Method,
        tail: &[&str],
    ) -> Result<Call<'a>, ApiError> {
        let mut segments = vec!["kafka", "v3", "clusters", auth.cluster_id.as_str()];
        segments.extend_from_slice(tail);
        Ok(Call {
            idempotent: method != Method::POST,
            method,
            url: Self::url(&auth.endpoint, &segments)?,
            key: &auth.key,
            secret: &auth.secret,
            query: Vec::new(),
            body: None,
            kafka_rest: true,
            by_id: false,
            retry_rate_limited: true,
        })
    }

    pub async fn list_topics(&self, auth: &KafkaRestAuth) -> Result<Vec<Topic>, ApiError> {
        data(
            &self
                .send(&self.kafka(auth, Method::GET, &["topics"])?)
                .await?,
        )
    }

    pub async fn get_topic(&self, auth: &KafkaRestAuth, topic: &str) -> Result<Topic, ApiError> {
        self.json(&self.kafka(auth, Method::GET, &["topics", topic])?)
            .await
    }

    /// `partitions`: None for the cluster default. Replication is left to Confluent (it accepts
    /// only its own factor). The answer's counts may be 0: re-read with `get_topic`.
    pub async fn create_topic(
        &self,
        auth: &KafkaRestAuth,
        name: &str,
        partitions: Option<i32>,
        configs: &[(&str, &str)],
    ) -> Result<Topic, ApiError> {
        let mut call = self.kafka(auth, Method::POST, &["topics"])?;
        let mut body = json!({ "topic_name": name });
        if let Some(p) = partitions {
            body["partitions_count"] = json!(p);
        }
        if !configs.is_empty() {
            body["configs"] = configs
                .iter()
                .map(|(n, v)| json!({ "name": n, "value": v }))
                .collect();
        }
        call.body = Some(body);
        self.json(&call).await
    }

    pub async fn delete_topic(&self, auth: &KafkaRestAuth, topic: &str) -> Result<(), ApiError> {
        self.send(&self.kafka(auth, Method::DELETE, &["topics", topic])?)
            .await
            .map(drop)
    }

    pub async fn list_topic_configs(
        &self,
        auth: &KafkaRestAuth,
        topic: &str,
    ) -> Result<Vec<TopicConfig>, ApiError> {
        data(
            &self
                .send(&self.kafka(auth, Method::GET, &["topics", topic, "configs"])?)
                .await?,
        )
    }

    /// Every topic's configs in one call (`topics/-/configs`): how a topic list shows retention
    /// without one request per topic.
    pub async fn list_all_topic_configs(
        &self,
        auth: &KafkaRestAuth,
    ) -> Result<Vec<TopicConfig>, ApiError> {
        data(
            &self
                .send(&self.kafka(auth, Method::GET, &["topics", "-", "configs"])?)
                .await?,
        )
    }

    /// One batch through `configs:alter` (what TF uses). Setting values is idempotent, so this
    /// POST may be retried after a 5xx.
    pub async fn alter_topic_configs(
        &self,
        auth: &KafkaRestAuth,
        topic: &str,
        changes: &[ConfigChange],
    ) -> Result<(), ApiError> {
        let mut call = self.kafka(auth, Method::POST, &["topics", topic, "configs:alter"])?;
        call.idempotent = true;
        let items: Vec<Value> = changes
            .iter()
            .map(|c| match c {
                ConfigChange::Set { name, value } => json!({ "name": name, "value": value }),
                ConfigChange::Reset { name } => json!({ "name": name, "operation": "DELETE" }),
            })
            .collect();
        call.body = Some(json!({ "data": items }));
        self.send(&call).await.map(drop)
    }

    pub async fn list_partitions(
        &self,
        auth: &KafkaRestAuth,
        topic: &str,
    ) -> Result<Vec<Partition>, ApiError> {
        data(
            &self
                .send(&self.kafka(auth, Method::GET, &["topics", topic, "partitions"])?)
                .await?,
        )
    }

    /// Produces one record. An HTTP 200 whose `error_code` isn't 200 is an error too.
    pub async fn produce(
        &self,
        auth: &KafkaRestAuth,
        topic: &str,
        record: &Record,
    ) -> Result<ProduceResult, ApiError> {
        let mut call = self.kafka(auth, Method::POST, &["topics", topic, "records"])?;
        let mut body = json!({});
        if let Some(p) = record.partition {
            body["partition_id"] = json!(p);
        }
        if let Some(k) = &record.key {
            body["key"] = k.to_json();
        }
        if let Some(v) = &record.value {
            body["value"] = v.to_json();
        }
        if let Some(t) = record
            .timestamp_ms
            .and_then(chrono::DateTime::from_timestamp_millis)
        {
            body["timestamp"] = json!(t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        }
        if !record.headers.is_empty() {
            body["headers"] = record
                .headers
                .iter()
                .map(|(n, v)| json!({ "name": n, "value": b64(v) }))
                .collect();
        }
        call.body = Some(body);
        let result: ProduceResult = decode(&self.send(&call).await?)?;
        match result.error_code {
            Some(200) | None => Ok(result),
            Some(code) => {
                let status = u16::try_from(code)
                    .ok()
                    .filter(|s| (100..600).contains(s))
                    .unwrap_or(500);
                let body = json!({ "error_code": code, "message": result.message });
                let mut e = ApiError::from_response(
                    status,
                    Some("application/json"),
                    None,
                    body.to_string().as_bytes(),
                    true,
                    false,
                );
                e.status = Some(200);
                Err(e)
            }
        }
    }

    pub async fn list_consumer_groups(
        &self,
        auth: &KafkaRestAuth,
    ) -> Result<Vec<ConsumerGroup>, ApiError> {
        data(
            &self
                .send(&self.kafka(auth, Method::GET, &["consumer-groups"])?)
                .await?,
        )
    }

    /// What the key's owner may do on a topic (`include_authorized_operations`): Ok(None) if
    /// the topic doesn't exist, an empty list if it may not even DESCRIBE it.
    pub async fn topic_operations(
        &self,
        auth: &KafkaRestAuth,
        topic: &str,
    ) -> Result<Option<Vec<String>>, ApiError> {
        let mut call = self.kafka(auth, Method::GET, &["topics", topic])?;
        call.query = vec![("include_authorized_operations".into(), "true".into())];
        match self.json::<Topic>(&call).await {
            Ok(t) => Ok(Some(t.authorized_operations.unwrap_or_default())),
            Err(e) if e.kind == ErrorKind::Forbidden => Ok(Some(Vec::new())),
            Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Polls `GET …/topics` with a new Kafka key until two consecutive 200s (TF's rule: one 200
    /// can come from a node that already knows the key while the next doesn't). 401/403 while
    /// the key propagates reset the count; other errors (unreachable, 5xx) are reported in
    /// progress and polling goes on until `timeout` (→ `Timeout`) or `cancel` (→ `Cancelled`).
    /// Then, with `probe_topic`, asks what the key's owner may do on that topic: authenticated
    /// and authorized are reported apart.
    #[allow(clippy::too_many_arguments)]
    pub async fn wait_for_api_key(
        &self,
        auth: &KafkaRestAuth,
        probe_topic: Option<&str>,
        progress: impl Fn(WaitProgress),
        cancel: &AtomicBool,
        interval: Duration,
        timeout: Duration,
    ) -> Result<KeyReadiness, ApiError> {
        let start = Instant::now();
        let (mut attempt, mut ok) = (0u32, 0u32);
        loop {
            if cancel.load(Ordering::SeqCst) {
                return Err(ApiError::new(
                    ErrorKind::Cancelled,
                    "stopped waiting for the API key",
                ));
            }
            attempt += 1;
            let last_error = match self
                .send(&self.kafka(auth, Method::GET, &["topics"])?)
                .await
            {
                Ok(_) => {
                    ok += 1;
                    None
                }
                Err(e) => {
                    ok = 0;
                    Some(e.kind)
                }
            };
            progress(WaitProgress {
                attempt,
                consecutive_ok: ok,
                elapsed: start.elapsed(),
                last_error,
                authorized: None,
            });
            if ok >= 2 {
                let authorized = match probe_topic {
                    Some(t) => self.topic_operations(auth, t).await?,
                    None => None,
                };
                if authorized.is_some() {
                    progress(WaitProgress {
                        attempt,
                        consecutive_ok: ok,
                        elapsed: start.elapsed(),
                        last_error: None,
                        authorized: authorized.clone(),
                    });
                }
                return Ok(KeyReadiness { authorized });
            }
            if start.elapsed() + interval > timeout {
                return Err(ApiError::new(
                    ErrorKind::Timeout,
                    format!(
                        "the new API key was not usable on {} within {timeout:?}",
                        auth.cluster_id
                    ),
                ));
            }
            // Sleep in small steps so cancel is noticed promptly.
            let until = Instant::now() + interval;
            while Instant::now() < until {
                if cancel.load(Ordering::SeqCst) {
                    break;
                }
                tokio::time::sleep((until - Instant::now()).min(Duration::from_millis(100))).await;
            }
        }
    }
}
