//! `#[tauri::command]`s: one-line adapters over the library crates. No logic lives here.

pub mod access;
pub mod app;
pub mod clipboard;
pub mod clusters;
pub mod connections;
pub mod iam;
pub mod learn;
pub mod metrics;
pub mod sample;
pub mod sandbox;
pub mod send;
pub mod template;
pub mod topics;

use crate::error::{BridgeError, ErrorCode};

/// Runs blocking library work (keyring D-Bus calls, file I/O) off the async runtime's workers.
/// Work still running after [`SLOW`] is logged with its caller: a keyring that stops answering
/// shows up in the log instead of as a window that waits silently.
#[track_caller]
pub(crate) fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, BridgeError> + Send + 'static,
) -> impl std::future::Future<Output = Result<T, BridgeError>> {
    let caller = std::panic::Location::caller();
    async move {
        let mut task = tauri::async_runtime::spawn_blocking(f);
        let joined = match tokio::time::timeout(SLOW, &mut task).await {
            Ok(joined) => joined,
            Err(_) => {
                // Info, not a warning: bulk sends and read-backs are meant to take long.
                log::info!("blocking work from {caller} still running after {SLOW:?}");
                task.await
            }
        };
        joined.unwrap_or_else(|e| {
            Err(
                BridgeError::new(ErrorCode::Internal, "an internal task failed")
                    .with_detail(e.to_string()),
            )
        })
    }
}

const SLOW: std::time::Duration = std::time::Duration::from_secs(5);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocking_returns_the_work_result_and_a_panic_as_internal() {
        let ok = tauri::async_runtime::block_on(blocking(|| Ok(42)));
        assert_eq!(ok.unwrap(), 42);
        let failed = tauri::async_runtime::block_on(blocking(|| -> Result<(), BridgeError> {
            panic!("keyring exploded")
        }));
        let e = failed.unwrap_err();
        assert_eq!(e.code, ErrorCode::Internal);
    }
}
