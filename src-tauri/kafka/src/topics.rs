//! Topic names and partition counts from the cluster's own metadata: what a Kafka connection
//! (no REST API) lists, and what sends check against.

use std::time::Duration;

use rdkafka::consumer::{BaseConsumer, Consumer};

use crate::error::{ErrorKind, KafkaError};
use crate::settings::ClientSettings;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicInfo {
    pub name: String,
    pub partitions: i32,
}

/// Every topic but Kafka's internal ones (`__consumer_offsets`, …), by name. Blocking.
pub fn list(settings: &ClientSettings) -> Result<Vec<TopicInfo>, KafkaError> {
    let c: BaseConsumer = settings
        .client_config()
        .set("socket.connection.setup.timeout.ms", "10000")
        .create()
        .map_err(KafkaError::from)?;
    let md = c.fetch_metadata(None, Duration::from_secs(10)).map_err(|e| {
        let e = KafkaError::from(e);
        if e.kind == ErrorKind::TimedOut {
            KafkaError::new(ErrorKind::Unreachable, "No broker answered within 10 s. Check the bootstrap servers, the security settings and that the cluster is running.").with_detail(e.cause().to_string())
        } else {
            e
        }
    })?;
    let mut topics: Vec<TopicInfo> = md
        .topics()
        .iter()
        .filter(|t| !t.name().starts_with("__") && t.error().is_none())
        .map(|t| TopicInfo {
            name: t.name().to_string(),
            partitions: t.partitions().len() as i32,
        })
        .collect();
    topics.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(topics)
}
