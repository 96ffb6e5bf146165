//! Confluent Cloud's topic policies on Kafka admin requests, the same ones Kafka REST applies
//! (`topic_rules.rs`): Kafka's topic-name rules, the cluster type's partition limit,
//! replication factor 3, no manual replica placement, and which configs may be set. A Kafka
//! admin client is refused exactly what a REST caller is, with Kafka's error codes
//! (POLICY_VIOLATION, INVALID_CONFIG, …) and the same words.

use std::collections::HashMap;

use kafka_protocol::messages::create_topics_request::CreatableTopicConfig;
use kafka_protocol::messages::{
    AlterConfigsRequest, CreatePartitionsRequest, CreateTopicsRequest,
    IncrementalAlterConfigsRequest,
};
use kafka_protocol::protocol::StrBytes;
use serde_json::Value;

use super::access::{code, After, Denied, Gate, ResourceDenied, TopicDenied, Verdict};
use super::answers::{decode_walked, reencode};
use super::walk::Request;
use crate::acl::Operation as Op;
use crate::topic_rules;

/// Config resource types (Kafka's ConfigResource.Type).
pub(super) const TOPIC: i8 = 2;
pub(super) const BROKER: i8 = 4;
pub(super) const BROKER_LOGGER: i8 = 8;

/// Confluent's default partition count for a topic created without one (as Kafka REST uses).
pub(super) const DEFAULT_PARTITIONS: i32 = 6;

fn refused(name: &str, code: i16, message: String) -> TopicDenied {
    TopicDenied {
        name: name.to_string(),
        partitions: Vec::new(),
        code,
        message: Some(message),
    }
}

/// Whether a config refusal is a policy (a locked config) or a bad config.
fn config_code(message: &str) -> i16 {
    if message.contains("POLICY_VIOLATION") {
        code::POLICY_VIOLATION
    } else {
        code::INVALID_CONFIG
    }
}

fn forward_edited(edited: Result<Vec<u8>, String>, denied: Denied) -> Verdict {
    match edited {
        Ok(e) => Verdict::Forward {
            edited: Some(e),
            after: if denied.is_empty() {
                After::Pass
            } else {
                After::Merge(denied)
            },
            expect_answer: true,
        },
        Err(e) => Verdict::Close(format!("could not re-encode the request: {e}")),
    }
}

/// The cluster's config and its topics' partition counts, or why they can't be had.
async fn cluster_state(gate: &Gate) -> Option<Result<(Value, HashMap<String, i32>), String>> {
    let policy = gate.guard.policy()?;
    Some(
        policy
            .partitions()
            .await
            .map(|p| (policy.cluster_config(), p)),
    )
}

pub(super) async fn create_topics(gate: &mut Gate, req: &Request, frame: &[u8]) -> Verdict {
    let mut body: CreateTopicsRequest = match decode_walked(req, frame) {
        Ok(b) => b,
        Err(e) => return Verdict::Close(format!("CreateTopics: {e}")),
    };
    let state = match cluster_state(gate).await {
        Some(Err(e)) => {
            let topics = body
                .topics
                .iter()
                .map(|t| {
                    refused(
                        &t.name.0,
                        code::UNKNOWN_SERVER_ERROR,
                        format!("The cluster could not be asked for its partitions: {e}"),
                    )
                })
                .collect();
            return super::answers::local(
                req.api_key,
                req.version,
                req.correlation_id,
                &Denied {
                    topics,
                    ..Denied::default()
                },
            )
            .map(Verdict::Answer)
            .unwrap_or_else(Verdict::Close);
        }
        other => other.map(|r| r.expect("errors handled above")),
    };
    let may_create_any = gate.cluster(Op::Create);
    let mut in_use: i64 = state
        .as_ref()
        .map_or(0, |(_, p)| p.values().map(|n| i64::from(*n)).sum());
    let mut denied = Vec::new();
    let mut kept = Vec::new();
    for mut t in std::mem::take(&mut body.topics) {
        let name = t.name.0.to_string();
        if !(may_create_any || gate.topic(Op::Create, &name)) {
            denied.push(refused(
                &name,
                code::TOPIC_AUTHORIZATION_FAILED,
                "Topic authorization failed.".into(),
            ));
            continue;
        }
        if let Some((config, _)) = &state {
            if let Err(e) = topic_rules::check_topic_name(&name) {
                denied.push(refused(&name, code::INVALID_TOPIC_EXCEPTION, e));
                continue;
            }
            if !t.assignments.is_empty() {
                denied.push(refused(&name, code::POLICY_VIOLATION, "Confluent Cloud places partitions itself: replica assignments are not allowed (POLICY_VIOLATION).".into()));
                continue;
            }
            if t.num_partitions == -1 {
                t.num_partitions = DEFAULT_PARTITIONS;
            }
            if t.num_partitions < 1 {
                denied.push(refused(
                    &name,
                    code::INVALID_PARTITIONS,
                    format!(
                        "Number of partitions must be larger than 0 (got {}).",
                        t.num_partitions
                    ),
                ));
                continue;
            }
            match t.replication_factor {
                // Replication is the provider's business: the broker's default applies.
                -1 | 3 => t.replication_factor = -1,
                rf => {
                    denied.push(refused(&name, code::POLICY_VIOLATION, format!("Topic replication factor must be 3 on Confluent Cloud (got {rf}) (POLICY_VIOLATION).")));
                    continue;
                }
            }
            let limit = topic_rules::partition_limit(config);
            let adding = i64::from(t.num_partitions);
            if in_use + adding > limit {
                denied.push(refused(&name, code::POLICY_VIOLATION, format!("Creating {adding} partitions would exceed this cluster's limit of {limit} partitions ({in_use} in use) (POLICY_VIOLATION).")));
                continue;
            }
            let mut bad = None;
            for c in &t.configs {
                let value = c.value.as_ref().map(|v| v.to_string());
                let check = match &value {
                    Some(v) => topic_rules::check_config(&c.name, v, config),
                    None => Err(format!("Config '{}' needs a value.", c.name)),
                };
                if let Err(e) = check {
                    bad = Some(refused(&name, config_code(&e), e));
                    break;
                }
            }
            if let Some(b) = bad {
                denied.push(b);
                continue;
            }
            for (n, v) in topic_rules::PINNED {
                if !t.configs.iter().any(|c| c.name.as_str() == *n) {
                    t.configs.push(
                        CreatableTopicConfig::default()
                            .with_name(StrBytes::from_static_str(n))
                            .with_value(Some(StrBytes::from_static_str(v))),
                    );
                }
            }
            in_use += adding;
        }
        kept.push(t);
    }
    body.topics = kept;
    forward_edited(
        reencode(req, frame, &body),
        Denied {
            topics: denied,
            ..Denied::default()
        },
    )
}

