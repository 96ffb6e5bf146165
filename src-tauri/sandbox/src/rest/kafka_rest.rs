//! Kafka REST v3 on each cluster's `http_endpoint`, authenticated with that cluster's API key.
//! Every call acts on the cluster's real broker through the sandbox's Kafka client.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use base64::Engine;
use serde_json::{json, Value};

use super::common::require_cluster_key;
use super::errors::{RestError, RestResult};
use crate::acl::{self, Operation, Principal, ResourceType};
use crate::broker_client::{BrokerError, ConfigOp, ProduceRecord, TopicInfo};
use crate::cluster::{ClusterRuntime, Phase};
use crate::organization::Organization;
use crate::topic_rules::{self, EDITABLE, LOCKED};

/// Confluent's default partition count for new topics (Dedicated `num.partitions` default: 6).
const DEFAULT_PARTITIONS: i64 = 6;

fn kerr(status: StatusCode, code: i32, message: impl Into<String>) -> RestError {
    RestError::kafka(status, code, message)
}

/// Maps the broker's answer to Kafka REST's status codes and error codes.
fn broker_error(e: BrokerError, topic: &str) -> RestError {
    match &e {
        BrokerError::Io(_) => kerr(
            StatusCode::SERVICE_UNAVAILABLE,
            50301,
            format!("The cluster's broker is unreachable: {e}"),
        ),
        BrokerError::Protocol(_) => kerr(StatusCode::INTERNAL_SERVER_ERROR, 50003, e.to_string()),
        BrokerError::Broker { name, .. } => match *name {
            "TOPIC_ALREADY_EXISTS" => kerr(
                StatusCode::BAD_REQUEST,
                40002,
                format!("Topic '{topic}' already exists."),
            ),
            "UNKNOWN_TOPIC_OR_PARTITION" => kerr(
                StatusCode::NOT_FOUND,
                40403,
                "This server does not host this topic-partition.",
            ),
            "MESSAGE_TOO_LARGE" | "RECORD_LIST_TOO_LARGE" => kerr(
                StatusCode::PAYLOAD_TOO_LARGE,
                413,
                format!("The record is larger than the topic accepts: {e}"),
            ),
            _ => kerr(StatusCode::BAD_REQUEST, 40002, e.to_string()),
        },
    }
}

/// Kafka REST's refusal of what the key's owner may not do.
pub(super) fn forbidden() -> RestError {
    kerr(StatusCode::FORBIDDEN, 40301, "Request is not authorized")
}

/// Whether the caller may do `op` on the resource, by the cluster's ACLs (a user may do all).
pub(super) fn allowed(
    cloud: &Organization,
    cluster: &str,
    who: &Principal,
    op: Operation,
    rtype: ResourceType,
    name: &str,
) -> bool {
    who.is_superuser() || acl::authorize(&cloud.acls_of(cluster), who, op, rtype, name)
}

pub(super) fn authorize_or_403(
    cloud: &Organization,
    cluster: &str,
    who: &Principal,
    op: Operation,
    rtype: ResourceType,
    name: &str,
) -> Result<(), RestError> {
    if allowed(cloud, cluster, who, op, rtype, name) {
        Ok(())
    } else {
        Err(forbidden())
    }
}

/// Decides many of one kind at once (a topic list): the ACLs are read once.
fn may(
    cloud: &Organization,
    cluster: &str,
    who: &Principal,
    op: Operation,
    rtype: ResourceType,
) -> impl Fn(&str) -> bool {
    let acls = cloud.acls_of(cluster);
    let who = who.clone();
    move |name| who.is_superuser() || acl::authorize(&acls, &who, op, rtype, name)
}

/// Who calls: the owner of a Kafka API key of this very cluster (401 otherwise).
pub(super) fn caller(
    cloud: &Organization,
    headers: &HeaderMap,
    cluster: &str,
) -> Result<Principal, RestError> {
    cloud.read(|s| require_cluster_key(s, headers, cluster))
}

