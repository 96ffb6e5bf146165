//! The only responses the front door decodes: those that name brokers (so clients come back
//! through the front door) and ApiVersions (so clients see the SASL APIs the front door
//! answers). Everything else is piped undecoded.

use bytes::{Bytes, BytesMut};
use kafka_protocol::messages::api_versions_response::ApiVersion;
use kafka_protocol::messages::describe_cluster_response::DescribeClusterBroker;
use kafka_protocol::messages::metadata_response::MetadataResponseBroker;
use kafka_protocol::messages::{
    ApiKey, ApiVersionsResponse, BrokerId, DescribeClusterResponse, FetchResponse,
    FindCoordinatorResponse, MetadataRequest, MetadataResponse, ProduceRequest, RequestHeader,
    ResponseHeader,
};
use kafka_protocol::protocol::{Decodable, Encodable, Message, StrBytes};

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

/// Whether responses to requests with this key are decoded and rewritten.
pub(super) fn is_rewritten(api_key: i16) -> bool {
    [
        ApiKey::Metadata,
        ApiKey::FindCoordinator,
        ApiKey::DescribeCluster,
        ApiKey::ApiVersions,
    ]
    .iter()
    .any(|k| *k as i16 == api_key)
}

/// The SASL versions the front door itself answers.
pub(super) const SASL_HANDSHAKE_VERSIONS: (i16, i16) = (0, 1);
pub(super) const SASL_AUTHENTICATE_VERSIONS: (i16, i16) = (0, 2);

/// Rewrites one response frame (without its size prefix) to a request of `api_key` at
/// `version`. Err means it could not be decoded or encoded. A Metadata answer's topic ids and
/// names are added to `topic_ids` (for meters: Fetch v13+ names topics by id).
pub(super) fn rewrite(
    frame: Bytes,
    api_key: i16,
    version: i16,
    to: &Advertised,
    topic_ids: &mut Vec<(u128, String)>,
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
            encode(&header, header_version, &body, version)
        }
        ApiKey::ApiVersions => patch_api_versions(frame, version),
        _ => Ok(frame),
    }
}

/// Adds the front door's SASL APIs to an ApiVersions response and caps the APIs it rewrites at
/// what it can decode. ApiVersions responses always use response header v0.
pub(super) fn patch_api_versions(frame: Bytes, version: i16) -> Result<Bytes, String> {
    // An error answer (UNSUPPORTED_VERSION to a too-new request) is encoded at v0 and lists
    // only ApiVersions, which is how clients learn to retry lower (franz-go retries only on
    // exactly that). Pass it on untouched. error_code is the first field in every version.
    if frame.len() >= 6 && i16::from_be_bytes([frame[4], frame[5]]) != 0 {
        return Ok(frame);
    }
    let mut buf = frame;
    let header = ResponseHeader::decode(&mut buf, 0).map_err(|e| e.to_string())?;
    let mut body = ApiVersionsResponse::decode(&mut buf, version).map_err(|e| e.to_string())?;
    let sasl = [
        (ApiKey::SaslHandshake, SASL_HANDSHAKE_VERSIONS),
        (ApiKey::SaslAuthenticate, SASL_AUTHENTICATE_VERSIONS),
    ];
    for (key, (min, max)) in sasl {
        body.api_keys.retain(|a| a.api_key != key as i16);
        body.api_keys.push(
            ApiVersion::default()
                .with_api_key(key as i16)
                .with_min_version(min)
                .with_max_version(max),
        );
    }
    // A response we rewrite must be one we can decode: never let a client and the broker agree
    // on a version newer than the kafka-protocol crate knows.
    let caps = [
        (ApiKey::Metadata, MetadataResponse::VERSIONS.max),
        (
            ApiKey::FindCoordinator,
            FindCoordinatorResponse::VERSIONS.max,
        ),
        (
            ApiKey::DescribeCluster,
            DescribeClusterResponse::VERSIONS.max,
        ),
        (ApiKey::ApiVersions, ApiVersionsResponse::VERSIONS.max),
        // Metered, so decoded too.
        (ApiKey::Produce, ProduceRequest::VERSIONS.max),
        (ApiKey::Fetch, FetchResponse::VERSIONS.max),
    ];
    for a in &mut body.api_keys {
        if let Some((_, cap)) = caps.iter().find(|(k, _)| *k as i16 == a.api_key) {
            a.max_version = a.max_version.min(*cap);
        }
    }
    body.api_keys.sort_by_key(|a| a.api_key);
    encode(&header, 0, &body, version)
}

/// Confluent Cloud never creates a topic because a client asked for its metadata
/// (`auto.create.topics.enable=false`); nisshi would. Returns the request frame (without its size)
/// with `allow_auto_topic_creation` off, or None if it was off already. Metadata v4+ carries the
/// flag; older versions never auto-create on a broker that honours v4+ semantics.
pub(super) fn no_auto_create(frame: &Bytes, version: i16) -> Result<Option<Bytes>, String> {
    let header_version = ApiKey::Metadata.request_header_version(version);
    let mut buf = frame.clone();
    let header = RequestHeader::decode(&mut buf, header_version).map_err(|e| e.to_string())?;
    let mut body = MetadataRequest::decode(&mut buf, version).map_err(|e| e.to_string())?;
    if !body.allow_auto_topic_creation {
        return Ok(None);
    }
    body.allow_auto_topic_creation = false;
    let mut out = BytesMut::new();
    header
        .encode(&mut out, header_version)
        .map_err(|e| e.to_string())?;
    body.encode(&mut out, version).map_err(|e| e.to_string())?;
    Ok(Some(out.freeze()))
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
