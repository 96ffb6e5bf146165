//! The walker against a client nobody here wrote: requests encoded by kafka-protocol, every
//! version the layouts cover, must walk whole and yield the same names; hostile frames must
//! fail fast without allocating what they claim.

use super::*;
use crate::front_door::requests_gen as rq;
use bytes::{Bytes, BytesMut};
use kafka_protocol::messages::create_acls_request::AclCreation;
use kafka_protocol::messages::create_topics_request::{CreatableTopic, CreatableTopicConfig};
use kafka_protocol::messages::fetch_request::{FetchPartition, FetchTopic};
use kafka_protocol::messages::metadata_request::MetadataRequestTopic;
use kafka_protocol::messages::offset_commit_request::OffsetCommitRequestTopic;
use kafka_protocol::messages::produce_request::{PartitionProduceData, TopicProduceData};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::{Encodable, HeaderVersion, StrBytes};

fn frame<M: Encodable + HeaderVersion>(key: i16, version: i16, body: &M) -> Vec<u8> {
    let mut out = BytesMut::new();
    RequestHeader::default()
        .with_request_api_key(key)
        .with_request_api_version(version)
        .with_correlation_id(42)
        .with_client_id(Some(StrBytes::from_static_str("walk-test")))
        .encode(&mut out, M::header_version(version))
        .unwrap();
    body.encode(&mut out, version).unwrap();
    out.to_vec()
}

fn s(x: &str) -> StrBytes {
    StrBytes::from_string(x.to_string())
}

/// Every version of every request the front door reads walks whole in its default form.
#[test]
fn every_version_of_every_request_walks_whole() {
    macro_rules! all {
        ($($m:ident => $t:ty),* $(,)?) => {$(
            for v in rq::$m::API.min..=rq::$m::API.max {
                let f = frame(rq::$m::API.key, v, &<$t>::default());
                let r = walk(&rq::$m::API, &f).unwrap_or_else(|e| panic!("{} v{v}: {e}", stringify!($m)));
                assert_eq!((r.api_key, r.version, r.correlation_id), (rq::$m::API.key, v, 42));
            }
        )*};
    }
    all!(
        produce => ProduceRequest, fetch => FetchRequest, list_offsets => ListOffsetsRequest,
        metadata => MetadataRequest, offset_commit => OffsetCommitRequest,
        offset_fetch => OffsetFetchRequest, find_coordinator => FindCoordinatorRequest,
        join_group => JoinGroupRequest, heartbeat => HeartbeatRequest,
        leave_group => LeaveGroupRequest, sync_group => SyncGroupRequest,
        describe_groups => DescribeGroupsRequest, list_groups => ListGroupsRequest,
        sasl_handshake => SaslHandshakeRequest, api_versions => ApiVersionsRequest,
        create_topics => CreateTopicsRequest, delete_topics => DeleteTopicsRequest,
        delete_records => DeleteRecordsRequest, init_producer_id => InitProducerIdRequest,
        offset_for_leader_epoch => OffsetForLeaderEpochRequest,
        add_partitions_to_txn => AddPartitionsToTxnRequest,
        add_offsets_to_txn => AddOffsetsToTxnRequest, end_txn => EndTxnRequest,
        txn_offset_commit => TxnOffsetCommitRequest, describe_acls => DescribeAclsRequest,
        create_acls => CreateAclsRequest, delete_acls => DeleteAclsRequest,
        describe_configs => DescribeConfigsRequest, alter_configs => AlterConfigsRequest,
        sasl_authenticate => SaslAuthenticateRequest,
        create_partitions => CreatePartitionsRequest, delete_groups => DeleteGroupsRequest,
        incremental_alter_configs => IncrementalAlterConfigsRequest,
        offset_delete => OffsetDeleteRequest, describe_cluster => DescribeClusterRequest,
        describe_producers => DescribeProducersRequest,
        describe_transactions => DescribeTransactionsRequest,
        list_transactions => ListTransactionsRequest,
    );
}