/// Auth + lookup shared by every v3 call: the cluster must exist, the key must be this
/// cluster's, and its broker must be running. Returns whom the key acts as.
/// Auth comes first: a key of another (or no) cluster gets 401 whatever the cluster id, as the
/// official contract has no 404 for cluster-level paths.
fn runtime(
    cloud: &Organization,
    headers: &HeaderMap,
    cluster: &str,
) -> Result<(Arc<ClusterRuntime>, Value, Principal), RestError> {
    let who = caller(cloud, headers, cluster)?;
    let config = cloud.read(|s| s.cluster(cluster).map(|c| c.config.clone()));
    let Some(config) = config else {
        return Err(kerr(
            StatusCode::UNAUTHORIZED,
            40101,
            "Authentication failed",
        ));
    };
    let rt = cloud.runtime(cluster).ok_or_else(|| {
        kerr(
            StatusCode::SERVICE_UNAVAILABLE,
            50301,
            "The cluster is not running.",
        )
    })?;
    match rt.phase() {
        Phase::Provisioned => Ok((rt, config, who)),
        Phase::Provisioning => Err(kerr(
            StatusCode::SERVICE_UNAVAILABLE,
            50301,
            "The cluster is still provisioning; try again shortly.",
        )),
        Phase::Failed(why) => Err(kerr(
            StatusCode::SERVICE_UNAVAILABLE,
            50301,
            format!("The cluster failed: {why}"),
        )),
    }
}

/// The cluster's runtime and the caller, once the caller may do `op` on `topic` (403 before any
/// lookup, so a topic the caller may not see is not said to exist or not).
fn topic_access(
    cloud: &Organization,
    headers: &HeaderMap,
    cluster: &str,
    op: Operation,
    topic: &str,
) -> Result<(Arc<ClusterRuntime>, Value, Principal), RestError> {
    let (rt, config, who) = runtime(cloud, headers, cluster)?;
    authorize_or_403(cloud, cluster, &who, op, ResourceType::Topic, topic)?;
    Ok((rt, config, who))
}

fn base(cloud: &Organization, cluster: &str) -> String {
    format!("{}/kafka/v3/clusters/{cluster}", cloud.base_url)
}

