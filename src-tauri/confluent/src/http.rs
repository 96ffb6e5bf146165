//! The transport: Basic auth, retries with capped backoff + jitter, error classification and
//! opaque pagination. Operations live in `control_plane.rs` and `kafka_rest.rs`.

use std::time::Duration;

use gureum_secrets::Secret;
use rand::Rng;
use reqwest::header::{HeaderMap, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::config::Config;
use crate::error::{ApiError, ErrorKind};

/// A Confluent Cloud client. Cheap to clone (reqwest's pool is shared).
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    pub(crate) config: Config,
    page_size: u32,
    /// Metrics API pacing and cache, shared by clones.
    pub(crate) metrics: std::sync::Arc<crate::metrics::MetricsState>,
}

/// One request before it is sent.
pub(crate) struct Call<'a> {
    pub method: Method,
    pub url: Url,
    pub key: &'a str,
    pub secret: &'a Secret,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
    /// Safe to repeat after a 5xx (GET, PATCH, DELETE, configs:alter). Creates are not: a 5xx
    /// may have created the thing, so the caller must re-list first.
    pub idempotent: bool,
    pub kafka_rest: bool,
    /// Addresses one existing resource by id (get/update/delete), where the control plane's 403
    /// means "deleted" (TF's rule); a 403 on a list or create is a real permission refusal.
    pub by_id: bool,
    /// Retry a 429 (after Retry-After). Off for the Metrics API, whose callers retry later.
    pub retry_rate_limited: bool,
}

impl Client {
    pub fn new(config: Config) -> Result<Client, ApiError> {
        // reqwest is built without a bundled crypto provider; ring is already in the workspace.
        // Err means a provider was installed first, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("gureum/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| {
                ApiError::new(
                    ErrorKind::Unreachable,
                    format!("could not set up HTTPS: {e}"),
                )
            })?;
        Ok(Client {
            http,
            config,
            page_size: 100,
            metrics: Default::default(),
        })
    }

    /// Control-plane page size (1..=100; 100 by default, as the CLI uses). Tests use small pages.
    pub fn with_page_size(mut self, page_size: u32) -> Client {
        self.page_size = page_size.clamp(1, 100);
        self
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// `base` + path segments, each percent-encoded (topic and group names may contain anything).
    pub(crate) fn url(base: &str, segments: &[&str]) -> Result<Url, ApiError> {
        let mut url = Url::parse(base.trim_end_matches('/')).map_err(|e| {
            ApiError::new(
                ErrorKind::Invalid,
                format!("bad endpoint URL '{base}': {e}"),
            )
        })?;
        url.path_segments_mut()
            .map_err(|_| ApiError::new(ErrorKind::Invalid, format!("bad endpoint URL '{base}'")))?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    /// A control-plane call with the Cloud API key.
    pub(crate) fn cloud(&self, method: Method, segments: &[&str]) -> Result<Call<'_>, ApiError> {
        Ok(Call {
            idempotent: method != Method::POST,
            method,
            url: Self::url(&self.config.cloud_api_url, segments)?,
            key: &self.config.cloud_key,
            secret: &self.config.cloud_secret,
            query: Vec::new(),
            body: None,
            kafka_rest: false,
            by_id: segments.len() > 3,
            retry_rate_limited: true,
        })
    }

    /// Sends with retries; returns the body of a 2xx response.
    pub(crate) async fn send(&self, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
        let policy = &self.config.retry;
        let mut attempt = 0u32;
        loop {
            let mut req = self
                .http
                .request(call.method.clone(), call.url.clone())
                .basic_auth(call.key, Some(call.secret.expose()))
                .query(&call.query);
            if let Some(body) = &call.body {
                req = req.json(body);
            }
            let resp = req
                .send()
                .await
                .map_err(|e| self.transport_error(&call.url, e))?;
            let status = resp.status();
            let headers = resp.headers().clone();
            let body = resp
                .bytes()
                .await
                .map_err(|e| self.transport_error(&call.url, e))?;
            log::debug!("{} {} -> {}", call.method, call.url.path(), status.as_u16());
            if status.is_success() {
                return Ok(body.to_vec());
            }
            // 429: nothing happened, so repeating is always safe. 502/503/504 only when idempotent.
            let retriable = (status == StatusCode::TOO_MANY_REQUESTS && call.retry_rate_limited)
                || (call.idempotent && matches!(status.as_u16(), 502..=504));
            if retriable && attempt < policy.max_retries {
                let wait = backoff(policy, attempt, retry_after(&headers));
                log::info!(
                    "{} {} -> {}; retry {} in {:?}",
                    call.method,
                    call.url.path(),
                    status.as_u16(),
                    attempt + 1,
                    wait
                );
                tokio::time::sleep(wait).await;
                attempt += 1;
                continue;
            }
            let ct = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
            let request_id = headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            return Err(ApiError::from_response(
                status.as_u16(),
                ct,
                request_id,
                &body,
                call.kafka_rest,
                call.by_id,
            ));
        }
    }

    pub(crate) async fn json<T: DeserializeOwned>(&self, call: &Call<'_>) -> Result<T, ApiError> {
        decode(&self.send(call).await?)
    }

    /// Every item of a control-plane list: `page_size` first, then `page_token` taken out of
    /// `metadata.next`, re-issuing the same filters (CLI/TF behaviour; the link itself is opaque).
    pub(crate) async fn list_all<T: DeserializeOwned>(
        &self,
        mut call: Call<'_>,
    ) -> Result<Vec<T>, ApiError> {
        let filters = call.query.clone();
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        loop {
            call.query = filters.clone();
            call.query
                .push(("page_size".into(), self.page_size.to_string()));
            if let Some(t) = &token {
                call.query.push(("page_token".into(), t.clone()));
            }
            let page: ListPage<T> = self.json(&call).await?;
            items.extend(page.data);
            let next = page.metadata.and_then(|m| m.next).filter(|n| !n.is_empty());
            let Some(next) = next else { return Ok(items) };
            let t = page_token(&next).ok_or_else(|| {
                ApiError::new(
                    ErrorKind::Decode,
                    "a list's metadata.next link has no page_token",
                )
            })?;
            if token.as_deref() == Some(t.as_str()) {
                return Err(ApiError::new(
                    ErrorKind::Decode,
                    "a list returned the same page_token twice",
                ));
            }
            token = Some(t);
        }
    }

    fn transport_error(&self, url: &Url, e: reqwest::Error) -> ApiError {
        let host = url.host_str().unwrap_or("?").to_string();
        let host = match url.port() {
            Some(p) => format!("{host}:{p}"),
            None => host,
        };
        if e.is_timeout() {
            ApiError::new(
                ErrorKind::Timeout,
                format!("no answer from {host} within {:?}", self.config.timeout),
            )
        } else if e.is_connect() {
            ApiError::new(
                ErrorKind::Unreachable,
                format!("could not connect to {host}"),
            )
        } else if e.is_decode() || e.is_body() {
            ApiError::new(
                ErrorKind::Unreachable,
                format!("the connection to {host} broke while reading the answer"),
            )
        } else {
            ApiError::new(ErrorKind::Unreachable, format!("request to {host} failed"))
        }
    }
}

