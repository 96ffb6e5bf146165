//! A sandbox cluster at run time: its brokers, their front doors, the bootstrap door, and the
//! supervisor that replaces a broker that dies. Provisioning is real work (start the brokers,
//! wait for them, open the doors), so the phase is observed, not faked.
//!
//! Storage arrangement: every broker of a cluster is a separate process (Gureum's own binary in
//! its broker mode, nisshi inside: [`broker`]) on the cluster's one SQLite file
//! (docs/broker.md#several-brokers-over-one-sqlite-file: they share topics, records and groups
//! correctly). nisshi answers Metadata with only itself, so the cluster's [`Topology`] —
//! which brokers live, under which ids and ports — is owned here and written into every answer by
//! the front doors: clients see a real multi-broker cluster, partition leaders spread over it, and
//! a failed broker vanish.

pub mod broker;
mod context;
pub mod events;
mod guard;

pub use context::{ClusterContext, ClusterRecord};
pub(crate) use guard::ClusterGuard;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Instant;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::broker_client::BrokerClient;
use crate::front_door::{FrontDoor, FrontDoorConfig, Topology};
use crate::model;
use crate::organization::Organization;

use broker::BrokerProcess;
use events::EventKind;

#[cfg(test)]
mod tests {
    #[test]
    fn restarts_back_off_to_a_cap() {
        let waits: Vec<u64> = (1..=7)
            .map(|a| super::restart_backoff(a).as_millis() as u64)
            .collect();
        assert_eq!(waits, [500, 1000, 2000, 4000, 8000, 8000, 8000]);
    }
}

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

/// How many brokers a cluster runs. Confluent doesn't publish its sizing; the sandbox's rule:
/// serverless types (Basic, Standard, Enterprise, Freight) hide their brokers behind one
/// endpoint and run 1 here; Dedicated runs one broker per CKU (up to 6 on a desktop).
pub fn brokers_for(config: &serde_json::Value) -> usize {
    match config.get("kind").and_then(|k| k.as_str()) {
        Some("Dedicated") => config
            .get("cku")
            .and_then(|c| c.as_u64())
            .unwrap_or(1)
            .clamp(1, 6) as usize,
        _ => 1,
    }
}

/// Attempts at starting a replacement broker before the cluster is marked FAILED.
const RESTART_ATTEMPTS: u32 = 5;

/// Waits between attempts: 0.5 s, doubling, at most 8 s (a broker that can't start is not
/// retried in a tight loop forever).
fn restart_backoff(attempt: u32) -> std::time::Duration {
    std::time::Duration::from_millis(500 * 2u64.pow(attempt.saturating_sub(1).min(4)))
}

/// One live broker: its process (owned by its supervisor task) and its own front door.
struct Member {
    node_id: i32,
    addr: SocketAddr,
    pid: Option<u32>,
    door: FrontDoor,
    /// Tells the supervisor to stop the broker on purpose.
    stop: oneshot::Sender<()>,
    /// Tells the supervisor to kill the broker like a failing machine; it answers whether the
    /// kill was sent.
    fail: Option<oneshot::Sender<oneshot::Sender<bool>>>,
    supervisor: JoinHandle<()>,
}

enum Control {
    /// A broker process ended on its own.
    Exited { node_id: i32, status: String },
}

pub struct ClusterRuntime {
    pub id: String,
    phase: Mutex<Phase>,
    /// The sandbox's own client to one of this cluster's brokers (for Kafka REST v3).
    pub admin: BrokerClient,
    ctx: ClusterContext,
    topology: Arc<Topology>,
    members: tokio::sync::Mutex<Vec<Member>>,
    /// The bootstrap endpoint: a door whose port is kept across restarts, piping to a live broker.
    bootstrap: tokio::sync::Mutex<Option<FrontDoor>>,
    next_node: AtomicI32,
    stopping: AtomicBool,
    /// Membership changes (replacing, scaling) happen one at a time.
    changes: tokio::sync::Mutex<()>,
    /// Brokers the cluster should run; differs from the live count while scaling.
    target: std::sync::atomic::AtomicUsize,
    control: mpsc::UnboundedSender<Control>,
    control_rx: Mutex<Option<mpsc::UnboundedReceiver<Control>>>,
}

fn io_err(e: impl std::fmt::Debug) -> std::io::Error {
    std::io::Error::other(format!("{e:?}"))
}

