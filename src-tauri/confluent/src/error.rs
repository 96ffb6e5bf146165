//! One error type for every call. `message` is the server's own words (or ours, for transport
//! failures); `Display` puts the kind's meaning and fix first. Nothing here ever holds a secret:
//! messages come from error bodies and reqwest's classification, never from requests.

use std::fmt;

use serde_json::Value;

/// Stable meanings the app can branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// 401: the key or secret is wrong, or a new key has not propagated yet.
    Unauthorized,
    /// 403 that is about permissions (Kafka REST ACL/RBAC, or a refused create).
    Forbidden,
    /// 404, or the control plane's 403 for a deleted resource (TF's rule).
    NotFound,
    /// 409, or "already exists".
    Conflict,
    /// 400/402/413/415/422: the request was refused as it stands.
    Invalid,
    /// 429 after every retry.
    RateLimited,
    /// 5xx (after retries where retrying was safe), or an unexpected status.
    Server,
    /// No answer within the configured timeout.
    Timeout,
    /// Could not connect at all (DNS, refused, TLS).
    Unreachable,
    /// A success response we could not read.
    Decode,
    /// The caller cancelled a wait.
    Cancelled,
}

impl ErrorKind {
    fn meaning(self) -> &'static str {
        match self {
            ErrorKind::Unauthorized => "the API key or secret was rejected. Check both (the control plane takes a Cloud API key; Kafka REST takes an API key of that cluster); a newly created key can take a few minutes to start working",
            ErrorKind::Forbidden => "access denied: the key's owner lacks the permission (role binding or ACL) for this",
            ErrorKind::NotFound => "not found: it does not exist or was deleted",
            ErrorKind::Conflict => "conflict with the current state",
            ErrorKind::Invalid => "the request was refused",
            ErrorKind::RateLimited => "rate limited by Confluent Cloud; wait a moment and try again",
            ErrorKind::Server => "Confluent Cloud had a server error; try again later",
            ErrorKind::Timeout => "the request timed out",
            ErrorKind::Unreachable => "could not connect; check the network and the endpoint URL",
            ErrorKind::Decode => "unexpected response from Confluent Cloud",
            ErrorKind::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ApiError {
    pub kind: ErrorKind,
    pub status: Option<u16>,
    /// The server's words (never raw HTML).
    pub message: String,
    /// `errors[].code`, `error.code` or Kafka REST's `error_code`.
    pub code: Option<String>,
    pub request_id: Option<String>,
    /// The input the server blamed (`errors[].source.pointer`, e.g. `/spec/region`, or
    /// `source.parameter`), for showing a refusal next to the form field it is about.
    pub field: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind.meaning())?;
        match self.status {
            Some(s) => write!(f, " (HTTP {s}: {})", self.message)?,
            None if !self.message.is_empty() => write!(f, " ({})", self.message)?,
            None => {}
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request {id}]")?;
        }
        Ok(())
    }
}

impl ApiError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ApiError {
            kind,
            status: None,
            message: message.into(),
            code: None,
            request_id: None,
            field: None,
        }
    }

    /// Builds the error for a non-success response. `kafka_rest`: the body came from Kafka REST v3,
    /// where 403 means an ACL refusal. `by_id`: a get/update/delete of one resource on the control
    /// plane, where 403 (`forbidden_access`, or anything not about an invalid key) means
    /// "deleted" (TF's `isNonKafkaRestApiResourceNotFound`).
    pub fn from_response(
        status: u16,
        content_type: Option<&str>,
        header_request_id: Option<String>,
        body: &[u8],
        kafka_rest: bool,
        by_id: bool,
    ) -> Self {
        let parsed = parse_body(content_type, body);
        let text = String::from_utf8_lossy(body).to_lowercase();
        let kind = match status {
            401 => ErrorKind::Unauthorized,
            403 if text.contains("invalid api key") => ErrorKind::Unauthorized,
            403 if by_id && !kafka_rest => ErrorKind::NotFound,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            400 if parsed.message.to_lowercase().contains("already exists") => ErrorKind::Conflict,
            400..=499 if status != 429 => ErrorKind::Invalid,
            429 => ErrorKind::RateLimited,
            _ => ErrorKind::Server,
        };
        let message = if parsed.message.is_empty() {
            format!("HTTP {status} with no explanation")
        } else {
            parsed.message
        };
        ApiError {
            kind,
            status: Some(status),
            message,
            code: parsed.code,
            request_id: header_request_id.or(parsed.request_id),
            field: parsed.field,
        }
    }
}

