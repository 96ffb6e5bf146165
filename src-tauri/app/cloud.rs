//! Which Cloud API a connection talks to. The built-in sandbox and a Confluent Cloud organisation
//! get the very same `gureum_confluent::Client`; only the base URL and the credentials differ.
//!
//! Clients are kept per connection (one HTTP pool, one keyring read), with what Kafka REST needs
//! per cluster: its endpoint (from the cluster lists we already fetched) and its stored API key.
//! Saving or removing a connection, a key change and a sandbox restart drop what they affect.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use gureum_confluent::access::ClusterRef;
use gureum_confluent::{Client, Cluster, Config, KafkaRestAuth};
use gureum_connections::{Endpoint, SANDBOX_ID};
use tauri::{AppHandle, Manager};
use tokio::sync::Mutex;

use crate::commands::blocking;
use crate::error::{BridgeError, ErrorCode};
use crate::sandbox::{SandboxSlot, SandboxState};
use crate::state::AppState;

/// Control-plane calls normally answer within a few seconds; past this the UI says so.
const TIMEOUT: Duration = Duration::from_secs(15);

/// What the cache knows of a cluster.
#[derive(Debug, Clone)]
pub struct ClusterInfo {
    pub name: String,
    pub rest_endpoint: Option<String>,
    /// `host:port` for Kafka clients (SASL_SSL).
    pub bootstrap: Option<String>,
    /// Basic | Standard | … and CKUs, for partition limits.
    pub kind: String,
    pub cku: Option<i32>,
}

struct Entry {
    client: Client,
    clusters: HashMap<String, ClusterInfo>,
    auths: HashMap<String, KafkaRestAuth>,
}

#[derive(Default)]
pub struct Clients {
    by_connection: Mutex<HashMap<String, Entry>>,
}

impl Clients {
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
}

fn clients(app: &AppHandle) -> &Clients {
    app.state::<Clients>().inner()
}

