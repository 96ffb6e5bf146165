//! Kafka REST v3 ACLs (kafka-rest-v3.yaml `/acls`, `/acls:batch`), on the cluster's own ACLs —
//! the same ones the front doors enforce and Kafka admin clients see. Listing needs DESCRIBE on
//! the cluster, creating and deleting ALTER, as Kafka's authorizer asks.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use super::errors::{RestError, RestResult};
use super::kafka_rest::{authorize_or_403, caller, parse_json};
use crate::acl::{
    AclBinding, AclFilter, Operation, PatternType, Permission, PrincipalFilter, ResourceType,
    CLUSTER_RESOURCE,
};
use crate::organization::Organization;

fn bad(message: impl Into<String>) -> RestError {
    RestError::kafka(StatusCode::BAD_REQUEST, 400, message)
}

fn invalid(message: impl Into<String>) -> RestError {
    RestError::kafka(StatusCode::BAD_REQUEST, 40002, message)
}

fn enc(v: &str) -> String {
    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn acl_json(cloud: &Organization, a: &AclBinding) -> Value {
    let query = format!(
        "resource_type={}&resource_name={}&pattern_type={}&principal={}&host={}&operation={}&permission={}",
        a.resource_type.as_str(),
        enc(&a.resource_name),
        a.pattern_type.as_str(),
        enc(&a.principal),
        enc(&a.host),
        a.operation.as_str(),
        a.permission.as_str()
    );
    json!({
        "kind": "KafkaAcl",
        "metadata": { "self": format!("{}/kafka/v3/clusters/{}/acls?{query}", cloud.base_url, a.cluster) },
        "cluster_id": a.cluster,
        "resource_type": a.resource_type.as_str(),
        "resource_name": a.resource_name,
        "pattern_type": a.pattern_type.as_str(),
        "principal": a.principal,
        "host": a.host,
        "operation": a.operation.as_str(),
        "permission": a.permission.as_str(),
    })
}

/// A query or body enum, or Kafka REST's 400 naming the accepted values.
fn parse_enum<T>(
    field: &str,
    value: Option<&str>,
    parse: fn(&str) -> Option<T>,
    names: fn() -> String,
) -> Result<Option<T>, RestError> {
    match value {
        None => Ok(None),
        Some(v) => parse(v)
            .map(Some)
            .ok_or_else(|| bad(format!("{field} '{v}' is not one of {}.", names()))),
    }
}

/// The filter a list or delete asks for. `required` names the parameters a delete must give.
fn filter_from(q: &HashMap<String, String>, required: bool) -> Result<AclFilter, RestError> {
    let get = |k: &str| q.get(k).map(String::as_str);
    let rtype = parse_enum(
        "resource_type",
        get("resource_type"),
        ResourceType::parse,
        ResourceType::names,
    )?;
    let pattern = parse_enum(
        "pattern_type",
        get("pattern_type"),
        PatternType::parse,
        PatternType::names,
    )?;
    let op = parse_enum(
        "operation",
        get("operation"),
        Operation::parse,
        Operation::names,
    )?;
    let perm = parse_enum(
        "permission",
        get("permission"),
        Permission::parse,
        Permission::names,
    )?;
    if required {
        for (name, missing) in [
            (
                "resource_type",
                rtype.is_none_or(|t| t == ResourceType::Unknown),
            ),
            (
                "pattern_type",
                pattern.is_none_or(|t| t == PatternType::Unknown),
            ),
            ("operation", op.is_none_or(|t| t == Operation::Unknown)),
            ("permission", perm.is_none_or(|t| t == Permission::Unknown)),
        ] {
            if missing {
                return Err(bad(format!("{name} cannot be unspecified or UNKNOWN")));
            }
        }
    }
    Ok(AclFilter {
        resource_type: rtype.unwrap_or(ResourceType::Any),
        resource_name: get("resource_name").map(str::to_string),
        pattern_type: pattern.unwrap_or(PatternType::Any),
        principal: PrincipalFilter::parse(get("principal")),
        host: get("host").map(str::to_string),
        operation: op.unwrap_or(Operation::Any),
        permission: perm.unwrap_or(Permission::Any),
    })
}

/// One ACL from a request body: all seven fields are required (kafka-rest-v3.yaml
/// `CreateAclRequestData`).
fn binding_from(cluster: &str, v: &Value, at: &str) -> Result<AclBinding, RestError> {
    let field = |name: &str| -> Result<&str, RestError> {
        match v.get(name) {
            Some(Value::String(s)) => Ok(s.as_str()),
            None | Some(Value::Null) => Err(bad(format!("{at}{name} is required."))),
            Some(_) => Err(bad(format!("{at}{name} must be a string."))),
        }
    };
    fn req<T>(at: &str, name: &str, parsed: Result<Option<T>, RestError>) -> Result<T, RestError> {
        parsed?.ok_or_else(|| bad(format!("{at}{name} is required.")))
    }
    let resource_type = req(
        at,
        "resource_type",
        parse_enum(
            "resource_type",
            Some(field("resource_type")?),
            ResourceType::parse,
            ResourceType::names,
        ),
    )?;
    let pattern_type = req(
        at,
        "pattern_type",
        parse_enum(
            "pattern_type",
            Some(field("pattern_type")?),
            PatternType::parse,
            PatternType::names,
        ),
    )?;
    let operation = req(
        at,
        "operation",
        parse_enum(
            "operation",
            Some(field("operation")?),
            Operation::parse,
            Operation::names,
        ),
    )?;
    let permission = req(
        at,
        "permission",
        parse_enum(
            "permission",
            Some(field("permission")?),
            Permission::parse,
            Permission::names,
        ),
    )?;
    Ok(AclBinding {
        cluster: cluster.to_string(),
        resource_type,
        resource_name: field("resource_name")?.to_string(),
        pattern_type,
        principal: crate::acl::normalize_principal(field("principal")?),
        host: field("host")?.to_string(),
        operation,
        permission,
    })
}

/// Stores ACLs all or nothing, answering a bad one with 40002 and what is wrong with it.
fn store(cloud: &Organization, acls: Vec<AclBinding>, batch: bool) -> RestResult {
    cloud.create_acls(acls).map_err(|(i, p)| {
        let at = if batch {
            format!("data[{i}].")
        } else {
            String::new()
        };
        if p.field.is_empty() {
            RestError::kafka(StatusCode::INTERNAL_SERVER_ERROR, 500, p.message)
        } else if p.field == "resource_name" && p.message.contains(CLUSTER_RESOURCE) {
            invalid(p.message)
        } else {
            invalid(format!("{at}{}: {}", p.field, p.message))
        }
    })?;
    Ok(StatusCode::CREATED.into_response())
}

/// The caller's key, then 403 unless its owner may do `op` on the cluster (DESCRIBE to list
/// ACLs, ALTER to change them, as Kafka's own admin APIs ask).
fn may_on_cluster(
    cloud: &Organization,
    headers: &HeaderMap,
    cluster: &str,
    op: Operation,
) -> Result<(), RestError> {
    let who = caller(cloud, headers, cluster)?;
    authorize_or_403(
        cloud,
        cluster,
        &who,
        op,
        ResourceType::Cluster,
        CLUSTER_RESOURCE,
    )
}

pub async fn list(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(cluster): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> RestResult {
    may_on_cluster(&cloud, &headers, &cluster, Operation::Describe)?;
    let filter = filter_from(&q, false)?;
    let data: Vec<Value> = cloud
        .acls_of(&cluster)
        .iter()
        .filter(|a| filter.matches(a))
        .map(|a| acl_json(&cloud, a))
        .collect();
    let mut query: Vec<String> = q.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect();
    query.sort();
    let url = format!("{}/kafka/v3/clusters/{cluster}/acls", cloud.base_url);
    let url = if query.is_empty() {
        url
    } else {
        format!("{url}?{}", query.join("&"))
    };
    Ok(Json(
        json!({ "kind": "KafkaAclList", "metadata": { "self": url, "next": null }, "data": data }),
    )
    .into_response())
}

pub async fn create(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(cluster): Path<String>,
    body: Bytes,
) -> RestResult {
    may_on_cluster(&cloud, &headers, &cluster, Operation::Alter)?;
    let body = parse_json(&body)?;
    if !body.is_object() {
        return Err(bad("The request body must be a JSON object."));
    }
    store(&cloud, vec![binding_from(&cluster, &body, "")?], false)
}

pub async fn create_batch(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(cluster): Path<String>,
    body: Bytes,
) -> RestResult {
    may_on_cluster(&cloud, &headers, &cluster, Operation::Alter)?;
    let body = parse_json(&body)?;
    let items = body
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("data (a list of ACLs) is required."))?;
    let acls = items
        .iter()
        .enumerate()
        .map(|(i, v)| binding_from(&cluster, v, &format!("data[{i}].")))
        .collect::<Result<Vec<_>, _>>()?;
    store(&cloud, acls, true)
}

pub async fn delete(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(cluster): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> RestResult {
    may_on_cluster(&cloud, &headers, &cluster, Operation::Alter)?;
    let filter = filter_from(&q, true)?;
    let deleted = cloud
        .delete_acls(&cluster, &[filter])
        .map_err(|e| RestError::kafka(StatusCode::INTERNAL_SERVER_ERROR, 500, e))?;
    let data: Vec<Value> = deleted
        .iter()
        .flatten()
        .map(|a| acl_json(&cloud, a))
        .collect();
    Ok(Json(json!({ "data": data })).into_response())
}
