//! Starts the embedded sandbox cloud with the app and stops it on exit. The sandbox itself lives
//! in the Tauri-free `gureum-sandbox` crate; this file only wires it to the app's folders and
//! reports its state to the window.

use std::sync::Arc;

use gureum_sandbox::{locate_broker, Sandbox, SandboxConfig};
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tauri_specta::Event;
use tokio::sync::Mutex;

use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SandboxState {
    Starting,
    Running,
    Failed,
    /// Stopped by the user (Settings); nothing answers until it is started again.
    Stopped,
}

/// What the window shows about the sandbox cloud; emitted whenever it changes.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct SandboxStatus {
    pub state: SandboxState,
    /// The sandbox's Cloud API base URL while running.
    pub rest_url: Option<String>,
    /// The sandbox CA certificate clients must trust.
    pub ca_file: Option<String>,
    /// Why it failed, and what to do.
    pub message: Option<String>,
    /// This start made a new CA in place of one clients may trust (its key was not in the
    /// secret store any more, e.g. after a session without a keyring): they must trust the new
    /// `ca_file`. Sent only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[specta(optional)]
    pub ca_renewed: bool,
}

#[derive(Default)]
pub struct SandboxSlot {
    pub running: Mutex<Option<Sandbox>>,
    pub status: std::sync::Mutex<Option<SandboxStatus>>,
}

impl SandboxStatus {
    fn without_details(state: SandboxState) -> SandboxStatus {
        SandboxStatus {
            state,
            rest_url: None,
            ca_file: None,
            message: None,
            ca_renewed: false,
        }
    }

    pub fn starting() -> SandboxStatus {
        SandboxStatus::without_details(SandboxState::Starting)
    }

    pub fn stopped() -> SandboxStatus {
        SandboxStatus::without_details(SandboxState::Stopped)
    }

    pub fn failed(message: String) -> SandboxStatus {
        SandboxStatus {
            message: Some(message),
            ..SandboxStatus::without_details(SandboxState::Failed)
        }
    }

    fn running(sandbox: &Sandbox) -> SandboxStatus {
        SandboxStatus {
            state: SandboxState::Running,
            rest_url: Some(sandbox.rest_url().to_string()),
            ca_file: Some(sandbox.ca_path().display().to_string()),
            message: None,
            ca_renewed: sandbox.ca_renewed(),
        }
    }
}

impl SandboxSlot {
    /// The last status published; "starting" before the first.
    pub fn status(&self) -> SandboxStatus {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .unwrap_or_else(SandboxStatus::starting)
    }

    pub(crate) fn set_status(&self, status: SandboxStatus) {
        *self.status.lock().unwrap_or_else(|p| p.into_inner()) = Some(status);
    }
}

fn publish(app: &AppHandle, status: SandboxStatus) {
    app.state::<Arc<SandboxSlot>>().set_status(status.clone());
    if let Err(e) = status.emit(app) {
        log::warn!("could not emit the sandbox status: {e}");
    }
}

/// Starts the sandbox in the background; the window learns the outcome through events.
pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        publish(&app, SandboxStatus::starting());
        let failed = SandboxStatus::failed;
        let data_dir = match app.path().app_data_dir() {
            Ok(d) => d.join("sandbox"),
            Err(e) => return publish(&app, failed(format!("no data folder for the sandbox: {e}"))),
        };
        // `gureum-broker`, beside this program (README "Architecture").
        let Some(broker_bin) = locate_broker(false) else {
            return publish(
                &app,
                failed(gureum_sandbox::SandboxError::BrokerMissing.to_string()),
            );
        };
        let config = SandboxConfig {
            data_dir,
            port: 0,
            broker_bin,
            // The app's one secret store (the keyring, or memory for this session).
            secrets: Arc::new(app.state::<AppState>().secrets.clone()),
            metrics_rate_limit: gureum_sandbox::METRICS_RATE_LIMIT,
        };
        match Sandbox::start(config).await {
            Ok(sandbox) => {
                forward_events(&app, sandbox.events());
                let status = SandboxStatus::running(&sandbox);
                *app.state::<Arc<SandboxSlot>>().running.lock().await = Some(sandbox);
                publish(&app, status);
            }
            Err(e) => publish(&app, failed(e.to_string())),
        }
    });
}

