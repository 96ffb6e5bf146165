//! Answers built or amended by the front door with kafka-protocol's encoders: refusals answered
//! here, errors added to the broker's answer for what the door kept from it, answers filtered to
//! what the principal may see, and ApiVersions. Only the broker's (trusted) answers are decoded
//! with kafka-protocol; a client's requests are read by `walk`.

use bytes::{Bytes, BytesMut};
use kafka_protocol::messages::add_partitions_to_txn_response::{
    AddPartitionsToTxnPartitionResult, AddPartitionsToTxnTopicResult,
};
use kafka_protocol::messages::api_versions_response::ApiVersion;
use kafka_protocol::messages::create_partitions_response::CreatePartitionsTopicResult;
use kafka_protocol::messages::create_topics_response::CreatableTopicResult;
use kafka_protocol::messages::delete_groups_response::DeletableGroupResult;
use kafka_protocol::messages::delete_records_response::{
    DeleteRecordsPartitionResult, DeleteRecordsTopicResult,
};
use kafka_protocol::messages::delete_topics_response::DeletableTopicResult;
use kafka_protocol::messages::describe_configs_response::DescribeConfigsResult;
use kafka_protocol::messages::describe_groups_response::DescribedGroup;
use kafka_protocol::messages::describe_producers_response::{PartitionResponse, TopicResponse};
use kafka_protocol::messages::describe_transactions_response::TransactionState;
use kafka_protocol::messages::fetch_response::{FetchableTopicResponse, PartitionData};
use kafka_protocol::messages::incremental_alter_configs_response::AlterConfigsResourceResponse;
use kafka_protocol::messages::list_offsets_response::{
    ListOffsetsPartitionResponse, ListOffsetsTopicResponse,
};
use kafka_protocol::messages::offset_commit_response::{
    OffsetCommitResponsePartition, OffsetCommitResponseTopic,
};
use kafka_protocol::messages::offset_delete_response::{
    OffsetDeleteResponsePartition, OffsetDeleteResponseTopic,
};
use kafka_protocol::messages::offset_fetch_response::{
    OffsetFetchResponsePartition, OffsetFetchResponseTopic,
};
use kafka_protocol::messages::offset_for_leader_epoch_response::{
    EpochEndOffset, OffsetForLeaderTopicResult,
};
use kafka_protocol::messages::produce_response::{PartitionProduceResponse, TopicProduceResponse};
use kafka_protocol::messages::txn_offset_commit_response::{
    TxnOffsetCommitResponsePartition, TxnOffsetCommitResponseTopic,
};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::{Decodable, Encodable, StrBytes};

use super::access::{Denied, Gate};
use super::walk::Request;
use crate::acl::Operation;

fn s(x: &str) -> StrBytes {
    StrBytes::from_string(x.to_string())
}

fn topic_name(x: &str) -> TopicName {
    TopicName(s(x))
}

/// An error message, where this version of the message carries one.
fn msg(version: i16, since: i16, m: &Option<String>) -> Option<StrBytes> {
    (version >= since).then(|| m.as_deref().map(s)).flatten()
}

/// Adds the door's errors to one response type.
trait Fill {
    fn fill(&mut self, d: &Denied, version: i16);
}

impl Fill for ProduceResponse {
    fn fill(&mut self, d: &Denied, version: i16) {
        for t in &d.topics {
            self.responses.push(
                TopicProduceResponse::default()
                    .with_name(topic_name(&t.name))
                    .with_partition_responses(
                        t.partitions
                            .iter()
                            .map(|p| {
                                PartitionProduceResponse::default()
                                    .with_index(*p)
                                    .with_error_code(t.code)
                                    .with_base_offset(-1)
                                    .with_error_message(msg(version, 8, &t.message))
                            })
                            .collect(),
                    ),
            );
        }
    }
}

impl Fill for FetchResponse {
    fn fill(&mut self, d: &Denied, _: i16) {
        for t in &d.topics {
            self.responses.push(
                FetchableTopicResponse::default()
                    .with_topic(topic_name(&t.name))
                    .with_partitions(
                        t.partitions
                            .iter()
                            .map(|p| {
                                PartitionData::default()
                                    .with_partition_index(*p)
                                    .with_error_code(t.code)
                                    .with_high_watermark(-1)
                                    // Empty, not null: librdkafka reads a null record set
                                    // as "invalid MessageSetSize -1" and retries the fetch
                                    // forever, never reporting the refusal (Kafka sends empty).
                                    .with_records(Some(Bytes::new()))
                            })
                            .collect(),
                    ),
            );
        }
    }
}

