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
    /// The credentials are good, but the key's owner may not do this (no ACL allows it);
    /// [`KafkaError::denied`] says which operation on which resource.
    NotAuthorized,
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
    /// For [`ErrorKind::NotAuthorized`]: what was refused, as ACLs name it (boxed: errors stay
    /// small).
    pub denied: Option<Box<Denied>>,
}

/// An operation on a resource that the key's owner was refused, in ACL terms (`WRITE` on
/// `TOPIC` "orders", `READ` on `GROUP` "app", `IDEMPOTENT_WRITE` on `CLUSTER` "kafka-cluster").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied {
    pub operation: String,
    pub resource_type: String,
    pub resource_name: String,
    /// The topic the refused client was using.
    pub topic: Option<String>,
    /// The consumer group it used, if any (a Consumer preset needs one).
    pub group: Option<String>,
}

impl Denied {
    pub fn new(operation: &str, resource_type: &str, resource_name: &str) -> Denied {
        Denied {
            operation: operation.into(),
            resource_type: resource_type.into(),
            resource_name: resource_name.into(),
            topic: None,
            group: None,
        }
    }

    /// One sentence: who may not do what.
    pub fn sentence(&self) -> String {
        let what = match self.resource_type.as_str() {
            "TOPIC" => format!("topic “{}”", self.resource_name),
            "GROUP" => format!("consumer group “{}”", self.resource_name),
            "CLUSTER" => "the cluster".to_string(),
            "TRANSACTIONAL_ID" => format!("transactional id “{}”", self.resource_name),
            other => format!("{other} “{}”", self.resource_name),
        };
        format!(
            "Not authorized: the API key's owner may not {} {what}. Its ACLs don't allow it; add the ACLs it needs (a preset) under API keys → ACLs.",
            self.operation
        )
    }
}

/// What a client was doing when it was refused: names the operation and resource a refusal
/// code (topic, group, cluster) stands for.
#[derive(Debug, Clone, Copy)]
pub struct Access<'a> {
    pub topic: &'a str,
    /// What the topic was wanted for: WRITE to send, READ to read.
    pub topic_op: &'static str,
    pub group: Option<&'a str>,
    /// What the cluster was wanted for (IDEMPOTENT_WRITE for an idempotent producer).
    pub cluster_op: &'static str,
}

impl<'a> Access<'a> {
    pub fn produce(topic: &'a str) -> Access<'a> {
        Access {
            topic,
            topic_op: "WRITE",
            group: None,
            cluster_op: "IDEMPOTENT_WRITE",
        }
    }

    pub fn read(topic: &'a str, group: Option<&'a str>) -> Access<'a> {
        Access {
            topic,
            topic_op: "READ",
            group,
            cluster_op: "DESCRIBE",
        }
    }
}

