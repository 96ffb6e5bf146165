//! What the front door does with each request of an authenticated client, API by API, as Apache
//! Kafka's authorizer answers (the operation each API needs on each resource:
//! docs/confluent-cloud-api.md#authorization). Resources the principal may not use are taken
//! out of the request and answered with Kafka's own error for them; the rest goes to the broker.
//! Requests the door can't read whole are refused by closing the connection, as Kafka does.
//!
//! Only the APIs in [`SERVED`] reach the broker; ApiVersions advertises nothing else.

use crate::acl::Operation as Op;

use super::access::{code, After, Denied, Gate, ResourceDenied, TopicDenied, Verdict};
use super::answers;
use super::policy;
use super::requests_gen as rq;
use super::walk::{self, Api, Elem, Request};

/// The APIs a client may use through the door, with the versions the door reads (further capped
/// by what the broker serves). Caps that matter: Produce ≤ 12 and Fetch ≤ 12 name topics (not
/// ids); OffsetFetch ≤ 7 and FindCoordinator ≤ 3 carry one group; AddPartitionsToTxn ≤ 3 is the
/// client form. ACL APIs are answered by the door itself.
pub(super) const SERVED: &[(&Api, i16, i16)] = &[
    (&rq::produce::API, 3, 12),
    (&rq::fetch::API, 4, 12),
    (&rq::list_offsets::API, 1, 10),
    (&rq::metadata::API, 0, 12),
    (&rq::offset_commit::API, 2, 9),
    (&rq::offset_fetch::API, 1, 7),
    (&rq::find_coordinator::API, 0, 3),
    (&rq::join_group::API, 0, 9),
    (&rq::heartbeat::API, 0, 4),
    (&rq::leave_group::API, 0, 5),
    (&rq::sync_group::API, 0, 5),
    (&rq::describe_groups::API, 0, 5),
    (&rq::list_groups::API, 0, 4),
    (&rq::create_topics::API, 2, 7),
    (&rq::delete_topics::API, 1, 5),
    (&rq::delete_records::API, 0, 2),
    (&rq::init_producer_id::API, 0, 5),
    (&rq::offset_for_leader_epoch::API, 2, 4),
    (&rq::add_partitions_to_txn::API, 0, 3),
    (&rq::add_offsets_to_txn::API, 0, 4),
    (&rq::end_txn::API, 0, 4),
    (&rq::txn_offset_commit::API, 0, 4),
    (&rq::describe_acls::API, 1, 3),
    (&rq::create_acls::API, 1, 3),
    (&rq::delete_acls::API, 1, 3),
    (&rq::describe_configs::API, 1, 4),
    (&rq::alter_configs::API, 0, 2),
    (&rq::create_partitions::API, 0, 3),
    (&rq::delete_groups::API, 0, 2),
    (&rq::incremental_alter_configs::API, 0, 1),
    (&rq::offset_delete::API, 0, 0),
    (&rq::describe_cluster::API, 0, 1),
    (&rq::describe_producers::API, 0, 0),
    (&rq::describe_transactions::API, 0, 0),
    (&rq::list_transactions::API, 0, 1),
];

/// What the door advertises in ApiVersions, from the broker's (key, min, max) list: each served
/// API at the versions both speak, the ACL APIs the door answers itself, and the SASL and
/// ApiVersions versions the door handles.
pub(super) fn advertised(broker: &[(i16, i16, i16)]) -> Vec<(i16, i16, i16)> {
    let api_versions_max = <kafka_protocol::messages::ApiVersionsResponse as kafka_protocol::protocol::Message>::VERSIONS.max;
    let mut out = vec![(17, 0, 1), (18, 0, api_versions_max), (36, 0, 2)];
    for (api, lo, hi) in SERVED {
        if answered_here(api.key) {
            out.push((api.key, *lo, *hi));
        } else if let Some((_, blo, bhi)) = broker.iter().find(|(k, _, _)| *k == api.key) {
            let (l, h) = ((*lo).max(*blo), (*hi).min(*bhi));
            if l <= h {
                out.push((api.key, l, h));
            }
        }
    }
    out.sort_unstable();
    out
}

/// APIs the door answers itself, whatever the broker serves.
pub(super) fn answered_here(key: i16) -> bool {
    matches!(key, 29..=31)
}

