//! Sending records: one at a time (over Kafka with rdkafka, or through Kafka REST v3 to compare),
//! many at once with progress, the live tail, and client snippets. Adapters over `gureum-kafka`
//! (its `send_form` checks the forms) and, for the REST path, `gureum-confluent`.

use gureum_confluent::{Record, Sent};
use gureum_kafka::bulk;
use gureum_kafka::partitioner::{murmur2, partition_for_key};
use gureum_kafka::producer::Delivered;
pub use gureum_kafka::send_form::{BulkInput, SendInput};
use gureum_kafka::tail::{Shown, Tail, TailEvent, TailRecord};
use gureum_kafka::{snippets, topics};
use serde::Serialize;
use tauri::AppHandle;
use tauri_specta::Event;

use crate::cloud::kafka_rest_at;
use crate::commands::blocking;
use gureum_confluent::access::Refused;

use crate::error::{kafka_code, rest_refusal, BridgeError, ErrorCode};
use crate::kafka::{data_plane, settings, Target};

/// The broker's answer to one send: its RecordMetadata, and how the partition was chosen.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SendResult {
    pub topic: String,
    pub partition: i32,
    /// -1 when nothing comes back (acks=0).
    pub offset: f64,
    pub timestamp_ms: Option<f64>,
    /// CreateTime | LogAppendTime.
    pub timestamp_type: Option<String>,
    pub latency_ms: f64,
    /// The topic's partition count.
    pub partitions: i32,
    /// murmur2(key) as Kafka's Java client computes it, for a keyed record on automatic.
    pub key_hash: Option<i32>,
    /// (key_hash & 0x7fffffff) mod partitions: where the key sends the record.
    pub key_partition: Option<i32>,
    /// "kafka" (rdkafka, the native protocol) or "rest" (Kafka REST v3).
    pub via: String,
}

impl SendResult {
    /// The data plane's answer (over the Kafka protocol).
    fn kafka(topic: &str, key: Option<&[u8]>, d: Delivered) -> SendResult {
        SendResult {
            topic: topic.to_string(),
            partition: d.partition,
            offset: d.offset as f64,
            timestamp_ms: d.timestamp_ms.map(|t| t as f64),
            timestamp_type: d.timestamp_type.map(str::to_string),
            latency_ms: d.latency_us as f64 / 1000.0,
            partitions: d.partitions,
            key_hash: d.key_partition.and(key).map(murmur2),
            key_partition: d.key_partition,
            via: "kafka".into(),
        }
    }

    /// Kafka REST's answer.
    fn rest(topic: &str, s: Sent) -> SendResult {
        let timestamp_ms = s.timestamp_ms.map(|t| t as f64);
        SendResult {
            topic: topic.to_string(),
            partition: s.partition,
            offset: s.offset as f64,
            timestamp_ms,
            timestamp_type: timestamp_ms.map(|_| "CreateTime".to_string()),
            latency_ms: s.latency.as_secs_f64() * 1000.0,
            partitions: s.partitions,
            key_hash: s.key_hash,
            key_partition: s.key_partition,
            via: "rest".into(),
        }
    }
}

/// Sends one record with the cluster's warm producer and returns the broker's answer.
#[tauri::command]
#[specta::specta]
pub async fn send_record(
    app: AppHandle,
    target: Target,
    input: SendInput,
) -> Result<SendResult, BridgeError> {
    let record = input.check()?;
    let settings = settings(&app, &target).await?;
    let (key, topic) = (record.key.clone(), record.topic.clone());
    let d = data_plane(&app)
        .producers
        .send(&settings, input.options(), record)
        .await
        .map_err(|e| BridgeError::from(e).with_key(settings.username()))?;
    Ok(SendResult::kafka(&topic, key.as_deref(), d))
}