impl ClusterRuntime {
    /// A cluster of the sandbox's organisation.
    pub fn in_cloud(cloud: &Arc<Organization>, cluster: &model::Cluster) -> Arc<Self> {
        Self::new(
            &cluster.id,
            &cluster.config,
            cloud.cluster_context(&cluster.id),
        )
    }

    /// A cluster `id` of `config`'s size, living in `ctx`. Nothing runs until [`Self::provision`].
    pub fn new(id: &str, config: &serde_json::Value, ctx: ClusterContext) -> Arc<Self> {
        let (control, control_rx) = mpsc::unbounded_channel();
        Arc::new(ClusterRuntime {
            id: id.to_string(),
            phase: Mutex::new(Phase::Provisioning),
            admin: BrokerClient::new(
                SocketAddr::from((Ipv4Addr::LOCALHOST, 9)),
                ctx.broker_login.clone(),
            ),
            ctx,
            topology: Arc::new(Topology::default()),
            members: tokio::sync::Mutex::new(Vec::new()),
            bootstrap: tokio::sync::Mutex::new(None),
            next_node: AtomicI32::new(0),
            stopping: AtomicBool::new(false),
            changes: tokio::sync::Mutex::new(()),
            target: std::sync::atomic::AtomicUsize::new(brokers_for(config)),
            control,
            control_rx: Mutex::new(Some(control_rx)),
        })
    }

    pub fn phase(&self) -> Phase {
        self.phase.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn set_phase(&self, phase: Phase) {
        *self.phase.lock().unwrap_or_else(|p| p.into_inner()) = phase;
    }

    /// The live brokers as clients see them: (node id, front-door port).
    pub fn brokers(&self) -> Vec<(i32, i32)> {
        self.topology.members()
    }

    /// The OS process id of a live broker (for "fail this broker" and for tests).
    pub async fn broker_pid(&self, node_id: i32) -> Option<u32> {
        self.members
            .lock()
            .await
            .iter()
            .find(|m| m.node_id == node_id)
            .and_then(|m| m.pid)
    }

    /// Kills a broker the hard way (SIGKILL on Unix, TerminateProcess on Windows), as a
    /// machine failure would; the supervisor then does what it does for any failure.
    pub async fn fail_broker(&self, node_id: i32) -> bool {
        let fail = self
            .members
            .lock()
            .await
            .iter_mut()
            .find(|m| m.node_id == node_id)
            .and_then(|m| m.fail.take());
        let Some(fail) = fail else { return false };
        let (answer, answered) = oneshot::channel();
        if fail.send(answer).is_err() {
            return false;
        }
        answered.await.unwrap_or(false)
    }

    /// Starts the brokers and the doors, then marks the cluster PROVISIONED (or FAILED, with
    /// the reason in the log). Runs in the background after `POST /cmk/v2/clusters`.
    pub async fn provision(self: Arc<Self>) {
        let started = Instant::now();
        if let Some(rx) = self
            .control_rx
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            tokio::spawn(Self::supervise(Arc::downgrade(&self), rx));
        }
        match self.start().await {
            Ok(port) => {
                self.set_phase(Phase::Provisioned);
                log::info!(
                    "cluster {} provisioned in {} ms, bootstrap 127.0.0.1:{port}, brokers {:?}",
                    self.id,
                    started.elapsed().as_millis(),
                    self.brokers()
                );
            }
            Err(e) => {
                log::error!("cluster {} failed to provision: {e}", self.id);
                self.set_phase(Phase::Failed(e.to_string()));
            }
        }
    }

    fn door_config(&self, port: u16, upstream: SocketAddr) -> FrontDoorConfig {
        FrontDoorConfig {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            advertised_host: "127.0.0.1".into(),
            tls: self.ctx.tls.clone(),
            upstream,
            upstream_login: self.ctx.broker_login.clone(),
            guard: self.ctx.guard.clone(),
            topology: Some(self.topology.clone()),
        }
    }

    /// A front door for this cluster, metered into the cluster's series (all its doors share
    /// them).
    async fn open_door(&self, port: u16, upstream: SocketAddr) -> std::io::Result<FrontDoor> {
        FrontDoor::start_metered(self.door_config(port, upstream), self.ctx.meter.clone()).await
    }

