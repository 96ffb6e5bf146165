//! What the Learn lessons do live on a cluster: read a topic back to count what a producer lost
//! while a broker failed, and try to get into a cluster the ways a SaaS refuses (plaintext, a
//! wrong secret, a deleted key) and the way it accepts.

use std::time::{Duration, Instant};

use gureum_confluent::access::{self, BareKey, Patience};
use gureum_confluent::NewApiKey;
use gureum_kafka::producer::{Acks, Compression, OutRecord, SendOptions};
use gureum_kafka::settings::Security;
use gureum_kafka::topics;
use serde::{Deserialize, Serialize};
use tauri::AppHandle;

use crate::cloud::{cluster_ref, kafka_rest};
use crate::commands::blocking;
use crate::commands::iam::emit_wait;
use crate::error::{BridgeError, ErrorCode};
use crate::kafka::{data_plane, settings, settings_with_key, Target};
use crate::vault::Keyring;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SequenceCheckView {
    pub records: f64,
    /// Distinct `seq` values (bulk templates' `{{seq}}`).
    pub distinct: f64,
    pub duplicates: f64,
    pub highest: Option<f64>,
    /// Numbers from 0 to `highest` never seen.
    pub missing: f64,
}

/// Reads `topic` back from the start and counts its numbered records: how many, how many
/// distinct, duplicates, gaps.
#[tauri::command]
#[specta::specta]
pub async fn check_sequence(
    app: AppHandle,
    target: Target,
    topic: String,
) -> Result<SequenceCheckView, BridgeError> {
    let settings = settings(&app, &target).await?;
    blocking(move || {
        let c = topics::check_sequence(&settings, &topic)?;
        Ok(SequenceCheckView {
            records: c.records as f64,
            distinct: c.distinct as f64,
            duplicates: c.duplicates as f64,
            highest: c.highest.map(|h| h as f64),
            missing: c.missing as f64,
        })
    })
    .await
}

/// A way of trying to get into a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Probe {
    /// No TLS, no SASL: what a client configured for a self-run dev cluster does.
    Plaintext,
    /// SASL_SSL with the cluster's key and a wrong secret.
    WrongSecret,
    /// SASL_SSL with a key that was created and then deleted.
    DeletedKey,
    /// SASL_SSL + PLAIN with the key Gureum keeps for the cluster: the way in.
    Sasl,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ProbeResult {
    pub probe: Probe,
    /// The cluster let the client in (and it read the topic list).
    pub accepted: bool,
    /// Why not, in the data plane's words.
    pub error: Option<BridgeError>,
    /// The client settings tried (the secret masked).
    pub settings: Vec<(String, String)>,
    pub took_ms: f64,
    /// Topics the client could see, when accepted.
    pub topics: f64,
}

/// How long a probe may try.
const PROBE_TIMEOUT: Duration = Duration::from_secs(8);

/// Tries to get into the cluster the way `probe` says and reports what happened.
#[tauri::command]
#[specta::specta]
pub async fn security_probe(
    app: AppHandle,
    target: Target,
    probe: Probe,
) -> Result<ProbeResult, BridgeError> {
    let good = settings(&app, &target).await?;
    let Security::Sasl { username, .. } = &good.security else {
        return Err(BridgeError::new(
            ErrorCode::NoCloudApi,
            "This lesson runs on a cloud cluster (SASL_SSL with an API key); pick the sandbox or a Confluent Cloud connection.",
        ));
    };
    let tried = match probe {
        Probe::Sasl => good.clone(),
        Probe::Plaintext => good.plaintext(),
        Probe::WrongSecret => {
            good.with_login(username, gureum_secrets::Secret::new("not-the-secret"))
        }
        Probe::DeletedKey => {
            // A key of this very cluster, made and deleted through the Cloud API.
            let (client, auth, _) = kafka_rest(
                &app,
                &target.connection_id,
                &target.environment_id,
                &target.cluster_id,
            )
            .await?;
            let owner = client
                .create_service_account(
                    "gureum-lesson",
                    "Made by Gureum's security lesson; deleted right away",
                )
                .await?;
            let owner_id = owner.id.clone().unwrap_or_default();
            let key = client
                .create_api_key(&NewApiKey {
                    display_name: "gureum-lesson".into(),
                    description: "Deleted right away by Gureum's security lesson".into(),
                    owner_id: owner_id.clone(),
                    resource_id: Some(auth.cluster_id.clone()),
                    resource_environment: Some(target.environment_id.clone()),
                })
                .await?;
            let (id, secret) = (key.id.clone().unwrap_or_default(), key.secret().cloned());
            client.delete_api_key(&id).await?;
            // Deleting the owner deletes nothing else: the key is gone already.
            let _ = client.delete_service_account(&owner_id).await;
            let secret = secret.ok_or_else(|| {
                BridgeError::new(ErrorCode::Internal, "the new key came without its secret")
            })?;
            good.with_login(&id, secret)
        }
    };
    let shown: Vec<(String, String)> = tried
        .properties(false)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let started = Instant::now();
    let outcome = blocking(move || Ok(topics::list_within(&tried, PROBE_TIMEOUT))).await?;
    let took_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(match outcome {
        Ok(list) => ProbeResult {
            probe,
            accepted: true,
            error: None,
            settings: shown,
            took_ms,
            topics: list.len() as f64,
        },
        Err(e) => ProbeResult {
            probe,
            accepted: false,
            error: Some(e.into()),
            settings: shown,
            took_ms,
            topics: 0.0,
        },
    })
}

