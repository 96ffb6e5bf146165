//! Which Cloud API a connection talks to. The built-in sandbox and a Confluent Cloud organisation
//! get the very same `gureum_confluent::Client`; only the base URL and the credentials differ.

use std::sync::Arc;

use gureum_confluent::{Client, Config};
use gureum_connections::{Endpoint, SANDBOX_ID};
use tauri::{AppHandle, Manager};

use crate::commands::blocking;
use crate::error::{BridgeError, ErrorCode};
use crate::sandbox::{SandboxSlot, SandboxState};
use crate::state::AppState;

/// A client for the connection's Cloud API, or why there is none.
pub async fn client_for(app: &AppHandle, connection_id: &str) -> Result<Client, BridgeError> {
    let config = if connection_id == SANDBOX_ID {
        sandbox_config(app).await?
    } else {
        let app = app.clone();
        let id = connection_id.to_string();
        blocking(move || {
            let store = &app.state::<AppState>().connections;
            let c = store.get(&id)?;
            match c.endpoint {
                Endpoint::ConfluentCloud(cc) => {
                    let secret = store.secret(&id)?.ok_or_else(|| {
                        BridgeError::new(
                            ErrorCode::SecretMissing,
                            format!("The Cloud API secret of “{}” is not in the OS keyring; enter it again in Settings → Connections.", c.name),
                        )
                    })?;
                    Ok(Config::new(cc.cloud_api_url, cc.cloud_api_key, secret))
                }
                Endpoint::Kafka(_) => Err(BridgeError::new(
                    ErrorCode::NoCloudApi,
                    format!("“{}” is a Kafka cluster connection: it has no Cloud API, so it has no environments or clusters to manage. Pick the sandbox or a Confluent Cloud connection.", c.name),
                )),
                Endpoint::Sandbox => Err(BridgeError::new(ErrorCode::Internal, "a saved connection claims to be the sandbox")),
            }
        })
        .await?
    };
    Ok(Client::new(config)?)
}

async fn sandbox_config(app: &AppHandle) -> Result<Config, BridgeError> {
    let slot = app.state::<Arc<SandboxSlot>>().inner().clone();
    let running = slot.running.lock().await;
    let Some(sandbox) = running.as_ref() else {
        let status = slot.status();
        return Err(match status.state {
            SandboxState::Failed => BridgeError::new(
                ErrorCode::SandboxNotReady,
                "The sandbox cloud is not running; see Settings → Connections for why, fix it and restart Gureum.",
            )
            .with_detail(status.message.unwrap_or_default()),
            _ => BridgeError::new(
                ErrorCode::SandboxNotReady,
                "The sandbox cloud is still starting; try again in a moment.",
            ),
        });
    };
    let url = sandbox.rest_url().to_string();
    // One short keyring read (D-Bus); the sandbox stays locked only for it.
    let (key, secret) = sandbox.cloud_credentials().map_err(|e| match e {
        gureum_sandbox::SandboxError::Secret(s) => BridgeError::from(s),
        other => BridgeError::new(
            ErrorCode::SandboxNotReady,
            "The sandbox cloud's credentials could not be read.",
        )
        .with_detail(other.to_string()),
    })?;
    Ok(Config::new(url, key, secret))
}
