//! The one error type that crosses the bridge: `{code, message, detail?, fields?}`.
//! Codes are stable; the frontend switches on them, so the tests below pin the JSON.

use std::collections::BTreeMap;

use gureum_confluent::access::{FlowError, Refused};
use gureum_confluent::{ApiError, ErrorKind};
use gureum_connections::{Error as ConnError, SecretStoreError};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// Input failed validation; `fields` says which field and why.
    Validation,
    NotFound,
    /// The built-in sandbox connection can't be edited or removed.
    BuiltinReadOnly,
    /// No OS keyring (Secret Service / Keychain / Credential Manager) could be reached.
    KeyringUnavailable,
    KeyringLocked,
    KeyringError,
    /// The config file comes from a newer Gureum.
    ConfigTooNew,
    /// The config file can't be parsed; Gureum won't overwrite it.
    ConfigCorrupt,
    /// Reading or writing the config dir failed.
    ConfigIo,
    /// Confluent Cloud (or the sandbox) refused the Cloud API key or secret (401).
    CloudUnauthorized,
    /// The key works but its owner lacks the permission (403).
    CloudForbidden,
    /// The environment, cluster, … does not exist or was deleted.
    CloudNotFound,
    /// Conflicts with the current state (409, "already exists").
    CloudConflict,
    /// The request was refused as it stands (400/422…); `fields` names the input when known.
    CloudInvalid,
    CloudRateLimited,
    /// Could not connect (DNS, refused, TLS).
    CloudUnreachable,
    CloudTimeout,
    /// A server error, or a response Gureum could not read.
    CloudServer,
    /// The built-in sandbox cloud is still starting, or failed to start.
    SandboxNotReady,
    /// The connection is a plain Kafka cluster: it has no Cloud API (environments, clusters, keys).
    NoCloudApi,
    /// The connection's secret is not in the OS keyring.
    SecretMissing,
    /// The cluster is not provisioned yet (no endpoints).
    ClusterNotReady,
    /// Gureum holds no API key for this cluster; create one under API keys.
    ClusterKeyMissing,
    /// The cluster refused the stored API key (deleted, or not yet propagated).
    ClusterKeyRefused,
    /// The operation was cancelled by the user.
    Cancelled,
    /// The topic does not exist on the cluster.
    KafkaTopicMissing,
    /// The partition does not exist.
    KafkaPartitionInvalid,
    /// The record is larger than the topic accepts.
    KafkaRecordTooLarge,
    /// The cluster refused the client's credentials (SASL).
    KafkaAuthFailed,
    /// The key authenticated, but its owner may not do this: no ACL allows it. `refused` says
    /// which operation on which resource (Kafka protocol or Kafka REST alike).
    NotAuthorized,
    /// No broker could be reached.
    KafkaUnreachable,
    /// The cluster did not answer in time.
    KafkaTimeout,
    /// Any other Kafka error; `detail` has librdkafka's words.
    KafkaError,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct BridgeError {
    pub code: ErrorCode,
    /// One sentence for people: what happened and what to do.
    pub message: String,
    /// Extra technical detail, when there is any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Per-field messages for forms (code `VALIDATION`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
    /// The same fields' problems as codes with their values, for the window to word in the
    /// person's language (absent where the words are a server's, e.g. a Cloud API 400).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problems: Option<BTreeMap<String, Vec<gureum_forms::Problem>>>,
    /// What the key's owner was refused (code `NOT_AUTHORIZED`).
    // Boxed: every command's error stays small.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<Box<Refused>>,
}

