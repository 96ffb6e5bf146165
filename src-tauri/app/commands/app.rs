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
    AppInfo {
        version: app.package_info().version.to_string(),
        config_dir: app.state::<AppState>().config_dir.display().to_string(),
        secret_store: format!("{store}, service \"{KEYRING_SERVICE}\""),
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
