//! The welcome's one-click sample on the sandbox cloud: an environment, a Basic cluster, an API
//! key of that cluster and a topic, ready to send to. The key is owned by the organisation's
//! user (`u-…`, `GET /iam/v2/users`), which may do everything on its clusters — what Confluent's
//! own quick start hands out; a service account's key could do nothing until given ACLs. Its
//! secret goes to the app's secret store like any key Gureum creates, and the sample waits
//! until the cluster accepts it. Running it again reuses whatever of it is already there.

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use gureum_confluent::{ClusterConfig, ErrorKind, NewApiKey, NewCluster};
use gureum_connections::SANDBOX_ID;
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use super::blocking;
use crate::cloud::{client_for, kafka_rest, remember_clusters, Clients};
use crate::error::{from_kafka_rest, BridgeError, ErrorCode};
use crate::state::AppState;

pub const SAMPLE_ENVIRONMENT: &str = "Sample";
pub const SAMPLE_CLUSTER: &str = "sample";
pub const SAMPLE_TOPIC: &str = "hello";
const SAMPLE_PARTITIONS: i32 = 3;
/// A Basic cluster provisions in a few seconds on the sandbox; Confluent Cloud takes minutes.
const PROVISION_TIMEOUT: Duration = Duration::from_secs(180);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SampleStep {
    Environment,
    Cluster,
    Key,
    Topic,
}

/// One step of the sample started or finished, for the welcome's progress list.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct SampleProgress {
    pub step: SampleStep,
    pub done: bool,
    /// The id made or found once done (`env-…`, `lkc-…`, the key, the topic).
    pub detail: Option<String>,
}

/// What the sample made (or found): everything Send needs.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Sample {
    pub environment_id: String,
    pub cluster_id: String,
    pub cluster_name: String,
    pub key_id: String,
    pub topic: String,
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

fn missing(what: &str) -> BridgeError {
    BridgeError::new(
        ErrorCode::CloudServer,
        format!("The sandbox's answer carried no {what}."),
    )
}

#[tauri::command]
#[specta::specta]
pub async fn create_sample(app: AppHandle) -> Result<Sample, BridgeError> {
    let conn = SANDBOX_ID;
    let client = client_for(&app, conn).await?;

    emit(&app, SampleStep::Environment, false, None);
    let found = client
        .list_environments()
        .await?
        .into_iter()
        .find(|e| e.display_name.as_deref() == Some(SAMPLE_ENVIRONMENT));
    let env = match found {
        Some(e) => e,
        None => client.create_environment(SAMPLE_ENVIRONMENT, None).await?,
    };
    let env_id = env.id.ok_or_else(|| missing("environment id"))?;
    emit(&app, SampleStep::Environment, true, Some(&env_id));

    emit(&app, SampleStep::Cluster, false, None);
    let found = client.list_clusters(&env_id).await?.into_iter().find(|c| {
        c.spec.as_ref().and_then(|s| s.display_name.as_deref()) == Some(SAMPLE_CLUSTER)
            && c.phase() != Some("FAILED")
    });
    let mut cluster = match found {
        Some(c) => c,
        None => {
            client
                .create_cluster(&NewCluster {
                    display_name: SAMPLE_CLUSTER.into(),
                    environment_id: env_id.clone(),
                    cloud: "AWS".into(),
                    region: "us-east-1".into(),
                    availability: "SINGLE_ZONE".into(),
                    config: ClusterConfig::Basic { max_ecku: None },
                })
                .await?
        }
    };
    let cluster_id = cluster.id.clone().ok_or_else(|| missing("cluster id"))?;
    let started = Instant::now();
    while cluster.phase() != Some("PROVISIONED") {
        if cluster.phase() == Some("FAILED") {
            return Err(BridgeError::new(
                ErrorCode::CloudServer,
                format!("The sample cluster {cluster_id} failed to provision; delete it under Clusters and try again."),
            ));
        }
        if started.elapsed() > PROVISION_TIMEOUT {
            return Err(BridgeError::new(
                ErrorCode::CloudTimeout,
                format!(
                    "The sample cluster {cluster_id} was not provisioned within {} s.",
                    PROVISION_TIMEOUT.as_secs()
                ),
            ));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
        cluster = client.get_cluster(&env_id, &cluster_id).await?;
    }
    remember_clusters(&app, conn, [&cluster]).await;
    emit(&app, SampleStep::Cluster, true, Some(&cluster_id));

    emit(&app, SampleStep::Key, false, None);
    let (app2, cid) = (app.clone(), cluster_id.clone());
    let held = blocking(move || {
        Ok(app2
            .state::<AppState>()
            .connections
            .cluster_key(conn, &cid)?)
    })
    .await?;
    if held.is_none() {
        let me = client
            .list_users()
            .await?
            .into_iter()
            .find_map(|u| u.id)
            .ok_or_else(|| missing("user (GET /iam/v2/users)"))?;
        let created = client
            .create_api_key(&NewApiKey {
                display_name: format!("{SAMPLE_CLUSTER} key"),
                description: "Made by Gureum's welcome sample: owned by you, so it may do everything on the cluster".into(),
                owner_id: me,
                resource_id: Some(cluster_id.clone()),
                resource_environment: Some(env_id.clone()),
            })
            .await?;
        let secret = created
            .secret()
            .cloned()
            .ok_or_else(|| missing("API key secret"))?;
        let key_id = created.id.clone().ok_or_else(|| missing("API key id"))?;
        let (app2, cid) = (app.clone(), cluster_id.clone());
        blocking(move || {
            Ok(app2
                .state::<AppState>()
                .connections
                .save_cluster_key(conn, &cid, &key_id, &secret)?)
        })
        .await?;
        app.state::<Clients>().forget_keys(conn).await;
    }
    let (rest, auth, _) = kafka_rest(&app, conn, &env_id, &cluster_id).await?;
    let key_id = auth.key.clone();
    rest.wait_for_api_key(
        &auth,
        None,
        |_| {},
        &AtomicBool::new(false),
        Duration::from_millis(500),
        Duration::from_secs(300),
    )
    .await
    .map_err(|e| from_kafka_rest(e, &key_id))?;
    emit(&app, SampleStep::Key, true, Some(&key_id));

    emit(&app, SampleStep::Topic, false, None);
    match rest.get_topic(&auth, SAMPLE_TOPIC).await {
        Ok(_) => {}
        Err(e) if e.kind == ErrorKind::NotFound => {
            rest.create_topic(&auth, SAMPLE_TOPIC, Some(SAMPLE_PARTITIONS), &[])
                .await
                .map_err(|e| from_kafka_rest(e, &key_id))?;
        }
        Err(e) => return Err(from_kafka_rest(e, &key_id)),
    }
    emit(&app, SampleStep::Topic, true, Some(SAMPLE_TOPIC));

    Ok(Sample {
        environment_id: env_id,
        cluster_id,
        cluster_name: SAMPLE_CLUSTER.into(),
        key_id,
        topic: SAMPLE_TOPIC.into(),
    })
}