fn enc(segment: &str) -> String {
    percent_encoding::utf8_percent_encode(segment, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn related(url: String) -> Value {
    json!({ "related": url })
}

fn list(kind: &str, self_url: String, data: Vec<Value>) -> Value {
    json!({ "kind": kind, "metadata": { "self": self_url, "next": null }, "data": data })
}

fn topic_json(cloud: &Organization, cluster: &str, t: &TopicInfo) -> Value {
    let url = format!("{}/topics/{}", base(cloud, cluster), enc(&t.name));
    json!({
        "kind": "KafkaTopic",
        "metadata": { "self": url, "resource_name": format!("crn:///kafka={cluster}/topic={}", t.name) },
        "cluster_id": cluster,
        "topic_name": t.name,
        "is_internal": t.internal,
        "replication_factor": t.partitions.first().map_or(0, |p| p.replicas.len()),
        "partitions_count": t.partitions.len(),
        "partitions": related(format!("{url}/partitions")),
        "configs": related(format!("{url}/configs")),
        "partition_reassignments": related(format!("{url}/partitions/-/reassignment")),
    })
}

pub(super) fn parse_json(body: &[u8]) -> Result<Value, RestError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(kerr(
            StatusCode::UNPROCESSABLE_ENTITY,
            422,
            "Payload error. Request body is empty. Data is required.",
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        kerr(
            StatusCode::BAD_REQUEST,
            400,
            format!("Bad Request: the body is not valid JSON: {e}"),
        )
    })
}

async fn existing_topic(rt: &ClusterRuntime, topic: &str) -> Result<TopicInfo, RestError> {
    rt.admin
        .topic(topic)
        .await
        .map_err(|e| broker_error(e, topic))?
        .ok_or_else(|| {
            kerr(
                StatusCode::NOT_FOUND,
                40403,
                "This server does not host this topic-partition.",
            )
        })
}

pub async fn cluster(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(cluster): Path<String>,
) -> RestResult {
    runtime(&cloud, &headers, &cluster)?;
    let b = base(&cloud, &cluster);
    Ok(Json(json!({
        "kind": "KafkaCluster",
        "metadata": { "self": b, "resource_name": format!("crn:///kafka={cluster}") },
        "cluster_id": cluster,
        "acls": related(format!("{b}/acls")),
        "brokers": related(format!("{b}/brokers")),
        "broker_configs": related(format!("{b}/broker-configs")),
        "consumer_groups": related(format!("{b}/consumer-groups")),
        "topics": related(format!("{b}/topics")),
        "partition_reassignments": related(format!("{b}/topics/-/partitions/-/reassignment")),
    }))
    .into_response())
}

pub async fn list_topics(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(cluster): Path<String>,
) -> RestResult {
    let (rt, _, who) = runtime(&cloud, &headers, &cluster)?;
    let mut topics = rt
        .admin
        .list_topics()
        .await
        .map_err(|e| broker_error(e, ""))?;
    topics.sort_by(|a, b| a.name.cmp(&b.name));
    // Only what the key's owner may DESCRIBE, as Confluent lists them.
    let visible = may(
        &cloud,
        &cluster,
        &who,
        Operation::Describe,
        ResourceType::Topic,
    );
    let data = topics
        .iter()
        .filter(|t| !t.internal && visible(&t.name))
        .map(|t| topic_json(&cloud, &cluster, t))
        .collect();
    Ok(Json(list(
        "KafkaTopicList",
        format!("{}/topics", base(&cloud, &cluster)),
        data,
    ))
    .into_response())
}

pub async fn create_topic(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(cluster): Path<String>,
    body: Bytes,
) -> RestResult {
    let (rt, cluster_config, who) = runtime(&cloud, &headers, &cluster)?;
    let body = parse_json(&body)?;
    let bad = |m: String| kerr(StatusCode::BAD_REQUEST, 40002, m);
    let name = body
        .get("topic_name")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("topic_name is required.".into()))?
        .to_string();
    // CREATE on the cluster, or on the topic (a prefix ACL lets an app create its own topics).
    if !allowed(
        &cloud,
        &cluster,
        &who,
        Operation::Create,
        ResourceType::Cluster,
        acl::CLUSTER_RESOURCE,
    ) {
        authorize_or_403(
            &cloud,
            &cluster,
            &who,
            Operation::Create,
            ResourceType::Topic,
            &name,
        )?;
    }
    topic_rules::check_topic_name(&name).map_err(bad)?;
    let partitions = match body.get("partitions_count") {
        None | Some(Value::Null) => DEFAULT_PARTITIONS,
        Some(v) => v
            .as_i64()
            .ok_or_else(|| bad("partitions_count must be an integer.".into()))?,
    };
    if partitions < 1 {
        return Err(bad(format!(
            "Number of partitions must be larger than 0 (got {partitions})."
        )));
    }
    let limit = topic_rules::partition_limit(&cluster_config);
    let existing: i64 = rt
        .admin
        .list_topics()
        .await
        .map_err(|e| broker_error(e, &name))?
        .iter()
        .map(|t| t.partitions.len() as i64)
        .sum();
    if existing + partitions > limit {
        return Err(bad(format!(
            "Creating {partitions} partitions would exceed this cluster's limit of {limit} partitions ({existing} in use) (POLICY_VIOLATION)."
        )));
    }
    match body.get("replication_factor") {
        None | Some(Value::Null) => {}
        Some(v) if v.as_i64() == Some(3) => {}
        Some(v) => {
            return Err(bad(format!(
            "Topic replication factor must be 3 on Confluent Cloud (got {v}) (POLICY_VIOLATION)."
        )))
        }
    }
    let mut configs = Vec::new();
    for c in body
        .get("configs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(n), Some(v)) = (
            c.get("name").and_then(Value::as_str),
            c.get("value").and_then(Value::as_str),
        ) else {
            return Err(bad("Each config needs a name and a string value.".into()));
        };
        topic_rules::check_config(n, v, &cluster_config).map_err(bad)?;
        configs.push((n.to_string(), v.to_string()));
    }
    for (name, value) in topic_rules::PINNED {
        if !configs.iter().any(|(n, _)| n == name) {
            configs.push((name.to_string(), value.to_string()));
        }
    }
    let validate_only = body
        .get("validate_only")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    // Replication is the provider's business: the broker's own default applies (-1).
    rt.admin
        .create_topic(&name, partitions as i32, -1, &configs, validate_only)
        .await
        .map_err(|e| broker_error(e, &name))?;
    if validate_only {
        let preview = TopicInfo {
            name: name.clone(),
            internal: false,
            partitions: Vec::new(),
        };
        return Ok(Json(topic_json(&cloud, &cluster, &preview)).into_response());
    }
    let topic = existing_topic(&rt, &name).await?;
    Ok((
        StatusCode::CREATED,
        Json(topic_json(&cloud, &cluster, &topic)),
    )
        .into_response())
}