impl BridgeError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        BridgeError {
            code,
            message: message.into(),
            detail: None,
            fields: None,
            problems: None,
            refused: None,
        }
    }
    /// The key's owner may not do `refused`.
    pub fn not_authorized(refused: Refused) -> Self {
        let what = gureum_kafka::Denied::new(
            &refused.operation,
            &refused.resource_type,
            &refused.resource_name,
        )
        .sentence();
        BridgeError {
            code: ErrorCode::NotAuthorized,
            message: what,
            detail: None,
            fields: None,
            problems: None,
            refused: Some(Box::new(refused)),
        }
    }
    /// Names the API key a refusal was made with.
    pub fn with_key(mut self, key_id: Option<&str>) -> Self {
        if let (Some(r), Some(k)) = (self.refused.as_mut(), key_id) {
            r.key_id.get_or_insert_with(|| k.to_string());
        }
        self
    }
    /// A form's refusal: each field with what is wrong with it.
    pub fn validation(fields: gureum_forms::FieldProblems) -> Self {
        BridgeError {
            code: ErrorCode::Validation,
            message: "Some fields need attention.".into(),
            problems: Some(fields.coded()),
            fields: Some(fields.into_map()),
            ..BridgeError::new(ErrorCode::Validation, "")
        }
    }
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

impl From<ConnError> for BridgeError {
    fn from(e: ConnError) -> Self {
        let message = e.to_string();
        match e {
            ConnError::Invalid(fields) => fields.into(),
            ConnError::NotFound(_) => BridgeError::new(ErrorCode::NotFound, message),
            ConnError::BuiltinReadOnly => BridgeError::new(ErrorCode::BuiltinReadOnly, message),
            ConnError::Secret(s) => s.into(),
            ConnError::ConfigTooNew { .. } => BridgeError::new(ErrorCode::ConfigTooNew, message),
            ConnError::ConfigCorrupt { .. } => BridgeError::new(ErrorCode::ConfigCorrupt, message),
            ConnError::ConfigIo { .. } => BridgeError::new(ErrorCode::ConfigIo, message),
        }
    }
}

/// The session's refusals keep their codes: each names what the user can do about it.
impl From<gureum_session::SessionError> for BridgeError {
    fn from(e: gureum_session::SessionError) -> Self {
        use gureum_session::SessionError as S;
        let message = e.to_string();
        match e {
            S::SandboxNotReady { detail, .. } => {
                let b = BridgeError::new(ErrorCode::SandboxNotReady, message);
                match detail {
                    Some(d) => b.with_detail(d),
                    None => b,
                }
            }
            S::SecretMissing { .. } => BridgeError::new(ErrorCode::SecretMissing, message),
            S::NoCloudApi { .. } => BridgeError::new(ErrorCode::NoCloudApi, message),
            S::ClusterNotReady { .. } => BridgeError::new(ErrorCode::ClusterNotReady, message),
            S::ClusterKeyMissing { .. } | S::KeyNotHeld { .. } => {
                BridgeError::new(ErrorCode::ClusterKeyMissing, message)
            }
            S::Connections(c) => c.into(),
            S::Secret(s) => s.into(),
            S::Cloud(a) => a.into(),
            S::Kafka(k) => k.into(),
            S::Internal(m) => BridgeError::new(ErrorCode::Internal, m),
        }
    }
}

/// A form's refusal, field by field (every crate's forms say it the same way).
impl From<gureum_forms::FieldProblems> for BridgeError {
    fn from(p: gureum_forms::FieldProblems) -> Self {
        BridgeError::validation(p)
    }
}

impl From<SecretStoreError> for BridgeError {
    fn from(e: SecretStoreError) -> Self {
        let code = match e {
            SecretStoreError::Unavailable(_) => ErrorCode::KeyringUnavailable,
            SecretStoreError::Locked => ErrorCode::KeyringLocked,
            SecretStoreError::Other(_) => ErrorCode::KeyringError,
        };
        BridgeError::new(code, e.to_string())
    }
}