impl KafkaError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        KafkaError {
            kind,
            message: message.into(),
            detail: None,
            denied: None,
        }
    }

    /// A refusal of `denied`, said in one sentence.
    pub fn not_authorized(denied: Denied) -> Self {
        KafkaError {
            kind: ErrorKind::NotAuthorized,
            message: denied.sentence(),
            detail: None,
            denied: Some(Box::new(denied)),
        }
    }

    /// Names what an authorization refusal refused, from what the client was doing (librdkafka
    /// says only "topic", "group" or "cluster authorization failed"). Other errors pass as they are.
    pub fn doing(self, access: Access<'_>) -> Self {
        if self.kind != ErrorKind::NotAuthorized {
            return self;
        }
        let kind = self
            .denied
            .as_ref()
            .map(|d| d.resource_type.clone())
            .unwrap_or_else(|| "TOPIC".into());
        let mut denied = match kind.as_str() {
            "GROUP" => Denied::new("READ", "GROUP", access.group.unwrap_or_default()),
            "CLUSTER" => Denied::new(access.cluster_op, "CLUSTER", "kafka-cluster"),
            "TRANSACTIONAL_ID" => {
                let name = self
                    .denied
                    .as_ref()
                    .map(|d| d.resource_name.clone())
                    .unwrap_or_default();
                Denied::new("WRITE", "TRANSACTIONAL_ID", &name)
            }
            _ => Denied::new(access.topic_op, "TOPIC", access.topic),
        };
        denied.group = access.group.map(str::to_string);
        denied.topic = Some(access.topic.to_string()).filter(|t| !t.is_empty());
        KafkaError {
            detail: self.detail,
            ..KafkaError::not_authorized(denied)
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

impl KafkaError {
    /// The error a librdkafka code stands for; an authorization refusal knows which kind of
    /// resource was refused ([`KafkaError::doing`] names the rest).
    pub fn from_code(code: Code) -> KafkaError {
        let (kind, message) = classify(code);
        let mut e = KafkaError::new(kind, message);
        let resource = match code {
            Code::GroupAuthorizationFailed => Some("GROUP"),
            Code::ClusterAuthorizationFailed => Some("CLUSTER"),
            Code::TransactionalIdAuthorizationFailed => Some("TRANSACTIONAL_ID"),
            Code::TopicAuthorizationFailed => Some("TOPIC"),
            _ => None,
        };
        e.denied = resource.map(|r| Box::new(Denied::new("", r, "")));
        e
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
        Code::SaslAuthenticationFailed | Code::Authentication => (
            AuthFailed,
            "The cluster refused the API key: it is wrong, deleted, or not a key of this cluster. Create a new key for this cluster under API keys.",
        ),
        Code::TopicAuthorizationFailed
        | Code::GroupAuthorizationFailed
        | Code::ClusterAuthorizationFailed
        | Code::TransactionalIdAuthorizationFailed => (
            NotAuthorized,
            "Not authorized: the cluster accepted the API key, but its owner's ACLs don't allow this.",
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
            Some(code) => KafkaError::from_code(code).with_detail(detail),
            None => {
                KafkaError::new(ErrorKind::Broker, "The Kafka client failed.").with_detail(detail)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_name_the_operation_and_resource_from_what_the_client_did() {
        let e = KafkaError::from_code(Code::TopicAuthorizationFailed)
            .with_detail("Broker: Topic authorization failed");
        assert_eq!(e.kind, ErrorKind::NotAuthorized);
        let e = e.doing(Access::produce("orders"));
        let d = e.denied.clone().unwrap();
        assert_eq!(
            (
                d.operation.as_str(),
                d.resource_type.as_str(),
                d.resource_name.as_str()
            ),
            ("WRITE", "TOPIC", "orders")
        );
        assert_eq!(d.topic.as_deref(), Some("orders"));
        assert!(
            e.message.contains("may not WRITE topic “orders”"),
            "{}",
            e.message
        );
        assert_eq!(
            e.detail.as_deref(),
            Some("Broker: Topic authorization failed")
        );
        let g = KafkaError::from_code(Code::GroupAuthorizationFailed)
            .doing(Access::read("orders", Some("app")));
        let d = g.denied.unwrap();
        assert_eq!(
            (
                d.operation.as_str(),
                d.resource_type.as_str(),
                d.resource_name.as_str()
            ),
            ("READ", "GROUP", "app")
        );
        assert_eq!(d.group.as_deref(), Some("app"));
        let c = KafkaError::from_code(Code::ClusterAuthorizationFailed)
            .doing(Access::produce("orders"));
        let d = c.denied.unwrap();
        assert_eq!(
            (
                d.operation.as_str(),
                d.resource_name.as_str(),
                d.topic.as_deref()
            ),
            ("IDEMPOTENT_WRITE", "kafka-cluster", Some("orders"))
        );
        // A refused login is not an authorization refusal, and passes unchanged.
        let a =
            KafkaError::from_code(Code::SaslAuthenticationFailed).doing(Access::produce("orders"));
        assert_eq!((a.kind, a.denied), (ErrorKind::AuthFailed, None));
    }
}
