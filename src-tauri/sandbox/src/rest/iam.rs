//! `iam/v2/service-accounts` and `iam/v2/api-keys`. A key's secret is returned once, at create;
//! only its hash is kept.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use super::common::*;
use super::errors::{RestError, RestResult};
use crate::ids;
use crate::model::{ApiKey, ServiceAccount};
use crate::organization::Organization;

pub fn sa_json(cloud: &Organization, sa: &ServiceAccount) -> Value {
    json!({
        "api_version": "iam/v2",
        "kind": "ServiceAccount",
        "id": sa.id,
        "metadata": metadata(&cloud.base_url, &format!("/iam/v2/service-accounts/{}", sa.id), cloud.crn(&format!("/service-account={}", sa.id)), &sa.created_at, &sa.updated_at),
        "display_name": sa.display_name,
        "description": sa.description,
    })
}

fn owner_ref(cloud: &Organization, owner: &str) -> Value {
    let (kind, path, crn) = if owner.starts_with("u-") {
        ("User", "users", "user")
    } else {
        ("ServiceAccount", "service-accounts", "service-account")
    };
    json!({
        "id": owner, "api_version": "iam/v2", "kind": kind,
        "related": format!("{}/iam/v2/{path}/{owner}", cloud.base_url),
        "resource_name": cloud.crn(&format!("/{crn}={owner}")),
    })
}

fn resource_ref(cloud: &Organization, resource: Option<&str>) -> Value {
    match resource {
        None => json!({
            "id": "cloud", "api_version": "iam/v2", "kind": "Cloud",
            "related": format!("{}/iam/v2/api-keys", cloud.base_url),
            "resource_name": cloud.crn(""),
        }),
        Some(id) => {
            let env = cloud
                .read(|s| s.cluster(id).map(|c| c.environment.clone()))
                .unwrap_or_default();
            json!({
                "id": id, "api_version": "cmk/v2", "kind": "Cluster", "environment": env,
                "related": format!("{}/cmk/v2/clusters/{id}", cloud.base_url),
                "resource_name": cloud.crn(&format!("/environment={env}/cloud-cluster={id}/kafka={id}")),
            })
        }
    }
}

pub fn key_json(cloud: &Organization, k: &ApiKey, secret: Option<&str>) -> Value {
    json!({
        "api_version": "iam/v2",
        "kind": "ApiKey",
        "id": k.id,
        "metadata": metadata(&cloud.base_url, &format!("/iam/v2/api-keys/{}", k.id), cloud.crn(&format!("/api-key={}", k.id)), &k.created_at, &k.updated_at),
        "spec": {
            "secret": secret.unwrap_or(""),
            "display_name": k.display_name,
            "description": k.description,
            "owner": owner_ref(cloud, &k.owner),
            "resource": resource_ref(cloud, k.resource.as_deref()),
        },
    })
}

fn sa_name(body: &Value, required: bool) -> Result<Option<String>, RestError> {
    let name = if required {
        Some(req_str(body, "/display_name")?)
    } else {
        opt_str(body, "/display_name")?
    };
    if name
        .as_ref()
        .is_some_and(|n| n.is_empty() || n.chars().count() > 64)
    {
        return Err(RestError::invalid(
            "/display_name",
            "display_name must be 1 to 64 characters.",
        ));
    }
    Ok(name)
}

pub async fn list_sa(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let page = page(&q)?;
    let name = q.get("display_name").cloned();
    let items = cloud.read(|s| {
        s.service_accounts
            .iter()
            .filter(|sa| name.as_ref().is_none_or(|n| &sa.display_name == n))
            .map(|sa| sa_json(&cloud, sa))
            .collect()
    });
    let filters: Vec<(&str, &str)> = name.iter().map(|n| ("display_name", n.as_str())).collect();
    Ok(Json(list_response(
        "iam/v2",
        "ServiceAccountList",
        &cloud.base_url,
        "/iam/v2/service-accounts",
        &filters,
        &page,
        items,
    ))
    .into_response())
}