/// A data-plane failure: the crate's message (what happened, what to do) and librdkafka's words.
/// The bridge's code for a data-plane error kind.
pub fn kafka_code(kind: gureum_kafka::ErrorKind) -> ErrorCode {
    use gureum_kafka::ErrorKind as K;
    match kind {
        K::Invalid => ErrorCode::Validation,
        K::TopicMissing => ErrorCode::KafkaTopicMissing,
        K::PartitionOutOfRange => ErrorCode::KafkaPartitionInvalid,
        K::TooLarge => ErrorCode::KafkaRecordTooLarge,
        K::AuthFailed => ErrorCode::KafkaAuthFailed,
        K::NotAuthorized => ErrorCode::NotAuthorized,
        K::Unreachable => ErrorCode::KafkaUnreachable,
        K::TimedOut => ErrorCode::KafkaTimeout,
        K::Cancelled => ErrorCode::Cancelled,
        K::Broker => ErrorCode::KafkaError,
    }
}

impl From<gureum_kafka::KafkaError> for BridgeError {
    fn from(e: gureum_kafka::KafkaError) -> Self {
        BridgeError {
            code: kafka_code(e.kind),
            message: e.message,
            detail: e.detail,
            fields: None,
            problems: None,
            refused: e.denied.map(|d| {
                Box::new(Refused {
                    operation: d.operation,
                    resource_type: d.resource_type,
                    resource_name: d.resource_name,
                    topic: d.topic,
                    group: d.group,
                    key_id: None,
                })
            }),
        }
    }
}

/// A Kafka REST failure: the same as a Cloud API one, except that a refused key is the cluster's
/// own API key, which has its own fix.
pub fn from_kafka_rest(e: ApiError, key_id: &str) -> BridgeError {
    if e.kind == ErrorKind::Unauthorized {
        let detail = format!("HTTP 401: {}", e.message);
        return BridgeError::new(
            ErrorCode::ClusterKeyRefused,
            format!("The cluster refused the API key {key_id} that Gureum keeps for it: it was deleted, or it is new and not usable yet. Wait a minute, or create a new key for this cluster under API keys."),
        )
        .with_detail(detail);
    }
    e.into()
}

/// A Kafka REST failure of a call that needed `refused` (the operation on its resource): a
/// 403 is that refusal, said as such; anything else as [`from_kafka_rest`].
pub fn rest_refusal(e: ApiError, key_id: &str, refused: Refused) -> BridgeError {
    if e.kind == ErrorKind::Forbidden {
        let detail = format!("HTTP 403: {}", e.message);
        return BridgeError::not_authorized(refused)
            .with_key(Some(key_id))
            .with_detail(detail);
    }
    from_kafka_rest(e, key_id)
}

/// A topic form's failure: its fields, or Kafka REST refusing the operation on the topic.
pub fn topic_error(e: gureum_confluent::topic_forms::TopicError, key_id: &str) -> BridgeError {
    use gureum_confluent::topic_forms::TopicError;
    match e {
        TopicError::Invalid(fields) => fields.into(),
        TopicError::Rest(e, refused) => rest_refusal(e, key_id, refused),
    }
}

/// A metrics chart's failure. A refused query (429) keeps the charts: the window says so.
pub fn chart_error(e: gureum_confluent::metric_chart::ChartError) -> BridgeError {
    use gureum_confluent::metric_chart::ChartError;
    match e {
        ChartError::Invalid(fields) => fields.into(),
        ChartError::Api(e) if e.kind == ErrorKind::RateLimited => BridgeError::new(
            ErrorCode::CloudRateLimited,
            "The Metrics API allows 60 requests a minute and this one was refused; the charts keep their last data and refresh again shortly.",
        )
        .with_detail(e.message),
        ChartError::Api(e) => e.into(),
    }
}

/// The welcome sample's failure: each kind keeps the code it had as a command of its own.
pub fn sample_error(e: gureum_confluent::sample::SampleError<BridgeError>) -> BridgeError {
    use gureum_confluent::sample::SampleError as S;
    match e {
        S::Api(e) => e.into(),
        S::Rest(e, key) => from_kafka_rest(e, &key),
        S::Vault(e) => e,
        S::Cloud(m) => BridgeError::new(ErrorCode::CloudServer, m),
        S::TimedOut(m) => BridgeError::new(ErrorCode::CloudTimeout, m),
    }
}

