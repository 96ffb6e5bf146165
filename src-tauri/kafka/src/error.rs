//! One error type for the data plane: a stable kind the app maps to its codes, a message that
//! says what happened and what to do, and librdkafka's own words as detail. Never a secret.

use rdkafka::error::{KafkaError as RdError, RDKafkaErrorCode as Code};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input itself is wrong (empty topic, bad template, …).
    Invalid,
    TopicMissing,
    PartitionOutOfRange,
    /// The record is larger than the broker (or topic) accepts.
    TooLarge,
    /// The cluster refused the credentials.
    AuthFailed,
    /// No broker could be reached.
    Unreachable,
    /// Nothing came back in time.
    TimedOut,
    Cancelled,
    /// Any other error the broker or librdkafka reported.
    Broker,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct KafkaError {
    pub kind: ErrorKind,
    pub message: String,
    /// librdkafka's or the broker's own words.
    pub detail: Option<String>,
}

impl KafkaError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        KafkaError {
            kind,
            message: message.into(),
            detail: None,
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, message)
    }

    /// librdkafka's error code name for grouping bulk failures ("MessageTimedOut", …).
    pub fn cause(&self) -> &str {
        self.detail.as_deref().unwrap_or(&self.message)
    }
}

/// The kind and a plain-language message for a librdkafka error code.
pub fn classify(code: Code) -> (ErrorKind, &'static str) {
    use ErrorKind::*;
    match code {
        Code::UnknownTopicOrPartition | Code::UnknownTopic => {
            (TopicMissing, "The topic does not exist on this cluster. Create it under Topics first (Confluent Cloud never creates topics on first use).")
        }
        Code::UnknownPartition => (
            PartitionOutOfRange,
            "The topic has no such partition. Partitions are numbered from 0 to the topic's partition count minus one.",
        ),
        Code::MessageSizeTooLarge | Code::InvalidMessageSize | Code::InvalidRecord => (
            TooLarge,
            "The record is larger than the topic accepts (its max.message.bytes). Send a smaller record, or raise max.message.bytes on the topic.",
        ),
        Code::SaslAuthenticationFailed | Code::Authentication | Code::TopicAuthorizationFailed
        | Code::ClusterAuthorizationFailed => (
            AuthFailed,
            "The cluster refused the API key: it is wrong, deleted, or not a key of this cluster. Create a new key for this cluster under API keys.",
        ),
        Code::AllBrokersDown | Code::BrokerTransportFailure | Code::Resolve | Code::NetworkException | Code::SSL => (
            Unreachable,
            "No broker of this cluster could be reached. Check that the cluster is running and reachable from this computer.",
        ),
        Code::MessageTimedOut | Code::RequestTimedOut | Code::OperationTimedOut => (
            TimedOut,
            "The cluster did not confirm the record in time. It may be unreachable or overloaded; nothing was lost on Gureum's side, so you can send again.",
        ),
        Code::Fatal => (Broker, "The producer hit a fatal error and was closed; the next send starts a fresh one."),
        _ => (Broker, "The cluster refused the record."),
    }
}

impl From<RdError> for KafkaError {
    fn from(e: RdError) -> Self {
        let detail = e.to_string();
        match e.rdkafka_error_code() {
            Some(code) => {
                let (kind, message) = classify(code);
                KafkaError::new(kind, message).with_detail(detail)
            }
            None => {
                KafkaError::new(ErrorKind::Broker, "The Kafka client failed.").with_detail(detail)
            }
        }
    }
}
