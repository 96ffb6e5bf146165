//! The cache: per connection one Cloud API client (one HTTP pool, one keyring read), what its
//! cluster lists told us, and the Kafka REST key in use per cluster.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use gureum_confluent::access::ClusterRef;
use gureum_confluent::{Client, Cluster, ClusterConfig, Config, KafkaRestAuth};
use gureum_connections::{ConnectionStore, Endpoint, SecretStore, SANDBOX_ID};
use gureum_kafka::settings::ClientSettings;
use gureum_secrets::Secret;
use tokio::sync::Mutex;

use crate::{SandboxAccess, SessionError, Target};

/// Control-plane calls normally answer within a few seconds; past this the UI says so.
const TIMEOUT: Duration = Duration::from_secs(15);

/// What the session knows of a cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterInfo {
    pub name: String,
    pub rest_endpoint: Option<String>,
    /// `host:port` for Kafka clients (SASL_SSL).
    pub bootstrap: Option<String>,
    /// Basic | Standard | … and CKUs, for partition limits.
    pub kind: String,
    pub cku: Option<i32>,
}

impl ClusterInfo {
    fn of(c: &Cluster) -> Option<(String, ClusterInfo)> {
        let (id, spec) = (c.id.clone()?, c.spec.as_ref()?);
        let (kind, cku) = match &spec.config {
            Some(ClusterConfig::Dedicated { cku, .. }) => ("Dedicated".to_string(), Some(*cku)),
            Some(other) => (
                serde_json::to_value(other)
                    .ok()
                    .and_then(|v| v.get("kind")?.as_str().map(str::to_string))
                    .unwrap_or_default(),
                None,
            ),
            None => (String::new(), None),
        };
        let info = ClusterInfo {
            name: spec.display_name.clone().unwrap_or_default(),
            rest_endpoint: c.rest_endpoint().map(str::to_string),
            bootstrap: c.bootstrap().map(str::to_string),
            kind,
            cku,
        };
        Some((id, info))
    }
}

struct Entry {
    client: Client,
    clusters: HashMap<String, ClusterInfo>,
    auths: HashMap<String, KafkaRestAuth>,
}

/// Connections → clients and settings, cached. `V` is where secrets live (the OS keyring, or
/// memory for the session).
pub struct Session<V: SecretStore + 'static, S: SandboxAccess> {
    connections: Arc<ConnectionStore<V>>,
    sandbox: Arc<S>,
    by_connection: Mutex<HashMap<String, Entry>>,
}

/// Keyring and config-file reads block (D-Bus, disk): off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SessionError> + Send + 'static,
) -> Result<T, SessionError> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| {
        Err(SessionError::Internal(format!(
            "a keyring read failed: {e}"
        )))
    })
}