#[derive(Default)]
struct Parsed {
    message: String,
    code: Option<String>,
    request_id: Option<String>,
    field: Option<String>,
}

fn str_of(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Tries Confluent's envelopes in order (control plane `errors[]`, the newer `{status, error{}}`,
/// Kafka REST `{error_code, message}`), then HTML, then plain text.
fn parse_body(content_type: Option<&str>, body: &[u8]) -> Parsed {
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    let looks_json = ct.contains("json") || trimmed.starts_with('{');
    if looks_json && !ct.contains("html") {
        if let Ok(v) = serde_json::from_str::<Value>(trimmed) {
            if let Some(p) = parse_json(&v) {
                return p;
            }
        }
    }
    if ct.contains("html") || trimmed.starts_with('<') {
        return Parsed {
            message: html_message(trimmed),
            ..Parsed::default()
        };
    }
    Parsed {
        message: clip(trimmed),
        ..Parsed::default()
    }
}

fn parse_json(v: &Value) -> Option<Parsed> {
    if let Some(first) = v
        .get("errors")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        let message = str_of(first, "detail")
            .or_else(|| str_of(first, "title"))
            .unwrap_or_default();
        return Some(Parsed {
            message,
            code: str_of(first, "code"),
            request_id: str_of(first, "id"),
            field: first
                .get("source")
                .and_then(|s| str_of(s, "pointer").or_else(|| str_of(s, "parameter"))),
        });
    }
    if let Some(e) = v.get("error").filter(|e| e.is_object()) {
        let mut message = str_of(e, "message").unwrap_or_default();
        if let Some(s) = str_of(e, "suggestion") {
            message = format!("{message} ({s})");
        }
        let request_id = str_of(v, "requestId").or_else(|| str_of(v, "request_id"));
        return Some(Parsed {
            message,
            code: str_of(e, "code"),
            request_id,
            field: None,
        });
    }
    if v.get("error_code").is_some() {
        return Some(Parsed {
            message: str_of(v, "message").unwrap_or_default(),
            code: str_of(v, "error_code"),
            request_id: None,
            field: None,
        });
    }
    str_of(v, "message").map(|message| Parsed {
        message,
        ..Parsed::default()
    })
}