    async fn start(&self) -> std::io::Result<u16> {
        let config = self
            .ctx
            .record
            .config()
            .ok_or_else(|| io_err("the cluster is gone"))?;
        let want = brokers_for(&config);
        self.target.store(want, Ordering::SeqCst);
        for _ in 0..want {
            self.add_broker().await?;
        }
        let first = self.members.lock().await[0].addr;
        self.admin.set_broker(first);
        // Keep the bootstrap port clients already know, when it is still free.
        let wanted = self.ctx.record.bootstrap_port();
        let door = match self.open_door(wanted, first).await {
            Ok(d) => d,
            Err(e) if wanted != 0 => {
                log::warn!(
                    "bootstrap port {wanted} of {} is taken ({e}); picking a new one",
                    self.id
                );
                self.open_door(0, first).await?
            }
            Err(e) => return Err(e),
        };
        let port = door.local_addr().port();
        if port != wanted {
            self.ctx.record.save_bootstrap_port(port)?;
        }
        *self.bootstrap.lock().await = Some(door);
        Ok(port)
    }

    /// Starts one broker with a new node id, its door and its supervisor, and adds it to the
    /// topology.
    async fn add_broker(&self) -> std::io::Result<i32> {
        let node_id = self.next_node.fetch_add(1, Ordering::SeqCst);
        let dir = &self.ctx.dir;
        let mut broker = BrokerProcess::start(
            &self.ctx.broker_bin,
            dir,
            &self.id,
            node_id,
            &self.ctx.broker_login,
        )
        .await?;
        let (addr, pid) = (broker.addr, broker.pid());
        let door = self.open_door(0, addr).await?;
        let (stop, stopped) = oneshot::channel::<()>();
        let (fail, failed) = oneshot::channel::<oneshot::Sender<bool>>();
        let control = self.control.clone();
        let supervisor = tokio::spawn(async move {
            tokio::select! {
                status = broker.wait() => {
                    let _ = control.send(Control::Exited { node_id, status });
                }
                _ = stopped => broker.stop().await,
                // A dropped sender (the member left) disables this branch.
                Ok(answer) = failed => {
                    let _ = answer.send(broker.kill().is_ok());
                    let status = broker.wait().await;
                    let _ = control.send(Control::Exited { node_id, status });
                }
            }
        });
        let mut members = self.members.lock().await;
        members.push(Member {
            node_id,
            addr,
            pid,
            door,
            stop,
            fail: Some(fail),
            supervisor,
        });
        self.publish(&members);
        drop(members);
        self.ctx.events.record(
            &self.id,
            EventKind::BrokerStarted,
            Some(node_id),
            format!("broker {node_id} is serving at 127.0.0.1:{}", addr.port()),
        );
        Ok(node_id)
    }

    fn publish(&self, members: &[Member]) {
        self.topology.set(
            members
                .iter()
                .map(|m| (m.node_id, i32::from(m.door.local_addr().port())))
                .collect(),
        );
    }

    /// The supervisor: a failed broker is taken out of the cluster and replaced by a new one.
    async fn supervise(rt: Weak<ClusterRuntime>, mut rx: mpsc::UnboundedReceiver<Control>) {
        while let Some(Control::Exited { node_id, status }) = rx.recv().await {
            let Some(rt) = rt.upgrade() else { return };
            if rt.stopping.load(Ordering::SeqCst) {
                return;
            }
            rt.replace(node_id, status).await;
        }
    }