/// An access flow's failure. Kafka REST refusing the key of your account Gureum manages ACLs
/// with means your account may not ALTER the cluster.
impl From<FlowError<BridgeError>> for BridgeError {
    fn from(e: FlowError<BridgeError>) -> Self {
        match e {
            FlowError::Api(e) => e.into(),
            FlowError::Rest(e, key) => {
                rest_refusal(e, &key, Refused::new("ALTER", "CLUSTER", "kafka-cluster"))
            }
            FlowError::Vault(e) => e,
        }
    }
}

/// A pasted key's failure: the cluster refusing it says that nothing was stored; anything else
/// as an access flow's, except that a Kafka REST failure is the pasted key's own.
pub fn pasted_key_error(e: FlowError<BridgeError>) -> BridgeError {
    match e {
        FlowError::Rest(e, key_id) if e.kind == ErrorKind::Unauthorized => BridgeError::new(
            ErrorCode::ClusterKeyRefused,
            format!("The cluster refused {key_id} with this secret: the key is not one of this cluster's, the secret is wrong, or the key was deleted. Nothing was stored."),
        )
        .with_detail(format!("HTTP 401: {}", e.message)),
        FlowError::Rest(e, key_id) => from_kafka_rest(e, &key_id),
        other => other.into(),
    }
}

