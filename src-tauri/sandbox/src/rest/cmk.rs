//! `cmk/v2/clusters`: create answers 202 with PROVISIONING; the cluster's broker and front door
//! start in the background and the phase turns PROVISIONED when clients can connect.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use super::common::*;
use super::errors::{RestError, RestResult};
use crate::cluster::{self, Phase};
use crate::ids;
use crate::model::Cluster;
use crate::organization::Organization;

/// Regions the sandbox accepts, per cloud: the common ones of each provider (Seoul included).
const REGIONS: &[(&str, &[&str])] = &[
    (
        "AWS",
        &[
            "us-east-1",
            "us-east-2",
            "us-west-2",
            "ca-central-1",
            "eu-west-1",
            "eu-west-2",
            "eu-central-1",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-south-1",
        ],
    ),
    (
        "GCP",
        &[
            "us-central1",
            "us-east1",
            "us-east4",
            "us-west1",
            "europe-west1",
            "europe-west3",
            "asia-northeast1",
            "asia-northeast3",
            "asia-southeast1",
            "australia-southeast1",
        ],
    ),
    (
        "AZURE",
        &[
            "eastus",
            "eastus2",
            "westus2",
            "centralus",
            "westeurope",
            "northeurope",
            "japaneast",
            "koreacentral",
            "southeastasia",
            "australiaeast",
        ],
    ),
];
const KINDS: [&str; 5] = ["Basic", "Standard", "Enterprise", "Dedicated", "Freight"];
const AVAILABILITIES: [&str; 4] = ["SINGLE_ZONE", "MULTI_ZONE", "LOW", "HIGH"];
/// Dedicated clusters scale to 152 CKU on Confluent Cloud (cluster-types table).
const MAX_CKU: i64 = 152;

pub fn cluster_json(cloud: &Organization, c: &Cluster) -> Value {
    let runtime = cloud.runtime(&c.id);
    let phase = runtime
        .as_ref()
        .map(|r| r.phase())
        .unwrap_or(Phase::Failed("not running".into()));
    let mut status = json!({ "phase": phase.as_str() });
    if let Some(cku) = c.config.get("cku") {
        // While scaling, the CKUs in effect trail the ones asked for, as on Confluent Cloud.
        status["cku"] = match runtime.as_ref().map(|r| r.size()) {
            Some((live, target)) if live != target && live > 0 => json!(live),
            _ => cku.clone(),
        };
    }
    let env_path = format!("/environment={}", c.environment);
    json!({
        "api_version": "cmk/v2",
        "kind": "Cluster",
        "id": c.id,
        "metadata": metadata(&cloud.base_url, &format!("/cmk/v2/clusters/{}", c.id), cloud.crn(&format!("{env_path}/cloud-cluster={0}/kafka={0}", c.id)), &c.created_at, &c.updated_at),
        "spec": {
            "display_name": c.display_name,
            "availability": c.availability,
            "cloud": c.cloud,
            "region": c.region,
            "config": c.config,
            "kafka_bootstrap_endpoint": format!("SASL_SSL://127.0.0.1:{}", c.bootstrap_port),
            "http_endpoint": cloud.base_url,
            "endpoints": { "PUBLIC": {
                "kafka_bootstrap_endpoint": format!("SASL_SSL://127.0.0.1:{}", c.bootstrap_port),
                "http_endpoint": cloud.base_url,
                "connection_type": "PUBLIC",
            }},
            "deletion_protection": false,
            "environment": {
                "id": c.environment,
                "related": format!("{}/org/v2/environments/{}", cloud.base_url, c.environment),
                "resource_name": cloud.crn(&env_path),
            },
        },
        "status": status,
    })
}

fn check_name(name: &str) -> Result<(), RestError> {
    if name.is_empty() || name.chars().count() > 64 {
        return Err(RestError::invalid(
            "/spec/display_name",
            "display_name must be 1 to 64 characters.",
        ));
    }
    Ok(())
}