#[derive(Deserialize)]
struct ListPage<T> {
    #[serde(default = "Vec::new")]
    data: Vec<T>,
    metadata: Option<ListMeta>,
}

#[derive(Deserialize)]
struct ListMeta {
    next: Option<String>,
}

/// Kafka REST lists (`{kind, metadata:{next:null}, data}`) are not paginated.
pub(crate) fn data<T: DeserializeOwned>(bytes: &[u8]) -> Result<Vec<T>, ApiError> {
    Ok(decode::<ListPage<T>>(bytes)?.data)
}

/// Decodes a success body. The serde message names only a position and a category, never the
/// data (which could be a key's secret).
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            ErrorKind::Decode,
            format!(
                "could not read the response ({:?} error at line {}, column {})",
                e.classify(),
                e.line(),
                e.column()
            ),
        )
    })
}

fn page_token(next: &str) -> Option<String> {
    let url = Url::parse(next)
        .or_else(|_| Url::parse("http://x/").and_then(|b| b.join(next)))
        .ok()?;
    let token = url
        .query_pairs()
        .find(|(k, _)| k == "page_token")?
        .1
        .into_owned();
    Some(token)
}

/// `Retry-After` in seconds (Confluent sends seconds; HTTP dates are ignored).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()?;
    Some(Duration::from_secs(v))
}

/// `Retry-After` when given (bounded by the cap), else base·2^attempt capped, with jitter in
/// [½, 1] of it so many clients don't retry in lockstep.
pub(crate) fn backoff(
    policy: &crate::RetryPolicy,
    attempt: u32,
    retry_after: Option<Duration>,
) -> Duration {
    if let Some(d) = retry_after {
        return d.min(policy.cap);
    }
    let exp = policy
        .base
        .saturating_mul(1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX));
    let d = exp.min(policy.cap);
    let half = d / 2;
    half + d.mul_f64(rand::rng().random_range(0.0..=0.5))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RetryPolicy;

    #[test]
    fn backoff_is_capped_and_honours_retry_after() {
        let p = RetryPolicy::default();
        for attempt in 0..40 {
            let d = backoff(&p, attempt, None);
            assert!(d <= p.cap, "{d:?}");
            assert!(d >= (p.base * 2u32.saturating_pow(attempt)).min(p.cap) / 2);
        }
        assert_eq!(
            backoff(&p, 0, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
        assert_eq!(backoff(&p, 0, Some(Duration::from_secs(700))), p.cap);
    }

    #[test]
    fn page_token_from_next_link() {
        assert_eq!(
            page_token("https://api.confluent.cloud/cmk/v2/clusters?page_token=UvmDWOB1iwfAIBPj6EYb&environment=env-1jrymj").as_deref(),
            Some("UvmDWOB1iwfAIBPj6EYb")
        );
        assert_eq!(
            page_token("/iam/v2/api-keys?page_size=5&page_token=a%2Bb").as_deref(),
            Some("a+b")
        );
        assert_eq!(page_token("https://x/y?page_size=5"), None);
    }

    #[test]
    fn url_segments_are_encoded() {
        let u = Client::url(
            "http://127.0.0.1:9/",
            &["kafka", "v3", "topics", "a b/c", "configs:alter"],
        )
        .unwrap();
        assert_eq!(
            u.as_str(),
            "http://127.0.0.1:9/kafka/v3/topics/a%20b%2Fc/configs:alter"
        );
    }
}
