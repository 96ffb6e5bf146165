//! The metrics the sandbox meters: Confluent's names, kinds, units and labels
//! (docs/confluent-cloud-api.md#metrics-api-v2), each described by where the sandbox measures it.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    ReceivedBytes,
    SentBytes,
    ReceivedRecords,
    SentRecords,
    RetainedBytes,
    ActiveConnectionCount,
    RequestCount,
    PartitionCount,
    SuccessfulAuthenticationCount,
}

/// Counters are summed over time; gauges averaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Counter,
    Gauge,
}

pub const PREFIX: &str = "io.confluent.kafka.server/";

pub struct Descriptor {
    pub metric: Metric,
    pub name: &'static str,
    pub kind: Kind,
    pub unit: &'static str,
    pub labels: &'static [(&'static str, &'static str)],
    pub description: &'static str,
}

const TOPIC_LABELS: &[(&str, &str)] = &[
    ("topic", "The name of the Kafka topic."),
    ("partition", "The partition number."),
];

pub const CATALOG: &[Descriptor] = &[
    Descriptor {
        metric: Metric::ReceivedBytes,
        name: "received_bytes",
        kind: Kind::Counter,
        unit: "By",
        labels: TOPIC_LABELS,
        description: "The delta count of bytes of the customer's data received from the network: the record batches of Produce requests, counted at the cluster's front door. Each sample is the number of bytes received since the previous one.",
    },
    Descriptor {
        metric: Metric::SentBytes,
        name: "sent_bytes",
        kind: Kind::Counter,
        unit: "By",
        labels: TOPIC_LABELS,
        description: "The delta count of bytes of the customer's data sent over the network: the record batches of Fetch responses, counted at the cluster's front door. Each sample is the number of bytes sent since the previous one.",
    },
    Descriptor {
        metric: Metric::ReceivedRecords,
        name: "received_records",
        kind: Kind::Counter,
        unit: "1",
        labels: TOPIC_LABELS,
        description: "The delta count of records received: the records in the batches of Produce requests. Each sample is the number of records received since the previous one.",
    },
    Descriptor {
        metric: Metric::SentRecords,
        name: "sent_records",
        kind: Kind::Counter,
        unit: "1",
        labels: TOPIC_LABELS,
        description: "The delta count of records sent: the records in the batches of Fetch responses. Each sample is the number of records sent since the previous one.",
    },
    Descriptor {
        metric: Metric::RetainedBytes,
        name: "retained_bytes",
        kind: Kind::Gauge,
        unit: "By",
        labels: TOPIC_LABELS,
        description: "The current count of bytes retained by the cluster: the bytes of the keys and values the brokers' storage holds (the measure retention.bytes applies to), sampled every 10 seconds.",
    },
    Descriptor {
        metric: Metric::ActiveConnectionCount,
        name: "active_connection_count",
        kind: Kind::Gauge,
        unit: "1",
        labels: &[],
        description: "The count of active authenticated connections, sampled every 10 seconds.",
    },
    Descriptor {
        metric: Metric::RequestCount,
        name: "request_count",
        kind: Kind::Counter,
        unit: "1",
        labels: &[("type", "The type of the request (Kafka's API name, e.g. Produce, Fetch, Metadata).")],
        description: "The delta count of requests received over the network, after authentication. Each sample is the number of requests received since the previous one.",
    },
    Descriptor {
        metric: Metric::PartitionCount,
        name: "partition_count",
        kind: Kind::Gauge,
        unit: "1",
        labels: &[],
        description: "The number of partitions, sampled every 10 seconds.",
    },
    Descriptor {
        metric: Metric::SuccessfulAuthenticationCount,
        name: "successful_authentication_count",
        kind: Kind::Counter,
        unit: "1",
        labels: &[],
        description: "The delta count of successful authentications. Each sample is the number of successful authentications since the previous one.",
    },
];

impl Metric {
    pub fn descriptor(self) -> &'static Descriptor {
        CATALOG
            .iter()
            .find(|d| d.metric == self)
            .expect("every metric is in the catalog")
    }

    /// `io.confluent.kafka.server/received_bytes` → ReceivedBytes.
    pub fn from_name(full: &str) -> Option<Metric> {
        let short = full.strip_prefix(PREFIX)?;
        CATALOG.iter().find(|d| d.name == short).map(|d| d.metric)
    }

    /// Whether `metric.<label>` exists for this metric.
    pub fn has_label(self, label: &str) -> bool {
        self.descriptor().labels.iter().any(|(k, _)| *k == label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_both_ways() {
        for d in CATALOG {
            let full = format!("{PREFIX}{}", d.name);
            assert_eq!(Metric::from_name(&full), Some(d.metric));
            assert_eq!(d.metric.descriptor().name, d.name);
        }
        assert_eq!(Metric::from_name("io.confluent.kafka.server/nope"), None);
        assert_eq!(Metric::from_name("received_bytes"), None);
        assert!(Metric::ReceivedBytes.has_label("topic"));
        assert!(!Metric::ActiveConnectionCount.has_label("topic"));
    }
}
