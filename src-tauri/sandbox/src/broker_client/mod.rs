//! A small async Kafka client over the kafka-protocol crate: the admin calls and single-record
//! produce the sandbox's Kafka REST v3 needs against its local broker (loopback TCP, logged in
//! with the sandbox run's SCRAM credential, [`scram`]).

mod admin;
mod conn;
pub mod scram;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Mutex, OnceLock};

use bytes::Bytes;
use kafka_protocol::protocol::{Request, StrBytes};
use kafka_protocol::ResponseError;

use conn::Conn;
pub use conn::{CONNECT_TIMEOUT, REQUEST_TIMEOUT};
pub use gureum_partitioner::{murmur2, partition_for_key};
pub use scram::BrokerLogin;

#[derive(Debug, thiserror::Error)]
pub enum BrokerError {
    /// Broker unreachable, connection dropped, or a connect/request timeout.
    #[error("broker unreachable: {0}")]
    Io(#[from] std::io::Error),
    /// The broker said something we could not encode/decode or did not expect.
    #[error("kafka protocol error: {0}")]
    Protocol(String),
    /// A Kafka error code; `name` is Kafka's own (e.g. "TOPIC_ALREADY_EXISTS").
    #[error("{name} ({code}){}", message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    Broker {
        code: i16,
        name: &'static str,
        message: Option<String>,
    },
}

impl BrokerError {
    pub fn broker(code: i16, message: Option<String>) -> Self {
        BrokerError::Broker {
            code,
            name: error_name(code),
            message,
        }
    }

    /// The Kafka error code, if the broker answered with one.
    pub fn code(&self) -> Option<i16> {
        match self {
            BrokerError::Broker { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// Kafka's SCREAMING_SNAKE name for an error code ("UNKNOWN" for codes kafka-protocol lacks).
pub fn error_name(code: i16) -> &'static str {
    static NAMES: OnceLock<HashMap<i16, &'static str>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        // kafka-protocol only exposes CamelCase via Display; its variant names are Kafka's
        // Errors.java names, so converting once (and leaking ~140 short strings) is exact.
        (-1..=i16::from(u8::MAX))
            .filter_map(|c| match ResponseError::try_from_code(c) {
                Some(ResponseError::Unknown(_)) | None => None,
                Some(e) => Some((
                    c,
                    &*Box::leak(screaming_snake(&e.to_string()).into_boxed_str()),
                )),
            })
            .collect()
    });
    match code {
        0 => "NONE",
        _ => names.get(&code).copied().unwrap_or("UNKNOWN"),
    }
}

fn screaming_snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 8);
    for (i, ch) in camel.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_uppercase());
    }
    out
}

