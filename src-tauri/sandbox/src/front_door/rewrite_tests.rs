use super::*;
use kafka_protocol::messages::describe_cluster_response::DescribeClusterBroker;
use kafka_protocol::messages::find_coordinator_response::Coordinator;
use kafka_protocol::messages::metadata_response::MetadataResponseBroker;
use kafka_protocol::messages::BrokerId;
use kafka_protocol::protocol::Message;

const TO: Advertised<'static> = Advertised {
    host: "127.0.0.1",
    port: 19092,
    members: &[],
};

fn frame<M: Encodable>(key: ApiKey, version: i16, correlation_id: i32, body: &M) -> Bytes {
    let header = ResponseHeader::default().with_correlation_id(correlation_id);
    encode(&header, key.response_header_version(version), body, version).unwrap()
}

fn parse<M: Decodable>(key: ApiKey, version: i16, mut frame: Bytes) -> (i32, M) {
    let header = ResponseHeader::decode(&mut frame, key.response_header_version(version)).unwrap();
    let body = M::decode(&mut frame, version).unwrap();
    assert!(frame.is_empty(), "trailing bytes after {key:?} v{version}");
    (header.correlation_id, body)
}

#[test]
fn metadata_brokers_point_at_the_front_door_in_every_version() {
    for version in 0..=MetadataResponse::VERSIONS.max {
        let broker = MetadataResponseBroker::default()
            .with_node_id(BrokerId(111))
            .with_host(StrBytes::from_static_str("localhost"))
            .with_port(9092);
        let body = MetadataResponse::default()
            .with_brokers(vec![broker.clone(), broker.with_node_id(BrokerId(112))]);
        let out = rewrite(
            frame(ApiKey::Metadata, version, 7, &body),
            3,
            version,
            &TO,
            &mut Vec::new(),
            &mut |_| {},
        )
        .unwrap();
        let (corr, got) = parse::<MetadataResponse>(ApiKey::Metadata, version, out);
        assert_eq!(corr, 7);
        assert_eq!(got.brokers.len(), 2);
        for b in &got.brokers {
            assert_eq!(
                (b.host.as_str(), b.port),
                ("127.0.0.1", 19092),
                "v{version}"
            );
        }
        assert_eq!(got.brokers[1].node_id, BrokerId(112)); // ids are kept
    }
}

#[test]
fn find_coordinator_old_and_new_shapes() {
    for version in 0..=3 {
        let body = FindCoordinatorResponse::default()
            .with_node_id(BrokerId(111))
            .with_host(StrBytes::from_static_str("broker"))
            .with_port(9092);
        let out = rewrite(
            frame(ApiKey::FindCoordinator, version, 1, &body),
            10,
            version,
            &TO,
            &mut Vec::new(),
            &mut |_| {},
        )
        .unwrap();
        let (_, got) = parse::<FindCoordinatorResponse>(ApiKey::FindCoordinator, version, out);
        assert_eq!(
            (got.host.as_str(), got.port),
            ("127.0.0.1", 19092),
            "v{version}"
        );
    }
    for version in 4..=FindCoordinatorResponse::VERSIONS.max {
        let ok = Coordinator::default()
            .with_key(StrBytes::from_static_str("group-a"))
            .with_node_id(BrokerId(111))
            .with_host(StrBytes::from_static_str("broker"))
            .with_port(9092);
        // An error answer has no address and must keep none.
        let failed = Coordinator::default()
            .with_key(StrBytes::from_static_str("group-b"))
            .with_error_code(15)
            .with_node_id(BrokerId(-1))
            .with_port(-1);
        let body = FindCoordinatorResponse::default().with_coordinators(vec![ok, failed]);
        let out = rewrite(
            frame(ApiKey::FindCoordinator, version, 1, &body),
            10,
            version,
            &TO,
            &mut Vec::new(),
            &mut |_| {},
        )
        .unwrap();
        let (_, got) = parse::<FindCoordinatorResponse>(ApiKey::FindCoordinator, version, out);
        let c = &got.coordinators;
        assert_eq!(
            (c[0].host.as_str(), c[0].port),
            ("127.0.0.1", 19092),
            "v{version}"
        );
        assert_eq!((c[1].host.as_str(), c[1].port), ("", -1), "v{version}");
    }
}

#[test]
fn describe_cluster_brokers() {
    for version in 0..=DescribeClusterResponse::VERSIONS.max {
        let broker = DescribeClusterBroker::default()
            .with_broker_id(BrokerId(111))
            .with_host(StrBytes::from_static_str("broker"))
            .with_port(9092);
        let body = DescribeClusterResponse::default().with_brokers(vec![broker]);
        let out = rewrite(
            frame(ApiKey::DescribeCluster, version, 3, &body),
            60,
            version,
            &TO,
            &mut Vec::new(),
            &mut |_| {},
        )
        .unwrap();
        let (_, got) = parse::<DescribeClusterResponse>(ApiKey::DescribeCluster, version, out);
        assert_eq!(
            (got.brokers[0].host.as_str(), got.brokers[0].port),
            ("127.0.0.1", 19092)
        );
    }
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    for key in [3, 10, 60] {
        assert!(rewrite(
            Bytes::from_static(&[0, 0, 0, 1, 0xff]),
            key,
            1,
            &TO,
            &mut Vec::new(),
            &mut |_| {}
        )
        .is_err());
    }
}

