//! What the sandbox does for a cluster on its own — a broker failing, being taken out, replaced —
//! as timestamped events, so the app can draw the timeline of a SaaS healing itself.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use tokio::sync::broadcast;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventKind {
    /// A broker joined the cluster (at provisioning or as a replacement).
    BrokerStarted,
    /// The supervisor noticed a broker process end without being asked to.
    BrokerFailed,
    /// The failed broker is out of the cluster's metadata; clients stop using it.
    BrokerRemoved,
    /// A replacement broker (a new id, "a new machine") is starting.
    ReplacementStarted,
    /// The cluster has all its brokers again.
    Healthy,
    /// Starting a broker failed; the supervisor will try again.
    ReplacementFailed,
    /// The cluster's size was changed (PATCH cmk/v2/clusters): brokers are being added or removed.
    ScalingStarted,
    /// A broker was taken out on purpose (scaling in), after clients were moved off it.
    BrokerRetired,
    /// The cluster runs the size that was asked for.
    ScalingDone,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClusterEvent {
    /// Milliseconds since the Unix epoch.
    pub at_ms: u64,
    pub cluster_id: String,
    pub kind: EventKind,
    pub node_id: Option<i32>,
    pub detail: String,
}

/// The last events of every cluster plus a live feed.
pub struct EventLog {
    recent: Mutex<VecDeque<ClusterEvent>>,
    feed: broadcast::Sender<ClusterEvent>,
}

const KEEP: usize = 500;

impl Default for EventLog {
    fn default() -> Self {
        EventLog {
            recent: Mutex::new(VecDeque::new()),
            feed: broadcast::channel(256).0,
        }
    }
}

impl EventLog {
    pub fn record(&self, cluster_id: &str, kind: EventKind, node_id: Option<i32>, detail: String) {
        let at_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        let event = ClusterEvent {
            at_ms,
            cluster_id: cluster_id.to_string(),
            kind,
            node_id,
            detail,
        };
        log::info!(
            "cluster {cluster_id}: {kind:?} {node_id:?} {}",
            event.detail
        );
        let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        if recent.len() == KEEP {
            recent.pop_front();
        }
        recent.push_back(event.clone());
        // No subscriber is fine: the events are kept in `recent`.
        let _ = self.feed.send(event);
    }

    pub fn recent(&self, cluster_id: &str) -> Vec<ClusterEvent> {
        self.recent
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .filter(|e| e.cluster_id == cluster_id)
            .cloned()
            .collect()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<ClusterEvent> {
        self.feed.subscribe()
    }
}
