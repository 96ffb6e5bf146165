//! Confluent's two error envelopes: the control plane's `{"errors":[…]}` (status as a string) and
//! Kafka REST v3's `{"error_code": int, "message": …}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug)]
pub enum RestError {
    /// org/v2, cmk/v2, iam/v2 and the Metrics API.
    Organization {
        status: StatusCode,
        code: &'static str,
        detail: String,
        pointer: Option<String>,
    },
    /// Kafka REST v3.
    KafkaRest {
        status: StatusCode,
        error_code: i32,
        message: String,
    },
}

impl RestError {
    pub fn cloud(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        RestError::Organization {
            status,
            code,
            detail: detail.into(),
            pointer: None,
        }
    }
    /// A 400 pointing at the offending request field (JSON pointer, e.g. "/spec/region").
    pub fn invalid(pointer: &str, detail: impl Into<String>) -> Self {
        RestError::Organization {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_input",
            detail: detail.into(),
            pointer: Some(pointer.into()),
        }
    }
    pub fn unauthorized() -> Self {
        RestError::cloud(StatusCode::UNAUTHORIZED, "unauthorized", "Unauthorized")
    }
    pub fn not_found(what: &str, id: &str) -> Self {
        RestError::cloud(
            StatusCode::NOT_FOUND,
            "resource_not_found",
            format!("{what} '{id}' not found"),
        )
    }
    /// Confluent answers reads of deleted clusters and keys with 403.
    pub fn deleted() -> Self {
        RestError::cloud(
            StatusCode::FORBIDDEN,
            "forbidden_access",
            "Forbidden Access",
        )
    }
    pub fn conflict(detail: impl Into<String>) -> Self {
        RestError::cloud(StatusCode::CONFLICT, "conflict", detail)
    }
    pub fn kafka(status: StatusCode, error_code: i32, message: impl Into<String>) -> Self {
        RestError::KafkaRest {
            status,
            error_code,
            message: message.into(),
        }
    }
}

impl IntoResponse for RestError {
    fn into_response(self) -> Response {
        match self {
            RestError::Organization {
                status,
                code,
                detail,
                pointer,
            } => {
                let source = match pointer {
                    Some(p) => json!({ "pointer": p }),
                    None => json!({}),
                };
                let body = json!({ "errors": [{
                    "id": crate::ids::resource_id("req"),
                    "status": status.as_u16().to_string(),
                    "code": code,
                    "detail": detail,
                    "source": source,
                }]});
                let mut resp = (status, axum::Json(body)).into_response();
                if status == StatusCode::UNAUTHORIZED {
                    resp.headers_mut().insert(
                        header::WWW_AUTHENTICATE,
                        HeaderValue::from_static("Basic error=\"invalid_key\", error_description=\"The API Key is invalid\""),
                    );
                }
                resp
            }
            RestError::KafkaRest {
                status,
                error_code,
                message,
            } => (
                status,
                axum::Json(json!({ "error_code": error_code, "message": message })),
            )
                .into_response(),
        }
    }
}

/// A state change the sandbox could not save: the service's own fault (HTTP 500).
impl From<crate::organization::SaveFailed> for RestError {
    fn from(e: crate::organization::SaveFailed) -> Self {
        RestError::cloud(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            e.to_string(),
        )
    }
}

pub type RestResult<T = Response> = Result<T, RestError>;