/// One step of the sandbox healing or scaling a cluster, for the window's timeline.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct SandboxClusterEvent {
    /// Milliseconds since the Unix epoch.
    pub at_ms: f64,
    pub cluster_id: String,
    /// BROKER_STARTED | BROKER_FAILED | BROKER_REMOVED | REPLACEMENT_STARTED | HEALTHY | …
    pub kind: String,
    pub node_id: Option<i32>,
    pub detail: String,
}

impl From<gureum_sandbox::ClusterEvent> for SandboxClusterEvent {
    fn from(e: gureum_sandbox::ClusterEvent) -> Self {
        SandboxClusterEvent {
            at_ms: e.at_ms as f64,
            // The sandbox's own spelling of the kind (its serde name), so the two never differ.
            kind: serde_json::to_value(e.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            cluster_id: e.cluster_id,
            node_id: e.node_id,
            detail: e.detail,
        }
    }
}

/// Re-emits the sandbox's cluster events to the window until the sandbox stops.
fn forward_events(
    app: &AppHandle,
    mut rx: tokio::sync::broadcast::Receiver<gureum_sandbox::ClusterEvent>,
) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(e) => {
                    if let Err(err) = SandboxClusterEvent::from(e).emit(&app) {
                        log::warn!("could not emit a sandbox cluster event: {err}");
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                    log::warn!("the window missed {n} sandbox cluster events");
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            }
        }
    });
}

/// Stops the sandbox while the app keeps running (Settings → "Stop"); `start` brings it back
/// with the same data.
pub async fn stop_now(app: &AppHandle) {
    let slot = app.state::<Arc<SandboxSlot>>().inner().clone();
    let taken = slot.running.lock().await.take();
    if let Some(sandbox) = taken {
        sandbox.stop().await;
    }
    publish(app, SandboxStatus::stopped());
}

/// Stops brokers and front doors before the process exits.
pub fn stop(app: &AppHandle) {
    let slot = app.state::<Arc<SandboxSlot>>().inner().clone();
    tauri::async_runtime::block_on(async move {
        if let Some(sandbox) = slot.running.lock().await.take() {
            sandbox.stop().await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use gureum_sandbox::{ClusterEvent, EventKind};

    #[test]
    fn a_cluster_event_reaches_the_window_with_its_kind_spelled_as_the_sandbox_does() {
        let e = SandboxClusterEvent::from(ClusterEvent {
            at_ms: 1_700_000_000_123,
            cluster_id: "lkc-1".into(),
            kind: EventKind::ReplacementStarted,
            node_id: Some(4),
            detail: "broker 4 replaces broker 1".into(),
        });
        assert_eq!(e.kind, "REPLACEMENT_STARTED");
        assert_eq!(e.at_ms, 1_700_000_000_123.0);
        assert_eq!((e.cluster_id.as_str(), e.node_id), ("lkc-1", Some(4)));
    }

    #[test]
    fn a_slot_says_starting_until_told_otherwise_then_what_it_was_told() {
        let slot = SandboxSlot::default();
        assert_eq!(slot.status().state, SandboxState::Starting);
        slot.set_status(SandboxStatus::failed("port 8090 is taken".into()));
        let now = slot.status();
        assert_eq!(now.state, SandboxState::Failed);
        assert_eq!(now.message.as_deref(), Some("port 8090 is taken"));
        slot.set_status(SandboxStatus::stopped());
        assert_eq!(slot.status().state, SandboxState::Stopped);
        assert_eq!(slot.status().message, None);
    }

    #[test]
    fn the_window_hears_of_a_new_ca_only_when_there_is_one() {
        let quiet = serde_json::to_value(SandboxStatus::starting()).unwrap();
        assert!(quiet.get("ca_renewed").is_none(), "{quiet}");
        let renewed = SandboxStatus {
            ca_renewed: true,
            ..SandboxStatus::starting()
        };
        assert_eq!(serde_json::to_value(renewed).unwrap()["ca_renewed"], true);
    }
}
