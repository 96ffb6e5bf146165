//! What the Learn lessons do live on a cluster: read a topic back to count what a producer lost
//! while a broker failed, and try to get into a cluster the ways a SaaS refuses (plaintext, a
//! wrong secret, a deleted key) and the way it accepts.

use std::time::Duration;

use gureum_confluent::access::{self, BareKey, Patience};
use gureum_kafka::lessons::{self, AclAction, AclDone, Probe};
use gureum_kafka::{topics, KafkaError};
use serde::Serialize;
use tauri::AppHandle;

use crate::cloud::{cluster_ref, kafka_rest_at};
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

impl ProbeResult {
    fn of(probe: Probe, p: lessons::Probed) -> ProbeResult {
        ProbeResult {
            probe,
            accepted: p.accepted,
            error: p.error.map(Into::into),
            settings: p.settings,
            took_ms: p.took.as_secs_f64() * 1000.0,
            topics: p.topics as f64,
        }
    }
}

/// Tries to get into the cluster the way `probe` says and reports what happened.
#[tauri::command]
#[specta::specta]
pub async fn security_probe(
    app: AppHandle,
    target: Target,
    probe: Probe,
) -> Result<ProbeResult, BridgeError> {
    let good = settings(&app, &target).await?;
    let deleted = match probe {
        // A key of this very cluster, made and deleted through the Cloud API.
        Probe::DeletedKey if lessons::is_cloud(&good) => {
            let (client, auth, _) = kafka_rest_at(&app, &target).await?;
            let env = &target.environment_id;
            Some(access::deleted_key(&client, env, &auth.cluster_id).await?)
        }
        _ => None,
    };
    let tried = probe.settings(&good, deleted).ok_or_else(|| BridgeError::new(
        ErrorCode::NoCloudApi,
        "This lesson runs on a cloud cluster (SASL_SSL with an API key); pick the sandbox or a Confluent Cloud connection.",
    ))?;
    let probed = blocking(move || Ok(lessons::probe(&tried, PROBE_TIMEOUT))).await?;
    Ok(ProbeResult::of(probe, probed))
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

impl AclTry {
    fn of(action: AclAction, outcome: Result<AclDone, KafkaError>, key_id: &str) -> AclTry {
        let (done, error) = match outcome {
            Ok(done) => (done, None),
            Err(e) => (
                AclDone::default(),
                Some(BridgeError::from(e).with_key(Some(key_id))),
            ),
        };
        AclTry {
            action,
            allowed: error.is_none(),
            error,
            partition: done.partition,
            offset: done.offset.map(|o| o as f64),
            records: done.records.map(|r| r as f64),
            group: ACL_GROUP.into(),
        }
    }
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
    let producers = &data_plane(&app).producers;
    let outcome = lessons::acl_try(producers, &s, &topic, ACL_GROUP, action).await;
    Ok(AclTry::of(action, outcome, &key_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_try_names_the_key_and_an_allowed_one_what_it_did() {
        let refused = gureum_kafka::KafkaError::not_authorized(gureum_kafka::Denied::new(
            "WRITE", "TOPIC", "t",
        ));
        let t = AclTry::of(AclAction::Send, Err(refused), "KEY");
        assert!(!t.allowed);
        assert_eq!(
            t.error.unwrap().refused.unwrap().key_id.as_deref(),
            Some("KEY")
        );
        let done = AclDone {
            records: Some(3),
            ..AclDone::default()
        };
        let t = AclTry::of(AclAction::Read, Ok(done), "KEY");
        assert!(t.allowed && t.error.is_none());
        assert_eq!((t.records, t.group.as_str()), (Some(3.0), ACL_GROUP));
    }
}
