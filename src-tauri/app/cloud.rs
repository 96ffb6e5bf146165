//! The app's session: which Cloud API client, Kafka REST key and data-plane settings a
//! connection gets, resolved and cached by the Tauri-free `gureum-session` crate. This file only
//! reaches the one [`Clients`] the app holds and turns its errors into bridge errors.

use std::path::PathBuf;

use gureum_confluent::access::ClusterRef;
use gureum_confluent::{Client, Cluster, KafkaRestAuth};
use gureum_secrets::SecretVault;
use gureum_session::{ClusterInfo, SandboxAccess, SandboxCloudApi, Session, SessionError, Target};
use tauri::{AppHandle, Manager};

use crate::error::BridgeError;
use crate::sandbox::{SandboxSlot, SandboxState};

/// The one session of this run.
pub type Clients = Session<SecretVault, SandboxSlot>;

fn clients(app: &AppHandle) -> &Clients {
    app.state::<Clients>().inner()
}

/// A client for the connection's Cloud API, or why there is none.
pub async fn client_for(app: &AppHandle, connection_id: &str) -> Result<Client, BridgeError> {
    Ok(clients(app).client(connection_id).await?)
}

/// Records clusters just read, so Kafka REST calls need no extra lookup.
pub async fn remember_clusters<'a>(
    app: &AppHandle,
    connection_id: &str,
    list: impl IntoIterator<Item = &'a Cluster>,
) {
    clients(app).remember_clusters(connection_id, list).await
}

pub async fn forget_cluster(app: &AppHandle, connection_id: &str, cluster_id: &str) {
    clients(app).forget_cluster(connection_id, cluster_id).await
}

/// Client + Kafka REST endpoint + the cluster's stored API key: all a topic call needs.
pub async fn kafka_rest(
    app: &AppHandle,
    connection_id: &str,
    environment_id: &str,
    cluster_id: &str,
) -> Result<(Client, KafkaRestAuth, ClusterInfo), BridgeError> {
    let c = clients(app);
    Ok(c.kafka_rest(connection_id, environment_id, cluster_id)
        .await?)
}

/// [`kafka_rest`] for a cluster target.
pub async fn kafka_rest_at(
    app: &AppHandle,
    target: &Target,
) -> Result<(Client, KafkaRestAuth, ClusterInfo), BridgeError> {
    kafka_rest(
        app,
        &target.connection_id,
        &target.environment_id,
        &target.cluster_id,
    )
    .await
}

/// Client + the cluster's Kafka REST address, for calls made with a key of the caller's choice.
pub async fn cluster_ref(
    app: &AppHandle,
    connection_id: &str,
    environment_id: &str,
    cluster_id: &str,
) -> Result<(Client, ClusterRef), BridgeError> {
    let c = clients(app);
    Ok(c.cluster_ref(connection_id, environment_id, cluster_id)
        .await?)
}

/// [`kafka_rest`] with one stored key, named: a key Gureum holds but may not use for Topics.
pub async fn kafka_rest_with_key(
    app: &AppHandle,
    connection_id: &str,
    environment_id: &str,
    cluster_id: &str,
    key_id: &str,
) -> Result<(Client, KafkaRestAuth), BridgeError> {
    let c = clients(app);
    Ok(
        c.kafka_rest_with_key(connection_id, environment_id, cluster_id, key_id)
            .await?,
    )
}

impl SandboxAccess for SandboxSlot {
    async fn rest_url(&self) -> Result<String, SessionError> {
        let running = self.running.lock().await;
        match running.as_ref() {
            Some(s) => Ok(s.rest_url().to_string()),
            None => Err(not_running(self)),
        }
    }

    async fn cloud_api(&self) -> Result<SandboxCloudApi, SessionError> {
        let running = self.running.lock().await;
        let Some(sandbox) = running.as_ref() else {
            return Err(not_running(self));
        };
        // One short keyring read (D-Bus); the sandbox stays locked only for it.
        let (key, secret) = sandbox.cloud_credentials().map_err(|e| match e {
            gureum_sandbox::SandboxError::Secret(s) => SessionError::Secret(s),
            other => SessionError::SandboxNotReady {
                message: "The sandbox cloud's credentials could not be read.".into(),
                detail: Some(other.to_string()),
            },
        })?;
        Ok(SandboxCloudApi {
            url: sandbox.rest_url().to_string(),
            key,
            secret,
        })
    }

    async fn ca_path(&self) -> Option<PathBuf> {
        self.running.lock().await.as_ref().map(|s| s.ca_path())
    }
}

/// Why nothing answers: starting, stopped by the user, or failed (with its reason).
fn not_running(slot: &SandboxSlot) -> SessionError {
    let status = slot.status();
    let (message, detail) = match status.state {
        SandboxState::Failed => (
            "The sandbox cloud is not running; see Settings → Connections for why, fix it and restart Gureum.",
            Some(status.message.unwrap_or_default()),
        ),
        SandboxState::Stopped => (
            "The sandbox cloud is stopped, so nothing answers there. Start it again in Settings → Connections.",
            None,
        ),
        _ => ("The sandbox cloud is still starting; try again in a moment.", None),
    };
    SessionError::SandboxNotReady {
        message: message.into(),
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::SandboxStatus;

    fn why(slot: &SandboxSlot) -> (String, Option<String>) {
        match not_running(slot) {
            SessionError::SandboxNotReady { message, detail } => (message, detail),
            other => panic!("not a SandboxNotReady: {other:?}"),
        }
    }

    #[test]
    fn a_sandbox_that_is_not_running_says_which_of_three_reasons_and_what_to_do() {
        let slot = SandboxSlot::default();
        assert!(why(&slot).0.contains("still starting"));

        slot.set_status(SandboxStatus::failed(
            "the broker program is missing".into(),
        ));
        let (message, detail) = why(&slot);
        assert!(message.contains("not running") && message.contains("Settings"));
        assert_eq!(detail.as_deref(), Some("the broker program is missing"));

        slot.set_status(SandboxStatus::stopped());
        let (message, detail) = why(&slot);
        assert!(message.contains("stopped") && message.contains("Start it again"));
        assert_eq!(detail, None);
    }
}
