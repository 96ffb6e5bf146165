//! The cluster keys a connection holds, as the access flows see them: the OS keyring through
//! `gureum-connections`. Keeping a key also drops the cached Kafka REST auths, so the next call
//! uses the key now in use.

use gureum_confluent::access::KeyVault;
use gureum_secrets::Secret;
use tauri::{AppHandle, Manager};

use crate::cloud::Clients;
use crate::commands::blocking;
use crate::error::BridgeError;
use crate::state::AppState;

pub struct Keyring {
    app: AppHandle,
    connection_id: String,
}

impl Keyring {
    pub fn new(app: &AppHandle, connection_id: &str) -> Keyring {
        Keyring {
            app: app.clone(),
            connection_id: connection_id.to_string(),
        }
    }
}

impl KeyVault for Keyring {
    type Error = BridgeError;

    async fn held(&self, cluster_id: &str) -> Result<Vec<(String, Secret)>, BridgeError> {
        let (app, conn, cluster) = (
            self.app.clone(),
            self.connection_id.clone(),
            cluster_id.to_string(),
        );
        blocking(move || {
            let store = &app.state::<AppState>().connections;
            let mut out = Vec::new();
            // Newest (the one in use) first.
            for k in store.cluster_keys(&conn)?.iter().rev() {
                if k.cluster_id != cluster {
                    continue;
                }
                if let Some((_, secret)) = store.cluster_key_by_id(&conn, &k.key_id)? {
                    out.push((k.key_id.clone(), secret));
                }
            }
            Ok(out)
        })
        .await
    }

    async fn keep(
        &self,
        cluster_id: &str,
        key_id: &str,
        secret: &Secret,
        in_use: bool,
    ) -> Result<(), BridgeError> {
        let (app, conn, cluster, id, secret) = (
            self.app.clone(),
            self.connection_id.clone(),
            cluster_id.to_string(),
            key_id.to_string(),
            secret.clone(),
        );
        blocking(move || {
            Ok(app
                .state::<AppState>()
                .connections
                .keep_cluster_key(&conn, &cluster, &id, &secret, in_use)?)
        })
        .await?;
        self.app
            .state::<Clients>()
            .forget_keys(&self.connection_id)
            .await;
        Ok(())
    }
}
