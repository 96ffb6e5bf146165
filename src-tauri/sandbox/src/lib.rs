//! The sandbox cloud: a local organisation that speaks Confluent Cloud's REST contract (org/v2,
//! cmk/v2, iam/v2, Kafka REST v3) and runs real Kafka-protocol brokers (nisshi) behind a front door
//! that terminates TLS and checks SASL/PLAIN credentials against the sandbox's API keys — the way
//! Confluent's own ingress sits in front of its brokers. Tauri-free; the app embeds it and the
//! `gureum-sandbox` binary runs it headless.

pub mod acl;
mod atomic;
mod cluster;
mod folder_lock;
mod organization;
mod refusals;
pub mod topic_rules;

/// A sandbox broker process (Gureum's own binary in its `sandbox-broker` mode), for tests and
/// tools that need one broker without a whole sandbox.
pub use cluster::broker;
pub use cluster::brokers_for;
pub use cluster::events::EventLog;
pub use cluster::events::{ClusterEvent, EventKind};
pub use cluster::{ClusterContext, ClusterRecord, ClusterRuntime, Phase};
pub use folder_lock::Holder;
pub mod broker_client;
pub mod front_door;
mod ids;
pub mod metrics;
mod model;
mod rest;
pub mod tls;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gureum_secrets::{Secret, SecretStore, SecretStoreError};
use tokio::sync::oneshot;

use model::{ApiKey, State};
use organization::Organization;

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("the sandbox's data folder {path} is unusable: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the sandbox could not listen on 127.0.0.1:{port}: {source} (is another sandbox running? pick another port or 0)")]
    Port { port: u16, source: std::io::Error },
    #[error("the sandbox's broker program was not found: it is gureum-broker, installed beside gureum (reinstall Gureum, or build both with `cargo build --release`); GUREUM_BROKER_BIN may name it (or gureum-sandbox) instead")]
    BrokerMissing,
    #[error(transparent)]
    Secret(#[from] SecretStoreError),
    #[error("the sandbox's TLS set-up failed: {0}")]
    Tls(String),
    #[error("the sandbox's data folder {path} is in use by {holder}: only one sandbox may run on a folder. Close that one, or give this one another folder (--data-dir)")]
    InUse {
        path: PathBuf,
        holder: folder_lock::Holder,
    },
}

pub struct SandboxConfig {
    /// Where state, broker storage and the exported CA certificate live.
    pub data_dir: PathBuf,
    /// REST port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// The program each broker runs as, `<broker_bin> sandbox-broker …` ([`locate_broker`]).
    pub broker_bin: PathBuf,
    /// The OS keyring: holds the CA's private key and the org's Cloud API secret.
    pub secrets: Arc<dyn SecretStore>,
    /// Metrics API requests allowed per minute: Confluent's 60 ([`METRICS_RATE_LIMIT`]); 0 = none.
    pub metrics_rate_limit: usize,
}

impl SandboxConfig {
    /// On a free port, without the Metrics API's rate limit: how every test and tool starts one
    /// in process (the app and `gureum-sandbox serve` set their own port and limit).
    pub fn local(data_dir: PathBuf, broker_bin: PathBuf, secrets: Arc<dyn SecretStore>) -> Self {
        SandboxConfig {
            data_dir,
            port: 0,
            broker_bin,
            secrets,
            metrics_rate_limit: 0,
        }
    }
}

/// The `gureum-sandbox` program of the build a test or benchmark of another crate runs in
/// (`target/<profile>/deps/<test>` → `target/<profile>/gureum-sandbox`; it serves and carries
/// the broker mode), or `GUREUM_BROKER_BIN`. Panics, saying how to build it, when it is missing.
pub fn built_sandbox_program() -> PathBuf {
    let bin = std::env::var_os("GUREUM_BROKER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let exe = std::env::current_exe().expect("the running program's path");
            let profile = exe
                .parent()
                .and_then(|deps| deps.parent())
                .expect("target/<profile>");
            profile.join(format!("gureum-sandbox{}", std::env::consts::EXE_SUFFIX))
        });
    assert!(
        bin.is_file(),
        "the sandbox program is missing at {}: build it first with `cargo build --release \
         --ignore-rust-version -p gureum-sandbox` (without --release for debug tests), or set \
         GUREUM_BROKER_BIN to a gureum or gureum-sandbox binary",
        bin.display()
    );
    bin
}

