//! What a cluster needs from the sandbox around it, and nothing more: where it lives, how its
//! brokers run and are logged in to, its TLS, where it reports, who may use it, and its one
//! entry in the organisation's records. A cluster can be built and tested with no organisation
//! at all (`tests/all/cluster_alone.rs`); `Organization::cluster_context` makes the sandbox's.

use std::path::PathBuf;
use std::sync::Arc;

use crate::broker_client::BrokerLogin;
use crate::front_door::{Guard, Meter};

use super::events::EventLog;

/// The cluster's entry in the organisation's records.
pub trait ClusterRecord: Send + Sync {
    /// `spec.config` ({"kind": "Dedicated", "cku": 2} …); None once the cluster is deleted.
    fn config(&self) -> Option<serde_json::Value>;
    /// The bootstrap port clients know (0: none yet).
    fn bootstrap_port(&self) -> u16;
    fn save_bootstrap_port(&self, port: u16) -> std::io::Result<()>;
}

pub struct ClusterContext {
    /// The cluster's folder: its brokers' SQLite file and logs.
    pub dir: PathBuf,
    /// The program its brokers run as (`<bin> sandbox-broker …`).
    pub broker_bin: PathBuf,
    /// The login its brokers accept (the doors and the admin client use it).
    pub broker_login: BrokerLogin,
    pub tls: Arc<rustls::ServerConfig>,
    /// Where broker failures, replacements and scaling are told.
    pub events: Arc<EventLog>,
    /// Meters every door's traffic.
    pub meter: Arc<dyn Meter>,
    /// Who may log in and what they may do.
    pub guard: Arc<dyn Guard>,
    pub record: Arc<dyn ClusterRecord>,
}
