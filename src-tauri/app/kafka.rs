//! How the data plane reaches a connection's cluster. A sandbox or Confluent Cloud cluster: its
//! bootstrap endpoint and the API key Gureum keeps for it (SASL_SSL + PLAIN; the sandbox's CA on
//! top). A Kafka connection: its own settings and SASL password. Same crate, same code either way.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use gureum_connections::{Endpoint, SANDBOX_ID};
use gureum_kafka::producer::Producers;
use gureum_kafka::settings::ClientSettings;
use gureum_kafka::tail::Tail;
use tauri::{AppHandle, Manager};

use crate::cloud::{cluster_info, kafka_rest, kafka_rest_with_key, ClusterInfo};
use crate::commands::blocking;
use crate::error::{BridgeError, ErrorCode};
use crate::sandbox::SandboxSlot;
use crate::state::AppState;

/// The data plane's live parts: warm producers, running tails and bulk runs (by id).
#[derive(Default)]
pub struct DataPlane {
    pub producers: Producers,
    pub tails: Mutex<HashMap<String, Tail>>,
    pub bulk: Mutex<HashMap<String, Arc<AtomicBool>>>,
}

/// Which cluster: a connection, and for Cloud API connections the environment and cluster.
#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
pub struct Target {
    pub connection_id: String,
    /// Empty for a Kafka connection.
    pub environment_id: String,
    /// Empty for a Kafka connection.
    pub cluster_id: String,
}

pub fn data_plane(app: &AppHandle) -> &DataPlane {
    app.state::<DataPlane>().inner()
}

/// The client settings for `target`.
pub async fn settings(app: &AppHandle, target: &Target) -> Result<ClientSettings, BridgeError> {
    let endpoint = if target.connection_id == SANDBOX_ID {
        Endpoint::Sandbox
    } else {
        let (conn, id) = (app.clone(), target.connection_id.clone());
        blocking(move || Ok(conn.state::<AppState>().connections.get(&id)?.endpoint)).await?
    };
    match endpoint {
        Endpoint::Kafka(k) => {
            let (app2, id) = (app.clone(), target.connection_id.clone());
            let password = if k.security_protocol.uses_sasl() {
                blocking(move || Ok(app2.state::<AppState>().connections.secret(&id)?)).await?
            } else {
                None
            };
            ClientSettings::kafka(&k, password).map_err(BridgeError::from)
        }
        Endpoint::Sandbox | Endpoint::ConfluentCloud(_) => {
            let (_, auth, info) = kafka_rest(
                app,
                &target.connection_id,
                &target.environment_id,
                &target.cluster_id,
            )
            .await?;
            cloud_settings(app, target, &info, &auth.key, auth.secret).await
        }
    }
}

/// The client settings for `target`'s cluster with one stored key of it, named (not
/// necessarily the one in use).
pub async fn settings_with_key(
    app: &AppHandle,
    target: &Target,
    key_id: &str,
) -> Result<ClientSettings, BridgeError> {
    let (conn, env, cluster) = (
        &target.connection_id,
        &target.environment_id,
        &target.cluster_id,
    );
    let (_, auth) = kafka_rest_with_key(app, conn, env, cluster, key_id).await?;
    let (_, info) = cluster_info(app, conn, env, cluster).await?;
    cloud_settings(app, target, &info, &auth.key, auth.secret).await
}

async fn cloud_settings(
    app: &AppHandle,
    target: &Target,
    info: &ClusterInfo,
    key: &str,
    secret: gureum_secrets::Secret,
) -> Result<ClientSettings, BridgeError> {
    let bootstrap = info.bootstrap.clone().ok_or_else(|| {
        BridgeError::new(
            ErrorCode::ClusterNotReady,
            format!(
                "“{}” has no bootstrap endpoint yet; wait until it is provisioned.",
                info.name
            ),
        )
    })?;
    let ca = if target.connection_id == SANDBOX_ID {
        let slot = app.state::<Arc<SandboxSlot>>().inner().clone();
        let running = slot.running.lock().await;
        running.as_ref().map(|s| s.ca_path())
    } else {
        None
    };
    Ok(ClientSettings::confluent(&bootstrap, key, secret, ca))
}

/// Stops every tail and flushes the warm producers (at exit, before the sandbox goes).
pub fn close(app: &AppHandle) {
    let dp = data_plane(app);
    for flag in dp.bulk.lock().unwrap_or_else(|p| p.into_inner()).values() {
        flag.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    let tails: Vec<Tail> = dp
        .tails
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .drain()
        .map(|(_, t)| t)
        .collect();
    for t in tails {
        t.stop();
    }
    dp.producers.close_all(std::time::Duration::from_secs(5));
}
