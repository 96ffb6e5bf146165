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

/// An ACL enum as Kafka REST names its field.
trait RestEnum: Sized + Copy {
    const FIELD: &'static str;
    fn parse(s: &str) -> Option<Self>;
    fn names() -> String;
}

macro_rules! rest_enum {
    ($($t:ident => $field:literal),*) => {$(
        impl RestEnum for $t {
            const FIELD: &'static str = $field;
            fn parse(s: &str) -> Option<Self> {
                $t::parse(s)
            }
            fn names() -> String {
                $t::names()
            }
        }
    )*};
}
rest_enum!(ResourceType => "resource_type", PatternType => "pattern_type",
    Operation => "operation", Permission => "permission");

/// A query or body enum, or Kafka REST's 400 naming the accepted values.
fn parse_enum<T: RestEnum>(value: Option<&str>) -> Result<Option<T>, RestError> {
    match value {
        None => Ok(None),
        Some(v) => T::parse(v)
            .map(Some)
            .ok_or_else(|| bad(format!("{} '{v}' is not one of {}.", T::FIELD, T::names()))),
    }
}

/// The filter a list or delete asks for. `required` names the parameters a delete must give.
fn filter_from(q: &HashMap<String, String>, required: bool) -> Result<AclFilter, RestError> {
    let get = |k: &str| q.get(k).map(String::as_str);
    fn query<T: RestEnum>(q: &HashMap<String, String>) -> Result<Option<T>, RestError> {
        parse_enum(q.get(T::FIELD).map(String::as_str))
    }
    let rtype: Option<ResourceType> = query(q)?;
    let pattern: Option<PatternType> = query(q)?;
    let op: Option<Operation> = query(q)?;
    let perm: Option<Permission> = query(q)?;
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
    fn text<'v>(v: &'v Value, at: &str, name: &str) -> Result<&'v str, RestError> {
        match v.get(name) {
            Some(Value::String(s)) => Ok(s.as_str()),
            None | Some(Value::Null) => Err(bad(format!("{at}{name} is required."))),
            Some(_) => Err(bad(format!("{at}{name} must be a string."))),
        }
    }
    fn required<T: RestEnum>(v: &Value, at: &str) -> Result<T, RestError> {
        Ok(parse_enum(Some(text(v, at, T::FIELD)?))?.expect("a value was given"))
    }
    let field = |name: &str| text(v, at, name);
    let resource_type: ResourceType = required(v, at)?;
    let pattern_type: PatternType = required(v, at)?;
    let operation: Operation = required(v, at)?;
    let permission: Permission = required(v, at)?;
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