impl<V: SecretStore + Send + Sync + 'static, S: SandboxAccess> Session<V, S> {
    pub fn new(connections: Arc<ConnectionStore<V>>, sandbox: Arc<S>) -> Self {
        Session {
            connections,
            sandbox,
            by_connection: Mutex::new(HashMap::new()),
        }
    }

    /// Forgets a connection's client (its settings or secret changed, or it was removed).
    pub async fn forget(&self, connection_id: &str) {
        self.by_connection.lock().await.remove(connection_id);
    }

    /// Forgets the API keys in use for a connection's clusters (a key was stored or deleted).
    pub async fn forget_keys(&self, connection_id: &str) {
        if let Some(e) = self.by_connection.lock().await.get_mut(connection_id) {
            e.auths.clear();
        }
    }

    /// Forgets a cluster (it was deleted).
    pub async fn forget_cluster(&self, connection_id: &str, cluster_id: &str) {
        if let Some(e) = self.by_connection.lock().await.get_mut(connection_id) {
            e.clusters.remove(cluster_id);
            e.auths.remove(cluster_id);
        }
    }

    /// A client for the connection's Cloud API, or why there is none.
    pub async fn client(&self, connection_id: &str) -> Result<Client, SessionError> {
        let sandbox_url = if connection_id == SANDBOX_ID {
            Some(self.sandbox.rest_url().await?)
        } else {
            None
        };
        {
            let mut cache = self.by_connection.lock().await;
            match (cache.get(connection_id), &sandbox_url) {
                // The sandbox's REST port changes when it restarts: the old client points nowhere.
                (Some(e), Some(url)) if &e.client.config().cloud_api_url != url => {
                    cache.remove(connection_id);
                }
                (Some(e), _) => return Ok(e.client.clone()),
                (None, _) => {}
            }
        }
        let mut config = match sandbox_url {
            Some(_) => {
                let api = self.sandbox.cloud_api().await?;
                Config::new(api.url, api.key, api.secret)
            }
            None => self.cloud_config(connection_id).await?,
        };
        config.timeout = TIMEOUT;
        let client = Client::new(config)?;
        self.by_connection.lock().await.insert(
            connection_id.to_string(),
            Entry {
                client: client.clone(),
                clusters: HashMap::new(),
                auths: HashMap::new(),
            },
        );
        Ok(client)
    }

    /// Records clusters just read, so Kafka REST calls need no extra lookup.
    pub async fn remember_clusters<'a>(
        &self,
        connection_id: &str,
        list: impl IntoIterator<Item = &'a Cluster>,
    ) {
        let mut cache = self.by_connection.lock().await;
        let Some(entry) = cache.get_mut(connection_id) else {
            return;
        };
        entry
            .clusters
            .extend(list.into_iter().filter_map(ClusterInfo::of));
    }

    /// The cluster as last seen, reading it from the Cloud API if this session hasn't yet.
    pub async fn cluster_info(
        &self,
        connection_id: &str,
        environment_id: &str,
        cluster_id: &str,
    ) -> Result<(Client, ClusterInfo), SessionError> {
        let client = self.client(connection_id).await?;
        if let Some(info) = self.known(connection_id, cluster_id).await {
            return Ok((client, info));
        }
        let cluster = client.get_cluster(environment_id, cluster_id).await?;
        self.remember_clusters(connection_id, [&cluster]).await;
        let info = self
            .known(connection_id, cluster_id)
            .await
            .ok_or_else(|| SessionError::Internal("the cluster could not be read".into()))?;
        Ok((client, info))
    }

    async fn known(&self, connection_id: &str, cluster_id: &str) -> Option<ClusterInfo> {
        let cache = self.by_connection.lock().await;
        cache.get(connection_id)?.clusters.get(cluster_id).cloned()
    }

    /// Client + Kafka REST endpoint + the cluster's stored API key: all a topic call needs.
    pub async fn kafka_rest(
        &self,
        connection_id: &str,
        environment_id: &str,
        cluster_id: &str,
    ) -> Result<(Client, KafkaRestAuth, ClusterInfo), SessionError> {
        let (client, info) = self
            .cluster_info(connection_id, environment_id, cluster_id)
            .await?;
        let cached = {
            let cache = self.by_connection.lock().await;
            cache
                .get(connection_id)
                .and_then(|e| e.auths.get(cluster_id).cloned())
        };
        if let Some(auth) = cached {
            return Ok((client, auth, info));
        }
        let endpoint = rest_endpoint(&info)?;
        let (store, conn, cluster) = (
            self.connections.clone(),
            connection_id.to_string(),
            cluster_id.to_string(),
        );
        let stored = blocking(move || Ok(store.cluster_key(&conn, &cluster)?)).await?;
        let Some((key, secret)) = stored else {
            return Err(SessionError::ClusterKeyMissing { cluster: info.name });
        };
        let auth = KafkaRestAuth {
            endpoint,
            cluster_id: cluster_id.to_string(),
            key,
            secret,
        };
        if let Some(e) = self.by_connection.lock().await.get_mut(connection_id) {
            e.auths.insert(cluster_id.to_string(), auth.clone());
        }
        Ok((client, auth, info))
    }

    /// Client + the cluster's Kafka REST address, for calls made with a key of the caller's
    /// choice (the access flows pick theirs).
    pub async fn cluster_ref(
        &self,
        connection_id: &str,
        environment_id: &str,
        cluster_id: &str,
    ) -> Result<(Client, ClusterRef), SessionError> {
        let (client, info) = self
            .cluster_info(connection_id, environment_id, cluster_id)
            .await?;
        let cluster = ClusterRef {
            environment_id: environment_id.to_string(),
            cluster_id: cluster_id.to_string(),
            rest_endpoint: rest_endpoint(&info)?,
        };
        Ok((client, cluster))
    }

    /// [`Self::kafka_rest`] with one stored key, named: a key Gureum holds but may not use for
    /// Topics.
    pub async fn kafka_rest_with_key(
        &self,
        connection_id: &str,
        environment_id: &str,
        cluster_id: &str,
        key_id: &str,
    ) -> Result<(Client, KafkaRestAuth), SessionError> {
        let (client, cluster) = self
            .cluster_ref(connection_id, environment_id, cluster_id)
            .await?;
        let (store, conn, id) = (
            self.connections.clone(),
            connection_id.to_string(),
            key_id.to_string(),
        );
        let stored = blocking(move || Ok(store.cluster_key_by_id(&conn, &id)?)).await?;
        match stored {
            Some((k, secret)) if k.cluster_id == cluster_id => {
                Ok((client, cluster.auth(key_id, secret)))
            }
            _ => Err(SessionError::KeyNotHeld {
                key_id: key_id.to_string(),
            }),
        }
    }

    /// The data plane's settings for `target`: a Kafka connection's own, or a cloud cluster's
    /// bootstrap endpoint with the key in use (and the sandbox's CA).
    pub async fn settings(&self, target: &Target) -> Result<ClientSettings, SessionError> {
        let endpoint = if target.connection_id == SANDBOX_ID {
            Endpoint::Sandbox
        } else {
            let (store, id) = (self.connections.clone(), target.connection_id.clone());
            blocking(move || Ok(store.get(&id)?.endpoint)).await?
        };
        match endpoint {
            Endpoint::Kafka(k) => {
                let password = if k.security_protocol.uses_sasl() {
                    let (store, id) = (self.connections.clone(), target.connection_id.clone());
                    blocking(move || Ok(store.secret(&id)?)).await?
                } else {
                    None
                };
                Ok(ClientSettings::kafka(&k, password)?)
            }
            Endpoint::Sandbox | Endpoint::ConfluentCloud(_) => {
                let (conn, env, cluster) = parts(target);
                let (_, auth, info) = self.kafka_rest(conn, env, cluster).await?;
                self.cloud_settings(target, &info, &auth.key, auth.secret)
                    .await
            }
        }
    }

    /// The settings for `target`'s cluster with one stored key of it, named (not necessarily
    /// the one in use).
    pub async fn settings_with_key(
        &self,
        target: &Target,
        key_id: &str,
    ) -> Result<ClientSettings, SessionError> {
        let (conn, env, cluster) = parts(target);
        let (_, auth) = self.kafka_rest_with_key(conn, env, cluster, key_id).await?;
        let (_, info) = self.cluster_info(conn, env, cluster).await?;
        self.cloud_settings(target, &info, &auth.key, auth.secret)
            .await
    }

    async fn cloud_settings(
        &self,
        target: &Target,
        info: &ClusterInfo,
        key: &str,
        secret: Secret,
    ) -> Result<ClientSettings, SessionError> {
        let bootstrap = info
            .bootstrap
            .clone()
            .ok_or_else(|| SessionError::ClusterNotReady {
                cluster: info.name.clone(),
                what: "bootstrap endpoint",
            })?;
        let ca = if target.connection_id == SANDBOX_ID {
            self.sandbox.ca_path().await
        } else {
            None
        };
        Ok(ClientSettings::confluent(&bootstrap, key, secret, ca))
    }

    async fn cloud_config(&self, connection_id: &str) -> Result<Config, SessionError> {
        let (store, id) = (self.connections.clone(), connection_id.to_string());
        blocking(move || {
            let c = store.get(&id)?;
            match c.endpoint {
                Endpoint::ConfluentCloud(cc) => {
                    let secret = store.secret(&id)?.ok_or(SessionError::SecretMissing {
                        connection: c.name.clone(),
                    })?;
                    let mut config = Config::new(cc.cloud_api_url, cc.cloud_api_key, secret);
                    config.metrics_api_url = cc.metrics_api_url;
                    Ok(config)
                }
                Endpoint::Kafka(_) => Err(SessionError::NoCloudApi { connection: c.name }),
                Endpoint::Sandbox => Err(SessionError::Internal(
                    "a saved connection claims to be the sandbox".into(),
                )),
            }
        })
        .await
    }
}

fn parts(t: &Target) -> (&str, &str, &str) {
    (&t.connection_id, &t.environment_id, &t.cluster_id)
}

fn rest_endpoint(info: &ClusterInfo) -> Result<String, SessionError> {
    info.rest_endpoint
        .clone()
        .ok_or_else(|| SessionError::ClusterNotReady {
            cluster: info.name.clone(),
            what: "REST endpoint",
        })
}
