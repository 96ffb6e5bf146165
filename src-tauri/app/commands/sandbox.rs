use std::sync::Arc;

use tauri::State;

use crate::sandbox::{SandboxSlot, SandboxStatus};

/// Whether the built-in sandbox cloud is starting, running (and where) or failed (and why).
#[tauri::command]
#[specta::specta]
pub fn sandbox_status(slot: State<'_, Arc<SandboxSlot>>) -> SandboxStatus {
    slot.status()
}
