//! `#[tauri::command]`s: one-line adapters over the library crates. No logic lives here.

pub mod app;
pub mod clusters;
pub mod connections;
pub mod iam;
pub mod learn;
pub mod metrics;
pub mod sandbox;
pub mod send;
pub mod topics;

use crate::error::{BridgeError, ErrorCode};

/// Runs blocking library work (keyring D-Bus calls, file I/O) off the async runtime's workers.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, BridgeError> + Send + 'static,
) -> Result<T, BridgeError> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| {
            Err(
                BridgeError::new(ErrorCode::Internal, "an internal task failed")
                    .with_detail(e.to_string()),
            )
        })
}