pub async fn get_topic(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path((cluster, topic)): Path<(String, String)>,
    axum::extract::Query(q): axum::extract::Query<HashMap<String, String>>,
) -> RestResult {
    // Before the lookup: a topic the caller may not DESCRIBE is not said to exist or not.
    let (rt, _, who) = topic_access(&cloud, &headers, &cluster, Operation::Describe, &topic)?;
    let t = existing_topic(&rt, &topic).await?;
    let mut out = topic_json(&cloud, &cluster, &t);
    if q.get("include_authorized_operations")
        .is_some_and(|v| v == "true")
    {
        let can = |op| allowed(&cloud, &cluster, &who, op, ResourceType::Topic, &topic);
        let ops: Vec<&str> = ResourceType::Topic
            .operations()
            .iter()
            .filter(|op| **op != Operation::All && can(**op))
            .map(|op| op.as_str())
            .collect();
        out["authorized_operations"] = json!(ops);
    }
    Ok(Json(out).into_response())
}

pub async fn delete_topic(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path((cluster, topic)): Path<(String, String)>,
) -> RestResult {
    let (rt, _, _) = topic_access(&cloud, &headers, &cluster, Operation::Delete, &topic)?;
    existing_topic(&rt, &topic).await?;
    rt.admin
        .delete_topic(&topic)
        .await
        .map_err(|e| broker_error(e, &topic))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Confluent lists every config with its default, the broker only explicitly set ones: merge.
fn merged_configs(
    cluster: &str,
    topic: &str,
    url: &str,
    set: &HashMap<String, Option<String>>,
) -> Vec<Value> {
    EDITABLE
        .iter()
        .map(|(n, d)| (n, d, false))
        .chain(LOCKED.iter().map(|(n, d)| (n, d, true)))
        .map(|(name, default, read_only)| {
            let explicit = set
                .get(*name)
                .cloned()
                .flatten()
                .filter(|v| topic_rules::pinned(name) != Some(v.as_str()));
            let source = if explicit.is_some() { "DYNAMIC_TOPIC_CONFIG" } else { "DEFAULT_CONFIG" };
            json!({
                "kind": "KafkaTopicConfig",
                "metadata": { "self": format!("{url}/{name}"), "resource_name": format!("crn:///kafka={cluster}/topic={topic}/config={name}") },
                "cluster_id": cluster,
                "topic_name": topic,
                "name": name,
                "value": explicit.clone().unwrap_or_else(|| default.to_string()),
                "is_default": explicit.is_none(),
                "is_read_only": read_only,
                "is_sensitive": false,
                "source": source,
                "synonyms": [],
            })
        })
        .collect()
}

fn explicit(entries: Vec<crate::broker_client::ConfigEntry>) -> HashMap<String, Option<String>> {
    entries.into_iter().map(|c| (c.name, c.value)).collect()
}

pub async fn list_configs(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path((cluster, topic)): Path<(String, String)>,
) -> RestResult {
    let (rt, _, _) = topic_access(
        &cloud,
        &headers,
        &cluster,
        Operation::DescribeConfigs,
        &topic,
    )?;
    existing_topic(&rt, &topic).await?;
    let set = explicit(
        rt.admin
            .describe_topic_configs(&topic)
            .await
            .map_err(|e| broker_error(e, &topic))?,
    );
    let url = format!("{}/topics/{}/configs", base(&cloud, &cluster), enc(&topic));
    let data = merged_configs(&cluster, &topic, &url, &set);
    Ok(Json(list("KafkaTopicConfigList", url, data)).into_response())
}

/// `GET …/topics/-/configs`: every topic's configs in one answer (one DescribeConfigs per
/// batch of topics, so a 2,000-topic list costs a handful of broker round trips).
pub async fn list_all_configs(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(cluster): Path<String>,
) -> RestResult {
    let (rt, _, who) = runtime(&cloud, &headers, &cluster)?;
    let visible = may(
        &cloud,
        &cluster,
        &who,
        Operation::DescribeConfigs,
        ResourceType::Topic,
    );
    let mut topics: Vec<String> = rt
        .admin
        .list_topics()
        .await
        .map_err(|e| broker_error(e, ""))?
        .into_iter()
        .filter(|t| !t.internal && visible(&t.name))
        .map(|t| t.name)
        .collect();
    topics.sort();
    let mut data = Vec::new();
    for batch in topics.chunks(500) {
        let names: Vec<&str> = batch.iter().map(String::as_str).collect();
        let described = rt
            .admin
            .describe_many_topic_configs(&names)
            .await
            .map_err(|e| broker_error(e, ""))?;
        for (topic, result) in described {
            // A topic deleted between the two calls is simply no longer listed.
            let Ok(entries) = result else { continue };
            let url = format!("{}/topics/{}/configs", base(&cloud, &cluster), enc(&topic));
            data.extend(merged_configs(&cluster, &topic, &url, &explicit(entries)));
        }
    }
    let url = format!("{}/topics/-/configs", base(&cloud, &cluster));
    Ok(Json(list("KafkaTopicConfigList", url, data)).into_response())
}

pub async fn alter_configs(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path((cluster, topic)): Path<(String, String)>,
    body: Bytes,
) -> RestResult {
    let (rt, cluster_config, _) =
        topic_access(&cloud, &headers, &cluster, Operation::AlterConfigs, &topic)?;
    let body = parse_json(&body)?;
    let bad = |m: String| kerr(StatusCode::BAD_REQUEST, 40002, m);
    existing_topic(&rt, &topic).await?;
    let mut ops = Vec::new();
    for item in body
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("data (a list of {name, value, operation}) is required.".into()))?
    {
        let name = item
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("Each config needs a name.".into()))?;
        match item
            .get("operation")
            .and_then(Value::as_str)
            .unwrap_or("SET")
            .to_uppercase()
            .as_str()
        {
            "SET" => {
                let value = item
                    .get("value")
                    .and_then(Value::as_str)
                    .ok_or_else(|| bad(format!("Config '{name}' needs a string value.")))?;
                topic_rules::check_config(name, value, &cluster_config).map_err(bad)?;
                ops.push(ConfigOp::Set(name.into(), value.into()));
            }
            "DELETE" => {
                if LOCKED.iter().any(|(n, _)| *n == name) {
                    return Err(bad(format!(
                        "Config '{name}' can't be changed on Confluent Cloud (POLICY_VIOLATION)."
                    )));
                }
                // Back to the service's default; one the broker doesn't share is set explicitly.
                ops.push(match topic_rules::pinned(name) {
                    Some(v) => ConfigOp::Set(name.into(), v.into()),
                    None => ConfigOp::Delete(name.into()),
                });
            }
            other => {
                return Err(bad(format!(
                    "Unknown operation '{other}'; use SET or DELETE."
                )))
            }
        }
    }
    let validate_only = body
        .get("validate_only")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    rt.admin
        .alter_topic_configs(&topic, &ops, validate_only)
        .await
        .map_err(|e| broker_error(e, &topic))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn partition_json(cloud: &Organization, cluster: &str, topic: &str, id: i32) -> Value {
    let url = format!(
        "{}/topics/{}/partitions/{id}",
        base(cloud, cluster),
        enc(topic)
    );
    json!({
        "kind": "KafkaPartition",
        "metadata": { "self": url, "resource_name": format!("crn:///kafka={cluster}/topic={topic}/partition={id}") },
        "cluster_id": cluster,
        "topic_name": topic,
        "partition_id": id,
        "leader": related(format!("{url}/replicas/leader")),
        "replicas": related(format!("{url}/replicas")),
        "reassignment": related(format!("{url}/reassignment")),
    })
}