/// The largest request each API may send once authenticated. Produce may carry Kafka's
/// `socket.request.max.bytes` (100 MiB); everything else is metadata-sized.
pub(super) fn max_request(key: i16) -> usize {
    match key {
        0 => 100 * 1024 * 1024,
        _ => 8 * 1024 * 1024,
    }
}

pub(super) fn served(key: i16) -> Option<(&'static Api, i16, i16)> {
    SERVED
        .iter()
        .find(|(api, _, _)| api.key == key)
        .map(|(api, lo, hi)| (*api, *lo, *hi))
}

fn topic_denied(name: &str, partitions: Vec<i32>, code: i16) -> TopicDenied {
    TopicDenied {
        name: name.to_string(),
        partitions,
        code,
        message: None,
    }
}

/// Takes out of the root array `field` the topics (named by `name`) the principal may not `op`,
/// each answered with `code` for its partitions (`parts`).
fn filter_topics(
    gate: &mut Gate,
    req: &Request,
    frame: &[u8],
    field: usize,
    name: usize,
    parts: impl Fn(&Elem) -> Vec<i32>,
    op: Op,
) -> (Option<Vec<u8>>, Vec<TopicDenied>) {
    let mut denied = Vec::new();
    let mut refused = Vec::new();
    for (i, t) in req.body.arr(field).iter().enumerate() {
        let topic = t.str(name).unwrap_or_default();
        if !gate.topic(op, topic) {
            denied.push(topic_denied(
                topic,
                parts(t),
                code::TOPIC_AUTHORIZATION_FAILED,
            ));
            refused.push(i);
        }
    }
    if refused.is_empty() {
        return (None, denied);
    }
    let spans: Vec<_> = refused
        .iter()
        .map(|i| req.body.arr(field)[*i].span.clone())
        .collect();
    let edited = walk::without_elements(frame, req, field, |e| !spans.contains(&e.span));
    (Some(edited), denied)
}

fn ints(e: &Elem, field: usize) -> Vec<i32> {
    e.ints(field).iter().map(|i| *i as i32).collect()
}

fn arr_ints(e: &Elem, field: usize, inner: usize) -> Vec<i32> {
    e.arr(field)
        .iter()
        .filter_map(|p| p.int(inner).map(|i| i as i32))
        .collect()
}

fn forward(edited: Option<Vec<u8>>, denied: Denied) -> Verdict {
    let after = if denied.is_empty() {
        After::Pass
    } else {
        After::Merge(denied)
    };
    Verdict::Forward {
        edited,
        after,
        expect_answer: true,
    }
}

/// Answers the request here with `denied` as its errors.
fn answer(req: &Request, denied: Denied) -> Verdict {
    match answers::local(req.api_key, req.version, req.correlation_id, &denied) {
        Ok(bytes) => Verdict::Answer(bytes),
        Err(e) => Verdict::Close(format!("could not encode a refusal: {e}")),
    }
}

