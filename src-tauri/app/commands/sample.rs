//! The welcome's one-click sample on the sandbox cloud: an environment, a Basic cluster, an API
//! key of that cluster and a topic, ready to send to (the workflow: `gureum_confluent::sample`).

use gureum_confluent::sample::{self, Sample, SamplePatience, SampleStep};
use gureum_connections::SANDBOX_ID;
use serde::Serialize;
use tauri::AppHandle;
use tauri_specta::Event;

use crate::cloud::{client_for, remember_clusters};
use crate::error::{sample_error, BridgeError};
use crate::vault::Keyring;

/// One step of the sample started or finished, for the welcome's progress list.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct SampleProgress {
    pub step: SampleStep,
    pub done: bool,
    /// The id made or found once done (`env-…`, `lkc-…`, the key, the topic).
    pub detail: Option<String>,
}

fn emit(app: &AppHandle, step: SampleStep, done: bool, detail: Option<&str>) {
    let event = SampleProgress {
        step,
        done,
        detail: detail.map(str::to_string),
    };
    if let Err(e) = event.emit(app) {
        log::warn!("could not emit sample-progress: {e}");
    }
}

/// Runs the sample on the sandbox (`gureum_confluent::sample`), each step an event.
#[tauri::command]
#[specta::specta]
pub async fn create_sample(app: AppHandle) -> Result<Sample, BridgeError> {
    let client = client_for(&app, SANDBOX_ID).await?;
    let vault = Keyring::new(&app, SANDBOX_ID);
    let progress = |step, done, detail: Option<&str>| emit(&app, step, done, detail);
    let (made, cluster) = sample::create(&client, &vault, progress, SamplePatience::default())
        .await
        .map_err(sample_error)?;
    remember_clusters(&app, SANDBOX_ID, [&cluster]).await;
    Ok(made)
}