pub async fn create_sa(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    body: Bytes,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let body = json_body(&body)?;
    let name = sa_name(&body, true)?.expect("required");
    let description = opt_str(&body, "/description")?.unwrap_or_default();
    let sa = cloud.write(|s| -> RestResult<_> {
        if s.service_accounts.iter().any(|sa| sa.display_name == name) {
            return Err(RestError::conflict(format!(
                "Service name is already in use: a service account named '{name}' exists."
            )));
        }
        let now = ids::now();
        let sa = ServiceAccount {
            id: ids::resource_id("sa"),
            display_name: name,
            description,
            created_at: now.clone(),
            updated_at: now,
        };
        s.service_accounts.push(sa.clone());
        Ok(sa)
    })?;
    Ok((StatusCode::CREATED, Json(sa_json(&cloud, &sa))).into_response())
}

pub async fn get_sa(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let sa = cloud.read(|s| {
        found(
            s.service_accounts.iter().find(|sa| sa.id == id).cloned(),
            s,
            "Service account",
            &id,
        )
    })?;
    Ok(Json(sa_json(&cloud, &sa)).into_response())
}

pub async fn update_sa(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let body = json_body(&body)?;
    let (name, description) = (sa_name(&body, false)?, opt_str(&body, "/description")?);
    let sa = cloud.write(|s| -> RestResult<_> {
        let sa = s
            .service_accounts
            .iter_mut()
            .find(|sa| sa.id == id)
            .ok_or_else(|| RestError::not_found("Service account", &id))?;
        if let Some(n) = name {
            sa.display_name = n;
        }
        if let Some(d) = description {
            sa.description = d;
        }
        sa.updated_at = ids::now();
        Ok(sa.clone())
    })?;
    Ok(Json(sa_json(&cloud, &sa)).into_response())
}

pub async fn delete_sa(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    cloud.write(|s| -> RestResult<_> {
        let i = s
            .service_accounts
            .iter()
            .position(|sa| sa.id == id)
            .ok_or_else(|| RestError::not_found("Service account", &id))?;
        s.service_accounts.remove(i);
        // Keys are deleted with their owner, as on Confluent Cloud.
        let gone: Vec<String> = s
            .api_keys
            .iter()
            .filter(|k| k.owner == id)
            .map(|k| k.id.clone())
            .collect();
        s.api_keys.retain(|k| k.owner != id);
        // And its ACLs: a new service account never inherits an old one's rights.
        let principal = format!("User:{id}");
        s.acls.retain(|a| a.principal != principal);
        s.deleted.extend(gone);
        s.deleted.push(id.clone());
        Ok(())
    })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn list_keys(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let page = page(&q)?;
    let owner = q.get("spec.owner").cloned();
    let resource = q.get("spec.resource").cloned();
    let keys: Vec<ApiKey> = cloud.read(|s| {
        s.api_keys
            .iter()
            .filter(|k| owner.as_ref().is_none_or(|o| &k.owner == o))
            .filter(|k| {
                resource.as_ref().is_none_or(|r| {
                    k.resource
                        .as_deref()
                        .unwrap_or("cloud")
                        .eq_ignore_ascii_case(r)
                })
            })
            .cloned()
            .collect()
    });
    let items = keys.iter().map(|k| key_json(&cloud, k, None)).collect();
    let mut filters: Vec<(&str, &str)> = Vec::new();
    if let Some(o) = &owner {
        filters.push(("spec.owner", o));
    }
    if let Some(r) = &resource {
        filters.push(("spec.resource", r));
    }
    Ok(Json(list_response(
        "iam/v2",
        "ApiKeyList",
        &cloud.base_url,
        "/iam/v2/api-keys",
        &filters,
        &page,
        items,
    ))
    .into_response())
}

pub async fn create_key(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    body: Bytes,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let body = json_body(&body)?;
    let owner = req_str(&body, "/spec/owner/id")?;
    let resource =
        opt_str(&body, "/spec/resource/id")?.filter(|r| !r.eq_ignore_ascii_case("cloud"));
    let display_name = opt_str(&body, "/spec/display_name")?.unwrap_or_default();
    let description = opt_str(&body, "/spec/description")?.unwrap_or_default();
    let secret = ids::api_secret();
    let key = cloud.write(|s| -> RestResult<_> {
        if owner != s.admin_user_id && !s.service_accounts.iter().any(|sa| sa.id == owner) {
            return Err(RestError::invalid("/spec/owner/id", format!("Owner '{owner}' is not a user or service account of this organization.")));
        }
        if let Some(r) = &resource {
            if s.cluster(r).is_none() {
                return Err(RestError::invalid("/spec/resource/id", format!("Resource '{r}' is not a Kafka cluster of this organization (use an lkc- id, or \"cloud\" for a Cloud API key).")));
            }
        }
        let now = ids::now();
        let key = ApiKey {
            id: ids::api_key_id(),
            secret_hash: ids::hash_secret(&secret),
            display_name,
            description,
            owner: owner.clone(),
            resource: resource.clone(),
            created_at: now.clone(),
            updated_at: now,
        };
        s.api_keys.push(key.clone());
        Ok(key)
    })?;
    let json = key_json(&cloud, &key, Some(&secret));
    let location = json["metadata"]["self"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, location)],
        Json(json),
    )
        .into_response())
}

