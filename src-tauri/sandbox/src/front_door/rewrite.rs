//! The broker answers the front door rewrites because they name brokers (Metadata,
//! FindCoordinator, DescribeCluster), so that clients always come back through the door.

use bytes::{Bytes, BytesMut};
use kafka_protocol::messages::describe_cluster_response::DescribeClusterBroker;
use kafka_protocol::messages::metadata_response::MetadataResponseBroker;
use kafka_protocol::messages::{
    ApiKey, BrokerId, DescribeClusterResponse, FindCoordinatorResponse, MetadataResponse,
    ResponseHeader,
};
use kafka_protocol::protocol::{Decodable, Encodable, StrBytes};

/// Where clients must connect: the front door.
pub(super) struct Advertised<'a> {
    pub host: &'a str,
    pub port: i32,
    /// The cluster's live brokers as (node id, front-door port) when the cluster has its own
    /// topology: brokers, partition leaders and the coordinator are then the cluster's, not the
    /// answering broker's (every nisshi answers with only itself). Empty: every broker the
    /// answer names is this door.
    pub members: &'a [(i32, i32)],
}

/// Partition leaders spread over the members; replicas are the next ones (up to 3, Confluent's
/// replication factor) and all in sync: the storage underneath is shared.
fn placement(partition: i32, members: &[(i32, i32)]) -> (BrokerId, Vec<BrokerId>) {
    let n = members.len();
    let first = partition.rem_euclid(n as i32) as usize;
    let replicas = (0..n.min(3))
        .map(|k| BrokerId(members[(first + k) % n].0))
        .collect();
    (BrokerId(members[first].0), replicas)
}

/// A decoded answer the caller may still change (the front door's access filtering).
pub(super) enum Decoded<'a> {
    Metadata(&'a mut MetadataResponse),
    DescribeCluster(&'a mut DescribeClusterResponse),
}

/// Whether responses to requests with this key are decoded and rewritten.
pub(super) fn is_rewritten(api_key: i16) -> bool {
    [
        ApiKey::Metadata,
        ApiKey::FindCoordinator,
        ApiKey::DescribeCluster,
    ]
    .iter()
    .any(|k| *k as i16 == api_key)
}

/// Rewrites one response frame (without its size prefix) to a request of `api_key` at
/// `version`. Err means it could not be decoded or encoded. A Metadata answer's topic ids and
/// names are added to `topic_ids` (for meters: Fetch v13+ names topics by id).
pub(super) fn rewrite(
    frame: Bytes,
    api_key: i16,
    version: i16,
    to: &Advertised,
    topic_ids: &mut Vec<(u128, String)>,
    access: &mut dyn FnMut(Decoded),
) -> Result<Bytes, String> {
    let key = ApiKey::try_from(api_key).map_err(|_| format!("unknown api key {api_key}"))?;
    let header_version = key.response_header_version(version);
    let mut buf = frame.clone();
    let header = ResponseHeader::decode(&mut buf, header_version).map_err(|e| e.to_string())?;
    let host = StrBytes::from_string(to.host.to_string());
    match key {
        ApiKey::Metadata => {
            let mut body =
                MetadataResponse::decode(&mut buf, version).map_err(|e| e.to_string())?;
            topic_ids.extend(body.topics.iter().filter_map(|t| {
                let id = t.topic_id.as_u128();
                Some((id, t.name.as_ref()?.to_string())).filter(|_| id != 0)
            }));
            if to.members.is_empty() {
                for b in &mut body.brokers {
                    (b.host, b.port) = (host.clone(), to.port);
                }
            } else {
                body.brokers = to
                    .members
                    .iter()
                    .map(|&(id, port)| {
                        MetadataResponseBroker::default()
                            .with_node_id(BrokerId(id))
                            .with_host(host.clone())
                            .with_port(port)
                    })
                    .collect();
                body.controller_id = BrokerId(to.members[0].0);
                for t in &mut body.topics {
                    for p in &mut t.partitions {
                        if p.error_code != 0 {
                            continue;
                        }
                        let (leader, replicas) = placement(p.partition_index, to.members);
                        p.leader_id = leader;
                        p.isr_nodes = replicas.clone();
                        p.replica_nodes = replicas;
                        p.offline_replicas = Vec::new();
                    }
                }
            }
            access(Decoded::Metadata(&mut body));
            encode(&header, header_version, &body, version)
        }
        ApiKey::FindCoordinator => {
            let mut body =
                FindCoordinatorResponse::decode(&mut buf, version).map_err(|e| e.to_string())?;
            // v0–3 answer in the top-level fields, v4+ in `coordinators`. An error answer has
            // no address (host "", port -1): leave it as it is.
            // With a topology, the first live member coordinates (storage is shared, so any
            // broker can; a fixed choice keeps a group on one broker while it lives).
            let (node, port) = to.members.first().copied().unwrap_or((-1, to.port));
            if body.error_code == 0 && body.port >= 0 && version < 4 {
                (body.host, body.port) = (host.clone(), port);
                if node >= 0 {
                    body.node_id = BrokerId(node);
                }
            }
            for c in &mut body.coordinators {
                if c.error_code == 0 && c.port >= 0 {
                    (c.host, c.port) = (host.clone(), port);
                    if node >= 0 {
                        c.node_id = BrokerId(node);
                    }
                }
            }
            encode(&header, header_version, &body, version)
        }
        ApiKey::DescribeCluster => {
            let mut body =
                DescribeClusterResponse::decode(&mut buf, version).map_err(|e| e.to_string())?;
            if to.members.is_empty() {
                for b in &mut body.brokers {
                    (b.host, b.port) = (host.clone(), to.port);
                }
            } else {
                body.brokers = to
                    .members
                    .iter()
                    .map(|&(id, port)| {
                        DescribeClusterBroker::default()
                            .with_broker_id(BrokerId(id))
                            .with_host(host.clone())
                            .with_port(port)
                    })
                    .collect();
                body.controller_id = BrokerId(to.members[0].0);
            }
            access(Decoded::DescribeCluster(&mut body));
            encode(&header, header_version, &body, version)
        }
        _ => Ok(frame),
    }
}

fn encode<M: Encodable>(
    header: &ResponseHeader,
    header_version: i16,
    body: &M,
    version: i16,
) -> Result<Bytes, String> {
    let mut out = BytesMut::new();
    header
        .encode(&mut out, header_version)
        .map_err(|e| e.to_string())?;
    body.encode(&mut out, version).map_err(|e| e.to_string())?;
    Ok(out.freeze())
}

#[cfg(test)]
#[path = "rewrite_tests.rs"]
mod tests;