/// Decides what happens to one request frame (without its size prefix).
pub(super) async fn decide(gate: &mut Gate, frame: &[u8]) -> Verdict {
    if frame.len() < 4 {
        return Verdict::Close("a request shorter than its header".into());
    }
    let key = i16::from_be_bytes([frame[0], frame[1]]);
    let version = i16::from_be_bytes([frame[2], frame[3]]);
    let Some((api, lo, hi)) = served(key) else {
        return Verdict::Close(format!("api key {key} is not served"));
    };
    if version < lo || version > hi {
        return Verdict::Close(format!("api key {key} v{version} is not served"));
    }
    let req = match walk::walk(api, frame) {
        Ok(r) => r,
        Err(e) => return Verdict::Close(format!("api key {key} v{version} request: {e}")),
    };
    match key {
        0 => produce(gate, &req, frame),
        1 => fetch(gate, &req, frame),
        2 => {
            use rq::list_offsets::{
                list_offsets_partition as p, list_offsets_request as r, list_offsets_topic as t,
            };
            let (edited, topics) = filter_topics(
                gate,
                &req,
                frame,
                r::TOPICS,
                t::NAME,
                |e| arr_ints(e, t::PARTITIONS, p::PARTITION_INDEX),
                Op::Describe,
            );
            forward(
                edited,
                Denied {
                    topics,
                    ..Denied::default()
                },
            )
        }
        3 => metadata(gate, &req, frame),
        8 => offset_commit(gate, &req, frame),
        9 => offset_fetch(gate, &req, frame),
        10 => {
            use rq::find_coordinator::find_coordinator_request as r;
            let name = req.body.str(r::KEY).unwrap_or_default();
            let ok = match req.body.int(r::KEY_TYPE).unwrap_or(0) {
                1 => gate.txn(Op::Describe, name),
                _ => gate.group(Op::Describe, name),
            };
            if ok {
                Verdict::pass()
            } else if req.body.int(r::KEY_TYPE) == Some(1) {
                answer(
                    &req,
                    Denied::error(
                        code::TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
                        Some("Transactional Id authorization failed.".into()),
                    ),
                )
            } else {
                answer(
                    &req,
                    Denied::error(
                        code::GROUP_AUTHORIZATION_FAILED,
                        Some("Group authorization failed.".into()),
                    ),
                )
            }
        }
        // JoinGroup, Heartbeat, LeaveGroup, SyncGroup: the group id is their first field.
        11..=14 => {
            if gate.group(Op::Read, req.body.str(0).unwrap_or_default()) {
                Verdict::pass()
            } else {
                answer(&req, Denied::error(code::GROUP_AUTHORIZATION_FAILED, None))
            }
        }
        15 => {
            use rq::describe_groups::describe_groups_request as r;
            groups_filter(gate, &req, frame, r::GROUPS, Op::Describe)
        }
        16 => Verdict::Forward {
            edited: None,
            after: if gate.cluster(Op::Describe) {
                After::Pass
            } else {
                After::ListGroups
            },
            expect_answer: true,
        },
        19 => policy::create_topics(gate, &req, frame).await,
        20 => delete_topics(gate, &req, frame),
        21 => {
            use rq::delete_records::{
                delete_records_partition as p, delete_records_request as r,
                delete_records_topic as t,
            };
            let (edited, topics) = filter_topics(
                gate,
                &req,
                frame,
                r::TOPICS,
                t::NAME,
                |e| arr_ints(e, t::PARTITIONS, p::PARTITION_INDEX),
                Op::Delete,
            );
            forward(
                edited,
                Denied {
                    topics,
                    ..Denied::default()
                },
            )
        }
        22 => {
            use rq::init_producer_id::init_producer_id_request as r;
            match req.body.str(r::TRANSACTIONAL_ID) {
                Some(id) if !gate.txn(Op::Write, id) => answer(
                    &req,
                    Denied::error(code::TRANSACTIONAL_ID_AUTHORIZATION_FAILED, None),
                ),
                None if !gate.may_be_idempotent() => answer(
                    &req,
                    Denied::error(code::CLUSTER_AUTHORIZATION_FAILED, None),
                ),
                _ => Verdict::pass(),
            }
        }
        23 => {
            use rq::offset_for_leader_epoch::{
                offset_for_leader_epoch_request as r, offset_for_leader_partition as p,
                offset_for_leader_topic as t,
            };
            if req.body.int(r::REPLICA_ID).is_some_and(|id| id >= 0)
                && !gate.cluster(Op::ClusterAction)
            {
                return answer(
                    &req,
                    Denied {
                        topics: all_topics(
                            &req,
                            r::TOPICS,
                            t::TOPIC,
                            |e| arr_ints(e, t::PARTITIONS, p::PARTITION),
                            code::CLUSTER_AUTHORIZATION_FAILED,
                        ),
                        ..Denied::default()
                    },
                );
            }
            let (edited, topics) = filter_topics(
                gate,
                &req,
                frame,
                r::TOPICS,
                t::TOPIC,
                |e| arr_ints(e, t::PARTITIONS, p::PARTITION),
                Op::Describe,
            );
            forward(
                edited,
                Denied {
                    topics,
                    ..Denied::default()
                },
            )
        }
        24 => add_partitions_to_txn(gate, &req),
        25 => {
            use rq::add_offsets_to_txn::add_offsets_to_txn_request as r;
            if !gate.txn(
                Op::Write,
                req.body.str(r::TRANSACTIONAL_ID).unwrap_or_default(),
            ) {
                answer(
                    &req,
                    Denied::error(code::TRANSACTIONAL_ID_AUTHORIZATION_FAILED, None),
                )
            } else if !gate.group(Op::Read, req.body.str(r::GROUP_ID).unwrap_or_default()) {
                answer(&req, Denied::error(code::GROUP_AUTHORIZATION_FAILED, None))
            } else {
                Verdict::pass()
            }
        }
        26 => {
            use rq::end_txn::end_txn_request as r;
            if gate.txn(
                Op::Write,
                req.body.str(r::TRANSACTIONAL_ID).unwrap_or_default(),
            ) {
                Verdict::pass()
            } else {
                answer(
                    &req,
                    Denied::error(code::TRANSACTIONAL_ID_AUTHORIZATION_FAILED, None),
                )
            }
        }
        28 => txn_offset_commit(gate, &req, frame),
        29..=31 => super::acl_api::answer(gate, &req),
        32 => describe_configs(gate, &req, frame),
        33 | 44 => policy::alter_configs(gate, &req, frame),
        37 => policy::create_partitions(gate, &req, frame).await,
        42 => {
            use rq::delete_groups::delete_groups_request as r;
            groups_filter(gate, &req, frame, r::GROUPS_NAMES, Op::Delete)
        }
        47 => {
            use rq::offset_delete::{
                offset_delete_request as r, offset_delete_request_partition as p,
                offset_delete_request_topic as t,
            };
            if !gate.group(Op::Delete, req.body.str(r::GROUP_ID).unwrap_or_default()) {
                return answer(&req, Denied::error(code::GROUP_AUTHORIZATION_FAILED, None));
            }
            let (edited, topics) = filter_topics(
                gate,
                &req,
                frame,
                r::TOPICS,
                t::NAME,
                |e| arr_ints(e, t::PARTITIONS, p::PARTITION_INDEX),
                Op::Read,
            );
            forward(
                edited,
                Denied {
                    topics,
                    ..Denied::default()
                },
            )
        }
        60 => {
            use rq::describe_cluster::describe_cluster_request as r;
            if !gate.cluster(Op::Describe) {
                return answer(
                    &req,
                    Denied::error(
                        code::CLUSTER_AUTHORIZATION_FAILED,
                        Some("Cluster authorization failed.".into()),
                    ),
                );
            }
            Verdict::Forward {
                edited: None,
                after: After::DescribeCluster {
                    cluster_operations: req.body.int(r::INCLUDE_CLUSTER_AUTHORIZED_OPERATIONS)
                        == Some(1),
                },
                expect_answer: true,
            }
        }
        61 => {
            use rq::describe_producers::{describe_producers_request as r, topic_request as t};
            let (edited, topics) = filter_topics(
                gate,
                &req,
                frame,
                r::TOPICS,
                t::NAME,
                |e| ints(e, t::PARTITION_INDEXES),
                Op::Read,
            );
            forward(
                edited,
                Denied {
                    topics,
                    ..Denied::default()
                },
            )
        }
        65 => {
            use rq::describe_transactions::describe_transactions_request as r;
            let ids = req.body.strs(r::TRANSACTIONAL_IDS);
            let txns: Vec<(String, i16)> = ids
                .iter()
                .filter(|id| !gate.txn(Op::Describe, id))
                .map(|id| (id.clone(), code::TRANSACTIONAL_ID_AUTHORIZATION_FAILED))
                .collect();
            if txns.is_empty() {
                return Verdict::pass();
            }
            let kept: Vec<&String> = ids
                .iter()
                .filter(|id| !txns.iter().any(|(d, _)| d == *id))
                .collect();
            forward(
                Some(walk::with_strings(frame, &req, r::TRANSACTIONAL_IDS, &kept)),
                Denied {
                    txns,
                    ..Denied::default()
                },
            )
        }
        66 => Verdict::Forward {
            edited: None,
            after: After::ListTransactions,
            expect_answer: true,
        },
        _ => Verdict::Close(format!("api key {key} is not served")),
    }
}

