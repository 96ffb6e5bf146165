//! The admin and produce calls. Version caps stop below versions that switch topics from names
//! to ids (Metadata 13 errors, Produce 13, DeleteTopics keeps names at 6).

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::BytesMut;
use kafka_protocol::indexmap::IndexMap;
use kafka_protocol::messages::create_topics_request::{CreatableTopic, CreatableTopicConfig};
use kafka_protocol::messages::delete_topics_request::DeleteTopicState;
use kafka_protocol::messages::describe_configs_request::DescribeConfigsResource;
use kafka_protocol::messages::incremental_alter_configs_request::{
    AlterConfigsResource, AlterableConfig,
};
use kafka_protocol::messages::metadata_request::MetadataRequestTopic;
use kafka_protocol::messages::metadata_response::MetadataResponseTopic;
use kafka_protocol::messages::produce_request::{PartitionProduceData, TopicProduceData};
use kafka_protocol::messages::{
    ApiVersionsRequest, CreateTopicsRequest, DeleteTopicsRequest, DescribeConfigsRequest,
    DescribeGroupsRequest, GroupId, IncrementalAlterConfigsRequest, ListGroupsRequest,
    MetadataRequest, ProduceRequest, TopicName,
};
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::records::{
    Compression, Record, RecordBatchEncoder, RecordEncodeOptions, TimestampType,
    NO_PARTITION_LEADER_EPOCH, NO_PRODUCER_EPOCH, NO_PRODUCER_ID, NO_SEQUENCE,
};
use rand::Rng;

use super::{
    check, partition_for_key, BrokerClient, BrokerError, ConfigEntry, ConfigOp, GroupInfo,
    PartitionInfo, ProduceRecord, ProduceResult, TopicInfo,
};

const RESOURCE_TOPIC: i8 = 2;
const UNKNOWN_TOPIC_OR_PARTITION: i16 = 3;
/// Broker-side timeout for CreateTopics/DeleteTopics/Produce: under our 10 s request timeout so
/// the broker's own answer wins.
const BROKER_TIMEOUT_MS: i32 = 8_000;

fn sb(s: &str) -> StrBytes {
    StrBytes::from_string(s.to_owned())
}

fn topic_name(s: &str) -> TopicName {
    TopicName(sb(s))
}

impl BrokerClient {
    /// ApiVersions round trip; used to wait until a broker is up.
    pub async fn ping(&self) -> Result<(), BrokerError> {
        let (_, resp) = self
            .send(3, true, |_| ApiVersionsRequest::default())
            .await?;
        check(resp.error_code, None)
    }

    pub async fn list_topics(&self) -> Result<Vec<TopicInfo>, BrokerError> {
        let mut topics: Vec<TopicInfo> = self
            .metadata(None)
            .await?
            .iter()
            .filter_map(topic_info)
            .collect();
        topics.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(topics)
    }

    /// `None` when the broker says UNKNOWN_TOPIC_OR_PARTITION; other topic errors are returned.
    pub async fn topic(&self, name: &str) -> Result<Option<TopicInfo>, BrokerError> {
        let topics = self.metadata(Some(name)).await?;
        let Some(t) = topics
            .iter()
            .find(|t| t.name.as_deref().map(|n| n.as_str()) == Some(name))
        else {
            return Ok(None);
        };
        match t.error_code {
            0 => Ok(topic_info(t)),
            UNKNOWN_TOPIC_OR_PARTITION => Ok(None),
            code => Err(BrokerError::broker(code, None)),
        }
    }

    async fn metadata(
        &self,
        name: Option<&str>,
    ) -> Result<Vec<MetadataResponseTopic>, BrokerError> {
        let topics =
            name.map(|n| vec![MetadataRequestTopic::default().with_name(Some(topic_name(n)))]);
        let (_, resp) = self
            .send(12, true, |_| {
                MetadataRequest::default()
                    .with_topics(topics.clone())
                    .with_allow_auto_topic_creation(false)
            })
            .await?;
        Ok(resp.topics)
    }