impl Fill for ListOffsetsResponse {
    fn fill(&mut self, d: &Denied, _: i16) {
        for t in &d.topics {
            self.topics.push(
                ListOffsetsTopicResponse::default()
                    .with_name(topic_name(&t.name))
                    .with_partitions(
                        t.partitions
                            .iter()
                            .map(|p| {
                                ListOffsetsPartitionResponse::default()
                                    .with_partition_index(*p)
                                    .with_error_code(t.code)
                                    .with_offset(-1)
                                    .with_timestamp(-1)
                            })
                            .collect(),
                    ),
            );
        }
    }
}

impl Fill for OffsetCommitResponse {
    fn fill(&mut self, d: &Denied, _: i16) {
        for t in &d.topics {
            self.topics.push(
                OffsetCommitResponseTopic::default()
                    .with_name(topic_name(&t.name))
                    .with_partitions(
                        t.partitions
                            .iter()
                            .map(|p| {
                                OffsetCommitResponsePartition::default()
                                    .with_partition_index(*p)
                                    .with_error_code(t.code)
                            })
                            .collect(),
                    ),
            );
        }
    }
}

impl Fill for TxnOffsetCommitResponse {
    fn fill(&mut self, d: &Denied, _: i16) {
        for t in &d.topics {
            self.topics.push(
                TxnOffsetCommitResponseTopic::default()
                    .with_name(topic_name(&t.name))
                    .with_partitions(
                        t.partitions
                            .iter()
                            .map(|p| {
                                TxnOffsetCommitResponsePartition::default()
                                    .with_partition_index(*p)
                                    .with_error_code(t.code)
                            })
                            .collect(),
                    ),
            );
        }
    }
}

impl Fill for OffsetFetchResponse {
    fn fill(&mut self, d: &Denied, version: i16) {
        if let Some((code, _)) = d.error {
            if version >= 2 {
                self.error_code = code;
            }
        }
        for t in &d.topics {
            self.topics.push(
                OffsetFetchResponseTopic::default()
                    .with_name(topic_name(&t.name))
                    .with_partitions(
                        t.partitions
                            .iter()
                            .map(|p| {
                                OffsetFetchResponsePartition::default()
                                    .with_partition_index(*p)
                                    .with_committed_offset(-1)
                                    .with_metadata(Some(StrBytes::default()))
                                    .with_error_code(t.code)
                            })
                            .collect(),
                    ),
            );
        }
    }
}

impl Fill for OffsetDeleteResponse {
    fn fill(&mut self, d: &Denied, _: i16) {
        if let Some((code, _)) = d.error {
            self.error_code = code;
        }
        for t in &d.topics {
            self.topics.push(
                OffsetDeleteResponseTopic::default()
                    .with_name(topic_name(&t.name))
                    .with_partitions(
                        t.partitions
                            .iter()
                            .map(|p| {
                                OffsetDeleteResponsePartition::default()
                                    .with_partition_index(*p)
                                    .with_error_code(t.code)
                            })
                            .collect(),
                    ),
            );
        }
    }
}

impl Fill for OffsetForLeaderEpochResponse {
    fn fill(&mut self, d: &Denied, _: i16) {
        for t in &d.topics {
            self.topics.push(
                OffsetForLeaderTopicResult::default()
                    .with_topic(topic_name(&t.name))
                    .with_partitions(
                        t.partitions
                            .iter()
                            .map(|p| {
                                EpochEndOffset::default()
                                    .with_partition(*p)
                                    .with_error_code(t.code)
                                    .with_leader_epoch(-1)
                                    .with_end_offset(-1)
                            })
                            .collect(),
                    ),
            );
        }
    }
}

impl Fill for DeleteRecordsResponse {
    fn fill(&mut self, d: &Denied, _: i16) {
        for t in &d.topics {
            self.topics.push(
                DeleteRecordsTopicResult::default()
                    .with_name(topic_name(&t.name))
                    .with_partitions(
                        t.partitions
                            .iter()
                            .map(|p| {
                                DeleteRecordsPartitionResult::default()
                                    .with_partition_index(*p)
                                    .with_low_watermark(-1)
                                    .with_error_code(t.code)
                            })
                            .collect(),
                    ),
            );
        }
    }
}