/// The Metrics API's documented limit: 60 requests a minute
/// (docs/confluent-cloud-api.md#metrics-api-v2).
pub const METRICS_RATE_LIMIT: usize = 60;

/// A running sandbox cloud.
pub struct Sandbox {
    cloud: Arc<Organization>,
    cloud_key: String,
    secrets: Arc<dyn SecretStore>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    /// This sandbox's claim on its data folder, released when it is dropped.
    _lock: folder_lock::FolderLock,
    /// A CA clients may trust was replaced at this start ([`Sandbox::ca_renewed`]).
    ca_renewed: bool,
}

/// The broker program's name: a binary of the app's package (`src-tauri/app/broker_main.rs`),
/// built with the app and installed beside it by every package.
pub const BROKER_PROGRAM: &str = "gureum-broker";

/// The program the sandbox's brokers run as (with `sandbox-broker` first, [`broker::MODE`]):
/// `GUREUM_BROKER_BIN` if set; else, for a program that carries the broker mode itself
/// (`gureum-sandbox`: `self_is_broker`), this very executable; else [`BROKER_PROGRAM`] beside
/// this executable — where builds and packages put it next to `gureum`. Programs without the
/// mode and without a broker beside them (test binaries, other tools) set `GUREUM_BROKER_BIN` or
/// pass a path in [`SandboxConfig`].
pub fn locate_broker(self_is_broker: bool) -> Option<PathBuf> {
    match std::env::var_os("GUREUM_BROKER_BIN") {
        Some(p) => Some(PathBuf::from(p)),
        None => {
            let exe = std::env::current_exe().ok()?;
            if self_is_broker {
                Some(exe)
            } else {
                Some(
                    exe.with_file_name(format!("{BROKER_PROGRAM}{}", std::env::consts::EXE_SUFFIX)),
                )
            }
        }
    }
    .filter(|p| p.is_file())
}

fn secret_account(org: &str, what: &str) -> String {
    format!("sandbox/{org}/{what}")
}

fn new_state() -> State {
    State {
        schema_version: model::SCHEMA_VERSION,
        org_id: format!(
            "{}-{}",
            ids::resource_id("org").trim_start_matches("org-"),
            ids::resource_id("x").trim_start_matches("x-")
        ),
        admin_user_id: ids::resource_id("u"),
        environments: Vec::new(),
        clusters: Vec::new(),
        service_accounts: Vec::new(),
        api_keys: Vec::new(),
        deleted: Vec::new(),
        acls: Vec::new(),
    }
}

/// Every client connection holds a socket, and a logged-in one a broker connection too: raise the
/// soft limit on open files towards the hard one (at most 65,536), as servers do — desktops
/// often start processes at 1,024.
#[cfg(unix)]
fn raise_open_files_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            let want = limit.rlim_max.min(65_536);
            if limit.rlim_cur < want {
                limit.rlim_cur = want;
                // Refused (macOS caps it lower): the old limit stays, which still works.
                let _ = libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            }
        }
    }
}

impl Sandbox {
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        #[cfg(unix)]
        raise_open_files_limit();
        let dir = config.data_dir.clone();
        let data_err = |source| SandboxError::DataDir {
            path: dir.clone(),
            source,
        };
        // Only this OS user may read the sandbox's state, storage and logs.
        broker::private_dir(&dir).map_err(data_err)?;
        let lock = folder_lock::FolderLock::acquire(&dir).map_err(|e| match e {
            folder_lock::Locked::Io(e) => data_err(e),
            folder_lock::Locked::Busy(holder) => SandboxError::InUse {
                path: dir.clone(),
                holder,
            },
        })?;
        if !config.broker_bin.is_file() {
            return Err(SandboxError::BrokerMissing);
        }
        let mut state = State::load(&dir.join("state.json"))
            .map_err(data_err)?
            .unwrap_or_else(new_state);
        let secrets = config.secrets.clone();