    pub async fn create_topic(
        &self,
        name: &str,
        partitions: i32,
        replication_factor: i16,
        configs: &[(String, String)],
        validate_only: bool,
    ) -> Result<(), BrokerError> {
        let topic = CreatableTopic::default()
            .with_name(topic_name(name))
            .with_num_partitions(partitions)
            .with_replication_factor(replication_factor)
            .with_configs(
                configs
                    .iter()
                    .map(|(k, v)| {
                        CreatableTopicConfig::default()
                            .with_name(sb(k))
                            .with_value(Some(sb(v)))
                    })
                    .collect(),
            );
        let (_, resp) = self
            .send(7, false, |_| {
                CreateTopicsRequest::default()
                    .with_topics(vec![topic.clone()])
                    .with_timeout_ms(BROKER_TIMEOUT_MS)
                    .with_validate_only(validate_only)
            })
            .await?;
        let r = resp
            .topics
            .iter()
            .find(|t| t.name.as_str() == name)
            .ok_or_else(|| {
                BrokerError::Protocol(format!("CreateTopics: no result for {name:?}"))
            })?;
        check(r.error_code, r.error_message.as_ref())
    }

    pub async fn delete_topic(&self, name: &str) -> Result<(), BrokerError> {
        let (_, resp) = self
            .send(6, false, |v| {
                let req = DeleteTopicsRequest::default().with_timeout_ms(BROKER_TIMEOUT_MS);
                if v >= 6 {
                    req.with_topics(vec![
                        DeleteTopicState::default().with_name(Some(topic_name(name)))
                    ])
                } else {
                    req.with_topic_names(vec![topic_name(name)])
                }
            })
            .await?;
        let r = resp
            .responses
            .iter()
            .find(|t| t.name.as_deref().map(|n| n.as_str()) == Some(name))
            .or(resp.responses.first())
            .ok_or_else(|| {
                BrokerError::Protocol(format!("DeleteTopics: no result for {name:?}"))
            })?;
        check(r.error_code, r.error_message.as_ref())
    }

    pub async fn describe_topic_configs(
        &self,
        name: &str,
    ) -> Result<Vec<ConfigEntry>, BrokerError> {
        self.describe_many_topic_configs(&[name])
            .await?
            .pop()
            .ok_or_else(|| {
                BrokerError::Protocol(format!("DescribeConfigs: no result for {name:?}"))
            })?
            .1
    }

    /// One DescribeConfigs for many topics (the cluster-wide `topics/-/configs` view), in the
    /// order asked; each topic has its own result.
    #[allow(clippy::type_complexity)]
    pub async fn describe_many_topic_configs(
        &self,
        names: &[&str],
    ) -> Result<Vec<(String, Result<Vec<ConfigEntry>, BrokerError>)>, BrokerError> {
        let (_, resp) = self
            .send(4, true, |_| {
                DescribeConfigsRequest::default().with_resources(
                    names
                        .iter()
                        .map(|name| {
                            DescribeConfigsResource::default()
                                .with_resource_type(RESOURCE_TOPIC)
                                .with_resource_name(sb(name))
                                .with_configuration_keys(None)
                        })
                        .collect(),
                )
            })
            .await?;
        let mut by_name: HashMap<String, _> = resp
            .results
            .into_iter()
            .map(|r| (r.resource_name.to_string(), r))
            .collect();
        Ok(names
            .iter()
            .map(|name| {
                let result = match by_name.remove(*name) {
                    None => Err(BrokerError::Protocol(format!(
                        "DescribeConfigs: no result for {name:?}"
                    ))),
                    Some(r) => check(r.error_code, r.error_message.as_ref()).map(|()| {
                        r.configs
                            .into_iter()
                            .map(|c| ConfigEntry {
                                name: c.name.to_string(),
                                value: c.value.map(|v| v.to_string()),
                                read_only: c.read_only,
                                is_default: c.config_source == 5,
                                sensitive: c.is_sensitive,
                                source: config_source_name(c.config_source).to_owned(),
                            })
                            .collect()
                    }),
                };
                (name.to_string(), result)
            })
            .collect())
    }