/// Jetty's error pages say "HTTP ERROR 401 Unauthorized" in an `<h2>`; otherwise use `<title>`.
fn html_message(html: &str) -> String {
    let strip = |s: &str| {
        s.split('<')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    if let Some(i) = html.find("HTTP ERROR") {
        return clip(&strip(&html[i..]));
    }
    let lower = html.to_ascii_lowercase();
    if let Some(i) = lower.find("<title>") {
        let t = strip(&html[i + 7..]);
        if !t.is_empty() {
            return clip(&t);
        }
    }
    "an HTML error page".to_string()
}

fn clip(s: &str) -> String {
    const MAX: usize = 300;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, ct: &str, body: &str) -> ApiError {
        ApiError::from_response(status, Some(ct), None, body.as_bytes(), false, true)
    }

    #[test]
    fn control_plane_envelope() {
        let e = err(
            401,
            "application/json",
            r#"{"errors":[{"id":"cca0","status":"401","detail":"Unauthorized","source":{}}]}"#,
        );
        assert_eq!(
            (e.kind, e.message.as_str(), e.request_id.as_deref()),
            (ErrorKind::Unauthorized, "Unauthorized", Some("cca0"))
        );
        assert!(e.to_string().contains("key or secret"));
    }

    #[test]
    fn invalid_input_names_the_field() {
        let e = err(
            400,
            "application/json",
            r#"{"errors":[{"status":"400","code":"invalid_input","detail":"Unknown region 'x' for AWS.","source":{"pointer":"/spec/region"}}]}"#,
        );
        assert_eq!(
            (e.kind, e.field.as_deref(), e.message.as_str()),
            (
                ErrorKind::Invalid,
                Some("/spec/region"),
                "Unknown region 'x' for AWS."
            )
        );
        let q = err(
            400,
            "application/json",
            r#"{"errors":[{"detail":"The environment query parameter is required.","source":{"parameter":"environment"}}]}"#,
        );
        assert_eq!(q.field.as_deref(), Some("environment"));
        assert_eq!(
            err(
                401,
                "application/json",
                r#"{"errors":[{"detail":"x","source":{}}]}"#
            )
            .field,
            None
        );
    }

    #[test]
    fn deleted_is_not_found_and_kafka_403_is_forbidden() {
        let body = r#"{"errors":[{"status":"403","code":"forbidden_access","detail":"Forbidden Access","source":{}}]}"#;
        assert_eq!(err(403, "application/json", body).kind, ErrorKind::NotFound);
        let create = ApiError::from_response(
            403,
            Some("application/json"),
            None,
            body.as_bytes(),
            false,
            false,
        );
        assert_eq!(
            create.kind,
            ErrorKind::Forbidden,
            "a refused create or list is not 'deleted'"
        );
        let k = ApiError::from_response(
            403,
            Some("application/json"),
            None,
            br#"{"error_code":40301,"message":"Request is not authorized"}"#,
            true,
            true,
        );
        assert_eq!(
            (k.kind, k.code.as_deref()),
            (ErrorKind::Forbidden, Some("40301"))
        );
        assert_eq!(
            err(
                403,
                "application/json",
                r#"{"errors":[{"detail":"invalid API key"}]}"#
            )
            .kind,
            ErrorKind::Unauthorized
        );
    }

    #[test]
    fn new_envelope_kafka_envelope_html_and_text() {
        let e = err(
            400,
            "application/json",
            r#"{"status":400,"error":{"code":"INVALID_ARGUMENT","message":"display_name is too long"},"requestId":"r-1"}"#,
        );
        assert_eq!(
            (
                e.kind,
                e.code.as_deref(),
                e.message.as_str(),
                e.request_id.as_deref()
            ),
            (
                ErrorKind::Invalid,
                Some("INVALID_ARGUMENT"),
                "display_name is too long",
                Some("r-1")
            )
        );
        let k = err(
            400,
            "application/json",
            r#"{"error_code":40002,"message":"Topic 'a' already exists."}"#,
        );
        assert_eq!(
            (k.kind, k.code.as_deref()),
            (ErrorKind::Conflict, Some("40002"))
        );
        let h = err(401, "text/html;charset=iso-8859-1", "<html><head><title>Error 401 Unauthorized</title></head><body><h2>HTTP ERROR 401 Unauthorized</h2>\n<table><tr><th>URI:</th></tr></table></body></html>");
        assert_eq!(
            (h.kind, h.message.as_str()),
            (ErrorKind::Unauthorized, "HTTP ERROR 401 Unauthorized")
        );
        let t = err(
            429,
            "text/html",
            "<html><head><title>Too Many Requests</title></head><body>x</body></html>",
        );
        assert_eq!(
            (t.kind, t.message.as_str()),
            (ErrorKind::RateLimited, "Too Many Requests")
        );
        assert_eq!(
            err(502, "text/plain", "  bad gateway \n").message,
            "bad gateway"
        );
        assert_eq!(err(500, "", "").message, "HTTP 500 with no explanation");
    }
}