pub(super) async fn create_partitions(gate: &mut Gate, req: &Request, frame: &[u8]) -> Verdict {
    let mut body: CreatePartitionsRequest = match decode_walked(req, frame) {
        Ok(b) => b,
        Err(e) => return Verdict::Close(format!("CreatePartitions: {e}")),
    };
    let state = cluster_state(gate).await;
    let mut denied = Vec::new();
    let mut kept = Vec::new();
    let mut in_use: Option<i64> = None;
    for t in std::mem::take(&mut body.topics) {
        let name = t.name.0.to_string();
        if !gate.topic(Op::Alter, &name) {
            denied.push(refused(
                &name,
                code::TOPIC_AUTHORIZATION_FAILED,
                "Topic authorization failed.".into(),
            ));
            continue;
        }
        match &state {
            Some(Err(e)) => {
                denied.push(refused(
                    &name,
                    code::UNKNOWN_SERVER_ERROR,
                    format!("The cluster could not be asked for its partitions: {e}"),
                ));
                continue;
            }
            Some(Ok((config, parts))) => {
                if t.assignments.is_some() {
                    denied.push(refused(&name, code::POLICY_VIOLATION, "Confluent Cloud places partitions itself: replica assignments are not allowed (POLICY_VIOLATION).".into()));
                    continue;
                }
                let used =
                    *in_use.get_or_insert_with(|| parts.values().map(|n| i64::from(*n)).sum());
                let now = i64::from(parts.get(&name).copied().unwrap_or(0));
                let limit = topic_rules::partition_limit(config);
                let after = used - now + i64::from(t.count);
                if t.count as i64 > now && after > limit {
                    denied.push(refused(&name, code::POLICY_VIOLATION, format!("Growing to {} partitions would exceed this cluster's limit of {limit} partitions ({used} in use) (POLICY_VIOLATION).", t.count)));
                    continue;
                }
                in_use = Some(after.max(used));
            }
            None => {}
        }
        kept.push(t);
    }
    body.topics = kept;
    forward_edited(
        reencode(req, frame, &body),
        Denied {
            topics: denied,
            ..Denied::default()
        },
    )
}

/// The verdict on one config a client wants to set (`value` None: a DELETE back to default).
/// Ok(Some(v)): set `v` instead (a default the service pins, see `topic_rules::PINNED`).
fn check_topic_config(
    name: &str,
    value: Option<&str>,
    config: &Value,
) -> Result<Option<String>, (i16, String)> {
    match value {
        Some(v) => topic_rules::check_config(name, v, config)
            .map(|_| None)
            .map_err(|e| (config_code(&e), e)),
        None if topic_rules::LOCKED.iter().any(|(n, _)| *n == name) => Err((
            code::POLICY_VIOLATION,
            format!("Config '{name}' can't be changed on Confluent Cloud (POLICY_VIOLATION)."),
        )),
        None => Ok(topic_rules::pinned(name).map(str::to_string)),
    }
}