    /// IncrementalAlterConfigs (nisshi has no legacy AlterConfigs).
    pub async fn alter_topic_configs(
        &self,
        name: &str,
        ops: &[ConfigOp],
        validate_only: bool,
    ) -> Result<(), BrokerError> {
        let configs: Vec<AlterableConfig> = ops
            .iter()
            .map(|op| match op {
                ConfigOp::Set(k, v) => AlterableConfig::default()
                    .with_name(sb(k))
                    .with_config_operation(0)
                    .with_value(Some(sb(v))),
                ConfigOp::Delete(k) => AlterableConfig::default()
                    .with_name(sb(k))
                    .with_config_operation(1),
            })
            .collect();
        let (_, resp) = self
            .send(1, false, |_| {
                IncrementalAlterConfigsRequest::default()
                    .with_resources(vec![AlterConfigsResource::default()
                        .with_resource_type(RESOURCE_TOPIC)
                        .with_resource_name(sb(name))
                        .with_configs(configs.clone())])
                    .with_validate_only(validate_only)
            })
            .await?;
        let r = resp.responses.first().ok_or_else(|| {
            BrokerError::Protocol(format!("IncrementalAlterConfigs: no result for {name:?}"))
        })?;
        check(r.error_code, r.error_message.as_ref())
    }

    /// ListGroups, then DescribeGroups for state and protocol type: nisshi's ListGroups reports
    /// "consumer" even for simple (commit-only) groups, its DescribeGroups reports "".
    pub async fn list_groups(&self) -> Result<Vec<GroupInfo>, BrokerError> {
        let (_, listed) = self.send(5, true, |_| ListGroupsRequest::default()).await?;
        check(listed.error_code, None)?;
        let mut groups: Vec<GroupInfo> = listed
            .groups
            .iter()
            .map(|g| GroupInfo {
                group_id: g.group_id.to_string(),
                state: g.group_state.to_string(),
                protocol_type: g.protocol_type.to_string(),
                is_simple: g.protocol_type.is_empty(),
            })
            .collect();
        if groups.is_empty() {
            return Ok(groups);
        }
        let ids: Vec<GroupId> = listed.groups.into_iter().map(|g| g.group_id).collect();
        let (_, described) = self
            .send(5, true, |_| {
                DescribeGroupsRequest::default().with_groups(ids.clone())
            })
            .await?;
        for d in described.groups.iter().filter(|d| d.error_code == 0) {
            if let Some(g) = groups
                .iter_mut()
                .find(|g| g.group_id == d.group_id.as_str())
            {
                g.state = d.group_state.to_string();
                g.protocol_type = d.protocol_type.to_string();
                g.is_simple = d.protocol_type.is_empty();
            }
        }
        groups.sort_by(|a, b| a.group_id.cmp(&b.group_id));
        Ok(groups)
    }

