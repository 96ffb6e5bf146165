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

impl SandboxSlot {
    pub fn status(&self) -> SandboxStatus {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .unwrap_or(SandboxStatus {
                state: SandboxState::Starting,
                rest_url: None,
                ca_file: None,
                message: None,
                ca_renewed: false,
            })
    }
}

fn publish(app: &AppHandle, status: SandboxStatus) {
    *app.state::<Arc<SandboxSlot>>()
        .status
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = Some(status.clone());
    if let Err(e) = status.emit(app) {
        log::warn!("could not emit the sandbox status: {e}");
    }
}

/// Starts the sandbox in the background; the window learns the outcome through events.
pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        publish(
            &app,
            SandboxStatus {
                state: SandboxState::Starting,
                rest_url: None,
                ca_file: None,
                message: None,
                ca_renewed: false,
            },
        );
        let failed = |message: String| SandboxStatus {
            state: SandboxState::Failed,
            rest_url: None,
            ca_file: None,
            message: Some(message),
            ca_renewed: false,
        };
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
                let status = SandboxStatus {
                    state: SandboxState::Running,
                    rest_url: Some(sandbox.rest_url().to_string()),
                    ca_file: Some(sandbox.ca_path().display().to_string()),
                    message: None,
                    ca_renewed: sandbox.ca_renewed(),
                };
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
    publish(
        app,
        SandboxStatus {
            state: SandboxState::Stopped,
            rest_url: None,
            ca_file: None,
            message: None,
            ca_renewed: false,
        },
    );
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