/// Every topic of a root array, all answered with `code`.
fn all_topics(
    req: &Request,
    field: usize,
    name: usize,
    parts: impl Fn(&Elem) -> Vec<i32>,
    code: i16,
) -> Vec<TopicDenied> {
    req.body
        .arr(field)
        .iter()
        .map(|t| topic_denied(t.str(name).unwrap_or_default(), parts(t), code))
        .collect()
}

fn produce(gate: &mut Gate, req: &Request, frame: &[u8]) -> Verdict {
    use rq::produce::{partition_produce_data as p, produce_request as r, topic_produce_data as t};
    let parts = |e: &Elem| arr_ints(e, t::PARTITION_DATA, p::INDEX);
    let acks = req.body.int(r::ACKS).unwrap_or(-1);
    let denied_txn = req
        .body
        .str(r::TRANSACTIONAL_ID)
        .is_some_and(|id| !gate.txn(Op::Write, id));
    let (edited, topics) = if denied_txn {
        let all = all_topics(
            req,
            r::TOPIC_DATA,
            t::NAME,
            parts,
            code::TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
        );
        (
            Some(walk::without_elements(frame, req, r::TOPIC_DATA, |_| false)),
            all,
        )
    } else {
        filter_topics(gate, req, frame, r::TOPIC_DATA, t::NAME, parts, Op::Write)
    };
    if acks == 0 && !topics.is_empty() {
        // Kafka closes an acks=0 producer's connection when part of its request failed: the
        // only way such a client learns of it.
        return Verdict::Close(format!(
            "acks=0 produce refused for {}",
            topics
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Verdict::Forward {
        edited,
        after: if topics.is_empty() {
            After::Pass
        } else {
            After::Merge(Denied {
                topics,
                ..Denied::default()
            })
        },
        expect_answer: acks != 0,
    }
}

/// Fetch: topics it may not READ are taken out. Fetch sessions are turned off (session id 0,
/// epoch -1: a full fetch every time), so every fetch names its partitions and every fetch is
/// authorized — a session would go on serving partitions after their ACL was removed.
fn fetch(gate: &mut Gate, req: &Request, frame: &[u8]) -> Verdict {
    use rq::fetch::{fetch_partition as p, fetch_request as r, fetch_topic as t};
    let parts = |e: &Elem| arr_ints(e, t::PARTITIONS, p::PARTITION);
    let (edited, topics) = if req.body.int(r::REPLICA_ID).is_some_and(|id| id >= 0)
        && !gate.cluster(Op::ClusterAction)
    {
        let all = all_topics(
            req,
            r::TOPICS,
            t::TOPIC,
            parts,
            code::TOPIC_AUTHORIZATION_FAILED,
        );
        (
            Some(walk::without_elements(frame, req, r::TOPICS, |_| false)),
            all,
        )
    } else {
        filter_topics(gate, req, frame, r::TOPICS, t::TOPIC, parts, Op::Read)
    };
    let mut out = edited.unwrap_or_else(|| frame.to_vec());
    if req.version >= 7 {
        // Re-walk only if the frame changed: the session fields precede the topics, so their
        // offsets are the same in the edited frame.
        let id = req.body.spans[r::SESSION_ID].start;
        let epoch = req.body.spans[r::SESSION_EPOCH].start;
        out[id..id + 4].copy_from_slice(&0i32.to_be_bytes());
        out[epoch..epoch + 4].copy_from_slice(&(-1i32).to_be_bytes());
    }
    forward(
        Some(out),
        Denied {
            topics,
            ..Denied::default()
        },
    )
}

fn metadata(gate: &mut Gate, req: &Request, frame: &[u8]) -> Verdict {
    use rq::metadata::metadata_request as r;
    let _ = gate;
    // Confluent Cloud never creates a topic because a client asked for its metadata
    // (auto.create.topics.enable=false); nisshi would. The flag is one byte: turn it off.
    let edited = (req.body.int(r::ALLOW_AUTO_TOPIC_CREATION) == Some(1)).then(|| {
        let mut out = frame.to_vec();
        out[req.body.spans[r::ALLOW_AUTO_TOPIC_CREATION].start] = 0;
        out
    });
    // v0: an empty list means all topics; v1+: null does.
    let all =
        req.body.is_null(r::TOPICS) || (req.version == 0 && req.body.arr(r::TOPICS).is_empty());
    Verdict::Forward {
        edited,
        after: After::Metadata {
            named: !all,
            topic_operations: req.body.int(r::INCLUDE_TOPIC_AUTHORIZED_OPERATIONS) == Some(1),
            cluster_operations: req.body.int(r::INCLUDE_CLUSTER_AUTHORIZED_OPERATIONS) == Some(1),
        },
        expect_answer: true,
    }
}

fn offset_commit(gate: &mut Gate, req: &Request, frame: &[u8]) -> Verdict {
    use rq::offset_commit::{
        offset_commit_request as r, offset_commit_request_partition as p,
        offset_commit_request_topic as t,
    };
    let parts = |e: &Elem| arr_ints(e, t::PARTITIONS, p::PARTITION_INDEX);
    if !gate.group(Op::Read, req.body.str(r::GROUP_ID).unwrap_or_default()) {
        let topics = all_topics(
            req,
            r::TOPICS,
            t::NAME,
            parts,
            code::GROUP_AUTHORIZATION_FAILED,
        );
        return answer(
            req,
            Denied {
                topics,
                ..Denied::default()
            },
        );
    }
    let (edited, topics) = filter_topics(gate, req, frame, r::TOPICS, t::NAME, parts, Op::Read);
    forward(
        edited,
        Denied {
            topics,
            ..Denied::default()
        },
    )
}

fn txn_offset_commit(gate: &mut Gate, req: &Request, frame: &[u8]) -> Verdict {
    use rq::txn_offset_commit::{
        txn_offset_commit_request as r, txn_offset_commit_request_partition as p,
        txn_offset_commit_request_topic as t,
    };
    let parts = |e: &Elem| arr_ints(e, t::PARTITIONS, p::PARTITION_INDEX);
    let refused = if !gate.txn(
        Op::Write,
        req.body.str(r::TRANSACTIONAL_ID).unwrap_or_default(),
    ) {
        Some(code::TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
    } else if !gate.group(Op::Read, req.body.str(r::GROUP_ID).unwrap_or_default()) {
        Some(code::GROUP_AUTHORIZATION_FAILED)
    } else {
        None
    };
    if let Some(c) = refused {
        return answer(
            req,
            Denied {
                topics: all_topics(req, r::TOPICS, t::NAME, parts, c),
                ..Denied::default()
            },
        );
    }
    let (edited, topics) = filter_topics(gate, req, frame, r::TOPICS, t::NAME, parts, Op::Read);
    forward(
        edited,
        Denied {
            topics,
            ..Denied::default()
        },
    )
}

fn offset_fetch(gate: &mut Gate, req: &Request, frame: &[u8]) -> Verdict {
    use rq::offset_fetch::{offset_fetch_request as r, offset_fetch_request_topic as t};
    let parts = |e: &Elem| ints(e, t::PARTITION_INDEXES);
    if !gate.group(Op::Describe, req.body.str(r::GROUP_ID).unwrap_or_default()) {
        let mut denied = Denied::error(code::GROUP_AUTHORIZATION_FAILED, None);
        if req.version < 2 {
            // v1 has no top-level error: every partition carries it.
            denied.topics = all_topics(
                req,
                r::TOPICS,
                t::NAME,
                parts,
                code::GROUP_AUTHORIZATION_FAILED,
            );
        }
        return answer(req, denied);
    }
    if req.body.is_null(r::TOPICS) {
        return Verdict::Forward {
            edited: None,
            after: After::OffsetFetchAll,
            expect_answer: true,
        };
    }
    let (edited, topics) = filter_topics(gate, req, frame, r::TOPICS, t::NAME, parts, Op::Describe);
    forward(
        edited,
        Denied {
            topics,
            ..Denied::default()
        },
    )
}

fn delete_topics(gate: &mut Gate, req: &Request, frame: &[u8]) -> Verdict {
    use rq::delete_topics::delete_topics_request as r;
    let names = req.body.strs(r::TOPIC_NAMES);
    let topics: Vec<TopicDenied> = names
        .iter()
        .filter(|n| !gate.topic(Op::Delete, n))
        .map(|n| topic_denied(n, Vec::new(), code::TOPIC_AUTHORIZATION_FAILED))
        .collect();
    if topics.is_empty() {
        return Verdict::pass();
    }
    let kept: Vec<&String> = names
        .iter()
        .filter(|n| !topics.iter().any(|t| &t.name == *n))
        .collect();
    forward(
        Some(walk::with_strings(frame, req, r::TOPIC_NAMES, &kept)),
        Denied {
            topics,
            ..Denied::default()
        },
    )
}

/// DescribeGroups and DeleteGroups: a root array of group names.
fn groups_filter(gate: &mut Gate, req: &Request, frame: &[u8], field: usize, op: Op) -> Verdict {
    let names = req.body.strs(field);
    let groups: Vec<(String, i16)> = names
        .iter()
        .filter(|g| !gate.group(op, g))
        .map(|g| (g.clone(), code::GROUP_AUTHORIZATION_FAILED))
        .collect();
    if groups.is_empty() {
        return Verdict::pass();
    }
    let kept: Vec<&String> = names
        .iter()
        .filter(|n| !groups.iter().any(|(g, _)| g == *n))
        .collect();
    forward(
        Some(walk::with_strings(frame, req, field, &kept)),
        Denied {
            groups,
            ..Denied::default()
        },
    )
}

/// AddPartitionsToTxn (v0–3): all or nothing, as Kafka does: refused partitions get their
/// error, the rest OPERATION_NOT_ATTEMPTED.
fn add_partitions_to_txn(gate: &mut Gate, req: &Request) -> Verdict {
    use rq::add_partitions_to_txn::{
        add_partitions_to_txn_request as r, add_partitions_to_txn_topic as t,
    };
    let parts = |e: &Elem| ints(e, t::PARTITIONS);
    if !gate.txn(
        Op::Write,
        req.body
            .str(r::V3_AND_BELOW_TRANSACTIONAL_ID)
            .unwrap_or_default(),
    ) {
        let topics = all_topics(
            req,
            r::V3_AND_BELOW_TOPICS,
            t::NAME,
            parts,
            code::TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
        );
        return answer(
            req,
            Denied {
                topics,
                ..Denied::default()
            },
        );
    }
    let topics = req.body.arr(r::V3_AND_BELOW_TOPICS);
    let refused: Vec<bool> = topics
        .iter()
        .map(|e| !gate.topic(Op::Write, e.str(t::NAME).unwrap_or_default()))
        .collect();
    if !refused.contains(&true) {
        return Verdict::pass();
    }
    let topics = topics
        .iter()
        .zip(refused)
        .map(|(e, no)| {
            let c = if no {
                code::TOPIC_AUTHORIZATION_FAILED
            } else {
                code::OPERATION_NOT_ATTEMPTED
            };
            topic_denied(e.str(t::NAME).unwrap_or_default(), parts(e), c)
        })
        .collect();
    answer(
        req,
        Denied {
            topics,
            ..Denied::default()
        },
    )
}

/// DescribeConfigs: topics need DESCRIBE_CONFIGS on the topic, brokers (and broker loggers) on
/// the cluster.
fn describe_configs(gate: &mut Gate, req: &Request, frame: &[u8]) -> Verdict {
    use rq::describe_configs::{describe_configs_request as r, describe_configs_resource as c};
    let mut resources = Vec::new();
    let mut refused = Vec::new();
    for e in req.body.arr(r::RESOURCES) {
        let rtype = e.int(c::RESOURCE_TYPE).unwrap_or(0) as i8;
        let name = e.str(c::RESOURCE_NAME).unwrap_or_default();
        let (ok, err) = match rtype {
            policy::TOPIC => (
                gate.topic(Op::DescribeConfigs, name),
                code::TOPIC_AUTHORIZATION_FAILED,
            ),
            _ => (
                gate.cluster(Op::DescribeConfigs),
                code::CLUSTER_AUTHORIZATION_FAILED,
            ),
        };
        if !ok {
            resources.push(ResourceDenied {
                resource_type: rtype,
                name: name.to_string(),
                code: err,
                message: None,
            });
            refused.push(e.span.clone());
        }
    }
    if refused.is_empty() {
        return Verdict::pass();
    }
    let edited = walk::without_elements(frame, req, r::RESOURCES, |e| !refused.contains(&e.span));
    forward(
        Some(edited),
        Denied {
            resources,
            ..Denied::default()
        },
    )
}