/// Sends one record through the cluster's Kafka REST v3 endpoint instead (to compare the paths).
#[tauri::command]
#[specta::specta]
pub async fn send_record_rest(
    app: AppHandle,
    target: Target,
    input: SendInput,
) -> Result<SendResult, BridgeError> {
    let r = input.check()?;
    let (client, auth, _) = kafka_rest_at(&app, &target).await?;
    let (key, json) = (input.key.as_deref(), input.json_value());
    let record = Record::from_form(
        r.partition,
        key,
        &input.value,
        json,
        r.headers,
        r.timestamp_ms,
    );
    let sent = client
        .send_record(&auth, &r.topic, &record)
        .await
        .map_err(|e| rest_refusal(e, &auth.key, Refused::new("WRITE", "TOPIC", &r.topic)))?;
    Ok(SendResult::rest(&r.topic, sent))
}

/// Where a bulk run is: about ten a second while it runs, and once at the end.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct BulkProgress {
    pub job_id: String,
    pub total: f64,
    pub queued: f64,
    pub acked: f64,
    pub failed: f64,
    pub elapsed_ms: f64,
    pub records_per_sec: f64,
    pub mb_per_sec: f64,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct BulkErrorGroup {
    pub code: ErrorCode,
    pub message: String,
    /// For NOT_AUTHORIZED: what the key's owner may not do.
    pub refused: Option<Refused>,
    /// librdkafka's name for the cause.
    pub cause: String,
    pub count: f64,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct BulkSummary {
    pub progress: BulkProgress,
    pub cancelled: bool,
    /// Never sent (the run was cancelled first).
    pub not_sent: f64,
    pub errors: Vec<BulkErrorGroup>,
}

fn progress_view(job_id: &str, p: &bulk::Progress) -> BulkProgress {
    BulkProgress {
        job_id: job_id.to_string(),
        total: p.total as f64,
        queued: p.queued as f64,
        acked: p.acked as f64,
        failed: p.failed as f64,
        elapsed_ms: p.elapsed_ms as f64,
        records_per_sec: p.records_per_sec(),
        mb_per_sec: p.mb_per_sec(),
    }
}

impl BulkSummary {
    fn of(job_id: &str, s: bulk::Summary) -> BulkSummary {
        BulkSummary {
            progress: progress_view(job_id, &s.progress),
            cancelled: s.cancelled,
            not_sent: s.not_sent as f64,
            errors: s.errors.into_iter().map(BulkErrorGroup::of).collect(),
        }
    }
}

impl BulkErrorGroup {
    fn of(g: bulk::ErrorGroup) -> BulkErrorGroup {
        BulkErrorGroup {
            refused: g.denied.map(|d| Refused {
                topic: d.topic,
                group: d.group,
                ..Refused::new(&d.operation, &d.resource_type, &d.resource_name)
            }),
            code: kafka_code(g.kind),
            message: g.message,
            cause: g.cause,
            count: g.count as f64,
        }
    }
}

/// Sends many records, emitting `BulkProgress` as it goes; `cancel_bulk` stops it. Resolves with
/// the summary: how many the cluster acknowledged, and the failures grouped by cause.
#[tauri::command]
#[specta::specta]
pub async fn bulk_send(
    app: AppHandle,
    target: Target,
    input: BulkInput,
) -> Result<BulkSummary, BridgeError> {
    let job = input.job()?;
    let settings = settings(&app, &target).await?;
    let (app2, id) = (app.clone(), input.job_id.clone());
    let summary = blocking(move || {
        let emit = |p: &bulk::Progress| emit_event(progress_view(&id, p), &app2);
        data_plane(&app2)
            .bulk
            .run(&id, |cancel| bulk::run(&settings, job, cancel, emit))
            .map_err(|e| BridgeError::from(e).with_key(settings.username()))
    })
    .await?;
    Ok(BulkSummary::of(&input.job_id, summary))
}

/// Emits an event to the window; one that can't be delivered is only logged.
fn emit_event<E: Event + Serialize + Clone>(event: E, app: &AppHandle) {
    if let Err(e) = event.emit(app) {
        log::warn!("could not emit {}: {e}", E::NAME);
    }
}

#[tauri::command]
#[specta::specta]
pub fn cancel_bulk(app: AppHandle, job_id: String) {
    data_plane(&app).bulk.cancel(&job_id);
}

/// A key, value or header as the window shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ShownView {
    /// None: binary (not UTF-8).
    pub text: Option<String>,
    pub size: f64,
    pub truncated: bool,
}

