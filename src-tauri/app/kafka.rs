//! The data plane's live parts (warm producers, tails, bulk runs) and how it reaches a cluster:
//! the session (`gureum-session`) resolves a target to client settings — a cloud cluster's
//! bootstrap endpoint and key (plus the sandbox's CA), or a Kafka connection's own settings.

use gureum_jobs::{CancelFlag, Jobs};
use gureum_kafka::producer::Producers;
use gureum_kafka::settings::ClientSettings;
use gureum_kafka::tail::Tail;
use tauri::{AppHandle, Manager};

use crate::cloud::Clients;
use crate::error::BridgeError;

/// The data plane's live parts: warm producers, running tails and bulk runs (by id).
#[derive(Default)]
pub struct DataPlane {
    pub producers: Producers,
    pub tails: Jobs<Tail>,
    pub bulk: Jobs<CancelFlag>,
}

/// Which cluster a cluster-scoped command is about (the session crate's one target type).
pub use gureum_session::Target;

pub fn data_plane(app: &AppHandle) -> &DataPlane {
    app.state::<DataPlane>().inner()
}

/// The client settings for `target`.
pub async fn settings(app: &AppHandle, target: &Target) -> Result<ClientSettings, BridgeError> {
    Ok(app.state::<Clients>().settings(target).await?)
}

/// The client settings for `target`'s cluster with one stored key of it, named (not
/// necessarily the one in use).
pub async fn settings_with_key(
    app: &AppHandle,
    target: &Target,
    key_id: &str,
) -> Result<ClientSettings, BridgeError> {
    Ok(app
        .state::<Clients>()
        .settings_with_key(target, key_id)
        .await?)
}

/// Stops every tail and flushes the warm producers (at exit, before the sandbox goes).
pub fn close(app: &AppHandle) {
    let dp = data_plane(app);
    dp.bulk.cancel_all();
    for t in dp.tails.drain() {
        t.stop();
    }
    dp.producers.close_all(std::time::Duration::from_secs(5));
}