/// Validates `spec.config` for a cluster in `availability`; returns it normalised.
fn check_config(config: &Value, availability: &str) -> Result<Value, RestError> {
    let kind = config.get("kind").and_then(Value::as_str).unwrap_or("");
    if !KINDS.contains(&kind) {
        return Err(RestError::invalid(
            "/spec/config/kind",
            format!(
                "Unknown cluster type '{kind}'; use one of {}.",
                KINDS.join(", ")
            ),
        ));
    }
    match kind {
        "Dedicated" => {
            let cku = config.get("cku").and_then(Value::as_i64).ok_or_else(|| {
                RestError::invalid(
                    "/spec/config/cku",
                    "A Dedicated cluster needs cku (an integer ≥ 1).",
                )
            })?;
            if !(1..=MAX_CKU).contains(&cku) {
                return Err(RestError::invalid(
                    "/spec/config/cku",
                    format!("cku must be from 1 to {MAX_CKU}."),
                ));
            }
            if matches!(availability, "MULTI_ZONE" | "HIGH") && cku < 2 {
                return Err(RestError::invalid(
                    "/spec/config/cku",
                    "MULTI_ZONE Dedicated clusters must have at least two CKUs.",
                ));
            }
            Ok(json!({ "kind": "Dedicated", "cku": cku }))
        }
        "Basic" if matches!(availability, "MULTI_ZONE" | "HIGH") => Err(RestError::invalid(
            "/spec/availability",
            "Basic clusters are single-zone only; use SINGLE_ZONE or a Standard cluster.",
        )),
        "Enterprise" if matches!(availability, "SINGLE_ZONE" | "LOW") => Err(RestError::invalid(
            "/spec/availability",
            "Durability must be HIGH for an Enterprise cluster.",
        )),
        _ => Ok(json!({ "kind": kind })),
    }
}

fn env_filter(q: &HashMap<String, String>) -> Result<String, RestError> {
    q.get("environment")
        .filter(|e| !e.is_empty())
        .cloned()
        .ok_or_else(|| {
            RestError::invalid(
                "environment",
                "The environment query parameter is required.",
            )
        })
}

pub async fn list(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let env = env_filter(&q)?;
    let page = page(&q)?;
    let clusters: Vec<Cluster> = cloud.read(|s| {
        s.clusters
            .iter()
            .filter(|c| c.environment == env)
            .cloned()
            .collect()
    });
    let items = clusters.iter().map(|c| cluster_json(&cloud, c)).collect();
    Ok(Json(list_response(
        "cmk/v2",
        "ClusterList",
        &cloud.base_url,
        "/cmk/v2/clusters",
        &[("environment", &env)],
        &page,
        items,
    ))
    .into_response())
}

pub async fn create(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    body: Bytes,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let body = json_body(&body)?;
    let name = req_str(&body, "/spec/display_name")?;
    check_name(&name)?;
    let availability = req_str(&body, "/spec/availability")?;
    if !AVAILABILITIES.contains(&availability.as_str()) {
        return Err(RestError::invalid(
            "/spec/availability",
            format!(
                "Unknown availability '{availability}'; use one of {}.",
                AVAILABILITIES.join(", ")
            ),
        ));
    }
    let cloud_name = req_str(&body, "/spec/cloud")?;
    let regions = REGIONS
        .iter()
        .find(|(c, _)| *c == cloud_name)
        .map(|(_, r)| *r)
        .ok_or_else(|| {
            RestError::invalid(
                "/spec/cloud",
                format!("Unknown cloud '{cloud_name}'; use AWS, GCP or AZURE."),
            )
        })?;
    let region = req_str(&body, "/spec/region")?;
    if !regions.contains(&region.as_str()) {
        return Err(RestError::invalid(
            "/spec/region",
            format!(
                "Unknown region '{region}' for {cloud_name}; for example {}.",
                regions[..3].join(", ")
            ),
        ));
    }
    let config = check_config(
        body.pointer("/spec/config").unwrap_or(&Value::Null),
        &availability,
    )?;
    let env = req_str(&body, "/spec/environment/id")?;

    let cluster = cloud.write(|s| -> RestResult<_> {
        if !s.environments.iter().any(|e| e.id == env) {
            return Err(RestError::invalid(
                "/spec/environment/id",
                format!("Environment '{env}' not found."),
            ));
        }
        let now = ids::now();
        let c = Cluster {
            id: ids::resource_id("lkc"),
            environment: env.clone(),
            display_name: name,
            availability,
            cloud: cloud_name,
            region,
            config,
            created_at: now.clone(),
            updated_at: now,
            bootstrap_port: 0,
        };
        s.clusters.push(c.clone());
        Ok(c)
    })?;
    let runtime = cluster::ClusterRuntime::in_cloud(&cloud, &cluster);
    cloud.insert_runtime(runtime.clone());
    tokio::spawn(runtime.provision());
    let json = cluster_json(&cloud, &cluster);
    Ok((
        StatusCode::ACCEPTED,
        [(
            axum::http::header::LOCATION,
            json["metadata"]["self"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )],
        Json(json),
    )
        .into_response())
}

fn find<'a>(s: &'a crate::model::State, id: &str, env: &str) -> Result<&'a Cluster, RestError> {
    found(
        s.clusters
            .iter()
            .find(|c| c.id == id && c.environment == env),
        s,
        "Cluster",
        id,
    )
}