#[test]
fn produce_topics_partitions_and_records_are_found() {
    use rq::produce::{partition_produce_data as p, produce_request as r, topic_produce_data as t};
    for v in 3..=12 {
        let req = ProduceRequest::default()
            .with_transactional_id(Some(TransactionalId(s("tx-1"))))
            .with_acks(-1)
            .with_topic_data(vec![
                TopicProduceData::default()
                    .with_name(TopicName(s("orders")))
                    .with_partition_data(vec![
                        PartitionProduceData::default()
                            .with_index(3)
                            .with_records(Some(Bytes::from_static(b"batch-bytes"))),
                        PartitionProduceData::default()
                            .with_index(4)
                            .with_records(None),
                    ]),
                TopicProduceData::default().with_name(TopicName(s("payments"))),
            ]);
        let f = frame(0, v, &req);
        let w = walk(&rq::produce::API, &f).unwrap();
        assert_eq!(w.body.str(r::TRANSACTIONAL_ID), Some("tx-1"));
        assert_eq!(w.body.int(r::ACKS), Some(-1));
        let topics = w.body.arr(r::TOPIC_DATA);
        assert_eq!(topics.len(), 2, "v{v}");
        assert_eq!(topics[0].str(t::NAME), Some("orders"));
        assert_eq!(topics[1].str(t::NAME), Some("payments"));
        let parts = topics[0].arr(t::PARTITION_DATA);
        assert_eq!(parts[0].int(p::INDEX), Some(3));
        assert_eq!(&f[parts[0].bytes(p::RECORDS).unwrap()], b"batch-bytes");
        assert_eq!(parts[1].bytes(p::RECORDS), None);

        // Taking a topic out yields what kafka-protocol encodes for the request without it.
        let edited = without_elements(&f, &w, r::TOPIC_DATA, |e| {
            e.str(t::NAME) == Some("payments")
        });
        let mut only = req.clone();
        only.topic_data.remove(0);
        assert_eq!(edited, frame(0, v, &only), "v{v}");
    }
}

#[test]
fn fetch_metadata_and_admin_requests_yield_their_names() {
    use rq::fetch::{fetch_request as fr, fetch_topic as ft};
    for v in 4..=12 {
        let req = FetchRequest::default()
            .with_replica_id(BrokerId(-1))
            .with_topics(vec![
                FetchTopic::default()
                    .with_topic(TopicName(s("a")))
                    .with_partitions(vec![FetchPartition::default().with_partition(1)]),
                FetchTopic::default().with_topic(TopicName(s("b"))),
            ]);
        let w = walk(&rq::fetch::API, &frame(1, v, &req)).unwrap();
        let names: Vec<_> = w
            .body
            .arr(fr::TOPICS)
            .iter()
            .map(|t| t.str(ft::TOPIC))
            .collect();
        assert_eq!(names, [Some("a"), Some("b")], "v{v}");
        assert_eq!(w.body.int(fr::REPLICA_ID), Some(-1));
    }
    use rq::metadata::{metadata_request as mr, metadata_request_topic as mt};
    for v in 1..=12 {
        let req = MetadataRequest::default().with_topics(Some(vec![
            MetadataRequestTopic::default().with_name(Some(TopicName(s("x")))),
        ]));
        let w = walk(&rq::metadata::API, &frame(3, v, &req)).unwrap();
        assert_eq!(w.body.arr(mr::TOPICS)[0].str(mt::NAME), Some("x"), "v{v}");
        let all = walk(
            &rq::metadata::API,
            &frame(3, v, &MetadataRequest::default().with_topics(None)),
        )
        .unwrap();
        assert!(all.body.is_null(mr::TOPICS), "v{v}");
    }
    use rq::create_topics::{
        creatable_topic as ct, creatable_topic_config as cc, create_topics_request as cr,
    };
    for v in 2..=7 {
        let req = CreateTopicsRequest::default().with_topics(vec![CreatableTopic::default()
            .with_name(TopicName(s("new")))
            .with_num_partitions(7)
            .with_replication_factor(3)
            .with_configs(vec![CreatableTopicConfig::default()
                .with_name(s("cleanup.policy"))
                .with_value(Some(s("compact")))])]);
        let w = walk(&rq::create_topics::API, &frame(19, v, &req)).unwrap();
        let t = &w.body.arr(cr::TOPICS)[0];
        assert_eq!(
            (
                t.str(ct::NAME),
                t.int(ct::NUM_PARTITIONS),
                t.int(ct::REPLICATION_FACTOR)
            ),
            (Some("new"), Some(7), Some(3))
        );
        assert_eq!(t.arr(ct::CONFIGS)[0].str(cc::VALUE), Some("compact"));
    }
    use rq::offset_commit::{offset_commit_request as oc, offset_commit_request_topic as ot};
    for v in 2..=9 {
        let req = OffsetCommitRequest::default()
            .with_group_id(GroupId(s("g1")))
            .with_topics(vec![
                OffsetCommitRequestTopic::default().with_name(TopicName(s("t1")))
            ]);
        let w = walk(&rq::offset_commit::API, &frame(8, v, &req)).unwrap();
        assert_eq!(w.body.str(oc::GROUP_ID), Some("g1"));
        assert_eq!(w.body.arr(oc::TOPICS)[0].str(ot::NAME), Some("t1"), "v{v}");
    }
    use rq::delete_topics::delete_topics_request as dt;
    for v in 1..=5 {
        let req = DeleteTopicsRequest::default().with_topic_names(vec![TopicName(s("gone"))]);
        let w = walk(&rq::delete_topics::API, &frame(20, v, &req)).unwrap();
        assert_eq!(w.body.strs(dt::TOPIC_NAMES), ["gone".to_string()], "v{v}");
    }
    use rq::describe_groups::describe_groups_request as dg;
    for v in 0..=5 {
        let req =
            DescribeGroupsRequest::default().with_groups(vec![GroupId(s("g")), GroupId(s("h"))]);
        let w = walk(&rq::describe_groups::API, &frame(15, v, &req)).unwrap();
        assert_eq!(w.body.strs(dg::GROUPS).len(), 2);
    }
    use rq::create_acls::{acl_creation as ac, create_acls_request as ca};
    for v in 1..=3 {
        let req = CreateAclsRequest::default().with_creations(vec![AclCreation::default()
            .with_resource_type(2)
            .with_resource_name(s("t"))
            .with_resource_pattern_type(3)
            .with_principal(s("User:sa-1"))
            .with_host(s("*"))
            .with_operation(4)
            .with_permission_type(3)]);
        let w = walk(&rq::create_acls::API, &frame(30, v, &req)).unwrap();
        let c = &w.body.arr(ca::CREATIONS)[0];
        assert_eq!(
            (
                c.int(ac::RESOURCE_TYPE),
                c.str(ac::PRINCIPAL),
                c.int(ac::OPERATION)
            ),
            (Some(2), Some("User:sa-1"), Some(4))
        );
    }
}