impl From<Shown> for ShownView {
    fn from(s: Shown) -> Self {
        ShownView {
            text: s.text,
            size: s.size as f64,
            truncated: s.truncated,
        }
    }
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct TailRecordView {
    pub partition: i32,
    pub offset: f64,
    pub timestamp_ms: Option<f64>,
    pub key: Option<ShownView>,
    pub value: Option<ShownView>,
    pub headers: Vec<(String, ShownView)>,
}

impl From<TailRecord> for TailRecordView {
    fn from(r: TailRecord) -> Self {
        TailRecordView {
            partition: r.partition,
            offset: r.offset as f64,
            timestamp_ms: r.timestamp_ms.map(|t| t as f64),
            key: r.key.map(Into::into),
            value: r.value.map(Into::into),
            headers: r.headers.into_iter().map(|(k, v)| (k, v.into())).collect(),
        }
    }
}

/// New records of a tail (oldest first), or why it stopped.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct TailBatch {
    pub tail_id: String,
    pub records: Vec<TailRecordView>,
    pub error: Option<BridgeError>,
}

impl TailBatch {
    /// A tail's event as the window gets it; a refusal names the key it was made with.
    fn of(tail_id: &str, key: Option<&str>, e: TailEvent) -> TailBatch {
        let (records, error) = match e {
            TailEvent::Records(r) => (r.into_iter().map(Into::into).collect(), None),
            TailEvent::Failed(e) => (Vec::new(), Some(BridgeError::from(e).with_key(key))),
        };
        TailBatch {
            tail_id: tail_id.to_string(),
            records,
            error,
        }
    }
}

/// Starts following `topic` (the last `last` records of each partition first); batches arrive as
/// `TailBatch` events. One tail per id: starting an id again replaces it.
#[tauri::command]
#[specta::specta]
pub async fn start_tail(
    app: AppHandle,
    target: Target,
    tail_id: String,
    topic: String,
    partition: Option<i32>,
    last: u32,
) -> Result<(), BridgeError> {
    let settings = settings(&app, &target).await?;
    let (app2, id) = (app.clone(), tail_id.clone());
    let key = settings.username().map(str::to_string);
    let tail = blocking(move || {
        let sink = move |e| emit_event(TailBatch::of(&id, key.as_deref(), e), &app2);
        Tail::start(&settings, &topic, partition, i64::from(last), sink)
            .map_err(|e| BridgeError::from(e).with_key(settings.username()))
    })
    .await?;
    match data_plane(&app).tails.start(&tail_id, tail) {
        Some(old) => stop(old).await,
        None => Ok(()),
    }
}