/// The service account of the ACL step, and the group its consumer reads in.
const ACL_ACCOUNT: &str = "learn-acl-app";
const ACL_GROUP: &str = "learn-acl-readers";

/// The ACL step's key: a service account's key with no ACLs on the cluster (its old ones
/// removed), kept aside in the keyring (Topics and Send go on using the lesson cluster's key).
#[tauri::command]
#[specta::specta]
pub async fn acl_lesson_key(app: AppHandle, target: Target) -> Result<BareKey, BridgeError> {
    let (client, cluster) = cluster_ref(
        &app,
        &target.connection_id,
        &target.environment_id,
        &target.cluster_id,
    )
    .await?;
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let vault = Keyring::new(&app, &target.connection_id);
    Ok(access::bare_service_key(
        &client,
        &vault,
        &cluster,
        ACL_ACCOUNT,
        emit_wait(&app),
        &cancel,
        Patience::default(),
    )
    .await?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum AclAction {
    /// Send one record, as the application's producer would.
    Send,
    /// Read the topic in the lesson's consumer group, as the application's consumer would.
    Read,
}

/// What the cluster said to the service account's key.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AclTry {
    pub action: AclAction,
    pub allowed: bool,
    /// The refusal (NOT_AUTHORIZED names the operation and the resource).
    pub error: Option<BridgeError>,
    /// Sent: where the record went.
    pub partition: Option<i32>,
    pub offset: Option<f64>,
    /// Read: records read (to the end of the topic, at most 100).
    pub records: Option<f64>,
    /// The consumer group the read used.
    pub group: String,
}

/// Sends to or reads `topic` with the ACL step's key (`key_id`), and reports what the cluster
/// allowed.
#[tauri::command]
#[specta::specta]
pub async fn acl_lesson_try(
    app: AppHandle,
    target: Target,
    key_id: String,
    topic: String,
    action: AclAction,
) -> Result<AclTry, BridgeError> {
    let s = settings_with_key(&app, &target, &key_id).await?;
    let mut out = AclTry {
        action,
        allowed: false,
        error: None,
        partition: None,
        offset: None,
        records: None,
        group: ACL_GROUP.into(),
    };
    let outcome = match action {
        AclAction::Send => {
            let record = OutRecord {
                topic,
                partition: None,
                key: None,
                value: Some(b"{\"from\": \"the ACL lesson\"}".to_vec()),
                headers: Vec::new(),
                timestamp_ms: None,
            };
            let opts = SendOptions {
                acks: Acks::All,
                compression: Compression::None,
            };
            data_plane(&app)
                .producers
                .send(&s, opts, record)
                .await
                .map(|d| {
                    out.partition = Some(d.partition);
                    out.offset = Some(d.offset as f64);
                })
        }
        AclAction::Read => blocking(move || {
            Ok(topics::try_read(
                &s,
                &topic,
                ACL_GROUP,
                100,
                Duration::from_secs(20),
            ))
        })
        .await?
        .map(|r| out.records = Some(r.records as f64)),
    };
    match outcome {
        Ok(()) => out.allowed = true,
        Err(e) => out.error = Some(BridgeError::from(e).with_key(Some(&key_id))),
    }
    Ok(out)
}
