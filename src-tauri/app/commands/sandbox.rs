use std::sync::Arc;

use tauri::{AppHandle, Manager, State};

use crate::error::BridgeError;
use crate::sandbox::{SandboxSlot, SandboxState, SandboxStatus};

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