/// Stops a tail off the async workers (it joins its thread).
async fn stop(tail: Tail) -> Result<(), BridgeError> {
    blocking(move || {
        tail.stop();
        Ok(())
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub fn set_tail_paused(app: AppHandle, tail_id: String, paused: bool) {
    data_plane(&app)
        .tails
        .with(&tail_id, |t| t.set_paused(paused));
}

#[tauri::command]
#[specta::specta]
pub async fn stop_tail(app: AppHandle, tail_id: String) -> Result<(), BridgeError> {
    match data_plane(&app).tails.finish(&tail_id) {
        Some(t) => stop(t).await,
        None => Ok(()),
    }
}

/// One whole record ("show all" in the tail).
#[tauri::command]
#[specta::specta]
pub async fn fetch_record(
    app: AppHandle,
    target: Target,
    topic: String,
    partition: i32,
    offset: f64,
) -> Result<TailRecordView, BridgeError> {
    let settings = settings(&app, &target).await?;
    blocking(move || {
        gureum_kafka::tail::fetch_record(&settings, &topic, partition, offset as i64)
            .map(Into::into)
            .map_err(BridgeError::from)
    })
    .await
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SnippetView {
    pub id: String,
    pub title: String,
    pub code: String,
}

/// The connection as client code for the cluster and its key, the secret always masked: copying
/// one with its secret is done in Rust (`clipboard::copy_client_snippet`).
#[tauri::command]
#[specta::specta]
pub async fn client_snippets(
    app: AppHandle,
    target: Target,
    topic: String,
) -> Result<Vec<SnippetView>, BridgeError> {
    let settings = settings(&app, &target).await?;
    Ok(snippets::all(&settings, &topic, false)
        .into_iter()
        .map(|s| SnippetView {
            id: s.id.into(),
            title: s.title.into(),
            code: s.code,
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct KafkaTopicView {
    pub name: String,
    pub partitions: i32,
}

/// A Kafka connection's topics, from the cluster's metadata (it has no REST API).
#[tauri::command]
#[specta::specta]
pub async fn list_kafka_topics(
    app: AppHandle,
    target: Target,
) -> Result<Vec<KafkaTopicView>, BridgeError> {
    let settings = settings(&app, &target).await?;
    blocking(move || {
        Ok(topics::list(&settings)?
            .into_iter()
            .map(|t| KafkaTopicView {
                name: t.name,
                partitions: t.partitions,
            })
            .collect())
    })
    .await
}

/// Where a key would go among `partitions` (for the form's live hint).
#[tauri::command]
#[specta::specta]
pub fn key_partition(key: String, partitions: i32) -> Option<i32> {
    (partitions > 0).then(|| partition_for_key(key.as_bytes(), partitions))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn both_send_paths_answer_alike() {
        let d = Delivered {
            partition: 2,
            offset: 7,
            timestamp_ms: Some(1000),
            timestamp_type: Some("CreateTime"),
            latency_us: 1500,
            partitions: 3,
            key_partition: Some(2),
        };
        let k = SendResult::kafka("t", Some(b"k"), d);
        assert_eq!((k.partition, k.offset, k.latency_ms), (2, 7.0, 1.5));
        assert_eq!(k.key_hash, Some(murmur2(b"k")));
        assert_eq!(k.via, "kafka");
        let sent = Sent {
            partition: 1,
            offset: -1,
            timestamp_ms: Some(5),
            latency: Duration::from_millis(4),
            partitions: 3,
            key_hash: None,
            key_partition: None,
        };
        let r = SendResult::rest("t", sent);
        assert_eq!((r.partition, r.offset, r.latency_ms), (1, -1.0, 4.0));
        assert_eq!(r.timestamp_type.as_deref(), Some("CreateTime"));
        assert_eq!(r.via, "rest");
    }

    #[test]
    fn bulk_failures_keep_their_code_and_refusal() {
        let g = bulk::ErrorGroup {
            kind: gureum_kafka::ErrorKind::NotAuthorized,
            message: "m".into(),
            cause: "TopicAuthorizationFailed".into(),
            count: 3,
            denied: Some(gureum_kafka::Denied::new("WRITE", "TOPIC", "t")),
        };
        let v = BulkErrorGroup::of(g);
        assert_eq!((v.code, v.count), (ErrorCode::NotAuthorized, 3.0));
        assert_eq!(v.refused.unwrap().operation, "WRITE");
    }

    #[test]
    fn a_failed_tail_names_its_key() {
        let e = gureum_kafka::KafkaError::not_authorized(gureum_kafka::Denied::new(
            "READ", "TOPIC", "t",
        ));
        let b = TailBatch::of("tail-1", Some("KEY"), TailEvent::Failed(e));
        assert_eq!(b.tail_id, "tail-1");
        assert!(b.records.is_empty());
        assert_eq!(
            b.error.unwrap().refused.unwrap().key_id.as_deref(),
            Some("KEY")
        );
        let ok = TailBatch::of("tail-1", None, TailEvent::Records(vec![]));
        assert!(ok.error.is_none());
    }
}