        // The CA: its key only in the keyring, its certificate exported for clients to trust.
        let ca_account = secret_account(&state.org_id, "ca-key");
        let ca_path = dir.join("ca.pem");
        let old_cert = std::fs::read_to_string(&ca_path).ok();
        let existing = match (secrets.get(&ca_account)?, old_cert.as_deref()) {
            (Some(key), Some(cert)) => tls::SandboxCa::from_pem(cert, key.expose()).ok(),
            _ => None,
        };
        // Its key gone (a keyring wiped, or one held in memory for the last session only):
        // a new CA, and clients that trusted the old ca.pem must trust the new one.
        let ca_renewed = existing.is_none() && old_cert.is_some();
        let ca = match existing {
            Some(ca) => ca,
            None => {
                let ca = tls::SandboxCa::generate("Gureum sandbox cloud CA")
                    .map_err(|e| SandboxError::Tls(e.to_string()))?;
                secrets.set(&ca_account, &Secret::new(ca.key_pem()))?;
                atomic::write(&ca_path, ca.cert_pem().as_bytes()).map_err(data_err)?;
                ca
            }
        };
        let tls = ca
            .server_config(&["127.0.0.1", "localhost"])
            .map_err(|e| SandboxError::Tls(e.to_string()))?;

        // The organisation's Cloud API key: its secret only in the keyring; rotate if lost.
        let cloud_account = secret_account(&state.org_id, "cloud-api-secret");
        let stored = secrets.get(&cloud_account)?;
        let usable = stored.as_ref().and_then(|s| {
            state.api_keys.iter().find(|k| {
                k.resource.is_none()
                    && k.owner == state.admin_user_id
                    && ids::secret_matches(s.expose(), &k.secret_hash)
            })
        });
        let cloud_key = match usable {
            Some(k) => k.id.clone(),
            None => {
                let secret = ids::api_secret();
                let now = ids::now();
                let key = ApiKey {
                    id: ids::api_key_id(),
                    secret_hash: ids::hash_secret(&secret),
                    display_name: "Sandbox Cloud API key".into(),
                    description: "Created by Gureum for the sandbox organization".into(),
                    owner: state.admin_user_id.clone(),
                    resource: None,
                    created_at: now.clone(),
                    updated_at: now,
                };
                state
                    .api_keys
                    .retain(|k| !(k.resource.is_none() && k.owner == state.admin_user_id));
                let id = key.id.clone();
                state.api_keys.push(key);
                secrets.set(&cloud_account, &Secret::new(secret))?;
                id
            }
        };