/// A Cloud API failure: a stable code, one sentence on what to do, the server's own words as
/// `detail`, and the blamed input (JSON pointer's last segment, e.g. `region`) in `fields`.
/// `ApiError` never holds a secret (messages come from response bodies), so neither does this.
impl From<ApiError> for BridgeError {
    fn from(e: ApiError) -> Self {
        let (code, message) = match e.kind {
            ErrorKind::Unauthorized => (ErrorCode::CloudUnauthorized, "The Cloud API key or secret is wrong. Check both in Settings → Connections (a newly created key can take a few minutes to start working)."),
            ErrorKind::Forbidden => (ErrorCode::CloudForbidden, "The Cloud API key's owner is not allowed to do this. Grant it a role (e.g. OrganizationAdmin or EnvironmentAdmin) or use another key."),
            ErrorKind::NotFound => (ErrorCode::CloudNotFound, "It does not exist or was deleted. Refresh the list."),
            ErrorKind::Conflict => (ErrorCode::CloudConflict, "That conflicts with what is already there (a name in use, or a change in progress)."),
            ErrorKind::Invalid => (ErrorCode::CloudInvalid, "The request was refused as it stands; see the details and correct it."),
            ErrorKind::RateLimited => (ErrorCode::CloudRateLimited, "Too many requests right now; wait a moment and try again."),
            ErrorKind::Unreachable => (ErrorCode::CloudUnreachable, "Could not reach the Cloud API. Check the network and the connection's Cloud API URL."),
            ErrorKind::Timeout => (ErrorCode::CloudTimeout, "The Cloud API did not answer in time; try again."),
            ErrorKind::Server | ErrorKind::Decode => (ErrorCode::CloudServer, "The Cloud API had a problem on its side; try again later."),
            ErrorKind::Cancelled => (ErrorCode::Cancelled, "The operation was cancelled."),
        };
        let mut detail = e.message.clone();
        if let Some(status) = e.status {
            detail = format!("HTTP {status}: {detail}");
        }
        if let Some(id) = &e.request_id {
            detail.push_str(&format!(" [request {id}]"));
        }
        let fields = e
            .field
            .as_deref()
            .and_then(|p| p.rsplit('/').next())
            .filter(|f| !f.is_empty())
            .map(|f| BTreeMap::from([(f.to_string(), e.message.clone())]));
        BridgeError {
            code,
            message: message.into(),
            detail: Some(detail),
            fields,
            problems: None,
            refused: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn validation_errors_carry_fields() {
        let problem = gureum_forms::Problem::new(
            gureum_forms::ProblemCode::NameTooLong,
            "Keep the name to 64 characters or fewer.",
        )
        .with("max", 64);
        let e: BridgeError =
            ConnError::Invalid(gureum_forms::FieldProblems::one("name", problem)).into();
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"code": "VALIDATION", "message": "Some fields need attention.",
                   "fields": {"name": "Keep the name to 64 characters or fewer."},
                   "problems": {"name": [{"code": "name_too_long", "params": {"max": "64"},
                                          "message": "Keep the name to 64 characters or fewer."}]}})
        );
    }

    #[test]
    fn codes_are_stable() {
        let codes = [
            (ErrorCode::Validation, "VALIDATION"),
            (ErrorCode::NotFound, "NOT_FOUND"),
            (ErrorCode::BuiltinReadOnly, "BUILTIN_READ_ONLY"),
            (ErrorCode::KeyringUnavailable, "KEYRING_UNAVAILABLE"),
            (ErrorCode::KeyringLocked, "KEYRING_LOCKED"),
            (ErrorCode::KeyringError, "KEYRING_ERROR"),
            (ErrorCode::ConfigTooNew, "CONFIG_TOO_NEW"),
            (ErrorCode::ConfigCorrupt, "CONFIG_CORRUPT"),
            (ErrorCode::ConfigIo, "CONFIG_IO"),
            (ErrorCode::CloudUnauthorized, "CLOUD_UNAUTHORIZED"),
            (ErrorCode::CloudForbidden, "CLOUD_FORBIDDEN"),
            (ErrorCode::CloudNotFound, "CLOUD_NOT_FOUND"),
            (ErrorCode::CloudConflict, "CLOUD_CONFLICT"),
            (ErrorCode::CloudInvalid, "CLOUD_INVALID"),
            (ErrorCode::CloudRateLimited, "CLOUD_RATE_LIMITED"),
            (ErrorCode::CloudUnreachable, "CLOUD_UNREACHABLE"),
            (ErrorCode::CloudTimeout, "CLOUD_TIMEOUT"),
            (ErrorCode::CloudServer, "CLOUD_SERVER"),
            (ErrorCode::SandboxNotReady, "SANDBOX_NOT_READY"),
            (ErrorCode::NoCloudApi, "NO_CLOUD_API"),
            (ErrorCode::SecretMissing, "SECRET_MISSING"),
            (ErrorCode::ClusterNotReady, "CLUSTER_NOT_READY"),
            (ErrorCode::ClusterKeyMissing, "CLUSTER_KEY_MISSING"),
            (ErrorCode::ClusterKeyRefused, "CLUSTER_KEY_REFUSED"),
            (ErrorCode::Cancelled, "CANCELLED"),
            (ErrorCode::KafkaTopicMissing, "KAFKA_TOPIC_MISSING"),
            (ErrorCode::KafkaPartitionInvalid, "KAFKA_PARTITION_INVALID"),
            (ErrorCode::KafkaRecordTooLarge, "KAFKA_RECORD_TOO_LARGE"),
            (ErrorCode::KafkaAuthFailed, "KAFKA_AUTH_FAILED"),
            (ErrorCode::NotAuthorized, "NOT_AUTHORIZED"),
            (ErrorCode::KafkaUnreachable, "KAFKA_UNREACHABLE"),
            (ErrorCode::KafkaTimeout, "KAFKA_TIMEOUT"),
            (ErrorCode::KafkaError, "KAFKA_ERROR"),
            (ErrorCode::Internal, "INTERNAL"),
        ];
        for (code, text) in codes {
            assert_eq!(serde_json::to_value(code).unwrap(), json!(text));
        }
    }

    #[test]
    fn keyring_errors_say_how_to_fix_them() {
        let e: BridgeError = ConnError::Secret(SecretStoreError::Locked).into();
        assert_eq!(e.code, ErrorCode::KeyringLocked);
        assert!(e.message.contains("Unlock it"));
        let e: BridgeError = SecretStoreError::Unavailable("no bus".into()).into();
        assert_eq!(
            serde_json::to_value(&e).unwrap()["code"],
            "KEYRING_UNAVAILABLE"
        );
        assert!(e.message.contains("gnome-keyring"));
    }

    #[test]
    fn cloud_errors_keep_the_servers_words_and_name_the_field() {
        let e: BridgeError = ApiError::from_response(
            400,
            Some("application/json"),
            None,
            br#"{"errors":[{"id":"r1","detail":"Unknown region 'mars-1' for AWS.","source":{"pointer":"/spec/region"}}]}"#,
            false,
            false,
        )
        .into();
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({
                "code": "CLOUD_INVALID",
                "message": "The request was refused as it stands; see the details and correct it.",
                "detail": "HTTP 400: Unknown region 'mars-1' for AWS. [request r1]",
                "fields": {"region": "Unknown region 'mars-1' for AWS."}
            })
        );
        let e: BridgeError = ApiError::from_response(
            401,
            Some("application/json"),
            None,
            br#"{"errors":[{"detail":"Unauthorized"}]}"#,
            false,
            false,
        )
        .into();
        assert_eq!(e.code, ErrorCode::CloudUnauthorized);
        assert!(e
            .message
            .starts_with("The Cloud API key or secret is wrong"));
        assert!(e.fields.is_none());
        let e: BridgeError = ApiError::new(ErrorKind::Unreachable, "connection refused").into();
        assert_eq!(
            (e.code, e.detail.as_deref()),
            (ErrorCode::CloudUnreachable, Some("connection refused"))
        );
    }

    #[test]
    fn refusals_say_which_operation_on_which_resource() {
        let e = rest_refusal(
            ApiError::from_response(
                403,
                Some("application/json"),
                None,
                br#"{"error_code":40301,"message":"Request is not authorized"}"#,
                false,
                false,
            ),
            "KEY1",
            Refused::new("CREATE", "TOPIC", "orders"),
        );
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["code"], "NOT_AUTHORIZED");
        assert_eq!(v["refused"]["operation"], "CREATE");
        assert_eq!(v["refused"]["resource_type"], "TOPIC");
        assert_eq!(v["refused"]["resource_name"], "orders");
        assert_eq!(v["refused"]["key_id"], "KEY1");
        assert!(
            e.message.contains("may not CREATE topic “orders”"),
            "{}",
            e.message
        );
        assert!(e.detail.unwrap().contains("Request is not authorized"));
        // The data plane's refusals arrive the same way.
        let k = gureum_kafka::KafkaError::not_authorized(gureum_kafka::Denied::new(
            "READ", "GROUP", "app",
        ));
        let b: BridgeError = k.into();
        assert_eq!(b.code, ErrorCode::NotAuthorized);
        assert_eq!(b.refused.unwrap().resource_name, "app");
        // Any other REST failure is not a refusal.
        let e = rest_refusal(
            ApiError::new(ErrorKind::NotFound, "gone"),
            "KEY1",
            Refused::new("DELETE", "TOPIC", "t"),
        );
        assert_eq!((e.code, e.refused), (ErrorCode::CloudNotFound, None));
    }

    #[test]
    fn a_refused_pasted_key_says_nothing_was_stored() {
        let refused = FlowError::Rest(ApiError::new(ErrorKind::Unauthorized, "bad"), "K1".into());
        let e = pasted_key_error(refused);
        assert_eq!(e.code, ErrorCode::ClusterKeyRefused);
        assert!(e
            .message
            .starts_with("The cluster refused K1 with this secret"));
        assert!(e.message.ends_with("Nothing was stored."));
        assert_eq!(e.detail.as_deref(), Some("HTTP 401: bad"));
        let down = FlowError::Rest(ApiError::new(ErrorKind::Unreachable, "down"), "K1".into());
        assert_eq!(pasted_key_error(down).code, ErrorCode::CloudUnreachable);
        let vault = FlowError::Vault(BridgeError::new(ErrorCode::KeyringLocked, "locked"));
        assert_eq!(pasted_key_error(vault).code, ErrorCode::KeyringLocked);
    }
}
