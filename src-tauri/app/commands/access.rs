//! Who may do what on a cluster: its ACLs (listed, added, deleted with a key of your account),
//! presets and their previews, the fix for a refusal, and the cluster keys Gureum holds (pasted
//! in, chosen, forgotten). Adapters over `gureum_confluent::access`.

use std::sync::atomic::AtomicBool;

use gureum_confluent::access::{
    self, Account, AclListing, Equivalent, Fix, HeldKey, Patience, Refused, TopicAccess,
};
use gureum_confluent::{Acl, Preset, PresetTarget};
use serde::Serialize;
use tauri::{AppHandle, Manager};

use super::blocking;
use super::iam::{emit_wait, AdminKeyView};
use crate::cloud::{client_for, cluster_ref, kafka_rest, Clients};
use crate::error::{pasted_key_error, BridgeError, ErrorCode};
use crate::state::AppState;
use crate::vault::Keyring;

/// The account Gureum acts as on this connection: the owner of its Cloud API key.
#[tauri::command]
#[specta::specta]
pub async fn my_account(app: AppHandle, connection_id: String) -> Result<Account, BridgeError> {
    let client = client_for(&app, &connection_id).await?;
    Ok(access::my_account(&client).await?)
}

/// The cluster's ACLs, read with a key of your account Gureum holds (none: `admin_key` is None).
#[tauri::command]
#[specta::specta]
pub async fn list_acls(
    app: AppHandle,
    connection_id: String,
    environment_id: String,
    cluster_id: String,
) -> Result<AclListing, BridgeError> {
    let (client, cluster) = cluster_ref(&app, &connection_id, &environment_id, &cluster_id).await?;
    Ok(access::list_acls(&client, &Keyring::new(&app, &connection_id), &cluster).await?)
}

/// Makes sure Gureum holds a key of your account on the cluster (made, kept and waited for if
/// not): the key ACLs are read and changed with.
#[tauri::command]
#[specta::specta]
pub async fn prepare_acl_key(
    app: AppHandle,
    connection_id: String,
    environment_id: String,
    cluster_id: String,
) -> Result<AdminKeyView, BridgeError> {
    let (client, cluster) = cluster_ref(&app, &connection_id, &environment_id, &cluster_id).await?;
    let me = access::my_account(&client).await?;
    let vault = Keyring::new(&app, &connection_id);
    let cancel = AtomicBool::new(false);
    let admin = access::ensure_admin_key(
        &client,
        &vault,
        &cluster,
        &me,
        emit_wait(&app),
        &cancel,
        Patience::default(),
    )
    .await?;
    Ok(admin.into())
}

/// Adds ACLs, all or none.
#[tauri::command]
#[specta::specta]
pub async fn add_acls(
    app: AppHandle,
    connection_id: String,
    environment_id: String,
    cluster_id: String,
    acls: Vec<Acl>,
) -> Result<AdminKeyView, BridgeError> {
    let (client, cluster) = cluster_ref(&app, &connection_id, &environment_id, &cluster_id).await?;
    let vault = Keyring::new(&app, &connection_id);
    let cancel = AtomicBool::new(false);
    let admin = access::add_acls(
        &client,
        &vault,
        &cluster,
        &acls,
        emit_wait(&app),
        &cancel,
        Patience::default(),
    )
    .await?;
    Ok(admin.into())
}

/// Deletes exactly this ACL; returns how many were deleted (0: it was already gone).
#[tauri::command]
#[specta::specta]
pub async fn delete_acl(
    app: AppHandle,
    connection_id: String,
    environment_id: String,
    cluster_id: String,
    acl: Acl,
) -> Result<u32, BridgeError> {
    let (client, cluster) = cluster_ref(&app, &connection_id, &environment_id, &cluster_id).await?;
    let vault = Keyring::new(&app, &connection_id);
    let cancel = AtomicBool::new(false);
    let gone = access::delete_acl(
        &client,
        &vault,
        &cluster,
        &acl,
        emit_wait(&app),
        &cancel,
        Patience::default(),
    )
    .await?;
    Ok(gone.len() as u32)
}

/// The exact ACLs a preset adds for `principal` (`User:sa-…`).
#[tauri::command]
#[specta::specta]
pub fn preview_preset(principal: String, preset: Preset, target: PresetTarget) -> Vec<Acl> {
    preset.acls(&principal, &target)
}

/// Adding (or deleting) these ACLs as a Kafka REST call and `confluent` commands.
#[tauri::command]
#[specta::specta]
pub fn acl_equivalent(
    rest_endpoint: String,
    cluster_id: String,
    acls: Vec<Acl>,
    removing: bool,
) -> Equivalent {
    match (removing, acls.first()) {
        (true, Some(acl)) => access::delete_equivalent(&rest_endpoint, &cluster_id, acl),
        _ => access::create_equivalent(&rest_endpoint, &cluster_id, &acls),
    }
}