/// A client for the connection's Cloud API, or why there is none.
pub async fn client_for(app: &AppHandle, connection_id: &str) -> Result<Client, BridgeError> {
    let sandbox_url = if connection_id == SANDBOX_ID {
        Some(sandbox_url(app).await?)
    } else {
        None
    };
    {
        let mut cache = clients(app).by_connection.lock().await;
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
        Some(_) => sandbox_config(app).await?,
        None => cloud_config(app, connection_id).await?,
    };
    config.timeout = TIMEOUT;
    let client = Client::new(config)?;
    clients(app).by_connection.lock().await.insert(
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
    app: &AppHandle,
    connection_id: &str,
    list: impl IntoIterator<Item = &'a Cluster>,
) {
    let mut cache = clients(app).by_connection.lock().await;
    let Some(entry) = cache.get_mut(connection_id) else {
        return;
    };
    for c in list {
        let (Some(id), Some(spec)) = (c.id.clone(), c.spec.as_ref()) else {
            continue;
        };
        let (kind, cku) = match &spec.config {
            Some(gureum_confluent::ClusterConfig::Dedicated { cku, .. }) => {
                ("Dedicated".to_string(), Some(*cku))
            }
            Some(other) => (
                serde_json::to_value(other)
                    .ok()
                    .and_then(|v| v.get("kind")?.as_str().map(str::to_string))
                    .unwrap_or_default(),
                None,
            ),
            None => (String::new(), None),
        };
        entry.clusters.insert(
            id,
            ClusterInfo {
                name: spec.display_name.clone().unwrap_or_default(),
                rest_endpoint: c.rest_endpoint().map(str::to_string),
                bootstrap: c.bootstrap().map(str::to_string),
                kind,
                cku,
            },
        );
    }
}

pub async fn forget_cluster(app: &AppHandle, connection_id: &str, cluster_id: &str) {
    if let Some(e) = clients(app)
        .by_connection
        .lock()
        .await
        .get_mut(connection_id)
    {
        e.clusters.remove(cluster_id);
        e.auths.remove(cluster_id);
    }
}

/// The cluster as last seen, reading it from the Cloud API if this session hasn't yet.
pub async fn cluster_info(
    app: &AppHandle,
    connection_id: &str,
    environment_id: &str,
    cluster_id: &str,
) -> Result<(Client, ClusterInfo), BridgeError> {
    let client = client_for(app, connection_id).await?;
    let known = clients(app)
        .by_connection
        .lock()
        .await
        .get(connection_id)
        .and_then(|e| e.clusters.get(cluster_id).cloned());
    if let Some(info) = known {
        return Ok((client, info));
    }
    let cluster = client.get_cluster(environment_id, cluster_id).await?;
    remember_clusters(app, connection_id, [&cluster]).await;
    let info = clients(app)
        .by_connection
        .lock()
        .await
        .get(connection_id)
        .and_then(|e| e.clusters.get(cluster_id).cloned())
        .ok_or_else(|| BridgeError::new(ErrorCode::Internal, "the cluster could not be read"))?;
    Ok((client, info))
}

/// Client + Kafka REST endpoint + the cluster's stored API key: all a topic call needs.
pub async fn kafka_rest(
    app: &AppHandle,
    connection_id: &str,
    environment_id: &str,
    cluster_id: &str,
) -> Result<(Client, KafkaRestAuth, ClusterInfo), BridgeError> {
    let (client, info) = cluster_info(app, connection_id, environment_id, cluster_id).await?;
    let cached = clients(app)
        .by_connection
        .lock()
        .await
        .get(connection_id)
        .and_then(|e| e.auths.get(cluster_id).cloned());
    if let Some(auth) = cached {
        return Ok((client, auth, info));
    }
    let Some(endpoint) = info.rest_endpoint.clone() else {
        return Err(BridgeError::new(
            ErrorCode::ClusterNotReady,
            format!(
                "“{}” has no REST endpoint yet; wait until it is provisioned.",
                info.name
            ),
        ));
    };
    let (conn, cluster) = (connection_id.to_string(), cluster_id.to_string());
    let app2 = app.clone();
    let stored = blocking(move || {
        Ok(app2
            .state::<AppState>()
            .connections
            .cluster_key(&conn, &cluster)?)
    })
    .await?;
    let Some((key, secret)) = stored else {
        return Err(BridgeError::new(
            ErrorCode::ClusterKeyMissing,
            format!("Gureum has no API key for “{}”. Create one for this cluster under API keys; Gureum keeps it in your OS keyring and uses it here.", info.name),
        ));
    };
    let auth = KafkaRestAuth {
        endpoint,
        cluster_id: cluster_id.to_string(),
        key,
        secret,
    };
    if let Some(e) = clients(app)
        .by_connection
        .lock()
        .await
        .get_mut(connection_id)
    {
        e.auths.insert(cluster_id.to_string(), auth.clone());
    }
    Ok((client, auth, info))
}

/// Client + the cluster's Kafka REST address, for calls made with a key of the caller's choice
/// (the access flows pick theirs).
pub async fn cluster_ref(
    app: &AppHandle,
    connection_id: &str,
    environment_id: &str,
    cluster_id: &str,
) -> Result<(Client, ClusterRef), BridgeError> {
    let (client, info) = cluster_info(app, connection_id, environment_id, cluster_id).await?;
    let Some(rest_endpoint) = info.rest_endpoint else {
        return Err(BridgeError::new(
            ErrorCode::ClusterNotReady,
            format!(
                "“{}” has no REST endpoint yet; wait until it is provisioned.",
                info.name
            ),
        ));
    };
    Ok((
        client,
        ClusterRef {
            environment_id: environment_id.to_string(),
            cluster_id: cluster_id.to_string(),
            rest_endpoint,
        },
    ))
}

/// [`kafka_rest`] with one stored key, named: a key Gureum holds but may not use for Topics.
pub async fn kafka_rest_with_key(
    app: &AppHandle,
    connection_id: &str,
    environment_id: &str,
    cluster_id: &str,
    key_id: &str,
) -> Result<(Client, KafkaRestAuth), BridgeError> {
    let (client, cluster) = cluster_ref(app, connection_id, environment_id, cluster_id).await?;
    let (app2, conn, id) = (app.clone(), connection_id.to_string(), key_id.to_string());
    let stored = blocking(move || {
        Ok(app2
            .state::<AppState>()
            .connections
            .cluster_key_by_id(&conn, &id)?)
    })
    .await?;
    match stored {
        Some((k, secret)) if k.cluster_id == cluster_id => {
            Ok((client, cluster.auth(key_id, secret)))
        }
        _ => Err(BridgeError::new(
            ErrorCode::ClusterKeyMissing,
            format!("Gureum does not hold the secret of {key_id} for this cluster."),
        )),
    }
}

async fn cloud_config(app: &AppHandle, connection_id: &str) -> Result<Config, BridgeError> {
    let app = app.clone();
    let id = connection_id.to_string();
    blocking(move || {
        let store = &app.state::<AppState>().connections;
        let c = store.get(&id)?;
        match c.endpoint {
            Endpoint::ConfluentCloud(cc) => {
                let secret = store.secret(&id)?.ok_or_else(|| {
                    BridgeError::new(
                        ErrorCode::SecretMissing,
                        format!("The Cloud API secret of “{}” is not in the OS keyring; enter it again in Settings → Connections.", c.name),
                    )
                })?;
                let mut config = Config::new(cc.cloud_api_url, cc.cloud_api_key, secret);
                config.metrics_api_url = cc.metrics_api_url;
                Ok(config)
            }
            Endpoint::Kafka(_) => Err(BridgeError::new(
                ErrorCode::NoCloudApi,
                format!("“{}” is a Kafka cluster connection: it has no Cloud API, so it has no environments or clusters to manage. Pick the sandbox or a Confluent Cloud connection.", c.name),
            )),
            Endpoint::Sandbox => Err(BridgeError::new(ErrorCode::Internal, "a saved connection claims to be the sandbox")),
        }
    })
    .await
}

fn not_running(app: &AppHandle) -> BridgeError {
    let status = app.state::<Arc<SandboxSlot>>().status();
    match status.state {
        SandboxState::Failed => BridgeError::new(
            ErrorCode::SandboxNotReady,
            "The sandbox cloud is not running; see Settings → Connections for why, fix it and restart Gureum.",
        )
        .with_detail(status.message.unwrap_or_default()),
        SandboxState::Stopped => BridgeError::new(
            ErrorCode::SandboxNotReady,
            "The sandbox cloud is stopped, so nothing answers there. Start it again in Settings → Connections.",
        ),
        _ => BridgeError::new(
            ErrorCode::SandboxNotReady,
            "The sandbox cloud is still starting; try again in a moment.",
        ),
    }
}

async fn sandbox_url(app: &AppHandle) -> Result<String, BridgeError> {
    let slot = app.state::<Arc<SandboxSlot>>().inner().clone();
    let running = slot.running.lock().await;
    match running.as_ref() {
        Some(s) => Ok(s.rest_url().to_string()),
        None => Err(not_running(app)),
    }
}

async fn sandbox_config(app: &AppHandle) -> Result<Config, BridgeError> {
    let slot = app.state::<Arc<SandboxSlot>>().inner().clone();
    let running = slot.running.lock().await;
    let Some(sandbox) = running.as_ref() else {
        return Err(not_running(app));
    };
    let url = sandbox.rest_url().to_string();
    // One short keyring read (D-Bus); the sandbox stays locked only for it.
    let (key, secret) = sandbox.cloud_credentials().map_err(|e| match e {
        gureum_sandbox::SandboxError::Secret(s) => BridgeError::from(s),
        other => BridgeError::new(
            ErrorCode::SandboxNotReady,
            "The sandbox cloud's credentials could not be read.",
        )
        .with_detail(other.to_string()),
    })?;
    Ok(Config::new(url, key, secret))
}