        let listener =
            tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, config.port)))
                .await
                .map_err(|source| SandboxError::Port {
                    port: config.port,
                    source,
                })?;
        let port = listener
            .local_addr()
            .map_err(|source| SandboxError::Port {
                port: config.port,
                source,
            })?
            .port();
        let clusters = state.clusters.clone();
        let cloud = Arc::new(Organization::new(
            format!("http://127.0.0.1:{port}"),
            dir.clone(),
            config.broker_bin,
            tls,
            state,
        ));
        cloud.save_now().map_err(data_err)?;
        tokio::spawn(metrics::run_sampler(Arc::downgrade(&cloud)));

        for c in &clusters {
            let rt = cluster::ClusterRuntime::in_cloud(&cloud, c);
            cloud.insert_runtime(rt.clone());
            tokio::spawn(rt.provision());
        }

        let (tx, rx) = oneshot::channel();
        let app = rest::router(cloud.clone(), config.metrics_rate_limit);
        let server = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = rx.await;
            });
            if let Err(e) = serve.await {
                log::error!("sandbox REST server stopped: {e}");
            }
        });
        log::info!("sandbox cloud listening on {}", cloud.base_url);
        Ok(Sandbox {
            cloud,
            cloud_key,
            secrets,
            shutdown: Some(tx),
            server: Some(server),
            _lock: lock,
            ca_renewed,
        })
    }

    /// The control plane's base URL (also every cluster's `http_endpoint`).
    pub fn rest_url(&self) -> &str {
        &self.cloud.base_url
    }

    /// The organisation's Cloud API key, with its secret from the keyring.
    pub fn cloud_credentials(&self) -> Result<(String, Secret), SandboxError> {
        let org = self.cloud.read(|s| s.org_id.clone());
        let secret = self.secrets.get(&secret_account(&org, "cloud-api-secret"))?.ok_or(SecretStoreError::Other(
            "the sandbox's Cloud API secret is missing from the OS keyring; restart the sandbox to rotate it".into(),
        ))?;
        Ok((self.cloud_key.clone(), secret))
    }

    /// The org's Cloud API key and secret for a sandbox that may be running elsewhere: reads the
    /// state file and the keyring only, starts nothing.
    pub fn read_credentials(
        data_dir: &Path,
        secrets: &dyn SecretStore,
    ) -> Result<(String, Secret), SandboxError> {
        let data_err = |source| SandboxError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        };
        let state = State::load(&data_dir.join("state.json"))
            .map_err(data_err)?
            .ok_or_else(|| {
                data_err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no sandbox has run here yet (no state.json)",
                ))
            })?;
        let secret = secrets.get(&secret_account(&state.org_id, "cloud-api-secret"))?.ok_or(SecretStoreError::Other(
            "the sandbox's Cloud API secret is not in the OS keyring; start the sandbox to create one".into(),
        ))?;
        let key = state
            .api_keys
            .iter()
            .find(|k| {
                k.resource.is_none()
                    && k.owner == state.admin_user_id
                    && ids::secret_matches(secret.expose(), &k.secret_hash)
            })
            .map(|k| k.id.clone())
            .ok_or(SecretStoreError::Other(
                "the keyring's sandbox secret matches no Cloud API key; restart the sandbox".into(),
            ))?;
        Ok((key, secret))
    }

    /// The live feed of what the sandbox does on its own (broker failures and replacements).
    pub fn events(&self) -> tokio::sync::broadcast::Receiver<ClusterEvent> {
        self.cloud.events.subscribe()
    }

    /// The last events of one cluster, oldest first.
    pub fn recent_events(&self, cluster_id: &str) -> Vec<ClusterEvent> {
        self.cloud.events.recent(cluster_id)
    }

    /// A cluster's live brokers as clients see them: (node id, port). Empty if not running.
    pub fn brokers(&self, cluster_id: &str) -> Vec<(i32, i32)> {
        self.cloud
            .runtime(cluster_id)
            .map(|rt| rt.brokers())
            .unwrap_or_default()
    }

    /// The OS process id of one of a cluster's brokers.
    pub async fn broker_pid(&self, cluster_id: &str, node_id: i32) -> Option<u32> {
        self.cloud.runtime(cluster_id)?.broker_pid(node_id).await
    }

    /// Kills one broker (SIGKILL), as a failing machine would; the sandbox replaces it.
    pub async fn fail_broker(&self, cluster_id: &str, node_id: i32) -> bool {
        match self.cloud.runtime(cluster_id) {
            Some(rt) => rt.fail_broker(node_id).await,
            None => false,
        }
    }

    /// The sandbox CA certificate (PEM) clients must trust for the front doors.
    pub fn ca_path(&self) -> PathBuf {
        self.cloud.data_dir.join("ca.pem")
    }

    /// True when this start replaced a CA whose `ca.pem` clients may trust (its private key was
    /// no longer in the secret store): clients outside Gureum must trust the new `ca.pem`.
    pub fn ca_renewed(&self) -> bool {
        self.ca_renewed
    }

    /// Stops the REST server, every front door and every broker.
    pub async fn stop(mut self) {
        self.shutdown_all().await;
    }

    async fn shutdown_all(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        // Graceful HTTP shutdown waits for open requests; don't let one stuck request hold the
        // brokers hostage.
        if let Some(server) = self.server.take() {
            if tokio::time::timeout(std::time::Duration::from_secs(5), server)
                .await
                .is_err()
            {
                log::warn!("the REST server did not stop within 5 s; stopping the clusters anyway");
            }
        }
        let stops: Vec<_> = self
            .cloud
            .all_runtimes()
            .into_iter()
            .map(|rt| tokio::spawn(async move { rt.stop().await }))
            .collect();
        for stop in stops {
            let _ = stop.await;
        }
        metrics::save_metrics(&self.cloud).await;
    }
}