pub async fn get(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let env = env_filter(&q)?;
    let c = cloud.read(|s| find(s, &id, &env).cloned())?;
    Ok(Json(cluster_json(&cloud, &c)).into_response())
}

pub async fn update(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let body = json_body(&body)?;
    let env = req_str(&body, "/spec/environment/id")?;
    let name = opt_str(&body, "/spec/display_name")?;
    if let Some(n) = &name {
        check_name(n)?;
    }
    if let Some(cloud_field) = ["/spec/cloud", "/spec/region", "/spec/availability"]
        .iter()
        .find(|p| body.pointer(p).is_some())
    {
        return Err(RestError::invalid(
            cloud_field,
            format!(
                "{} can't be changed after creation.",
                cloud_field.trim_start_matches("/spec/")
            ),
        ));
    }
    let new_config = body.pointer("/spec/config").cloned();
    let c = cloud.write(|s| -> RestResult<_> {
        let current = find(s, &id, &env)?.clone();
        let c = s
            .clusters
            .iter_mut()
            .find(|c| c.id == current.id)
            .expect("found above");
        if let Some(n) = name {
            c.display_name = n;
        }
        if let Some(cfg) = new_config {
            let cfg = check_config(&cfg, &c.availability)?;
            let (from, to) = (current.kind(), cfg["kind"].as_str().unwrap_or(""));
            if from != to && !(from == "Basic" && to == "Standard") {
                return Err(RestError::invalid(
                    "/spec/config/kind",
                    format!(
                        "A {from} cluster can't become {to}; only Basic → Standard is allowed."
                    ),
                ));
            }
            c.config = cfg;
        }
        c.updated_at = ids::now();
        Ok(c.clone())
    })?;
    if let Some(rt) = cloud.runtime(&c.id) {
        let want = cluster::brokers_for(&c.config);
        if rt.size().1 != want {
            rt.set_target(want);
            tokio::spawn(rt.resize());
        }
    }
    Ok(Json(cluster_json(&cloud, &c)).into_response())
}

pub async fn delete(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let env = env_filter(&q)?;
    cloud.write(|s| -> RestResult<_> {
        find(s, &id, &env)?;
        s.clusters.retain(|c| c.id != id);
        // The cluster's Kafka API keys go with it: they can no longer authenticate anywhere.
        let gone: Vec<String> = s
            .api_keys
            .iter()
            .filter(|k| k.resource.as_deref() == Some(id.as_str()))
            .map(|k| k.id.clone())
            .collect();
        s.api_keys
            .retain(|k| k.resource.as_deref() != Some(id.as_str()));
        s.deleted.extend(gone);
        s.deleted.push(id.clone());
        Ok(())
    })?;
    if let Some(rt) = cloud.remove_runtime(&id) {
        rt.stop().await;
    }
    let dir = cloud.data_dir.join("clusters").join(&id);
    if let Err(e) = std::fs::remove_dir_all(&dir) {
        log::warn!("could not remove {}: {e}", dir.display());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