/// What fixes a refusal, for the owner of the key that was refused.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct FixView {
    pub key_id: String,
    /// The cluster's Kafka REST endpoint, for the fix's equivalents.
    pub rest_endpoint: String,
    pub account: Account,
    pub fix: Fix,
}

#[tauri::command]
#[specta::specta]
pub async fn fix_for_refusal(
    app: AppHandle,
    connection_id: String,
    environment_id: String,
    cluster_id: String,
    refused: Refused,
) -> Result<FixView, BridgeError> {
    let key_id = match refused.key_id.clone() {
        Some(k) => k,
        None => {
            kafka_rest(&app, &connection_id, &environment_id, &cluster_id)
                .await?
                .1
                .key
        }
    };
    let (client, cluster) = cluster_ref(&app, &connection_id, &environment_id, &cluster_id).await?;
    Ok(access::fix_for_refusal(&client, &cluster, &refused, key_id)
        .await?
        .into())
}

impl From<access::RefusalFix> for FixView {
    fn from(f: access::RefusalFix) -> Self {
        FixView {
            key_id: f.key_id,
            rest_endpoint: f.rest_endpoint,
            account: f.account,
            fix: f.fix,
        }
    }
}

/// Every cluster key Gureum holds for the connection, with its owner and whether its cluster
/// uses it.
#[tauri::command]
#[specta::specta]
pub async fn held_keys(app: AppHandle, connection_id: String) -> Result<Vec<HeldKey>, BridgeError> {
    let (app2, conn) = (app.clone(), connection_id.clone());
    let held: Vec<(String, String)> = blocking(move || {
        Ok(app2
            .state::<AppState>()
            .connections
            .cluster_keys(&conn)?
            .into_iter()
            .map(|k| (k.cluster_id, k.key_id))
            .collect())
    })
    .await?;
    let client = client_for(&app, &connection_id).await?;
    Ok(access::describe_held(&client, &held).await?)
}

/// A pasted key, as checked against its cluster.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct KeyCheckView {
    pub key_id: String,
    /// None when the Cloud API can't say (e.g. another organisation's key).
    pub owner: Option<Account>,
    /// What it may do on the topics it sees (the first 50, by name).
    pub topics: Vec<TopicAccess>,
    /// How many topics it sees.
    pub visible: u32,
}

/// Checks an existing key and secret against the cluster (it must authenticate), then keeps it
/// in the keyring as the key Topics and Send use for that cluster.
#[tauri::command]
#[specta::specta]
pub async fn use_existing_key(
    app: AppHandle,
    connection_id: String,
    environment_id: String,
    cluster_id: String,
    key_id: String,
    secret: String,
) -> Result<KeyCheckView, BridgeError> {
    let (key_id, secret) = access::pasted_key(&key_id, &secret)?;
    let (client, cluster) = cluster_ref(&app, &connection_id, &environment_id, &cluster_id).await?;
    let vault = Keyring::new(&app, &connection_id);
    let checked = access::use_existing_key(&client, &vault, &cluster, &key_id, secret, 50)
        .await
        .map_err(pasted_key_error)?;
    Ok(KeyCheckView {
        key_id,
        owner: checked.owner,
        visible: checked.visible as u32,
        topics: checked.topics,
    })
}

/// Makes a held key the one its cluster's Topics and Send use.
#[tauri::command]
#[specta::specta]
pub async fn use_held_key(
    app: AppHandle,
    connection_id: String,
    key_id: String,
) -> Result<(), BridgeError> {
    let (app2, conn, id) = (app.clone(), connection_id.clone(), key_id.clone());
    let found = blocking(move || {
        Ok(app2
            .state::<AppState>()
            .connections
            .use_cluster_key(&conn, &id)?)
    })
    .await?;
    if !found {
        return Err(BridgeError::new(
            ErrorCode::NotFound,
            format!("Gureum holds no key {key_id}."),
        ));
    }
    app.state::<Clients>().forget_keys(&connection_id).await;
    Ok(())
}

/// Forgets a held key's secret (the key itself stays in the cloud).
#[tauri::command]
#[specta::specta]
pub async fn forget_held_key(
    app: AppHandle,
    connection_id: String,
    key_id: String,
) -> Result<(), BridgeError> {
    let (app2, conn) = (app.clone(), connection_id.clone());
    blocking(move || {
        Ok(app2
            .state::<AppState>()
            .connections
            .forget_cluster_key(&conn, &key_id)?)
    })
    .await?;
    app.state::<Clients>().forget_keys(&connection_id).await;
    Ok(())
}
