//! One record sent through Kafka REST v3, answered as the data plane answers a send: where it
//! went, when, how long it took, and — for a keyed record on automatic — the partition the key
//! hashes to (murmur2, as Java clients and Gureum's producer do), so the two paths compare.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::config::KafkaRestAuth;
use crate::error::ApiError;
use crate::http::Client;
use crate::kafka_rest::{Payload, Record};
use crate::models::ProduceResult;

impl Record {
    /// A record as the Send form gives it: a text key, the value as JSON (`json` is Some) or as
    /// text.
    pub fn from_form(
        partition: Option<i32>,
        key: Option<&str>,
        value: &str,
        json: Option<Value>,
        headers: Vec<(String, Vec<u8>)>,
        timestamp_ms: Option<i64>,
    ) -> Record {
        Record {
            partition,
            key: key.map(|k| Payload::String(k.to_string())),
            value: Some(match json {
                Some(v) => Payload::Json(v),
                None => Payload::String(value.to_string()),
            }),
            headers,
            timestamp_ms,
        }
    }

    fn key_bytes(&self) -> Option<Vec<u8>> {
        match self.key.as_ref()? {
            Payload::String(s) => Some(s.as_bytes().to_vec()),
            Payload::Binary(b) => Some(b.clone()),
            Payload::Json(v) => Some(v.to_string().into_bytes()),
        }
    }
}

/// What Kafka REST said about a record it took.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub partition: i32,
    /// -1 when the answer carried none.
    pub offset: i64,
    pub timestamp_ms: Option<i64>,
    pub latency: Duration,
    /// The topic's partition count (0: it could not be read).
    pub partitions: i32,
    /// murmur2(key), for a keyed record on automatic.
    pub key_hash: Option<i32>,
    /// Where the key sends the record: (key_hash & 0x7fffffff) mod partitions.
    pub key_partition: Option<i32>,
}

impl Sent {
    fn of(answer: &ProduceResult, record: &Record, latency: Duration, partitions: i32) -> Sent {
        let key = record.key_bytes();
        let key_partition = match (&key, record.partition) {
            (Some(k), None) if partitions > 0 => {
                Some(gureum_partitioner::partition_for_key(k, partitions))
            }
            _ => None,
        };
        Sent {
            partition: answer.partition_id.unwrap_or(-1),
            offset: answer.offset.unwrap_or(-1),
            timestamp_ms: answer
                .timestamp
                .as_deref()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.timestamp_millis()),
            latency,
            partitions,
            key_hash: key_partition
                .and(key.as_deref())
                .map(gureum_partitioner::murmur2),
            key_partition,
        }
    }
}

impl Client {
    /// Produces `record` and describes where it went. The topic's partition count is read after
    /// the send (a failure to read it only leaves it 0); a failed send is the produce call's
    /// error, i.e. a 403 is a refused WRITE on the topic.
    pub async fn send_record(
        &self,
        auth: &KafkaRestAuth,
        topic: &str,
        record: &Record,
    ) -> Result<Sent, ApiError> {
        let started = Instant::now();
        let answer = self.produce(auth, topic, record).await?;
        let latency = started.elapsed();
        let partitions = self
            .get_topic(auth, topic)
            .await
            .ok()
            .and_then(|t| t.partitions_count)
            .unwrap_or(0);
        Ok(Sent::of(&answer, record, latency, partitions))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer() -> ProduceResult {
        ProduceResult {
            partition_id: Some(1),
            offset: Some(41),
            timestamp: Some("2026-01-02T03:04:05.678Z".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_keyed_record_on_automatic_says_where_its_key_goes() {
        let r = Record::from_form(None, Some("k"), "v", None, vec![], None);
        assert_eq!(r.value, Some(Payload::String("v".into())));
        let s = Sent::of(&answer(), &r, Duration::from_millis(3), 6);
        assert_eq!((s.partition, s.offset, s.partitions), (1, 41, 6));
        assert_eq!(s.timestamp_ms, Some(1_767_323_045_678));
        assert_eq!(s.key_hash, Some(gureum_partitioner::murmur2(b"k")));
        assert_eq!(
            s.key_partition,
            Some(gureum_partitioner::partition_for_key(b"k", 6))
        );
    }

    #[test]
    fn no_key_hint_for_an_explicit_partition_no_key_or_an_unknown_count() {
        let json = Record::from_form(
            Some(2),
            Some("k"),
            "{}",
            Some(serde_json::json!({"a": 1})),
            vec![],
            Some(5),
        );
        assert_eq!(json.value, Some(Payload::Json(serde_json::json!({"a": 1}))));
        assert_eq!(json.timestamp_ms, Some(5));
        let explicit = Sent::of(&answer(), &json, Duration::ZERO, 6);
        assert_eq!((explicit.key_hash, explicit.key_partition), (None, None));
        let keyless = Record::from_form(None, None, "v", None, vec![], None);
        assert_eq!(
            Sent::of(&answer(), &keyless, Duration::ZERO, 6).key_partition,
            None
        );
        let keyed = Record::from_form(None, Some("k"), "v", None, vec![], None);
        let unknown = Sent::of(&ProduceResult::default(), &keyed, Duration::ZERO, 0);
        assert_eq!(
            (
                unknown.partition,
                unknown.offset,
                unknown.key_partition,
                unknown.timestamp_ms
            ),
            (-1, -1, None, None)
        );
    }
}
