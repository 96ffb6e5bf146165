use std::sync::Arc;

use tauri::{AppHandle, Manager, State};

use crate::error::BridgeError;
use crate::error::ErrorCode;
use crate::sandbox::{SandboxClusterEvent, SandboxSlot, SandboxState, SandboxStatus};

/// Whether the built-in sandbox cloud is starting, running (and where) or failed (and why).
#[tauri::command]
#[specta::specta]
pub fn sandbox_status(slot: State<'_, Arc<SandboxSlot>>) -> SandboxStatus {
    slot.status()
}

/// Stops or starts the sandbox cloud (its data is kept). Answers once the change is made or, when
/// starting, once it is under way; the outcome arrives as `SandboxStatus` events.
#[tauri::command]
#[specta::specta]
pub async fn set_sandbox_running(app: AppHandle, running: bool) -> Result<(), BridgeError> {
    let slot = app.state::<Arc<SandboxSlot>>().inner().clone();
    let state = slot.status().state;
    match (running, state) {
        (false, SandboxState::Running) => crate::sandbox::stop_now(&app).await,
        (true, SandboxState::Stopped | SandboxState::Failed) => crate::sandbox::start(app.clone()),
        // Already where asked, or starting: nothing to do.
        _ => {}
    }
    Ok(())
}

/// A broker of a sandbox cluster as its clients see it.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct SandboxBroker {
    pub node_id: i32,
    /// Its front door on 127.0.0.1.
    pub port: i32,
}

fn not_running() -> BridgeError {
    BridgeError::new(
        ErrorCode::SandboxNotReady,
        "The sandbox cloud is not running; start it in Settings → Connections.",
    )
}

/// The brokers of a sandbox cluster and what the sandbox did to them lately (oldest first).
#[tauri::command]
#[specta::specta]
pub async fn sandbox_cluster_brokers(
    app: AppHandle,
    cluster_id: String,
) -> Result<(Vec<SandboxBroker>, Vec<SandboxClusterEvent>), BridgeError> {
    let slot = app.state::<Arc<SandboxSlot>>().inner().clone();
    let running = slot.running.lock().await;
    let sandbox = running.as_ref().ok_or_else(not_running)?;
    let brokers = sandbox
        .brokers(&cluster_id)
        .into_iter()
        .map(|(node_id, port)| SandboxBroker { node_id, port })
        .collect();
    let events = sandbox
        .recent_events(&cluster_id)
        .into_iter()
        .map(Into::into)
        .collect();
    Ok((brokers, events))
}

/// Kills one broker of a sandbox cluster (SIGKILL, like a failed machine); the sandbox replaces
/// it and reports each step as a `SandboxClusterEvent`.
#[tauri::command]
#[specta::specta]
pub async fn fail_sandbox_broker(
    app: AppHandle,
    cluster_id: String,
    node_id: i32,
) -> Result<(), BridgeError> {
    let slot = app.state::<Arc<SandboxSlot>>().inner().clone();
    let running = slot.running.lock().await;
    let sandbox = running.as_ref().ok_or_else(not_running)?;
    if sandbox.fail_broker(&cluster_id, node_id).await {
        Ok(())
    } else {
        Err(BridgeError::new(
            ErrorCode::NotFound,
            format!("Broker {node_id} is not running in {cluster_id} (already replaced?)."),
        ))
    }
}