pub async fn list_partitions(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path((cluster, topic)): Path<(String, String)>,
) -> RestResult {
    let (rt, _, _) = topic_access(&cloud, &headers, &cluster, Operation::Describe, &topic)?;
    let t = existing_topic(&rt, &topic).await?;
    let data = t
        .partitions
        .iter()
        .map(|p| partition_json(&cloud, &cluster, &topic, p.id))
        .collect();
    Ok(Json(list(
        "KafkaPartitionList",
        format!(
            "{}/topics/{}/partitions",
            base(&cloud, &cluster),
            enc(&topic)
        ),
        data,
    ))
    .into_response())
}

pub async fn get_partition(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path((cluster, topic, partition)): Path<(String, String, i32)>,
) -> RestResult {
    let (rt, _, _) = topic_access(&cloud, &headers, &cluster, Operation::Describe, &topic)?;
    let t = existing_topic(&rt, &topic).await?;
    if !t.partitions.iter().any(|p| p.id == partition) {
        return Err(kerr(
            StatusCode::NOT_FOUND,
            40403,
            "This server does not host this topic-partition.",
        ));
    }
    Ok(Json(partition_json(&cloud, &cluster, &topic, partition)).into_response())
}

/// `{type, data}` → bytes: BINARY is base64, JSON is any JSON value, STRING is text.
fn payload(v: Option<&Value>, field: &str) -> Result<Option<(String, Bytes)>, RestError> {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let kind = v
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("BINARY")
        .to_uppercase();
    let data = v.get("data").unwrap_or(&Value::Null);
    let bad = |m: String| kerr(StatusCode::BAD_REQUEST, 400, format!("Bad Request: {m}"));
    let bytes = match kind.as_str() {
        "BINARY" => {
            let s = data
                .as_str()
                .ok_or_else(|| bad(format!("{field}.data must be a base64 string.")))?;
            base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(|_| bad(format!("data={s} is not a base64 string.")))?
        }
        "JSON" => serde_json::to_vec(data).expect("JSON value serialises"),
        "STRING" => data
            .as_str()
            .ok_or_else(|| bad(format!("{field}.data must be a string.")))?
            .as_bytes()
            .to_vec(),
        other => {
            return Err(bad(format!(
                "{field}.type '{other}' is not supported; use BINARY, JSON or STRING."
            )))
        }
    };
    Ok(Some((kind, Bytes::from(bytes))))
}