impl Fill for AddPartitionsToTxnResponse {
    fn fill(&mut self, d: &Denied, _: i16) {
        for t in &d.topics {
            self.results_by_topic_v3_and_below.push(
                AddPartitionsToTxnTopicResult::default()
                    .with_name(topic_name(&t.name))
                    .with_results_by_partition(
                        t.partitions
                            .iter()
                            .map(|p| {
                                AddPartitionsToTxnPartitionResult::default()
                                    .with_partition_index(*p)
                                    .with_partition_error_code(t.code)
                            })
                            .collect(),
                    ),
            );
        }
    }
}

impl Fill for DescribeProducersResponse {
    fn fill(&mut self, d: &Denied, _: i16) {
        for t in &d.topics {
            self.topics.push(
                TopicResponse::default()
                    .with_name(topic_name(&t.name))
                    .with_partitions(
                        t.partitions
                            .iter()
                            .map(|p| {
                                PartitionResponse::default()
                                    .with_partition_index(*p)
                                    .with_error_code(t.code)
                            })
                            .collect(),
                    ),
            );
        }
    }
}

impl Fill for CreateTopicsResponse {
    fn fill(&mut self, d: &Denied, version: i16) {
        for t in &d.topics {
            self.topics.push(
                CreatableTopicResult::default()
                    .with_name(topic_name(&t.name))
                    .with_error_code(t.code)
                    .with_error_message(msg(version, 1, &t.message))
                    .with_configs(None),
            );
        }
    }
}

impl Fill for DeleteTopicsResponse {
    fn fill(&mut self, d: &Denied, version: i16) {
        for t in &d.topics {
            self.responses.push(
                DeletableTopicResult::default()
                    .with_name(Some(topic_name(&t.name)))
                    .with_error_code(t.code)
                    .with_error_message(msg(version, 5, &t.message)),
            );
        }
    }
}

impl Fill for CreatePartitionsResponse {
    fn fill(&mut self, d: &Denied, _: i16) {
        for t in &d.topics {
            self.results.push(
                CreatePartitionsTopicResult::default()
                    .with_name(topic_name(&t.name))
                    .with_error_code(t.code)
                    .with_error_message(t.message.as_deref().map(s)),
            );
        }
    }
}

impl Fill for DescribeConfigsResponse {
    fn fill(&mut self, d: &Denied, _: i16) {
        for r in &d.resources {
            self.results.push(
                DescribeConfigsResult::default()
                    .with_error_code(r.code)
                    .with_error_message(r.message.as_deref().map(s))
                    .with_resource_type(r.resource_type)
                    .with_resource_name(s(&r.name)),
            );
        }
    }
}

impl Fill for IncrementalAlterConfigsResponse {
    fn fill(&mut self, d: &Denied, _: i16) {
        for r in &d.resources {
            self.responses.push(
                AlterConfigsResourceResponse::default()
                    .with_error_code(r.code)
                    .with_error_message(r.message.as_deref().map(s))
                    .with_resource_type(r.resource_type)
                    .with_resource_name(s(&r.name)),
            );
        }
    }
}

impl Fill for AlterConfigsResponse {
    fn fill(&mut self, d: &Denied, _: i16) {
        use kafka_protocol::messages::alter_configs_response::AlterConfigsResourceResponse as R;
        for r in &d.resources {
            self.responses.push(
                R::default()
                    .with_error_code(r.code)
                    .with_error_message(r.message.as_deref().map(s))
                    .with_resource_type(r.resource_type)
                    .with_resource_name(s(&r.name)),
            );
        }
    }
}

impl Fill for DescribeGroupsResponse {
    fn fill(&mut self, d: &Denied, _: i16) {
        for (g, code) in &d.groups {
            self.groups.push(
                DescribedGroup::default()
                    .with_group_id(GroupId(s(g)))
                    .with_error_code(*code),
            );
        }
    }
}

impl Fill for DeleteGroupsResponse {
    fn fill(&mut self, d: &Denied, _: i16) {
        for (g, code) in &d.groups {
            self.results.push(
                DeletableGroupResult::default()
                    .with_group_id(GroupId(s(g)))
                    .with_error_code(*code),
            );
        }
    }
}