/// IncrementalAlterConfigs (44) and the legacy AlterConfigs (33): ALTER_CONFIGS on the topic
/// (or the cluster, for broker resources), then the policies on each config.
pub(super) fn alter_configs(gate: &mut Gate, req: &Request, frame: &[u8]) -> Verdict {
    let config = gate.guard.policy().map(|p| p.cluster_config());
    let mut denied = Vec::new();
    let mut deny = |rtype: i8, name: &str, code: i16, message: String| {
        denied.push(ResourceDenied {
            resource_type: rtype,
            name: name.to_string(),
            code,
            message: Some(message),
        });
    };
    // Authorization and policy per resource; `ok` says which resources go on.
    let mut verdict = |gate: &mut Gate,
                       rtype: i8,
                       name: &str,
                       configs: Vec<(String, Option<String>, i8)>|
     -> Option<Vec<Option<String>>> {
        match rtype {
            TOPIC => {
                if !gate.topic(Op::AlterConfigs, name) {
                    deny(
                        rtype,
                        name,
                        code::TOPIC_AUTHORIZATION_FAILED,
                        "Topic authorization failed.".into(),
                    );
                    return None;
                }
                let Some(cfg) = &config else {
                    return Some(vec![None; configs.len()]);
                };
                let mut replaced = Vec::new();
                for (n, v, op) in configs {
                    // APPEND (2) and SUBTRACT (3) change list configs: checked like a SET.
                    let value = if op == 1 {
                        None
                    } else {
                        Some(v.unwrap_or_default())
                    };
                    match check_topic_config(&n, value.as_deref(), cfg) {
                        Ok(r) => replaced.push(r),
                        Err((c, m)) => {
                            deny(rtype, name, c, m);
                            return None;
                        }
                    }
                }
                Some(replaced)
            }
            BROKER | BROKER_LOGGER => {
                if !gate.cluster(Op::AlterConfigs) {
                    deny(
                        rtype,
                        name,
                        code::CLUSTER_AUTHORIZATION_FAILED,
                        "Cluster authorization failed.".into(),
                    );
                    return None;
                }
                if config.is_some() {
                    deny(rtype, name, code::POLICY_VIOLATION, "Broker configs are managed by Confluent Cloud and can't be altered over the Kafka protocol (POLICY_VIOLATION).".into());
                    return None;
                }
                Some(vec![None; configs.len()])
            }
            _ => {
                deny(
                    rtype,
                    name,
                    code::INVALID_REQUEST,
                    format!("Unknown config resource type {rtype}."),
                );
                None
            }
        }
    };
    let out = if req.api_key == 44 {
        let mut body: IncrementalAlterConfigsRequest = match decode_walked(req, frame) {
            Ok(b) => b,
            Err(e) => return Verdict::Close(format!("IncrementalAlterConfigs: {e}")),
        };
        let mut kept = Vec::new();
        for mut r in std::mem::take(&mut body.resources) {
            let configs = r
                .configs
                .iter()
                .map(|c| {
                    (
                        c.name.to_string(),
                        c.value.as_ref().map(|v| v.to_string()),
                        c.config_operation,
                    )
                })
                .collect();
            if let Some(replaced) =
                verdict(gate, r.resource_type, &r.resource_name.to_string(), configs)
            {
                for (c, new) in r.configs.iter_mut().zip(replaced) {
                    if let Some(v) = new {
                        c.config_operation = 0; // SET the pinned default instead of DELETE
                        c.value = Some(StrBytes::from_string(v));
                    }
                }
                kept.push(r);
            }
        }
        body.resources = kept;
        reencode(req, frame, &body)
    } else {
        let mut body: AlterConfigsRequest = match decode_walked(req, frame) {
            Ok(b) => b,
            Err(e) => return Verdict::Close(format!("AlterConfigs: {e}")),
        };
        let mut kept = Vec::new();
        for r in std::mem::take(&mut body.resources) {
            let configs = r
                .configs
                .iter()
                .map(|c| {
                    (
                        c.name.to_string(),
                        c.value.as_ref().map(|v| v.to_string()),
                        0,
                    )
                })
                .collect();
            if verdict(gate, r.resource_type, &r.resource_name.to_string(), configs).is_some() {
                kept.push(r);
            }
        }
        body.resources = kept;
        reencode(req, frame, &body)
    };
    drop(verdict);
    forward_edited(
        out,
        Denied {
            resources: denied,
            ..Denied::default()
        },
    )
}
