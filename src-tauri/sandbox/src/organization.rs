//! The running organisation: persisted state plus each cluster's live runtime.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::broker_client::BrokerLogin;
use crate::cluster::events::EventLog;
use crate::cluster::ClusterRuntime;
use crate::metrics::Metrics;
use crate::model::State;

/// The state file could not be written; nothing changed.
#[derive(Debug)]
pub struct SaveFailed(pub std::io::Error);

impl std::fmt::Display for SaveFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the sandbox could not save its state: {}", self.0)
    }
}

pub struct Organization {
    /// `http://127.0.0.1:PORT`: the control plane, Kafka REST v3 (every cluster's `http_endpoint`).
    pub base_url: String,
    pub data_dir: PathBuf,
    pub broker_bin: PathBuf,
    /// The login this sandbox run's brokers accept (random, in memory only): the front doors
    /// and the sandbox's own Kafka client use it; nothing else can talk to a broker.
    pub broker_login: BrokerLogin,
    pub tls: Arc<rustls::ServerConfig>,
    /// Fixed for the organisation's life; kept outside the state lock so building a CRN never
    /// locks (handlers build JSON while reading the state).
    org_id: String,
    state: Mutex<State>,
    state_path: PathBuf,
    /// Moves on with every change of the state, so what was decided from it (a front door's
    /// cached authorization) is decided again.
    generation: AtomicU64,
    runtimes: Mutex<HashMap<String, Arc<ClusterRuntime>>>,
    /// What the sandbox did on its own (brokers failing, replaced), for the app's timeline.
    pub events: Arc<EventLog>,
    /// Every cluster's metering (the Metrics API's data).
    pub metrics: Metrics,
    /// Refused logins at the front doors, summarised per key and minute.
    pub refusals: crate::refusals::RefusalLog,
}

impl Organization {
    pub fn new(
        base_url: String,
        data_dir: PathBuf,
        broker_bin: PathBuf,
        tls: Arc<rustls::ServerConfig>,
        state: State,
    ) -> Self {
        let state_path = data_dir.join("state.json");
        let metrics = Metrics::load(&data_dir);
        let org_id = state.org_id.clone();
        Organization {
            base_url,
            data_dir,
            broker_bin,
            broker_login: BrokerLogin::generate(),
            tls,
            org_id,
            state: Mutex::new(state),
            state_path,
            generation: AtomicU64::new(0),
            runtimes: Mutex::default(),
            events: Arc::new(EventLog::default()),
            metrics,
            refusals: Default::default(),
        }
    }

    /// Runs `f` under the state lock. `f` must not call `read` or `write` again (std's Mutex is
    /// not re-entrant): clone what you need out first.
    pub fn read<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        f(&self.state.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Changes the state and persists it; if the write fails, the change is undone and the
    /// caller gets [`SaveFailed`] (as its own error type), so memory and disk never disagree.
    pub fn write<R, E: From<SaveFailed>>(
        &self,
        f: impl FnOnce(&mut State) -> Result<R, E>,
    ) -> Result<R, E> {
        let mut guard = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let before = guard.clone();
        let out = f(&mut guard)?;
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Err(e) = guard.save(&self.state_path) {
            *guard = before;
            log::error!("could not save the sandbox state: {e}");
            return Err(SaveFailed(e).into());
        }
        Ok(out)
    }

    /// See [`Organization::write`]: changes whenever the state does.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub fn save_now(&self) -> std::io::Result<()> {
        self.read(|s| s.save(&self.state_path))
    }

    pub fn runtime(&self, cluster_id: &str) -> Option<Arc<ClusterRuntime>> {
        self.runtimes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(cluster_id)
            .cloned()
    }

    pub fn insert_runtime(&self, rt: Arc<ClusterRuntime>) {
        self.runtimes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(rt.id.clone(), rt);
    }

    pub fn remove_runtime(&self, cluster_id: &str) -> Option<Arc<ClusterRuntime>> {
        self.runtimes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(cluster_id)
    }

    pub fn all_runtimes(&self) -> Vec<Arc<ClusterRuntime>> {
        self.runtimes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .cloned()
            .collect()
    }

    pub fn crn(&self, path: &str) -> String {
        format!("crn://confluent.cloud/organization={}{path}", self.org_id)
    }
}

/// The sandbox's record of one cluster, as the cluster sees it.
struct StateRecord {
    cloud: std::sync::Weak<Organization>,
    id: String,
}

impl crate::cluster::ClusterRecord for StateRecord {
    fn config(&self) -> Option<serde_json::Value> {
        self.cloud
            .upgrade()?
            .read(|s| s.cluster(&self.id).map(|c| c.config.clone()))
    }
    fn bootstrap_port(&self) -> u16 {
        self.cloud
            .upgrade()
            .and_then(|c| c.read(|s| s.cluster(&self.id).map(|c| c.bootstrap_port)))
            .unwrap_or(0)
    }
    fn save_bootstrap_port(&self, port: u16) -> std::io::Result<()> {
        let cloud = self
            .cloud
            .upgrade()
            .ok_or_else(|| std::io::Error::other("the sandbox is stopping"))?;
        cloud
            .write(|s| -> Result<_, SaveFailed> {
                if let Some(c) = s.clusters.iter_mut().find(|c| c.id == self.id) {
                    c.bootstrap_port = port;
                }
                Ok(())
            })
            .map_err(|e| e.0)
    }
}

impl Organization {
    /// What one of the organisation's clusters runs in: its folder under `clusters/`, the
    /// sandbox's broker program, login and TLS, its metering, its keys and ACLs.
    pub fn cluster_context(self: &Arc<Self>, id: &str) -> crate::cluster::ClusterContext {
        crate::cluster::ClusterContext {
            dir: self.data_dir.join("clusters").join(id),
            broker_bin: self.broker_bin.clone(),
            broker_login: self.broker_login.clone(),
            tls: self.tls.clone(),
            events: self.events.clone(),
            meter: self.metrics.cluster(id),
            guard: Arc::new(crate::cluster::ClusterGuard::new(self, id)),
            record: Arc::new(StateRecord {
                cloud: Arc::downgrade(self),
                id: id.to_string(),
            }),
        }
    }
}