pub async fn produce(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path((cluster, topic)): Path<(String, String)>,
    body: Bytes,
) -> RestResult {
    let (rt, _, _) = topic_access(&cloud, &headers, &cluster, Operation::Write, &topic)?;
    let body = parse_json(&body)?;
    let t = existing_topic(&rt, &topic).await?;
    let bad = |m: String| kerr(StatusCode::BAD_REQUEST, 400, format!("Bad Request: {m}"));
    let partition = match body.get("partition_id") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let p = v
                .as_i64()
                .ok_or_else(|| bad("partition_id must be an integer.".into()))?
                as i32;
            if !t.partitions.iter().any(|x| x.id == p) {
                return Err(kerr(
                    StatusCode::NOT_FOUND,
                    40403,
                    "This server does not host this topic-partition.",
                ));
            }
            Some(p)
        }
    };
    let key = payload(body.get("key"), "key")?;
    let value = payload(body.get("value"), "value")?;
    let mut record_headers = Vec::new();
    for h in body
        .get("headers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = h
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("Each header needs a name.".into()))?;
        let value = match h.get("value") {
            None | Some(Value::Null) => None,
            Some(v) => {
                let s = v.as_str().ok_or_else(|| {
                    bad(format!("Header '{name}' value must be a base64 string."))
                })?;
                Some(Bytes::from(
                    base64::engine::general_purpose::STANDARD
                        .decode(s)
                        .map_err(|_| bad(format!("data={s} is not a base64 string.")))?,
                ))
            }
        };
        record_headers.push((name.to_string(), value));
    }
    let timestamp_ms = match body.get("timestamp").and_then(Value::as_str) {
        None => None,
        Some(s) => Some(
            chrono::DateTime::parse_from_rfc3339(s)
                .map_err(|_| bad(format!("timestamp '{s}' is not an RFC 3339 date-time.")))?
                .timestamp_millis(),
        ),
    };
    let data_bytes = key.as_ref().map_or(0, |(_, b)| b.len())
        + value.as_ref().map_or(0, |(_, b)| b.len())
        + record_headers
            .iter()
            .map(|(n, v)| n.len() + v.as_ref().map_or(0, |b| b.len()))
            .sum::<usize>();
    let record = ProduceRecord {
        partition,
        key: key.as_ref().map(|(_, b)| b.clone()),
        value: value.as_ref().map(|(_, b)| b.clone()),
        headers: record_headers,
        timestamp_ms,
    };
    let result = rt
        .admin
        .produce(&topic, record)
        .await
        .map_err(|e| broker_error(e, &topic))?;
    cloud
        .metrics
        .cluster(&cluster)
        .rest_produced(&topic, result.partition, data_bytes as u64);
    let timestamp = chrono::DateTime::from_timestamp_millis(result.timestamp_ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
    let mut out = json!({
        "error_code": 200,
        "cluster_id": cluster,
        "topic_name": topic,
        "partition_id": result.partition,
        "offset": result.offset,
        "timestamp": timestamp,
    });
    if let Some((kind, bytes)) = key {
        out["key"] = json!({ "type": kind, "size": bytes.len() });
    }
    if let Some((kind, bytes)) = value {
        out["value"] = json!({ "type": kind, "size": bytes.len() });
    }
    Ok(Json(out).into_response())
}