    /// One record, acks=all. Partition: explicit, else murmur2(key), else random. An unknown
    /// topic or partition is refused here rather than letting the broker auto-create it.
    pub async fn produce(
        &self,
        topic: &str,
        record: ProduceRecord,
    ) -> Result<ProduceResult, BrokerError> {
        let info = self.topic(topic).await?.ok_or_else(|| {
            BrokerError::broker(
                UNKNOWN_TOPIC_OR_PARTITION,
                Some(format!("topic {topic:?} does not exist")),
            )
        })?;
        let count = info.partitions.len() as i32;
        let partition = match (record.partition, &record.key) {
            (Some(p), _) => p,
            _ if count == 0 => {
                return Err(BrokerError::Protocol(format!(
                    "topic {topic:?} has no partitions"
                )))
            }
            (None, Some(key)) => partition_for_key(key, count),
            (None, None) => rand::rng().random_range(0..count),
        };
        if !info.partitions.iter().any(|p| p.id == partition) {
            return Err(BrokerError::broker(
                UNKNOWN_TOPIC_OR_PARTITION,
                Some(format!("topic {topic:?} has no partition {partition}")),
            ));
        }
        let create_time = record.timestamp_ms.unwrap_or_else(now_ms);
        let rec = Record {
            transactional: false,
            control: false,
            delete_horizon: false,
            partition_leader_epoch: NO_PARTITION_LEADER_EPOCH,
            producer_id: NO_PRODUCER_ID,
            producer_epoch: NO_PRODUCER_EPOCH,
            timestamp_type: TimestampType::Creation,
            offset: 0,
            sequence: NO_SEQUENCE,
            timestamp: create_time,
            key: record.key,
            value: record.value,
            headers: record
                .headers
                .into_iter()
                .map(|(k, v)| (StrBytes::from_string(k), v))
                .collect::<IndexMap<_, _>>(),
        };
        let mut batch = BytesMut::new();
        RecordBatchEncoder::encode(
            &mut batch,
            [&rec],
            &RecordEncodeOptions {
                version: 2,
                compression: Compression::None,
            },
        )
        .map_err(|e| BrokerError::Protocol(format!("encoding record batch: {e}")))?;
        let batch = batch.freeze();
        let (_, resp) = self
            .send(12, false, |_| {
                ProduceRequest::default()
                    .with_acks(-1)
                    .with_timeout_ms(BROKER_TIMEOUT_MS)
                    .with_topic_data(vec![TopicProduceData::default()
                        .with_name(topic_name(topic))
                        .with_partition_data(vec![PartitionProduceData::default()
                            .with_index(partition)
                            .with_records(Some(batch.clone()))])])
            })
            .await?;
        let p = resp
            .responses
            .iter()
            .flat_map(|t| t.partition_responses.iter())
            .find(|p| p.index == partition)
            .ok_or_else(|| {
                BrokerError::Protocol(format!("Produce: no result for {topic}-{partition}"))
            })?;
        let message = p.error_message.as_ref().or_else(|| {
            p.record_errors
                .first()
                .and_then(|e| e.batch_index_error_message.as_ref())
        });
        check(p.error_code, message)?;
        Ok(ProduceResult {
            partition,
            offset: p.base_offset,
            timestamp_ms: if p.log_append_time_ms != -1 {
                p.log_append_time_ms
            } else {
                create_time
            },
        })
    }
}

fn topic_info(t: &MetadataResponseTopic) -> Option<TopicInfo> {
    let mut partitions: Vec<PartitionInfo> = t
        .partitions
        .iter()
        .map(|p| PartitionInfo {
            id: p.partition_index,
            leader: p.leader_id.0,
            replicas: p.replica_nodes.iter().map(|b| b.0).collect(),
            isr: p.isr_nodes.iter().map(|b| b.0).collect(),
        })
        .collect();
    partitions.sort_by_key(|p| p.id);
    Some(TopicInfo {
        name: t.name.as_ref()?.to_string(),
        internal: t.is_internal,
        partitions,
    })
}

/// Kafka's ConfigEntry.ConfigSource names for the DescribeConfigs wire ids.
fn config_source_name(id: i8) -> &'static str {
    match id {
        1 => "DYNAMIC_TOPIC_CONFIG",
        2 => "DYNAMIC_BROKER_CONFIG",
        3 => "DYNAMIC_DEFAULT_BROKER_CONFIG",
        4 => "STATIC_BROKER_CONFIG",
        5 => "DEFAULT_CONFIG",
        6 => "DYNAMIC_BROKER_LOGGER_CONFIG",
        7 => "CLIENT_METRICS_CONFIG",
        8 => "GROUP_CONFIG",
        _ => "UNKNOWN",
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
