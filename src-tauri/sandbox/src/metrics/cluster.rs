//! One cluster's series, fed by its front doors (the [`Meter`] hook: connections, requests,
//! record data) and by the sampler (gauges read from the brokers' storage).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;

use kafka_protocol::messages::ApiKey;
use serde::{Deserialize, Serialize};

use super::catalog::Metric;
use super::series::{Counter, Gauge};
use crate::front_door::{ConnectionInfo, Meter, PartitionRecords, TopicRef};

/// The per-partition series.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PartitionSeries {
    pub received_bytes: Counter,
    pub sent_bytes: Counter,
    pub received_records: Counter,
    pub sent_records: Counter,
    pub retained_bytes: Gauge,
}

/// Everything metered for one cluster; what is saved between runs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Series {
    /// topic → partition → series.
    pub partitions: BTreeMap<String, BTreeMap<i32, PartitionSeries>>,
    /// Kafka request name (Produce, Fetch, …) → count.
    pub requests: BTreeMap<String, Counter>,
    pub authentications: Counter,
    pub active_connections: Gauge,
    pub partition_count: Gauge,
}

/// A series of one metric with its labels (`metric.<label>` without the prefix).
pub enum SeriesRef<'a> {
    Counter(&'a Counter),
    Gauge(&'a Gauge),
}

impl Series {
    /// Every series of `metric`, with its labels.
    pub fn of(&self, metric: Metric) -> Vec<(Vec<(&'static str, String)>, SeriesRef<'_>)> {
        use Metric::*;
        let per_partition = |pick: fn(&PartitionSeries) -> SeriesRef<'_>| {
            self.partitions
                .iter()
                .flat_map(move |(topic, parts)| {
                    parts.iter().map(move |(p, s)| {
                        (
                            vec![("topic", topic.clone()), ("partition", p.to_string())],
                            pick(s),
                        )
                    })
                })
                .collect::<Vec<_>>()
        };
        match metric {
            ReceivedBytes => per_partition(|s| SeriesRef::Counter(&s.received_bytes)),
            SentBytes => per_partition(|s| SeriesRef::Counter(&s.sent_bytes)),
            ReceivedRecords => per_partition(|s| SeriesRef::Counter(&s.received_records)),
            SentRecords => per_partition(|s| SeriesRef::Counter(&s.sent_records)),
            RetainedBytes => per_partition(|s| SeriesRef::Gauge(&s.retained_bytes)),
            RequestCount => self
                .requests
                .iter()
                .map(|(t, c)| (vec![("type", t.clone())], SeriesRef::Counter(c)))
                .collect(),
            ActiveConnectionCount => vec![(vec![], SeriesRef::Gauge(&self.active_connections))],
            PartitionCount => vec![(vec![], SeriesRef::Gauge(&self.partition_count))],
            SuccessfulAuthenticationCount => {
                vec![(vec![], SeriesRef::Counter(&self.authentications))]
            }
        }
    }

    fn partition(&mut self, topic: &str, partition: i32) -> &mut PartitionSeries {
        // Look up by &str first: the hot path must not allocate per request.
        if !self.partitions.contains_key(topic) {
            self.partitions.insert(topic.to_string(), BTreeMap::new());
        }
        self.partitions
            .get_mut(topic)
            .expect("just inserted")
            .entry(partition)
            .or_default()
    }

    pub fn prune(&mut self, now: i64) {
        for parts in self.partitions.values_mut() {
            for s in parts.values_mut() {
                for c in [
                    &mut s.received_bytes,
                    &mut s.sent_bytes,
                    &mut s.received_records,
                    &mut s.sent_records,
                ] {
                    c.prune(now);
                }
                s.retained_bytes.prune(now);
            }
            parts.retain(|_, s| {
                !(s.received_bytes.is_empty()
                    && s.sent_bytes.is_empty()
                    && s.received_records.is_empty()
                    && s.sent_records.is_empty()
                    && s.retained_bytes.is_empty())
            });
        }
        self.partitions.retain(|_, parts| !parts.is_empty());
        for c in self.requests.values_mut() {
            c.prune(now);
        }
        self.requests.retain(|_, c| !c.is_empty());
        self.authentications.prune(now);
        self.active_connections.prune(now);
        self.partition_count.prune(now);
    }

    /// Marks every gauge absent from `t` on: the cluster stopped, or was deleted.
    pub fn absent_from(&mut self, t: i64) {
        self.active_connections.sample(t, None);
        self.partition_count.sample(t, None);
        for s in self.partitions.values_mut().flat_map(|p| p.values_mut()) {
            s.retained_bytes.sample(t, None);
        }
    }
}

/// A cluster's metering: the [`Meter`] its front doors report to.
pub struct ClusterMetrics {
    pub cluster_id: String,
    series: Mutex<Series>,
    /// Authenticated connections open now.
    connections: AtomicI64,
    /// Topic ids learnt from Metadata answers and the brokers' storage.
    topic_names: Mutex<HashMap<u128, String>>,
}

/// Unix seconds now.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Kafka's name for a request ("Produce", "Fetch", …), as `request_count`'s `type` label.
fn request_name(api_key: i16) -> String {
    match ApiKey::try_from(api_key) {
        Ok(k) => format!("{k:?}"),
        Err(_) => format!("Unknown{api_key}"),
    }
}

impl ClusterMetrics {
    pub fn new(cluster_id: &str, series: Series) -> Self {
        ClusterMetrics {
            cluster_id: cluster_id.to_string(),
            series: Mutex::new(series),
            connections: AtomicI64::new(0),
            topic_names: Mutex::default(),
        }
    }

    /// Runs `f` over the series under their lock (keep it short: front doors wait on it).
    pub fn with<R>(&self, f: impl FnOnce(&mut Series) -> R) -> R {
        f(&mut self.series.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub fn open_connections(&self) -> i64 {
        self.connections.load(Ordering::Relaxed)
    }

    pub fn learn_topic_ids(&self, ids: impl IntoIterator<Item = (u128, String)>) {
        self.topic_names
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(ids);
    }

    fn topic_name(&self, topic: &TopicRef) -> Option<String> {
        match topic {
            TopicRef::Name(n) => Some(n.clone()),
            TopicRef::Id(id) => self
                .topic_names
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(id)
                .cloned(),
        }
    }

    /// A record produced through Kafka REST v3: the customer's data (key, value, headers)
    /// received, as Confluent counts REST produce in `received_*`.
    pub fn rest_produced(&self, topic: &str, partition: i32, bytes: u64) {
        self.record(
            &[PartitionRecords {
                topic: TopicRef::Name(topic.to_string()),
                partition,
                bytes,
                records: 1,
            }],
            true,
        );
    }

    fn record(&self, parts: &[PartitionRecords], inbound: bool) {
        let t = now();
        let named: Vec<_> = parts
            .iter()
            .filter_map(|p| match self.topic_name(&p.topic) {
                Some(name) => Some((name, p)),
                None => {
                    log::debug!(
                        "cluster {}: data of an unknown topic id not metered",
                        self.cluster_id
                    );
                    None
                }
            })
            .collect();
        self.with(|s| {
            for (topic, p) in named {
                let series = s.partition(&topic, p.partition);
                let (bytes, records) = if inbound {
                    (&mut series.received_bytes, &mut series.received_records)
                } else {
                    (&mut series.sent_bytes, &mut series.sent_records)
                };
                bytes.add(t, p.bytes as f64);
                records.add(t, p.records as f64);
            }
        });
    }
}

impl Meter for ClusterMetrics {
    fn authenticated(&self, _conn: &ConnectionInfo, _username: &str) {
        self.connections.fetch_add(1, Ordering::Relaxed);
        let t = now();
        self.with(|s| s.authentications.add(t, 1.0));
    }

    fn session_closed(&self, _conn: &ConnectionInfo) {
        self.connections.fetch_sub(1, Ordering::Relaxed);
    }

    fn request(&self, _conn: &ConnectionInfo, api_key: i16, _bytes: u64) {
        let t = now();
        self.with(|s| {
            let name = request_name(api_key);
            s.requests.entry(name).or_default().add(t, 1.0);
        });
    }

    fn wants_records(&self) -> bool {
        true
    }

    fn produced(&self, _conn: &ConnectionInfo, parts: &[PartitionRecords]) {
        self.record(parts, true);
    }

    fn fetched(&self, _conn: &ConnectionInfo, parts: &[PartitionRecords]) {
        self.record(parts, false);
    }

    fn topic_ids(&self, ids: &[(u128, String)]) {
        self.learn_topic_ids(ids.iter().cloned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> ConnectionInfo {
        ConnectionInfo {
            id: 1,
            peer: "127.0.0.1:1".parse().unwrap(),
        }
    }

    #[test]
    fn record_data_lands_per_partition_by_name_or_id() {
        let m = ClusterMetrics::new("lkc-1", Series::default());
        m.topic_ids(&[(7, "by-id".into())]);
        m.produced(
            &conn(),
            &[
                PartitionRecords {
                    topic: TopicRef::Name("orders".into()),
                    partition: 1,
                    bytes: 1000,
                    records: 10,
                },
                PartitionRecords {
                    topic: TopicRef::Id(7),
                    partition: 0,
                    bytes: 5,
                    records: 1,
                },
                PartitionRecords {
                    topic: TopicRef::Id(99), // unknown id: not metered
                    partition: 0,
                    bytes: 5,
                    records: 1,
                },
            ],
        );
        m.fetched(
            &conn(),
            &[PartitionRecords {
                topic: TopicRef::Name("orders".into()),
                partition: 1,
                bytes: 400,
                records: 4,
            }],
        );
        let t = now();
        m.with(|s| {
            let o = &s.partitions["orders"][&1];
            assert_eq!(o.received_bytes.sum(t - 120, t + 60), Some(1000.0));
            assert_eq!(o.received_records.sum(t - 120, t + 60), Some(10.0));
            assert_eq!(o.sent_bytes.sum(t - 120, t + 60), Some(400.0));
            assert_eq!(o.sent_records.sum(t - 120, t + 60), Some(4.0));
            assert_eq!(
                s.partitions["by-id"][&0]
                    .received_records
                    .sum(t - 120, t + 60),
                Some(1.0)
            );
            assert_eq!(s.partitions.len(), 2);
        });
    }

    #[test]
    fn connections_and_requests_are_counted() {
        let m = ClusterMetrics::new("lkc-1", Series::default());
        m.authenticated(&conn(), "KEY");
        m.authenticated(&conn(), "KEY");
        m.session_closed(&conn());
        assert_eq!(m.open_connections(), 1);
        m.request(&conn(), 0, 100);
        m.request(&conn(), 0, 100);
        m.request(&conn(), 3, 10);
        let t = now();
        m.with(|s| {
            assert_eq!(s.requests["Produce"].sum(t - 120, t + 60), Some(2.0));
            assert_eq!(s.requests["Metadata"].sum(t - 120, t + 60), Some(1.0));
            assert_eq!(s.authentications.sum(t - 120, t + 60), Some(2.0));
            let series = s.of(Metric::RequestCount);
            assert_eq!(series.len(), 2);
        });
    }
}
