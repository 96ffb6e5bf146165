//! Service accounts and API keys (iam/v2). A new cluster key's secret goes to the window once and
//! to the OS keyring, so topic and send screens can use it without asking.

use std::collections::HashSet;
use std::sync::atomic::AtomicBool;

pub use gureum_confluent::access::NewApiKeyInput;
use gureum_confluent::access::{self, KeyWait, Patience};
use gureum_confluent::{Acl, ApiKey, ErrorKind, ServiceAccount, WaitProgress};
use gureum_jobs::{CancelFlag, Jobs};
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use super::blocking;
use crate::cloud::{client_for, cluster_ref, kafka_rest_with_key, Clients};
use crate::error::{from_kafka_rest, BridgeError};
use crate::state::AppState;
use crate::vault::Keyring;

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
    let name = access::service_account_name(&name)?;
    let client = client_for(&app, &connection_id).await?;
    Ok(client
        .create_service_account(name, description.trim())
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

/// The one time a secret reaches the window.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CreatedApiKey {
    pub key: ApiKeyView,
    pub secret: String,
    /// Why the secret could not be kept in the keyring (then the user must copy it).
    pub store_error: Option<String>,
    /// The ACLs added for the owner first.
    pub acls_added: Vec<Acl>,
    /// The key (and whether Gureum just made it) of your account the ACLs were added with.
    pub admin_key: Option<AdminKeyView>,
}

/// The key of your account Gureum manages a cluster's ACLs with.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AdminKeyView {
    pub key_id: String,
    /// Gureum made it just now (and keeps it in the keyring).
    pub created: bool,
}

impl From<access::NewKey<BridgeError>> for CreatedApiKey {
    fn from(made: access::NewKey<BridgeError>) -> Self {
        let stored: HashSet<String> = made
            .kept
            .then(|| made.key.id.clone())
            .flatten()
            .into_iter()
            .collect();
        CreatedApiKey {
            key: key_view(made.key, &stored),
            secret: made.secret.expose().to_string(),
            store_error: made.store_error.map(|e| e.message),
            acls_added: made.acls_added,
            admin_key: made.admin.map(Into::into),
        }
    }
}

impl From<access::AdminKey> for AdminKeyView {
    fn from(a: access::AdminKey) -> Self {
        AdminKeyView {
            key_id: a.auth.key,
            created: a.created,
        }
    }
}

/// Reports each probe of a key being waited for as an `ApiKeyWait` event.
pub fn emit_wait(app: &AppHandle) -> impl Fn(&str, WaitProgress) + Send + Sync + 'static {
    let app = app.clone();
    move |key_id, p| {
        let event = ApiKeyWait {
            key_id: key_id.to_string(),
            attempt: p.attempt,
            consecutive_ok: p.consecutive_ok,
            elapsed_ms: p.elapsed.as_millis().min(u32::MAX as u128) as u32,
            last_error: p.last_error.map(|k| format!("{k:?}")),
            authorized: p.authorized,
        };
        if let Err(e) = event.emit(&app) {
            log::warn!("could not emit api-key-wait: {e}");
        }
    }
}

/// Makes a key: for a cluster it is kept in the keyring as the one Topics and Send use; ACLs
/// in the input are added for its owner first (with a key of your account, made if need be).
#[tauri::command]
#[specta::specta]
pub async fn create_api_key(
    app: AppHandle,
    connection_id: String,
    input: NewApiKeyInput,
) -> Result<CreatedApiKey, BridgeError> {
    input.check()?;
    let client = client_for(&app, &connection_id).await?;
    let cluster = match input.acl_cluster() {
        Some((e, c)) => Some(cluster_ref(&app, &connection_id, e, c).await?.1),
        None => None,
    };
    let made = access::create_key(
        &client,
        &Keyring::new(&app, &connection_id),
        &input.order(cluster),
        emit_wait(&app),
        &AtomicBool::new(false),
        Patience::default(),
    )
    .await?;
    Ok(made.into())
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
    /// Once authenticated: what the key's owner may do on the probed topic (empty: nothing).
    pub authorized: Option<Vec<String>>,
}

/// How a new key turned out: authenticated (else the wait fails), and what it may do on the
/// topic asked about — a topic list alone proves nothing (a service account without ACLs gets
/// an empty one).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct KeyReadinessView {
    pub probe_topic: Option<String>,
    /// None: no topic asked about, or it doesn't exist.
    pub authorized: Option<Vec<String>>,
}

/// Running waits, by key id.
#[derive(Default)]
pub struct KeyWaits(pub Jobs<CancelFlag>);

/// Resolves when the cluster accepts the stored key (two good probes in a row), then says what
/// it may do on `probe_topic`; each probe is an `ApiKeyWait` event; `cancel_api_key_wait`
/// stops it.
#[tauri::command]
#[specta::specta]
pub async fn wait_for_api_key(
    app: AppHandle,
    connection_id: String,
    environment_id: String,
    cluster_id: String,
    key_id: String,
    probe_topic: Option<String>,
) -> Result<KeyReadinessView, BridgeError> {
    let (client, auth) =
        kafka_rest_with_key(&app, &connection_id, &environment_id, &cluster_id, &key_id).await?;
    let (wait, progress) = (KeyWait::new(client, auth, probe_topic), emit_wait(&app));
    let ready = app
        .state::<KeyWaits>()
        .0
        .run_async(&key_id, |cancel| async move {
            wait.run(progress, cancel.flag()).await
        })
        .await
        .map_err(|e| from_kafka_rest(e, &key_id))?;
    Ok(ready.into())
}

impl From<access::KeyWaited> for KeyReadinessView {
    fn from(w: access::KeyWaited) -> Self {
        KeyReadinessView {
            probe_topic: w.probe_topic,
            authorized: w.authorized,
        }
    }
}

#[tauri::command]
#[specta::specta]
pub async fn cancel_api_key_wait(app: AppHandle, key_id: String) -> Result<(), BridgeError> {
    app.state::<KeyWaits>().0.cancel(&key_id);
    Ok(())
}
