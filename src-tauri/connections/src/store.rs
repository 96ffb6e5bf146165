use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::config_file::{ConfigFile, CONFIG_FILE_NAME};
use crate::error::Error;
use crate::model::{Connection, ConnectionInput, SecretState, SANDBOX_ID};
use crate::validate::validate;
use gureum_secrets::{Secret, SecretStore};

/// Saved connections: the config file plus the keyring, kept consistent. Every change either
/// lands whole or not at all: keyring changes are undone if the config write fails.
pub struct ConnectionStore<S: SecretStore> {
    path: PathBuf,
    secrets: S,
    // One writer at a time; the file is small, so each call re-reads it.
    lock: Mutex<()>,
}

/// The keyring account that holds a connection's one secret.
pub(crate) fn secret_account(id: &str) -> String {
    format!("connection/{id}")
}

impl<S: SecretStore> ConnectionStore<S> {
    pub fn new(config_dir: &Path, secrets: S) -> Self {
        ConnectionStore {
            path: config_dir.join(CONFIG_FILE_NAME),
            secrets,
            lock: Mutex::new(()),
        }
    }

    pub fn config_path(&self) -> &Path {
        &self.path
    }

    pub fn secrets(&self) -> &S {
        &self.secrets
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.lock.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The sandbox first, then saved connections in the order they were added.
    pub fn list(&self) -> Result<Vec<Connection>, Error> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut all = vec![Connection::sandbox()];
        all.extend(ConfigFile::load(&self.path)?.connections);
        Ok(all)
    }

    pub fn get(&self, id: &str) -> Result<Connection, Error> {
        self.list()?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| Error::NotFound(id.into()))
    }

    pub fn secret_state(&self, id: &str) -> Result<SecretState, Error> {
        let c = self.get(id)?;
        if !c.endpoint.needs_secret() {
            return Ok(SecretState::NotNeeded);
        }
        Ok(match self.secrets.get(&secret_account(id))? {
            Some(_) => SecretState::Stored,
            None => SecretState::Missing,
        })
    }

    /// The connection's secret, for the code that connects (never for the UI).
    pub fn secret(&self, id: &str) -> Result<Option<Secret>, Error> {
        Ok(self.secrets.get(&secret_account(id))?)
    }

    /// Creates (`input.id == None`) or updates a connection. Validation errors come back per
    /// field; nothing is written unless everything is valid.
    pub fn save(&self, input: ConnectionInput) -> Result<Connection, Error> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut config = ConfigFile::load(&self.path)?;
        if input.id.as_deref() == Some(SANDBOX_ID) {
            return Err(Error::BuiltinReadOnly);
        }
        let index = match &input.id {
            Some(id) => Some(
                config
                    .connections
                    .iter()
                    .position(|c| &c.id == id)
                    .ok_or_else(|| Error::NotFound(id.clone()))?,
            ),
            None => None,
        };
        let id = input
            .id
            .clone()
            .unwrap_or_else(|| format!("c-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]));
        let account = secret_account(&id);
        let previous = match index {
            Some(_) => self.secrets.get(&account)?,
            None => None,
        };
        let errors = validate(&input, &config.connections, previous.is_some());
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }

        let connection = Connection {
            id: id.clone(),
            name: input.name.trim().to_string(),
            endpoint: input.endpoint,
        };
        // Keyring first: if it refuses, the config is untouched.
        let new_secret = input.secret.filter(|s| !s.is_blank());
        let keyring_changed = if !connection.endpoint.needs_secret() {
            if previous.is_some() {
                self.secrets.delete(&account)?;
                true
            } else {
                false
            }
        } else if let Some(secret) = &new_secret {
            self.secrets.set(&account, secret)?;
            true
        } else {
            false
        };

        match index {
            Some(i) => config.connections[i] = connection.clone(),
            None => config.connections.push(connection.clone()),
        }
        if let Err(e) = config.save(&self.path) {
            if keyring_changed {
                self.restore(&account, previous.as_ref());
            }
            return Err(e);
        }
        log::info!("saved connection {id}");
        Ok(connection)
    }

    /// Removes a connection and its secret.
    pub fn remove(&self, id: &str) -> Result<(), Error> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        if id == SANDBOX_ID {
            return Err(Error::BuiltinReadOnly);
        }
        let mut config = ConfigFile::load(&self.path)?;
        let index = config
            .connections
            .iter()
            .position(|c| c.id == id)
            .ok_or_else(|| Error::NotFound(id.into()))?;
        let account = secret_account(id);
        let previous = self.secrets.get(&account)?;
        self.secrets.delete(&account)?;
        config.connections.remove(index);
        let (keys, kept) = std::mem::take(&mut config.cluster_keys)
            .into_iter()
            .partition(|k| k.connection_id == id);
        config.cluster_keys = kept;
        if let Err(e) = config.save(&self.path) {
            self.restore(&account, previous.as_ref());
            return Err(e);
        }
        // The entries are gone; a secret left behind is unreachable but must not linger.
        for k in keys {
            let k: crate::cluster_keys::ClusterKey = k;
            if let Err(e) = self
                .secrets
                .delete(&crate::cluster_keys::key_account(id, &k.key_id))
            {
                log::warn!(
                    "could not delete the stored secret of API key {}: {e}",
                    k.key_id
                );
            }
        }
        log::info!("removed connection {id}");
        Ok(())
    }

    pub(crate) fn restore(&self, account: &str, previous: Option<&Secret>) {
        let undo = match previous {
            Some(s) => self.secrets.set(account, s),
            None => self.secrets.delete(account),
        };
        if let Err(e) = undo {
            log::error!("could not undo the keyring change for {account}: {e}");
        }
    }
}
