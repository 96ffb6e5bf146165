//! The cluster keys a connection holds, as the access flows see them: the OS keyring through
//! `gureum-connections`. Keeping a key also drops the cached Kafka REST auths, so the next call
//! uses the key now in use.

use gureum_confluent::access::KeyVault;
use gureum_connections::ClusterKey;
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

/// The ids of one cluster's keys, the one in use first (the config file lists it last).
fn in_use_first<'a>(keys: &'a [ClusterKey], cluster_id: &'a str) -> impl Iterator<Item = &'a str> {
    keys.iter()
        .rev()
        .filter(move |k| k.cluster_id == cluster_id)
        .map(|k| k.key_id.as_str())
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
            for key_id in in_use_first(&store.cluster_keys(&conn)?, &cluster) {
                if let Some((_, secret)) = store.cluster_key_by_id(&conn, key_id)? {
                    out.push((key_id.to_string(), secret));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn key(cluster_id: &str, key_id: &str) -> ClusterKey {
        ClusterKey {
            connection_id: "c".into(),
            cluster_id: cluster_id.into(),
            key_id: key_id.into(),
        }
    }

    #[test]
    fn a_clusters_keys_come_newest_first_and_no_other_clusters() {
        // As the config file lists them: the one in use last.
        let keys = [
            key("lkc-1", "OLD"),
            key("lkc-2", "OTHER"),
            key("lkc-1", "NEW"),
        ];
        assert_eq!(
            in_use_first(&keys, "lkc-1").collect::<Vec<_>>(),
            ["NEW", "OLD"]
        );
        assert_eq!(in_use_first(&keys, "lkc-3").count(), 0);
    }
}