pub async fn list_groups(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(cluster): Path<String>,
) -> RestResult {
    let (rt, _, who) = runtime(&cloud, &headers, &cluster)?;
    let all_groups = allowed(
        &cloud,
        &cluster,
        &who,
        Operation::Describe,
        ResourceType::Cluster,
        acl::CLUSTER_RESOURCE,
    );
    let visible = may(
        &cloud,
        &cluster,
        &who,
        Operation::Describe,
        ResourceType::Group,
    );
    let groups = rt
        .admin
        .list_groups()
        .await
        .map_err(|e| broker_error(e, ""))?;
    let b = base(&cloud, &cluster);
    let data = groups
        .iter()
        .filter(|g| all_groups || visible(&g.group_id))
        .map(|g| {
            let url = format!("{b}/consumer-groups/{}", enc(&g.group_id));
            let state = match g.state.to_uppercase().replace(' ', "_").as_str() {
                s @ ("STABLE" | "EMPTY" | "DEAD" | "PREPARING_REBALANCE" | "COMPLETING_REBALANCE" | "ASSIGNING" | "RECONCILING") => s.to_string(),
                "PREPARINGREBALANCE" => "PREPARING_REBALANCE".into(),
                "COMPLETINGREBALANCE" => "COMPLETING_REBALANCE".into(),
                _ => "UNKNOWN".into(),
            };
            json!({
                "kind": "KafkaConsumerGroup",
                "metadata": { "self": url, "resource_name": format!("crn:///kafka={cluster}/consumer-group={}", g.group_id) },
                "cluster_id": cluster,
                "consumer_group_id": g.group_id,
                "is_simple": g.is_simple,
                "partition_assignor": "",
                "state": state,
                "type": "CLASSIC",
                "is_mixed_consumer_group": false,
                "coordinator": related(format!("{b}/brokers/0")),
                "consumers": related(format!("{url}/consumers")),
                "lag_summary": related(format!("{url}/lag-summary")),
            })
        })
        .collect();
    Ok(Json(list(
        "KafkaConsumerGroupList",
        format!("{b}/consumer-groups"),
        data,
    ))
    .into_response())
}