/// What librdkafka 2.x really sends for "all topics" at Metadata v12: a 4-byte array-count
/// placeholder where the compact null belongs (captured from confluent-kafka 2.16).
#[test]
fn librdkafkas_all_topics_metadata_walks() {
    let f: Vec<u8> = (0..25)
        .map(|i| {
            u8::from_str_radix(
                &"0003000c00000005000772646b61666b610000000000010000"[2 * i..2 * i + 2],
                16,
            )
            .unwrap()
        })
        .collect();
    use rq::metadata::metadata_request as r;
    let w = walk(&rq::metadata::API, &f).unwrap();
    assert!(w.body.is_null(r::TOPICS));
    assert_eq!(w.body.int(r::ALLOW_AUTO_TOPIC_CREATION), Some(0));
}

#[test]
fn hostile_frames_fail_fast() {
    // Metadata v4 claiming 2^31-1 topics: refused from the count, nothing reserved.
    let mut f = frame(3, 4, &MetadataRequest::default().with_topics(Some(vec![])));
    let at = f.len() - 5; // the topics count (i32) then allow_auto_topic_creation (i8)
    f[at..at + 4].copy_from_slice(&i32::MAX.to_be_bytes());
    assert!(walk(&rq::metadata::API, &f)
        .unwrap_err()
        .0
        .contains("exceeds"));
    // A compact count of 2^32-1 in a flexible version.
    let mut f = frame(3, 12, &MetadataRequest::default().with_topics(Some(vec![])));
    let at = f.len() - 4;
    f.splice(at..at + 1, [0xff, 0xff, 0xff, 0xff, 0x0f]);
    assert!(walk(&rq::metadata::API, &f).is_err());
    // Every truncation of a real request fails, and so do trailing bytes.
    let good = frame(
        0,
        9,
        &ProduceRequest::default().with_topic_data(vec![TopicProduceData::default()
            .with_name(TopicName(s("t")))
            .with_partition_data(vec![
                PartitionProduceData::default().with_records(Some(Bytes::from_static(b"xyz")))
            ])]),
    );
    for cut in 0..good.len() {
        assert!(
            walk(&rq::produce::API, &good[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    // Bytes after the end are left alone, as Kafka leaves them.
    let mut long = good.clone();
    long.push(0);
    assert_eq!(
        walk(&rq::produce::API, &long).unwrap().body.span.end,
        good.len()
    );
    // Negative lengths, a version outside the layouts, another api key.
    let mut neg = good.clone();
    let n = neg.len();
    neg[n - 9] = 0x00; // somewhere inside: still must not panic
    let _ = walk(&rq::produce::API, &neg);
    assert!(walk(&rq::fetch::API, &good).is_err());
    // Random bytes never panic.
    let mut x: u64 = 0x9e3779b97f4a7c15;
    for len in 0..400 {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        for api in [
            &rq::produce::API,
            &rq::metadata::API,
            &rq::create_topics::API,
            &rq::fetch::API,
        ] {
            let mut b = bytes.clone();
            if b.len() >= 4 {
                b[..2].copy_from_slice(&api.key.to_be_bytes());
                b[2..4].copy_from_slice(&api.max.to_be_bytes());
            }
            let _ = walk(api, &b);
        }
    }
}
