//! `org/v2/environments`.

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
use crate::ids;
use crate::model::Environment;
use crate::organization::Organization;

const PACKAGES: [&str; 2] = ["ESSENTIALS", "ADVANCED"];

pub fn env_json(cloud: &Organization, e: &Environment) -> Value {
    json!({
        "api_version": "org/v2",
        "kind": "Environment",
        "id": e.id,
        "metadata": metadata(&cloud.base_url, &format!("/org/v2/environments/{}", e.id), cloud.crn(&format!("/environment={}", e.id)), &e.created_at, &e.updated_at),
        "display_name": e.display_name,
        "stream_governance_config": { "package": e.package },
    })
}

fn display_name(body: &Value) -> Result<Option<String>, RestError> {
    let name = opt_str(body, "/display_name")?;
    if let Some(n) = &name {
        if n.is_empty() || n.chars().count() > 64 {
            return Err(RestError::invalid(
                "/display_name",
                "display_name must be 1 to 64 characters.",
            ));
        }
    }
    Ok(name)
}

fn package(body: &Value) -> Result<Option<String>, RestError> {
    match opt_str(body, "/stream_governance_config/package")? {
        Some(p) if !PACKAGES.contains(&p.to_uppercase().as_str()) => Err(RestError::invalid(
            "/stream_governance_config/package",
            format!("Unknown Stream Governance package '{p}'; use ESSENTIALS or ADVANCED."),
        )),
        p => Ok(p.map(|p| p.to_uppercase())),
    }
}

pub async fn list(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let page = page(&q)?;
    let items = cloud.read(|s| s.environments.iter().map(|e| env_json(&cloud, e)).collect());
    Ok(Json(list_response(
        "org/v2",
        "EnvironmentList",
        &cloud.base_url,
        "/org/v2/environments",
        &[],
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
    let name = display_name(&body)?
        .ok_or_else(|| RestError::invalid("/display_name", "display_name is required."))?;
    let package = package(&body)?.unwrap_or_else(|| "ESSENTIALS".into());
    let env = cloud.write(|s| -> RestResult<_> {
        if s.environments.iter().any(|e| e.display_name == name) {
            return Err(RestError::conflict(format!(
                "An environment named '{name}' already exists."
            )));
        }
        let now = ids::now();
        let env = Environment {
            id: ids::resource_id("env"),
            display_name: name,
            package,
            created_at: now.clone(),
            updated_at: now,
        };
        s.environments.push(env.clone());
        Ok(env)
    })?;
    Ok((StatusCode::CREATED, Json(env_json(&cloud, &env))).into_response())
}

pub async fn get(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let env = cloud.read(|s| {
        found(
            s.environments.iter().find(|e| e.id == id).cloned(),
            s,
            "Environment",
            &id,
        )
    })?;
    Ok(Json(env_json(&cloud, &env)).into_response())
}

pub async fn update(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let body = json_body(&body)?;
    let (name, package) = (display_name(&body)?, package(&body)?);
    let env = cloud.write(|s| -> RestResult<_> {
        let e = s
            .environments
            .iter_mut()
            .find(|e| e.id == id)
            .ok_or_else(|| RestError::not_found("Environment", &id))?;
        if let Some(n) = name {
            e.display_name = n;
        }
        if let Some(p) = package {
            e.package = p;
        }
        e.updated_at = ids::now();
        Ok(e.clone())
    })?;
    Ok(Json(env_json(&cloud, &env)).into_response())
}

pub async fn delete(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    cloud.write(|s| -> RestResult<_> {
        let i = s
            .environments
            .iter()
            .position(|e| e.id == id)
            .ok_or_else(|| RestError::not_found("Environment", &id))?;
        if s.clusters.iter().any(|c| c.environment == id) {
            return Err(RestError::conflict(
                "The environment still has Kafka clusters; delete them first.",
            ));
        }
        s.environments.remove(i);
        s.deleted.push(id.clone());
        Ok(())
    })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