fn find_key<'a>(s: &'a crate::model::State, id: &str) -> Result<&'a ApiKey, RestError> {
    found(s.api_keys.iter().find(|k| k.id == id), s, "API key", id)
}

pub async fn get_key(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let key = cloud.read(|s| find_key(s, &id).cloned())?;
    Ok(Json(key_json(&cloud, &key, None)).into_response())
}

pub async fn update_key(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let body = json_body(&body)?;
    let (name, description) = (
        opt_str(&body, "/spec/display_name")?,
        opt_str(&body, "/spec/description")?,
    );
    if let Some(field) = ["/spec/owner", "/spec/resource"]
        .iter()
        .find(|p| body.pointer(p).is_some())
    {
        return Err(RestError::invalid(
            field,
            "Only spec.display_name and spec.description can be updated.",
        ));
    }
    let key = cloud.write(|s| -> RestResult<_> {
        find_key(s, &id)?;
        let k = s
            .api_keys
            .iter_mut()
            .find(|k| k.id == id)
            .expect("found above");
        if let Some(n) = name {
            k.display_name = n;
        }
        if let Some(d) = description {
            k.description = d;
        }
        k.updated_at = ids::now();
        Ok(k.clone())
    })?;
    Ok(Json(key_json(&cloud, &key, None)).into_response())
}

pub async fn delete_key(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    cloud.write(|s| -> RestResult<_> {
        find_key(s, &id)?;
        if s.api_keys
            .iter()
            .any(|k| k.id == id && k.resource.is_none() && k.owner == s.admin_user_id)
            && s.api_keys.iter().filter(|k| k.resource.is_none()).count() == 1
        {
            return Err(RestError::conflict(
                "This is the organization's last Cloud API key; create another before deleting it.",
            ));
        }
        s.api_keys.retain(|k| k.id != id);
        s.deleted.push(id.clone());
        Ok(())
    })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The org's one user: the admin who owns its Cloud API key (OrganizationAdmin, so every key
/// it owns may do everything).
fn user_json(cloud: &Organization, s: &crate::model::State) -> Value {
    let id = &s.admin_user_id;
    let since = s
        .api_keys
        .iter()
        .filter(|k| &k.owner == id)
        .map(|k| k.created_at.clone())
        .min()
        .unwrap_or_else(ids::now);
    json!({
        "api_version": "iam/v2",
        "kind": "User",
        "id": id,
        "metadata": metadata(&cloud.base_url, &format!("/iam/v2/users/{id}"), cloud.crn(&format!("/user={id}")), &since, &since),
        "email": "admin@sandbox.gureum.invalid",
        "full_name": "Sandbox administrator",
        "auth_type": "AUTH_TYPE_LOCAL",
    })
}

pub async fn list_users(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let page = page(&q)?;
    let items = cloud.read(|s| vec![user_json(&cloud, s)]);
    Ok(Json(list_response(
        "iam/v2",
        "UserList",
        &cloud.base_url,
        "/iam/v2/users",
        &[],
        &page,
        items,
    ))
    .into_response())
}

pub async fn get_user(
    State(cloud): State<Arc<Organization>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> RestResult {
    cloud.read(|s| require_cloud_key(s, &headers))?;
    let user = cloud.read(|s| (s.admin_user_id == id).then(|| user_json(&cloud, s)));
    match user {
        Some(u) => Ok(Json(u).into_response()),
        None => Err(RestError::not_found("User", &id)),
    }
}
