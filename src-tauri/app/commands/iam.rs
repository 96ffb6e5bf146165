//! Service accounts and API keys (iam/v2). A new cluster key's secret goes to the window once and
//! to the OS keyring, so topic and send screens can use it without asking.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gureum_confluent::{ApiKey, ErrorKind, NewApiKey, ServiceAccount};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use super::blocking;
use crate::cloud::{client_for, kafka_rest, Clients};
use crate::error::{from_kafka_rest, BridgeError, ErrorCode};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ServiceAccountView {
    pub id: String,
    pub name: String,
    pub description: String,
    pub created_at: Option<String>,
}

impl From<ServiceAccount> for ServiceAccountView {
    fn from(s: ServiceAccount) -> Self {
        let id = s.id.unwrap_or_default();
        ServiceAccountView {
            name: s.display_name.unwrap_or_else(|| id.clone()),
            description: s.description.unwrap_or_default(),
            created_at: s.metadata.and_then(|m| m.created_at),
            id,
        }
    }
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ApiKeyView {
    pub id: String,
    pub name: String,
    pub description: String,
    pub owner_id: String,
    /// User | ServiceAccount | …
    pub owner_kind: String,
    /// `lkc-…` for a cluster key; None for a Cloud API key.
    pub resource_id: Option<String>,
    pub environment_id: Option<String>,
    pub created_at: Option<String>,
    /// Gureum holds this key's secret in the OS keyring.
    pub stored: bool,
}

fn key_view(k: ApiKey, stored: &HashSet<String>) -> ApiKeyView {
    let id = k.id.unwrap_or_default();
    let spec = k.spec.unwrap_or_default();
    let owner = spec.owner.unwrap_or_default();
    // Cloud keys name the resource "cloud" (or none).
    let resource = spec
        .resource
        .filter(|r| r.id.as_deref().is_some_and(|id| id != "cloud"));
    ApiKeyView {
        stored: stored.contains(&id),
        name: spec.display_name.unwrap_or_default(),
        description: spec.description.unwrap_or_default(),
        owner_id: owner.id.unwrap_or_default(),
        owner_kind: owner.kind.unwrap_or_default(),
        environment_id: resource.as_ref().and_then(|r| r.environment.clone()),
        resource_id: resource.and_then(|r| r.id),
        created_at: k.metadata.and_then(|m| m.created_at),
        id,
    }
}

#[tauri::command]
#[specta::specta]
pub async fn list_service_accounts(
    app: AppHandle,
    connection_id: String,
) -> Result<Vec<ServiceAccountView>, BridgeError> {
    let client = client_for(&app, &connection_id).await?;
    Ok(client
        .list_service_accounts()
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

#[tauri::command]
#[specta::specta]
pub async fn create_service_account(
    app: AppHandle,
    connection_id: String,
    name: String,
    description: String,
) -> Result<ServiceAccountView, BridgeError> {
    if name.trim().is_empty() {
        return Err(BridgeError::field(
            "display_name",
            "Give the service account a name.",
        ));
    }
    let client = client_for(&app, &connection_id).await?;
    Ok(client
        .create_service_account(name.trim(), description.trim())
        .await?
        .into())
}

async fn stored_ids(app: &AppHandle, connection_id: &str) -> Result<HashSet<String>, BridgeError> {
    let (app, conn) = (app.clone(), connection_id.to_string());
    blocking(move || {
        Ok(app
            .state::<AppState>()
            .connections
            .cluster_keys(&conn)?
            .into_iter()
            .map(|k| k.key_id)
            .collect())
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_api_keys(
    app: AppHandle,
    connection_id: String,
) -> Result<Vec<ApiKeyView>, BridgeError> {
    let client = client_for(&app, &connection_id).await?;
    let (keys, stored) = tokio::join!(
        client.list_api_keys(None, None),
        stored_ids(&app, &connection_id)
    );
    let stored = stored?;
    Ok(keys?.into_iter().map(|k| key_view(k, &stored)).collect())
}

#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct NewApiKeyInput {
    pub owner_id: String,
    /// The cluster the key is for; None makes a Cloud API key.
    pub cluster_id: Option<String>,
    pub environment_id: Option<String>,
    pub name: String,
    pub description: String,
}

/// The one time a secret reaches the window.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CreatedApiKey {
    pub key: ApiKeyView,
    pub secret: String,
    /// Why the secret could not be kept in the keyring (then the user must copy it).
    pub store_error: Option<String>,
}

#[tauri::command]
#[specta::specta]
pub async fn create_api_key(
    app: AppHandle,
    connection_id: String,
    input: NewApiKeyInput,
) -> Result<CreatedApiKey, BridgeError> {
    if input.owner_id.trim().is_empty() {
        return Err(BridgeError::field(
            "owner",
            "Pick who owns the key (a service account).",
        ));
    }
    let client = client_for(&app, &connection_id).await?;
    let created = client
        .create_api_key(&NewApiKey {
            display_name: input.name.trim().to_string(),
            description: input.description.trim().to_string(),
            owner_id: input.owner_id.trim().to_string(),
            resource_environment: input.cluster_id.as_ref().and(input.environment_id.clone()),
            resource_id: input.cluster_id.clone(),
        })
        .await?;
    let secret = created.secret().cloned().ok_or_else(|| {
        BridgeError::new(
            ErrorCode::CloudServer,
            "The key was created but the answer carried no secret; delete it and try again.",
        )
    })?;
    let key_id = created.id.clone().unwrap_or_default();
    let mut store_error = None;
    let mut stored = HashSet::new();
    if let Some(cluster) = &input.cluster_id {
        let (app2, conn, cluster, id, s) = (
            app.clone(),
            connection_id.clone(),
            cluster.clone(),
            key_id.clone(),
            secret.clone(),
        );
        match blocking(move || {
            Ok(app2
                .state::<AppState>()
                .connections
                .save_cluster_key(&conn, &cluster, &id, &s)?)
        })
        .await
        {
            Ok(()) => {
                stored.insert(key_id.clone());
                app.state::<Clients>().forget_keys(&connection_id).await;
            }
            Err(e) => store_error = Some(e.message),
        }
    }
    Ok(CreatedApiKey {
        key: key_view(created, &stored),
        secret: secret.expose().to_string(),
        store_error,
    })
}

/// Deletes the key in the cloud and the secret Gureum kept for it. A key already gone from the
/// cloud is still forgotten here.
#[tauri::command]
#[specta::specta]
pub async fn delete_api_key(
    app: AppHandle,
    connection_id: String,
    key_id: String,
) -> Result<(), BridgeError> {
    let client = client_for(&app, &connection_id).await?;
    let result = client.delete_api_key(&key_id).await;
    if let Err(e) = &result {
        if e.kind != ErrorKind::NotFound {
            return Err(e.clone().into());
        }
    }
    let (app2, conn, id) = (app.clone(), connection_id.clone(), key_id.clone());
    blocking(move || {
        Ok(app2
            .state::<AppState>()
            .connections
            .forget_cluster_key(&conn, &id)?)
    })
    .await?;
    app.state::<Clients>().forget_keys(&connection_id).await;
    Ok(())
}

/// Progress of waiting for a new cluster key to work, one event per probe.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct ApiKeyWait {
    pub key_id: String,
    pub attempt: u32,
    /// Successful probes in a row; ready at 2.
    pub consecutive_ok: u32,
    pub elapsed_ms: u32,
    /// Why the last probe failed, e.g. "Unauthorized" while the key propagates.
    pub last_error: Option<String>,
}

/// Cancel flags of running waits, by key id.
#[derive(Default)]
pub struct KeyWaits(Mutex<HashMap<String, Arc<AtomicBool>>>);

/// Resolves when the cluster accepts the stored key (two good probes in a row), reporting each
/// probe as an `ApiKeyWait` event; `cancel_api_key_wait` stops it.
#[tauri::command]
#[specta::specta]
pub async fn wait_for_api_key(
    app: AppHandle,
    connection_id: String,
    environment_id: String,
    cluster_id: String,
    key_id: String,
) -> Result<(), BridgeError> {
    let (client, auth, _) = kafka_rest(&app, &connection_id, &environment_id, &cluster_id).await?;
    if auth.key != key_id {
        return Err(BridgeError::new(
            ErrorCode::ClusterKeyMissing,
            format!("Gureum does not hold the secret of {key_id} for this cluster."),
        ));
    }
    let cancel = Arc::new(AtomicBool::new(false));
    let waits = app.state::<KeyWaits>();
    waits
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key_id.clone(), cancel.clone());
    let emitter = app.clone();
    let id = key_id.clone();
    let result = client
        .wait_for_api_key(
            &auth,
            None,
            move |p| {
                let event = ApiKeyWait {
                    key_id: id.clone(),
                    attempt: p.attempt,
                    consecutive_ok: p.consecutive_ok,
                    elapsed_ms: p.elapsed.as_millis().min(u32::MAX as u128) as u32,
                    last_error: p.last_error.map(|k| format!("{k:?}")),
                };
                if let Err(e) = event.emit(&emitter) {
                    log::warn!("could not emit api-key-wait: {e}");
                }
            },
            &cancel,
            Duration::from_secs(1),
            Duration::from_secs(300),
        )
        .await;
    waits
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&key_id);
    result.map(drop).map_err(|e| from_kafka_rest(e, &key_id))
}

#[tauri::command]
#[specta::specta]
pub async fn cancel_api_key_wait(app: AppHandle, key_id: String) -> Result<(), BridgeError> {
    if let Some(flag) = app
        .state::<KeyWaits>()
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&key_id)
    {
        flag.store(true, Ordering::SeqCst);
    }
    Ok(())
}