#[test]
fn only_address_and_version_answers_are_rewritten() {
    assert!([3, 10, 60].iter().all(|k| is_rewritten(*k)));
    assert!(![0, 1, 2, 8, 9, 11, 12, 17, 18, 19, 36]
        .iter()
        .any(|k| is_rewritten(*k)));
}

#[test]
fn with_a_topology_clients_see_the_clusters_brokers_and_spread_leaders() {
    use kafka_protocol::messages::metadata_response::{
        MetadataResponsePartition, MetadataResponseTopic,
    };
    let members = [(1, 19001), (2, 19002), (5, 19005), (6, 19006)];
    let to = Advertised {
        host: "127.0.0.1",
        port: 19002,
        members: &members,
    };
    for version in 1..=MetadataResponse::VERSIONS.max {
        // nisshi answers with only itself, leading every partition.
        let me = MetadataResponseBroker::default()
            .with_node_id(BrokerId(111))
            .with_host(StrBytes::from_static_str("localhost"))
            .with_port(9092);
        let partitions = (0..6)
            .map(|i| {
                MetadataResponsePartition::default()
                    .with_partition_index(i)
                    .with_leader_id(BrokerId(111))
                    .with_replica_nodes(vec![BrokerId(111)])
                    .with_isr_nodes(vec![BrokerId(111)])
            })
            .collect();
        let mut topic = MetadataResponseTopic::default().with_partitions(partitions);
        if version < 10 {
            topic = topic.with_name(Some(StrBytes::from_static_str("orders").into()));
        }
        let body = MetadataResponse::default()
            .with_brokers(vec![me])
            .with_controller_id(BrokerId(111))
            .with_topics(vec![topic]);
        let out = rewrite(
            frame(ApiKey::Metadata, version, 1, &body),
            3,
            version,
            &to,
            &mut Vec::new(),
            &mut |_| {},
        )
        .unwrap();
        let (_, got) = parse::<MetadataResponse>(ApiKey::Metadata, version, out);
        let brokers: Vec<_> = got.brokers.iter().map(|b| (b.node_id.0, b.port)).collect();
        assert_eq!(brokers, members.to_vec(), "v{version}");
        assert_eq!(got.controller_id.0, 1);
        let leaders: Vec<i32> = got.topics[0]
            .partitions
            .iter()
            .map(|p| p.leader_id.0)
            .collect();
        assert_eq!(leaders, vec![1, 2, 5, 6, 1, 2]);
        let p1 = &got.topics[0].partitions[1];
        assert_eq!(
            p1.replica_nodes.iter().map(|b| b.0).collect::<Vec<_>>(),
            vec![2, 5, 6]
        );
        assert_eq!(p1.isr_nodes, p1.replica_nodes);
    }
    // The coordinator is the first live member, at its own door.
    let body = FindCoordinatorResponse::default()
        .with_node_id(BrokerId(111))
        .with_host(StrBytes::from_static_str("localhost"))
        .with_port(9092);
    let out = rewrite(
        frame(ApiKey::FindCoordinator, 3, 2, &body),
        10,
        3,
        &to,
        &mut Vec::new(),
        &mut |_| {},
    )
    .unwrap();
    let (_, got) = parse::<FindCoordinatorResponse>(ApiKey::FindCoordinator, 3, out);
    assert_eq!((got.node_id.0, got.port), (1, 19001));
}

#[test]
fn metadata_answers_give_topic_ids_to_meters() {
    use kafka_protocol::messages::metadata_response::MetadataResponseTopic;
    use kafka_protocol::messages::TopicName;
    // Topic ids exist from Metadata v10.
    for version in 10..=MetadataResponse::VERSIONS.max {
        let body = MetadataResponse::default().with_topics(vec![
            MetadataResponseTopic::default()
                .with_name(Some(TopicName(StrBytes::from_static_str("orders"))))
                .with_topic_id(uuid::Uuid::from_u128(42)),
            MetadataResponseTopic::default()
                .with_name(Some(TopicName(StrBytes::from_static_str("no-id")))),
        ]);
        let mut ids = Vec::new();
        rewrite(
            frame(ApiKey::Metadata, version, 1, &body),
            3,
            version,
            &TO,
            &mut ids,
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(ids, vec![(42, "orders".to_string())], "v{version}");
    }
}