pub(crate) fn check(code: i16, message: Option<&StrBytes>) -> Result<(), BrokerError> {
    match code {
        0 => Ok(()),
        _ => Err(BrokerError::broker(code, message.map(|m| m.to_string()))),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicInfo {
    pub name: String,
    pub internal: bool,
    pub partitions: Vec<PartitionInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionInfo {
    pub id: i32,
    pub leader: i32,
    pub replicas: Vec<i32>,
    pub isr: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigEntry {
    pub name: String,
    pub value: Option<String>,
    pub read_only: bool,
    pub is_default: bool,
    pub sensitive: bool,
    /// Kafka's ConfigSource name, e.g. DYNAMIC_TOPIC_CONFIG, DEFAULT_CONFIG.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigOp {
    Set(String, String),
    Delete(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInfo {
    pub group_id: String,
    /// As the broker reports it, e.g. "Stable", "Empty".
    pub state: String,
    pub protocol_type: String,
    /// No group management (offsets committed directly), as Kafka's AdminClient defines it.
    pub is_simple: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProduceRecord {
    pub partition: Option<i32>,
    pub key: Option<Bytes>,
    pub value: Option<Bytes>,
    /// Duplicate names collapse to the last value (kafka-protocol keys headers by name).
    pub headers: Vec<(String, Option<Bytes>)>,
    pub timestamp_ms: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProduceResult {
    pub partition: i32,
    pub offset: i64,
    pub timestamp_ms: i64,
}

/// Client for one broker. Keeps a few idle connections; a connection that errors, times out or
/// was closed by the broker (restart) is dropped and the next call dials again.
pub struct BrokerClient {
    state: Mutex<Pool>,
    login: BrokerLogin,
}

struct Pool {
    broker: SocketAddr,
    idle: Vec<Conn>,
}

const MAX_IDLE: usize = 4;

impl BrokerClient {
    /// A client of `broker` that logs in as `login` on every connection.
    pub fn new(broker: SocketAddr, login: BrokerLogin) -> Self {
        BrokerClient {
            state: Mutex::new(Pool {
                broker,
                idle: Vec::new(),
            }),
            login,
        }
    }

    pub fn set_broker(&self, broker: SocketAddr) {
        let mut pool = self.pool();
        pool.broker = broker;
        pool.idle.clear();
    }

    pub fn broker(&self) -> SocketAddr {
        self.pool().broker
    }

    fn pool(&self) -> std::sync::MutexGuard<'_, Pool> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Sends any request at the highest version both sides support, capped at `max_version`;
    /// returns the version used (fields differ by version) and the response. Broker error codes
    /// inside the response are left to the caller. Not retried: it may not be idempotent.
    pub async fn call<R: Request + Clone>(
        &self,
        req: &R,
        max_version: i16,
    ) -> Result<(i16, R::Response), BrokerError> {
        self.send(max_version, false, |_| req.clone()).await
    }

    /// `build` gets the negotiated version so callers can fill version-specific fields.
    /// `idempotent` calls are retried once on a fresh connection if a pooled one fails fast
    /// (a broker restart leaves pooled connections dead); a timeout is not retried.
    pub(crate) async fn send<R: Request, F: Fn(i16) -> R>(
        &self,
        max_version: i16,
        idempotent: bool,
        build: F,
    ) -> Result<(i16, R::Response), BrokerError> {
        let (mut conn, pooled) = self.checkout().await?;
        let version = conn.version_for::<R>(max_version)?;
        match conn.exchange(&build(version), version).await {
            Ok(resp) => {
                self.checkin(conn);
                Ok((version, resp))
            }
            Err(BrokerError::Io(e))
                if pooled && idempotent && e.kind() != std::io::ErrorKind::TimedOut =>
            {
                log::debug!("kafka: pooled connection failed ({e}); retrying on a new one");
                let mut conn = Conn::open(conn.addr, &self.login).await?;
                let version = conn.version_for::<R>(max_version)?;
                let resp = conn.exchange(&build(version), version).await?;
                self.checkin(conn);
                Ok((version, resp))
            }
            Err(e) => Err(e),
        }
    }

    async fn checkout(&self) -> Result<(Conn, bool), BrokerError> {
        let addr = {
            let mut pool = self.pool();
            while let Some(conn) = pool.idle.pop() {
                if !conn.looks_closed() {
                    return Ok((conn, true));
                }
            }
            pool.broker
        };
        Ok((Conn::open(addr, &self.login).await?, false))
    }

    fn checkin(&self, conn: Conn) {
        let mut pool = self.pool();
        if conn.addr == pool.broker && pool.idle.len() < MAX_IDLE {
            pool.idle.push(conn);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_names_are_kafkas() {
        assert_eq!(error_name(36), "TOPIC_ALREADY_EXISTS");
        assert_eq!(error_name(3), "UNKNOWN_TOPIC_OR_PARTITION");
        assert_eq!(error_name(17), "INVALID_TOPIC_EXCEPTION");
        assert_eq!(error_name(37), "INVALID_PARTITIONS");
        assert_eq!(error_name(38), "INVALID_REPLICATION_FACTOR");
        assert_eq!(error_name(40), "INVALID_CONFIG");
        assert_eq!(error_name(44), "POLICY_VIOLATION");
        assert_eq!(error_name(10), "MESSAGE_TOO_LARGE");
        assert_eq!(error_name(6), "NOT_LEADER_OR_FOLLOWER");
        assert_eq!(error_name(-1), "UNKNOWN_SERVER_ERROR");
        assert_eq!(error_name(0), "NONE");
        assert_eq!(error_name(9999), "UNKNOWN");
    }

    #[test]
    fn futures_are_send() {
        // The REST layer runs these inside axum handlers, which need Send futures.
        fn send<T: Send>(_: T) {}
        let a = BrokerClient::new(
            SocketAddr::from(([127, 0, 0, 1], 1)),
            BrokerLogin::generate(),
        );
        send(a.ping());
        send(a.list_topics());
        send(a.topic("t"));
        send(a.create_topic("t", 1, 1, &[], false));
        send(a.delete_topic("t"));
        send(a.describe_topic_configs("t"));
        send(a.alter_topic_configs("t", &[], false));
        send(a.list_groups());
        send(a.produce("t", ProduceRecord::default()));
        send(a.call(&kafka_protocol::messages::ApiVersionsRequest::default(), 3));
        fn shared<T: Send + Sync>() {}
        shared::<BrokerClient>();
    }

    #[test]
    fn broker_error_display() {
        let e = BrokerError::broker(36, Some("t exists".into()));
        assert_eq!(e.to_string(), "TOPIC_ALREADY_EXISTS (36): t exists");
        assert_eq!(
            BrokerError::broker(3, None).to_string(),
            "UNKNOWN_TOPIC_OR_PARTITION (3)"
        );
        assert_eq!(e.code(), Some(36));
    }
}