impl Fill for DescribeTransactionsResponse {
    fn fill(&mut self, d: &Denied, _: i16) {
        for (id, code) in &d.txns {
            self.transaction_states.push(
                TransactionState::default()
                    .with_transactional_id(TransactionalId(s(id)))
                    .with_error_code(*code),
            );
        }
    }
}

/// Responses whose refusal is one top-level error code.
macro_rules! top_level_error {
    ($($t:ty),*) => {$(
        impl Fill for $t {
            fn fill(&mut self, d: &Denied, _: i16) {
                if let Some((code, _)) = d.error {
                    self.error_code = code;
                }
            }
        }
    )*};
}
top_level_error!(
    JoinGroupResponse,
    HeartbeatResponse,
    LeaveGroupResponse,
    SyncGroupResponse,
    InitProducerIdResponse,
    AddOffsetsToTxnResponse,
    EndTxnResponse
);

impl Fill for FindCoordinatorResponse {
    fn fill(&mut self, d: &Denied, version: i16) {
        if let Some((code, m)) = &d.error {
            self.error_code = *code;
            self.error_message = msg(version, 1, m);
            self.node_id = BrokerId(-1);
            self.port = -1;
        }
    }
}

impl Fill for DescribeClusterResponse {
    fn fill(&mut self, d: &Denied, _: i16) {
        if let Some((code, m)) = &d.error {
            self.error_code = *code;
            self.error_message = m.as_deref().map(s);
        }
    }
}

fn header_version(key: i16, version: i16) -> Result<i16, String> {
    let k = ApiKey::try_from(key).map_err(|_| format!("unknown api key {key}"))?;
    Ok(k.response_header_version(version))
}

fn encode<M: Encodable>(
    key: i16,
    version: i16,
    header: &ResponseHeader,
    body: &M,
) -> Result<Bytes, String> {
    let mut out = BytesMut::new();
    header
        .encode(&mut out, header_version(key, version)?)
        .map_err(|e| e.to_string())?;
    body.encode(&mut out, version).map_err(|e| e.to_string())?;
    Ok(out.freeze())
}

fn build<R: Default + Fill + Encodable>(
    key: i16,
    version: i16,
    corr: i32,
    d: &Denied,
) -> Result<Bytes, String> {
    let mut r = R::default();
    r.fill(d, version);
    encode(
        key,
        version,
        &ResponseHeader::default().with_correlation_id(corr),
        &r,
    )
}

fn amend<R: Decodable + Fill + Encodable>(
    key: i16,
    version: i16,
    frame: Bytes,
    d: &Denied,
) -> Result<Bytes, String> {
    let mut buf = frame;
    let header = ResponseHeader::decode(&mut buf, header_version(key, version)?)
        .map_err(|e| e.to_string())?;
    let mut r = R::decode(&mut buf, version).map_err(|e| e.to_string())?;
    r.fill(d, version);
    encode(key, version, &header, &r)
}

macro_rules! by_key {
    ($key:expr, $f:ident, $($arg:expr),*) => {
        match $key {
            0 => $f::<ProduceResponse>($($arg),*),
            1 => $f::<FetchResponse>($($arg),*),
            2 => $f::<ListOffsetsResponse>($($arg),*),
            8 => $f::<OffsetCommitResponse>($($arg),*),
            9 => $f::<OffsetFetchResponse>($($arg),*),
            10 => $f::<FindCoordinatorResponse>($($arg),*),
            11 => $f::<JoinGroupResponse>($($arg),*),
            12 => $f::<HeartbeatResponse>($($arg),*),
            13 => $f::<LeaveGroupResponse>($($arg),*),
            14 => $f::<SyncGroupResponse>($($arg),*),
            15 => $f::<DescribeGroupsResponse>($($arg),*),
            19 => $f::<CreateTopicsResponse>($($arg),*),
            20 => $f::<DeleteTopicsResponse>($($arg),*),
            21 => $f::<DeleteRecordsResponse>($($arg),*),
            22 => $f::<InitProducerIdResponse>($($arg),*),
            23 => $f::<OffsetForLeaderEpochResponse>($($arg),*),
            24 => $f::<AddPartitionsToTxnResponse>($($arg),*),
            25 => $f::<AddOffsetsToTxnResponse>($($arg),*),
            26 => $f::<EndTxnResponse>($($arg),*),
            28 => $f::<TxnOffsetCommitResponse>($($arg),*),
            32 => $f::<DescribeConfigsResponse>($($arg),*),
            33 => $f::<AlterConfigsResponse>($($arg),*),
            37 => $f::<CreatePartitionsResponse>($($arg),*),
            42 => $f::<DeleteGroupsResponse>($($arg),*),
            44 => $f::<IncrementalAlterConfigsResponse>($($arg),*),
            47 => $f::<OffsetDeleteResponse>($($arg),*),
            60 => $f::<DescribeClusterResponse>($($arg),*),
            61 => $f::<DescribeProducersResponse>($($arg),*),
            65 => $f::<DescribeTransactionsResponse>($($arg),*),
            k => Err(format!("api key {k} has no refusal answer")),
        }
    };
}

