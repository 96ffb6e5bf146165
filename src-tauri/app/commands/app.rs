use serde::Serialize;
use tauri::{AppHandle, Manager};

use crate::state::{AppState, KEYRING_SERVICE};

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    /// Where non-secret settings are kept.
    pub config_dir: String,
    /// Where secrets are kept, in words.
    pub secret_store: String,
    /// Set when no OS keyring answered at start: why. Secrets are then kept in memory for this
    /// session only, never on disk, and the window says what won't be kept. Sent only then.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[specta(optional)]
    pub secrets_in_memory: Option<String>,
}

#[tauri::command]
#[specta::specta]
pub fn app_info(app: AppHandle) -> AppInfo {
    let store = if cfg!(target_os = "macos") {
        "macOS Keychain"
    } else if cfg!(target_os = "windows") {
        "Windows Credential Manager"
    } else {
        "Secret Service (GNOME Keyring / KWallet)"
    };
    let state = app.state::<AppState>();
    let secrets_in_memory = state.secrets.session_only().map(str::to_string);
    AppInfo {
        version: app.package_info().version.to_string(),
        config_dir: state.config_dir.display().to_string(),
        secret_store: match secrets_in_memory {
            None => format!("{store}, service \"{KEYRING_SERVICE}\""),
            Some(_) => format!("memory, for this session only: no {store} answered"),
        },
        secrets_in_memory,
    }
}

/// Called once by the frontend after its first paint; logs the time since the process started
/// (the start-up benchmark reads this line) and returns it in milliseconds.
#[tauri::command]
#[specta::specta]
pub fn first_paint() -> u32 {
    let ms = crate::started().elapsed().as_millis() as u32;
    log::info!("first paint after {ms} ms");
    ms
}
