//! Control-plane operations: environments (org/v2), clusters (cmk/v2), service accounts and API
//! keys (iam/v2). Creates are POSTs and never auto-retried after a 5xx (see `http.rs`).

use reqwest::Method;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::http::Client;
use crate::models::*;

impl Client {
    // Environments

    pub async fn list_environments(&self) -> Result<Vec<Environment>, ApiError> {
        self.list_all(self.cloud(Method::GET, &["org", "v2", "environments"])?)
            .await
    }

    pub async fn get_environment(&self, id: &str) -> Result<Environment, ApiError> {
        self.json(&self.cloud(Method::GET, &["org", "v2", "environments", id])?)
            .await
    }

    /// `package`: Stream Governance ESSENTIALS | ADVANCED, or None for the default.
    pub async fn create_environment(
        &self,
        display_name: &str,
        package: Option<&str>,
    ) -> Result<Environment, ApiError> {
        let mut call = self.cloud(Method::POST, &["org", "v2", "environments"])?;
        let mut body = json!({ "display_name": display_name });
        if let Some(p) = package {
            body["stream_governance_config"] = json!({ "package": p });
        }
        call.body = Some(body);
        self.json(&call).await
    }

    pub async fn delete_environment(&self, id: &str) -> Result<(), ApiError> {
        self.send(&self.cloud(Method::DELETE, &["org", "v2", "environments", id])?)
            .await
            .map(drop)
    }

    // Clusters (every call needs the environment)

    pub async fn list_clusters(&self, environment_id: &str) -> Result<Vec<Cluster>, ApiError> {
        let mut call = self.cloud(Method::GET, &["cmk", "v2", "clusters"])?;
        call.query
            .push(("environment".into(), environment_id.into()));
        self.list_all(call).await
    }

    pub async fn get_cluster(&self, environment_id: &str, id: &str) -> Result<Cluster, ApiError> {
        let mut call = self.cloud(Method::GET, &["cmk", "v2", "clusters", id])?;
        call.query
            .push(("environment".into(), environment_id.into()));
        self.json(&call).await
    }

    /// Answers 202 with `status.phase` PROVISIONING; poll [`Client::get_cluster`] until PROVISIONED.
    pub async fn create_cluster(&self, new: &NewCluster) -> Result<Cluster, ApiError> {
        let mut call = self.cloud(Method::POST, &["cmk", "v2", "clusters"])?;
        call.body = Some(json!({ "spec": {
            "display_name": new.display_name,
            "availability": new.availability,
            "cloud": new.cloud,
            "region": new.region,
            "config": new.config,
            "environment": { "id": new.environment_id },
        }}));
        self.json(&call).await
    }

    /// Rename (`display_name`) and/or resize or upgrade (`config`, e.g. Dedicated{cku}; shrink one
    /// CKU at a time). The body must name the environment.
    pub async fn update_cluster(
        &self,
        environment_id: &str,
        id: &str,
        display_name: Option<&str>,
        config: Option<&ClusterConfig>,
    ) -> Result<Cluster, ApiError> {
        let mut call = self.cloud(Method::PATCH, &["cmk", "v2", "clusters", id])?;
        let mut spec = json!({ "environment": { "id": environment_id } });
        if let Some(n) = display_name {
            spec["display_name"] = json!(n);
        }
        if let Some(c) = config {
            spec["config"] = json!(c);
        }
        call.body = Some(json!({ "spec": spec }));
        self.json(&call).await
    }

    /// 409 (Conflict) when deletion protection is on.
    pub async fn delete_cluster(&self, environment_id: &str, id: &str) -> Result<(), ApiError> {
        let mut call = self.cloud(Method::DELETE, &["cmk", "v2", "clusters", id])?;
        call.query
            .push(("environment".into(), environment_id.into()));
        self.send(&call).await.map(drop)
    }

    // Service accounts

    pub async fn list_service_accounts(&self) -> Result<Vec<ServiceAccount>, ApiError> {
        self.list_all(self.cloud(Method::GET, &["iam", "v2", "service-accounts"])?)
            .await
    }

    pub async fn create_service_account(
        &self,
        display_name: &str,
        description: &str,
    ) -> Result<ServiceAccount, ApiError> {
        let mut call = self.cloud(Method::POST, &["iam", "v2", "service-accounts"])?;
        call.body = Some(json!({ "display_name": display_name, "description": description }));
        self.json(&call).await
    }

    pub async fn delete_service_account(&self, id: &str) -> Result<(), ApiError> {
        self.send(&self.cloud(Method::DELETE, &["iam", "v2", "service-accounts", id])?)
            .await
            .map(drop)
    }

    // API keys

    /// Both filters are exact matches; with neither, every key the caller can see.
    pub async fn list_api_keys(
        &self,
        owner: Option<&str>,
        resource: Option<&str>,
    ) -> Result<Vec<ApiKey>, ApiError> {
        let mut call = self.cloud(Method::GET, &["iam", "v2", "api-keys"])?;
        if let Some(o) = owner {
            call.query.push(("spec.owner".into(), o.into()));
        }
        if let Some(r) = resource {
            call.query.push(("spec.resource".into(), r.into()));
        }
        self.list_all(call).await
    }

    /// A deleted key answers 403 `forbidden_access`, reported as `ErrorKind::NotFound`.
    pub async fn get_api_key(&self, id: &str) -> Result<ApiKey, ApiError> {
        self.json(&self.cloud(Method::GET, &["iam", "v2", "api-keys", id])?)
            .await
    }

    /// The response is the only place the secret appears ([`ApiKey::secret`]). A new Kafka key
    /// takes a while to work: see [`Client::wait_for_api_key`].
    pub async fn create_api_key(&self, new: &NewApiKey) -> Result<ApiKey, ApiError> {
        let mut call = self.cloud(Method::POST, &["iam", "v2", "api-keys"])?;
        let mut spec = json!({
            "display_name": new.display_name,
            "description": new.description,
            "owner": { "id": new.owner_id },
        });
        if let Some(r) = &new.resource_id {
            let mut res = json!({ "id": r });
            if let Some(env) = &new.resource_environment {
                res["environment"] = json!(env);
            }
            spec["resource"] = res;
        }
        call.body = Some(json!({ "spec": spec }));
        self.json(&call).await
    }

    /// Only the display name and description can change.
    pub async fn update_api_key(
        &self,
        id: &str,
        display_name: Option<&str>,
        description: Option<&str>,
    ) -> Result<ApiKey, ApiError> {
        let mut call = self.cloud(Method::PATCH, &["iam", "v2", "api-keys", id])?;
        let mut spec = serde_json::Map::new();
        if let Some(n) = display_name {
            spec.insert("display_name".into(), json!(n));
        }
        if let Some(d) = description {
            spec.insert("description".into(), json!(d));
        }
        call.body = Some(json!({ "spec": Value::Object(spec) }));
        self.json(&call).await
    }

    pub async fn delete_api_key(&self, id: &str) -> Result<(), ApiError> {
        self.send(&self.cloud(Method::DELETE, &["iam", "v2", "api-keys", id])?)
            .await
            .map(drop)
    }
}