/// A complete answer (header and body) to a request refused here.
pub(super) fn local(key: i16, version: i16, corr: i32, d: &Denied) -> Result<Bytes, String> {
    by_key!(key, build, key, version, corr, d)
}

/// The broker's answer (header and body) with the door's errors added.
pub(super) fn merge(key: i16, version: i16, frame: Bytes, d: &Denied) -> Result<Bytes, String> {
    by_key!(key, amend, key, version, frame, d)
}

/// Rewrites a broker answer in place: `f` edits the decoded body.
fn edit<R: Decodable + Encodable>(
    key: i16,
    version: i16,
    frame: Bytes,
    f: impl FnOnce(&mut R),
) -> Result<Bytes, String> {
    let mut buf = frame;
    let header = ResponseHeader::decode(&mut buf, header_version(key, version)?)
        .map_err(|e| e.to_string())?;
    let mut r = R::decode(&mut buf, version).map_err(|e| e.to_string())?;
    f(&mut r);
    encode(key, version, &header, &r)
}

/// ListGroups: only the groups the principal may DESCRIBE.
pub(super) fn list_groups(version: i16, frame: Bytes, gate: &mut Gate) -> Result<Bytes, String> {
    edit::<ListGroupsResponse>(16, version, frame, |r| {
        r.groups
            .retain(|g| gate.group(Operation::Describe, &g.group_id.0))
    })
}

/// ListTransactions: only the transactional ids the principal may DESCRIBE.
pub(super) fn list_transactions(
    version: i16,
    frame: Bytes,
    gate: &mut Gate,
) -> Result<Bytes, String> {
    edit::<ListTransactionsResponse>(66, version, frame, |r| {
        r.transaction_states
            .retain(|t| gate.txn(Operation::Describe, &t.transactional_id.0))
    })
}

/// OffsetFetch of all topics: only the topics the principal may DESCRIBE.
pub(super) fn offset_fetch_all(
    version: i16,
    frame: Bytes,
    gate: &mut Gate,
) -> Result<Bytes, String> {
    edit::<OffsetFetchResponse>(9, version, frame, |r| {
        r.topics
            .retain(|t| gate.topic(Operation::Describe, &t.name.0))
    })
}

/// Metadata, after the broker-address rewrite: topics the principal may not DESCRIBE are left
/// out (or, when the client named them, answered TOPIC_AUTHORIZATION_FAILED without saying
/// whether they exist); authorized operations filled in when asked.
pub(super) fn metadata_access(
    body: &mut MetadataResponse,
    gate: &mut Gate,
    named: bool,
    topic_operations: bool,
    cluster_operations: bool,
) {
    let mut kept = Vec::with_capacity(body.topics.len());
    for mut t in std::mem::take(&mut body.topics) {
        let name = t.name.as_ref().map(|n| n.0.to_string()).unwrap_or_default();
        if gate.topic(Operation::Describe, &name) {
            if topic_operations {
                t.topic_authorized_operations = gate.topic_operations(&name);
            }
            kept.push(t);
        } else if named {
            kept.push(
                kafka_protocol::messages::metadata_response::MetadataResponseTopic::default()
                    .with_name(t.name)
                    .with_error_code(super::access::code::TOPIC_AUTHORIZATION_FAILED),
            );
        }
    }
    body.topics = kept;
    if cluster_operations {
        body.cluster_authorized_operations = gate.cluster_operations();
    }
}

