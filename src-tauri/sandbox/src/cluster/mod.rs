//! A sandbox cluster at run time: its broker process and its front door. Provisioning is real
//! work (start the broker, wait for it, open the front door), so the phase is observed, not faked.

mod broker;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, Weak};

use crate::cloud::Cloud;
use crate::front_door::{Authenticator, FrontDoor, FrontDoorConfig};
use crate::ids::secret_matches;
use crate::kafka::KafkaAdmin;
use crate::model;

use broker::Broker;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    Provisioning,
    Provisioned,
    Failed(String),
}

impl Phase {
    pub fn as_str(&self) -> &'static str {
        match self {
            Phase::Provisioning => "PROVISIONING",
            Phase::Provisioned => "PROVISIONED",
            Phase::Failed(_) => "FAILED",
        }
    }
}

pub struct ClusterRuntime {
    pub id: String,
    phase: Mutex<Phase>,
    /// The sandbox's own client to this cluster's broker (for Kafka REST v3).
    pub admin: KafkaAdmin,
    broker: tokio::sync::Mutex<Option<Broker>>,
    front_door: tokio::sync::Mutex<Option<FrontDoor>>,
}

/// Checks SASL/PLAIN credentials at the front door: a live Kafka API key of this very cluster.
struct ClusterKeys {
    cloud: Weak<Cloud>,
    cluster_id: String,
}

impl Authenticator for ClusterKeys {
    fn authenticate(&self, username: &str, password: &str) -> Result<(), String> {
        let cloud = self.cloud.upgrade().ok_or("the sandbox is shutting down")?;
        let ok = cloud.read(|s| {
            s.api_keys.iter().any(|k| {
                k.id == username
                    && k.resource.as_deref() == Some(self.cluster_id.as_str())
                    && secret_matches(password, &k.secret_hash)
            })
        });
        if ok {
            Ok(())
        } else {
            log::info!(
                "front door of {}: refused SASL/PLAIN for key {username}",
                self.cluster_id
            );
            Err("Authentication failed: Invalid username or password".into())
        }
    }
}

impl ClusterRuntime {
    pub fn new(_cloud: &Arc<Cloud>, cluster: &model::Cluster) -> Arc<Self> {
        Arc::new(ClusterRuntime {
            id: cluster.id.clone(),
            phase: Mutex::new(Phase::Provisioning),
            admin: KafkaAdmin::new(SocketAddr::from((Ipv4Addr::LOCALHOST, 9))),
            broker: tokio::sync::Mutex::new(None),
            front_door: tokio::sync::Mutex::new(None),
        })
    }

    pub fn phase(&self) -> Phase {
        self.phase.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn set_phase(&self, phase: Phase) {
        *self.phase.lock().unwrap_or_else(|p| p.into_inner()) = phase;
    }

    /// Starts the broker and the front door, then marks the cluster PROVISIONED (or FAILED, with
    /// the reason in the log). Runs in the background after `POST /cmk/v2/clusters`.
    pub async fn provision(self: Arc<Self>, cloud: Arc<Cloud>) {
        let started = std::time::Instant::now();
        match self.start(&cloud).await {
            Ok(port) => {
                self.set_phase(Phase::Provisioned);
                log::info!(
                    "cluster {} provisioned in {} ms, bootstrap 127.0.0.1:{port}",
                    self.id,
                    started.elapsed().as_millis()
                );
            }
            Err(e) => {
                log::error!("cluster {} failed to provision: {e}", self.id);
                self.set_phase(Phase::Failed(e.to_string()));
            }
        }
    }

    async fn start(&self, cloud: &Arc<Cloud>) -> std::io::Result<u16> {
        let dir = cloud.data_dir.join("clusters").join(&self.id);
        let broker = Broker::start(&cloud.broker_bin, &dir, &self.id).await?;
        self.admin.set_broker(broker.addr);
        // Keep the bootstrap port clients already know, when it is still free.
        let wanted = cloud
            .read(|s| s.cluster(&self.id).map(|c| c.bootstrap_port))
            .unwrap_or(0);
        let config = |port: u16| FrontDoorConfig {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            advertised_host: "127.0.0.1".into(),
            tls: cloud.tls.clone(),
            upstream: broker.addr,
            authenticator: Arc::new(ClusterKeys {
                cloud: Arc::downgrade(cloud),
                cluster_id: self.id.clone(),
            }),
        };
        let door = match FrontDoor::start(config(wanted)).await {
            Ok(d) => d,
            Err(e) if wanted != 0 => {
                log::warn!(
                    "bootstrap port {wanted} of {} is taken ({e}); picking a new one",
                    self.id
                );
                FrontDoor::start(config(0)).await?
            }
            Err(e) => return Err(e),
        };
        let port = door.local_addr().port();
        if port != wanted {
            let id = self.id.clone();
            cloud
                .write(|s| {
                    if let Some(c) = s.clusters.iter_mut().find(|c| c.id == id) {
                        c.bootstrap_port = port;
                    }
                    Ok(())
                })
                .map_err(|e| std::io::Error::other(format!("{e:?}")))?;
        }
        *self.broker.lock().await = Some(broker);
        *self.front_door.lock().await = Some(door);
        Ok(port)
    }

    /// Closes the front door and stops the broker.
    pub async fn stop(&self) {
        if let Some(door) = self.front_door.lock().await.take() {
            door.shutdown().await;
        }
        if let Some(broker) = self.broker.lock().await.take() {
            broker.stop().await;
        }
    }
}
