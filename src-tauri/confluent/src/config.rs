//! What a client needs to reach Confluent Cloud. Secrets are [`Secret`]s, so `Debug` never shows them.

use std::time::Duration;

use gureum_secrets::Secret;

/// Capped exponential backoff for 429/502/503/504 (TF's go-retryablehttp settings: 4 retries,
/// 1 s min, 30 s max).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub base: Duration,
    pub cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            base: Duration::from_secs(1),
            cap: Duration::from_secs(30),
        }
    }
}

/// The control plane: `cloud_api_url` is the base of org/v2, cmk/v2 and iam/v2
/// (`https://api.confluent.cloud`), with a Cloud API key.
#[derive(Debug, Clone)]
pub struct Config {
    pub cloud_api_url: String,
    /// The Metrics API's base (`https://api.telemetry.confluent.cloud`; the sandbox serves it
    /// at its one URL).
    pub metrics_api_url: String,
    pub cloud_key: String,
    pub cloud_secret: Secret,
    /// Per request, including reading the body.
    pub timeout: Duration,
    pub retry: RetryPolicy,
}

impl Config {
    /// The Metrics API is taken to be on the same base URL (as the sandbox serves it); Confluent
    /// Cloud's is elsewhere: set `metrics_api_url`.
    pub fn new(
        cloud_api_url: impl Into<String>,
        cloud_key: impl Into<String>,
        cloud_secret: Secret,
    ) -> Self {
        let cloud_api_url = cloud_api_url.into();
        Config {
            metrics_api_url: cloud_api_url.clone(),
            cloud_api_url,
            cloud_key: cloud_key.into(),
            cloud_secret,
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

/// Kafka REST v3 for one cluster: its `spec.http_endpoint` and a Kafka API key of that very cluster
/// (a Cloud key is refused there).
#[derive(Debug, Clone)]
pub struct KafkaRestAuth {
    pub endpoint: String,
    pub cluster_id: String,
    pub key: String,
    pub secret: Secret,
}