/// DescribeCluster's authorized operations.
pub(super) fn describe_cluster_access(body: &mut DescribeClusterResponse, gate: &mut Gate) {
    body.cluster_authorized_operations = gate.cluster_operations();
}

/// The APIs (key, min, max) the door advertises, answered at the client's version. A version
/// the door doesn't know gets Kafka's answer: UNSUPPORTED_VERSION at v0, listing ApiVersions.
pub(super) fn api_versions(
    version: i16,
    corr: i32,
    apis: &[(i16, i16, i16)],
) -> Result<Bytes, String> {
    let header = ResponseHeader::default().with_correlation_id(corr);
    let list = |apis: &[(i16, i16, i16)]| {
        apis.iter()
            .map(|(k, lo, hi)| {
                ApiVersion::default()
                    .with_api_key(*k)
                    .with_min_version(*lo)
                    .with_max_version(*hi)
            })
            .collect::<Vec<_>>()
    };
    let max = <ApiVersionsResponse as kafka_protocol::protocol::Message>::VERSIONS.max;
    if version > max || version < 0 {
        let body = ApiVersionsResponse::default()
            .with_error_code(super::access::code::UNSUPPORTED_VERSION)
            .with_api_keys(list(&[(18, 0, max)]));
        let mut out = BytesMut::new();
        header.encode(&mut out, 0).map_err(|e| e.to_string())?;
        body.encode(&mut out, 0).map_err(|e| e.to_string())?;
        return Ok(out.freeze());
    }
    let body = ApiVersionsResponse::default().with_api_keys(list(apis));
    let mut out = BytesMut::new();
    // ApiVersions answers always use response header v0.
    header.encode(&mut out, 0).map_err(|e| e.to_string())?;
    body.encode(&mut out, version).map_err(|e| e.to_string())?;
    Ok(out.freeze())
}

/// A request re-encoded after the door changed it: the client's own header bytes, then `body`.
pub(super) fn reencode<M: Encodable>(
    req: &Request,
    frame: &[u8],
    body: &M,
) -> Result<Vec<u8>, String> {
    let mut out = BytesMut::from(&frame[..req.body.span.start]);
    body.encode(&mut out, req.version)
        .map_err(|e| e.to_string())?;
    Ok(out.to_vec())
}

/// Decodes a request with kafka-protocol. Only after `walk` has read it whole: every count in
/// it is then backed by real elements, so the crate's reservations are bounded by the frame.
pub(super) fn decode_walked<M: Decodable>(req: &Request, frame: &[u8]) -> Result<M, String> {
    let mut buf = Bytes::copy_from_slice(&frame[req.body.span.start..]);
    M::decode(&mut buf, req.version).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front_door::access::TopicDenied;

    #[test]
    fn refusals_encode_at_every_served_version() {
        let d = Denied {
            error: Some((30, Some("no".into()))),
            topics: vec![TopicDenied {
                name: "t".into(),
                partitions: vec![0, 1],
                code: 29,
                message: Some("why".into()),
            }],
            groups: vec![("g".into(), 30)],
            txns: vec![("x".into(), 53)],
            resources: vec![super::super::access::ResourceDenied {
                resource_type: 2,
                name: "t".into(),
                code: 29,
                message: Some("m".into()),
            }],
        };
        for (api, lo, hi) in super::super::decide::SERVED {
            if matches!(api.key, 3 | 16 | 66 | 29 | 30 | 31) {
                continue; // filtered or answered elsewhere
            }
            for v in *lo..=*hi {
                let out = local(api.key, v, 7, &d)
                    .unwrap_or_else(|e| panic!("key {} v{v}: {e}", api.key));
                assert_eq!(&out[..4], &7i32.to_be_bytes(), "key {} v{v}", api.key);
            }
        }
        // A produce refusal reads back as what a client sees.
        let out = local(0, 9, 1, &d).unwrap();
        let mut buf = out.clone();
        ResponseHeader::decode(&mut buf, 1).unwrap();
        let r = ProduceResponse::decode(&mut buf, 9).unwrap();
        assert_eq!(r.responses[0].partition_responses.len(), 2);
        assert_eq!(r.responses[0].partition_responses[1].error_code, 29);
    }
}
