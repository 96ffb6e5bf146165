use gureum_connections::{Connection, ConnectionInput, SecretState};
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use super::blocking;
use crate::cloud::Clients;
use crate::error::BridgeError;
use crate::state::AppState;

/// Emitted after a connection is saved or removed, so every view can refresh.
#[derive(Debug, Clone, serde::Serialize, specta::Type, tauri_specta::Event)]
pub struct ConnectionsChanged {
    pub connections: Vec<Connection>,
}

/// Every connection: the built-in sandbox first, then the saved ones.
#[tauri::command]
#[specta::specta]
pub async fn list_connections(app: AppHandle) -> Result<Vec<Connection>, BridgeError> {
    blocking(move || Ok(app.state::<AppState>().connections.list()?)).await
}

/// Creates or updates a connection; its secret goes to the OS keyring only.
#[tauri::command]
#[specta::specta]
pub async fn save_connection(
    app: AppHandle,
    input: ConnectionInput,
) -> Result<Connection, BridgeError> {
    let app2 = app.clone();
    let saved = blocking(move || {
        let store = &app2.state::<AppState>().connections;
        let saved = store.save(input)?;
        notify(&app2, store.list()?);
        Ok(saved)
    })
    .await?;
    // Its URL, key or secret may have changed: the next call builds a fresh client.
    app.state::<Clients>().forget(&saved.id).await;
    Ok(saved)
}

/// Removes a connection and its secret.
#[tauri::command]
#[specta::specta]
pub async fn remove_connection(app: AppHandle, id: String) -> Result<(), BridgeError> {
    let (app2, id2) = (app.clone(), id.clone());
    blocking(move || {
        let store = &app2.state::<AppState>().connections;
        store.remove(&id2)?;
        notify(&app2, store.list()?);
        Ok(())
    })
    .await?;
    app.state::<Clients>().forget(&id).await;
    Ok(())
}

/// Whether the connection's secret is in the keyring (never the secret itself).
#[tauri::command]
#[specta::specta]
pub async fn connection_secret_state(
    app: AppHandle,
    id: String,
) -> Result<SecretState, BridgeError> {
    blocking(move || Ok(app.state::<AppState>().connections.secret_state(&id)?)).await
}

fn notify(app: &AppHandle, connections: Vec<Connection>) {
    if let Err(e) = (ConnectionsChanged { connections }).emit(app) {
        log::warn!("could not emit connections-changed: {e}");
    }
}
