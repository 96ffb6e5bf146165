//! Kafka API keys the app created (or was given) for a cluster, so it can use them for that
//! cluster's topics and sends without asking again. Which key belongs to which cluster is in the
//! config file; each key's secret only in the OS keyring. Same all-or-nothing rule as connections.

use serde::{Deserialize, Serialize};

use crate::config_file::ConfigFile;
use crate::error::Error;
use crate::store::ConnectionStore;
use gureum_secrets::{Secret, SecretStore};

/// A stored cluster API key (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClusterKey {
    pub connection_id: String,
    pub cluster_id: String,
    pub key_id: String,
}

/// The keyring account that holds one cluster key's secret.
pub(crate) fn key_account(connection_id: &str, key_id: &str) -> String {
    format!("cluster-key/{connection_id}/{key_id}")
}

impl<S: SecretStore> ConnectionStore<S> {
    /// Keeps `key_id`'s secret for `cluster_id`; the newest saved key is the one used.
    pub fn save_cluster_key(
        &self,
        connection_id: &str,
        cluster_id: &str,
        key_id: &str,
        secret: &Secret,
    ) -> Result<(), Error> {
        self.keep_cluster_key(connection_id, cluster_id, key_id, secret, true)
    }

    /// Keeps a key; with `in_use` false it goes behind the cluster's other keys, so the one
    /// Topics and Send use stays the same (a key Gureum keeps for managing ACLs, say). A
    /// cluster's only key is used either way.
    pub fn keep_cluster_key(
        &self,
        connection_id: &str,
        cluster_id: &str,
        key_id: &str,
        secret: &Secret,
        in_use: bool,
    ) -> Result<(), Error> {
        let _guard = self.lock();
        let mut config = ConfigFile::load(self.path())?;
        let account = key_account(connection_id, key_id);
        let previous = self.secrets().get(&account)?;
        self.secrets().set(&account, secret)?;
        config
            .cluster_keys
            .retain(|k| !(k.connection_id == connection_id && k.key_id == key_id));
        let entry = ClusterKey {
            connection_id: connection_id.into(),
            cluster_id: cluster_id.into(),
            key_id: key_id.into(),
        };
        if in_use {
            config.cluster_keys.push(entry);
        } else {
            config.cluster_keys.insert(0, entry);
        }
        if let Err(e) = config.save(self.path()) {
            self.restore(&account, previous.as_ref());
            return Err(e);
        }
        log::info!("stored API key {key_id} for cluster {cluster_id}");
        Ok(())
    }

    /// Makes a stored key the one used for its cluster (it becomes the newest); false if
    /// Gureum holds no such key.
    pub fn use_cluster_key(&self, connection_id: &str, key_id: &str) -> Result<bool, Error> {
        let _guard = self.lock();
        let mut config = ConfigFile::load(self.path())?;
        let Some(at) = config
            .cluster_keys
            .iter()
            .position(|k| k.connection_id == connection_id && k.key_id == key_id)
        else {
            return Ok(false);
        };
        let entry = config.cluster_keys.remove(at);
        config.cluster_keys.push(entry);
        config.save(self.path())?;
        Ok(true)
    }

    /// One stored key and its secret, by id (None if it isn't stored or its secret is gone).
    pub fn cluster_key_by_id(
        &self,
        connection_id: &str,
        key_id: &str,
    ) -> Result<Option<(ClusterKey, Secret)>, Error> {
        let Some(k) = self
            .cluster_keys(connection_id)?
            .into_iter()
            .find(|k| k.key_id == key_id)
        else {
            return Ok(None);
        };
        Ok(self
            .secrets()
            .get(&key_account(connection_id, key_id))?
            .map(|s| (k, s)))
    }

    /// The key to use for a cluster: the newest one whose secret is still in the keyring.
    pub fn cluster_key(
        &self,
        connection_id: &str,
        cluster_id: &str,
    ) -> Result<Option<(String, Secret)>, Error> {
        for k in self.cluster_keys(connection_id)?.iter().rev() {
            if k.cluster_id != cluster_id {
                continue;
            }
            if let Some(secret) = self.secrets().get(&key_account(connection_id, &k.key_id))? {
                return Ok(Some((k.key_id.clone(), secret)));
            }
        }
        Ok(None)
    }

    /// The keys stored for a connection, oldest first.
    pub fn cluster_keys(&self, connection_id: &str) -> Result<Vec<ClusterKey>, Error> {
        let _guard = self.lock();
        Ok(ConfigFile::load(self.path())?
            .cluster_keys
            .into_iter()
            .filter(|k| k.connection_id == connection_id)
            .collect())
    }

    /// Forgets a key (its secret and its entry); a key that isn't stored is not an error.
    pub fn forget_cluster_key(&self, connection_id: &str, key_id: &str) -> Result<(), Error> {
        let _guard = self.lock();
        let mut config = ConfigFile::load(self.path())?;
        let before = config.cluster_keys.len();
        config
            .cluster_keys
            .retain(|k| !(k.connection_id == connection_id && k.key_id == key_id));
        let account = key_account(connection_id, key_id);
        let previous = self.secrets().get(&account)?;
        self.secrets().delete(&account)?;
        if config.cluster_keys.len() != before {
            if let Err(e) = config.save(self.path()) {
                self.restore(&account, previous.as_ref());
                return Err(e);
            }
        }
        Ok(())
    }
}
