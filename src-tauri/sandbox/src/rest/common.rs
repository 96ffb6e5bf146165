//! Pieces every handler uses: Basic auth, JSON bodies, object metadata and opaque pagination.

use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use serde_json::{json, Value};

use super::errors::RestError;
use crate::ids::secret_matches;
use crate::model::{ApiKey, State};

/// `Authorization: Basic base64(key:secret)` → (key, secret).
pub fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (key, secret) = text.split_once(':')?;
    Some((key.to_string(), secret.to_string()))
}

/// Finds the live API key these credentials name, if the secret matches.
pub fn authenticated_key<'a>(state: &'a State, key: &str, secret: &str) -> Option<&'a ApiKey> {
    state
        .api_keys
        .iter()
        .find(|k| k.id == key && secret_matches(secret, &k.secret_hash))
}

/// The control plane accepts Cloud API keys only (a cluster key is the wrong kind: 401).
/// Returns the key's id.
pub fn require_cloud_key(state: &State, headers: &HeaderMap) -> Result<String, RestError> {
    let (key, secret) = basic_credentials(headers).ok_or_else(RestError::unauthorized)?;
    match authenticated_key(state, &key, &secret) {
        Some(k) if k.resource.is_none() => Ok(key),
        _ => Err(RestError::unauthorized()),
    }
}

/// Kafka REST v3 accepts only a Kafka API key of that very cluster; the key acts as its owner.
pub fn require_cluster_key(
    state: &State,
    headers: &HeaderMap,
    cluster_id: &str,
) -> Result<crate::acl::Principal, RestError> {
    let unauthorized =
        || RestError::kafka(StatusCode::UNAUTHORIZED, 40101, "Authentication failed");
    let (key, secret) = basic_credentials(headers).ok_or_else(unauthorized)?;
    match authenticated_key(state, &key, &secret) {
        Some(k) if k.resource.as_deref() == Some(cluster_id) => {
            Ok(crate::acl::Principal::of_owner(&k.owner))
        }
        _ => Err(unauthorized()),
    }
}

/// A looked-up resource, or Confluent's answer for its absence: 403 if it was deleted, else 404.
pub fn found<T>(item: Option<T>, state: &State, what: &str, id: &str) -> Result<T, RestError> {
    match item {
        Some(t) => Ok(t),
        None if state.deleted.iter().any(|d| d == id) => Err(RestError::deleted()),
        None => Err(RestError::not_found(what, id)),
    }
}

/// Parses a JSON request body, answering malformed input in Confluent's control-plane shape.
pub fn json_body(body: &[u8]) -> Result<Value, RestError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(RestError::invalid(
            "/",
            "The request body is empty; a JSON object is required.",
        ));
    }
    serde_json::from_slice::<Value>(body)
        .map_err(|e| RestError::invalid("/", format!("The request body is not valid JSON: {e}")))
        .and_then(|v| {
            if v.is_object() {
                Ok(v)
            } else {
                Err(RestError::invalid(
                    "/",
                    "The request body must be a JSON object.",
                ))
            }
        })
}

/// A string field at `pointer`, trimmed; None when absent or null.
pub fn opt_str(body: &Value, pointer: &str) -> Result<Option<String>, RestError> {
    match body.pointer(pointer) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(_) => Err(RestError::invalid(
            pointer,
            format!("{} must be a string.", pointer.trim_start_matches('/')),
        )),
    }
}

pub fn req_str(body: &Value, pointer: &str) -> Result<String, RestError> {
    match opt_str(body, pointer)? {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(RestError::invalid(
            pointer,
            format!(
                "{} is required.",
                pointer.trim_start_matches('/').replace('/', ".")
            ),
        )),
    }
}

pub fn metadata(base: &str, path: &str, crn: String, created: &str, updated: &str) -> Value {
    json!({ "self": format!("{base}{path}"), "resource_name": crn, "created_at": created, "updated_at": updated })
}

/// Opaque page tokens over an in-memory list: `page_size` (default 10, max 100) and `page_token`.
pub struct Page {
    pub size: usize,
    pub offset: usize,
}

pub fn page(query: &std::collections::HashMap<String, String>) -> Result<Page, RestError> {
    let size = match query.get("page_size") {
        None => 10,
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => {
                return Err(RestError::invalid(
                    "page_size",
                    "page_size must be an integer from 1 to 100.",
                ))
            }
        },
    };
    let offset = match query.get("page_token") {
        None => 0,
        Some(t) => base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(t)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.strip_prefix("o:").and_then(|n| n.parse().ok()))
            .ok_or_else(|| RestError::invalid("page_token", "page_token is invalid or expired."))?,
    };
    Ok(Page { size, offset })
}

/// Builds `{api_version, kind, metadata: {first, next, total_size}, data}`. `filters` are the
/// query parameters the `next` link must carry again (Confluent's links include them).
pub fn list_response(
    api_version: &str,
    kind: &str,
    base: &str,
    path: &str,
    filters: &[(&str, &str)],
    page: &Page,
    items: Vec<Value>,
) -> Value {
    let total = items.len();
    let link = |token: Option<usize>| {
        let mut q: Vec<String> = vec![format!("page_size={}", page.size)];
        if let Some(o) = token {
            q.push(format!(
                "page_token={}",
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("o:{o}"))
            ));
        }
        q.extend(filters.iter().map(|(k, v)| {
            format!(
                "{k}={}",
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
            )
        }));
        format!("{base}{path}?{}", q.join("&"))
    };
    let end = (page.offset + page.size).min(total);
    let data: Vec<Value> = items
        .into_iter()
        .skip(page.offset)
        .take(page.size)
        .collect();
    let mut meta = json!({ "first": link(None), "total_size": total });
    if end < total {
        meta["next"] = json!(link(Some(end)));
    }
    json!({ "api_version": api_version, "kind": kind, "metadata": meta, "data": data })
}