    async fn replace(&self, node_id: i32, status: String) {
        let _one_at_a_time = self.changes.lock().await;
        let failed_at = Instant::now();
        let log = &self.ctx.events;
        log.record(
            &self.id,
            EventKind::BrokerFailed,
            Some(node_id),
            format!("the broker process ended: {status}"),
        );
        let gone = {
            let mut members = self.members.lock().await;
            let gone = members
                .iter()
                .position(|m| m.node_id == node_id)
                .map(|i| members.remove(i));
            self.publish(&members);
            // The bootstrap door and the sandbox's own client move to a live broker, if any.
            if let Some(live) = members.first() {
                self.admin.set_broker(live.addr);
                if let Some(b) = self.bootstrap.lock().await.as_ref() {
                    b.set_upstream(live.addr);
                }
            }
            gone
        };
        if let Some(m) = gone {
            m.door.shutdown().await;
        }
        log.record(
            &self.id,
            EventKind::BrokerRemoved,
            Some(node_id),
            "out of the cluster's metadata; clients move to the other brokers".into(),
        );
        let mut attempt = 0;
        loop {
            if self.stopping.load(Ordering::SeqCst) {
                return;
            }
            attempt += 1;
            let next = self.next_node.load(Ordering::SeqCst);
            log.record(
                &self.id,
                EventKind::ReplacementStarted,
                Some(next),
                format!("starting broker {next} on a new machine to replace broker {node_id}"),
            );
            match self.add_broker().await {
                Ok(_) => break,
                Err(e) => {
                    log.record(
                        &self.id,
                        EventKind::ReplacementFailed,
                        Some(next),
                        format!("attempt {attempt}: {e}"),
                    );
                    if attempt >= RESTART_ATTEMPTS {
                        let why = format!(
                            "no broker could be started in {attempt} attempts; the broker's last words:\n{}",
                            broker::last_lines(&self.ctx.dir.join("broker.log"), 12)
                        );
                        log::error!("cluster {}: {why}", self.id);
                        self.set_phase(Phase::Failed(why));
                        return;
                    }
                    tokio::time::sleep(restart_backoff(attempt)).await;
                }
            }
        }
        {
            let members = self.members.lock().await;
            let first = members[0].addr;
            self.admin.set_broker(first);
            if let Some(b) = self.bootstrap.lock().await.as_ref() {
                b.set_upstream(first);
            }
        }
        log.record(
            &self.id,
            EventKind::Healthy,
            None,
            format!(
                "all brokers serving again, {} ms after the failure",
                failed_at.elapsed().as_millis()
            ),
        );
    }

    /// Brokers running now and brokers asked for (they differ while scaling).
    pub fn size(&self) -> (usize, usize) {
        (
            self.topology.members().len(),
            self.target.load(Ordering::SeqCst),
        )
    }

    /// Scales to `want` brokers: new ones join the topology once serving; on the way down the
    /// newest leave the topology first (clients move off) and are stopped after.
    pub fn set_target(&self, want: usize) {
        self.target.store(want, Ordering::SeqCst);
    }

    /// Moves the cluster to its target size ([`Self::set_target`]).
    pub async fn resize(self: Arc<Self>) {
        let _one_at_a_time = self.changes.lock().await;
        let want = self.target.load(Ordering::SeqCst);
        let from = self.members.lock().await.len();
        if from == want || self.phase() != Phase::Provisioned {
            return;
        }
        let log = &self.ctx.events;
        log.record(
            &self.id,
            EventKind::ScalingStarted,
            None,
            format!("from {from} to {want} brokers"),
        );
        let mut failures = 0;
        loop {
            if self.stopping.load(Ordering::SeqCst) || self.target.load(Ordering::SeqCst) != want {
                return;
            }
            let n = self.members.lock().await.len();
            if n < want {
                if let Err(e) = self.add_broker().await {
                    failures += 1;
                    log.record(
                        &self.id,
                        EventKind::ReplacementFailed,
                        None,
                        format!("could not add a broker (attempt {failures}): {e}"),
                    );
                    if failures >= RESTART_ATTEMPTS {
                        // The cluster keeps serving with the brokers it has.
                        log::error!(
                            "cluster {}: scaling stopped after {failures} failed starts",
                            self.id
                        );
                        return;
                    }
                    tokio::time::sleep(restart_backoff(failures)).await;
                }
            } else if n > want {
                let leaving = {
                    let mut members = self.members.lock().await;
                    let m = members.pop().expect("n > want >= 1");
                    self.publish(&members);
                    m
                };
                // Give clients a metadata refresh to move their partitions before the door closes.
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                leaving.door.shutdown().await;
                let _ = leaving.stop.send(());
                let _ = leaving.supervisor.await;
                log.record(
                    &self.id,
                    EventKind::BrokerRetired,
                    Some(leaving.node_id),
                    "taken out of the cluster (scaling in)".into(),
                );
            } else {
                break;
            }
        }
        log.record(
            &self.id,
            EventKind::ScalingDone,
            None,
            format!("{want} brokers serving"),
        );
    }

    /// Closes the doors and stops the brokers.
    pub async fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        if let Some(door) = self.bootstrap.lock().await.take() {
            door.shutdown().await;
        }
        let members = std::mem::take(&mut *self.members.lock().await);
        self.topology.set(Vec::new());
        for m in members {
            m.door.shutdown().await;
            let _ = m.stop.send(());
            let _ = m.supervisor.await;
        }
    }
}
