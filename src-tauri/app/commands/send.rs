//! Sending records: one at a time (over Kafka with rdkafka, or through Kafka REST v3 to compare),
//! many at once with progress, the live tail, and client snippets. Adapters over `gureum-kafka`:
//! the commands check the form, resolve the cluster and convert.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use gureum_confluent::{Payload, Record};
use gureum_kafka::bulk::{self, Job, Source};
use gureum_kafka::partitioner::{murmur2, partition_for_key};
use gureum_kafka::producer::{Acks, Compression, Delivered, OutRecord, SendOptions};
use gureum_kafka::tail::{Shown, Tail, TailEvent, TailRecord};
use gureum_kafka::template::Template;
use gureum_kafka::{snippets, topics};
use serde::{Deserialize, Serialize};
use tauri::AppHandle;
use tauri_specta::Event;

use crate::cloud::kafka_rest;
use crate::commands::blocking;
use gureum_confluent::access::Refused;

use crate::error::{kafka_code, rest_refusal, BridgeError, ErrorCode};
use crate::kafka::{data_plane, settings, Target};

#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct HeaderInput {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum ValueFormat {
    Text,
    /// Checked to be JSON before sending.
    Json,
}

/// The Send form.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct SendInput {
    pub topic: String,
    /// None: automatic (the key's hash, or spread). Wide so that bad numbers reach the check.
    pub partition: Option<f64>,
    /// None: no key.
    pub key: Option<String>,
    pub value: String,
    pub value_format: ValueFormat,
    pub headers: Vec<HeaderInput>,
    /// Milliseconds since the epoch; None: now.
    pub timestamp_ms: Option<f64>,
    pub acks: Acks,
    pub compression: Compression,
}

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

fn field(fields: &mut BTreeMap<String, String>, name: &str, message: impl Into<String>) {
    fields.entry(name.into()).or_insert_with(|| message.into());
}

fn whole(v: f64, min: f64, max: f64) -> Option<i64> {
    (v.fract() == 0.0 && v >= min && v <= max).then_some(v as i64)
}

/// The checks both forms share: a topic is picked, an explicit partition is a whole number ≥ 0.
fn topic_and_partition(
    fields: &mut BTreeMap<String, String>,
    topic: &str,
    partition: Option<f64>,
) -> Option<i32> {
    if topic.trim().is_empty() {
        field(fields, "topic", "Pick a topic.");
    }
    let p = partition?;
    let p = whole(p, 0.0, f64::from(i32::MAX));
    if p.is_none() {
        field(
            fields,
            "partition",
            "A partition is a whole number, 0 or more.",
        );
    }
    p.map(|p| p as i32)
}

/// Checks the form; every problem is reported at its field.
fn check(input: &SendInput) -> Result<OutRecord, BridgeError> {
    let mut fields = BTreeMap::new();
    let partition = topic_and_partition(&mut fields, &input.topic, input.partition);
    if input.value_format == ValueFormat::Json {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&input.value) {
            field(&mut fields, "value", format!("Not valid JSON: {e}."));
        }
    }
    for (i, h) in input.headers.iter().enumerate() {
        if h.name.trim().is_empty() {
            field(
                &mut fields,
                "headers",
                format!("Header {} needs a name.", i + 1),
            );
        }
    }
    let timestamp_ms = match input.timestamp_ms {
        None => None,
        Some(t) => match whole(t, 0.0, 9.0e15) {
            Some(t) => Some(t),
            None => {
                field(
                    &mut fields,
                    "timestamp",
                    "A timestamp is a time after 1970.",
                );
                None
            }
        },
    };
    if !fields.is_empty() {
        return Err(BridgeError::validation(fields));
    }
    Ok(OutRecord {
        topic: input.topic.trim().to_string(),
        partition,
        key: input.key.as_ref().map(|k| k.as_bytes().to_vec()),
        value: Some(input.value.as_bytes().to_vec()),
        headers: input
            .headers
            .iter()
            .map(|h| (h.name.trim().to_string(), h.value.as_bytes().to_vec()))
            .collect(),
        timestamp_ms,
    })
}

fn result(topic: &str, key: Option<&[u8]>, d: Delivered) -> SendResult {
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

/// Sends one record with the cluster's warm producer and returns the broker's answer.
#[tauri::command]
#[specta::specta]
pub async fn send_record(
    app: AppHandle,
    target: Target,
    input: SendInput,
) -> Result<SendResult, BridgeError> {
    let record = check(&input)?;
    let settings = settings(&app, &target).await?;
    let opts = SendOptions {
        acks: input.acks,
        compression: input.compression,
    };
    let key = record.key.clone();
    let topic = record.topic.clone();
    let d = data_plane(&app)
        .producers
        .send(&settings, opts, record)
        .await
        .map_err(|e| BridgeError::from(e).with_key(settings.username()))?;
    Ok(result(&topic, key.as_deref(), d))
}

/// Sends one record through the cluster's Kafka REST v3 endpoint instead (to compare the paths).
#[tauri::command]
#[specta::specta]
pub async fn send_record_rest(
    app: AppHandle,
    target: Target,
    input: SendInput,
) -> Result<SendResult, BridgeError> {
    let record = check(&input)?;
    let (client, auth, _) = kafka_rest(
        &app,
        &target.connection_id,
        &target.environment_id,
        &target.cluster_id,
    )
    .await?;
    let value = match input.value_format {
        ValueFormat::Json => Payload::Json(serde_json::from_str(&input.value).unwrap_or_default()),
        ValueFormat::Text => Payload::String(input.value.clone()),
    };
    let rest = Record {
        partition: record.partition,
        key: input.key.clone().map(Payload::String),
        value: Some(value),
        headers: record.headers.clone(),
        timestamp_ms: record.timestamp_ms,
    };
    let started = Instant::now();
    let r = client
        .produce(&auth, &record.topic, &rest)
        .await
        .map_err(|e| rest_refusal(e, &auth.key, Refused::new("WRITE", "TOPIC", &record.topic)))?;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let partition = r.partition_id.unwrap_or(-1);
    let timestamp_ms = r
        .timestamp
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.timestamp_millis() as f64);
    let partitions = client
        .get_topic(&auth, &record.topic)
        .await
        .ok()
        .and_then(|t| t.partitions_count)
        .unwrap_or(0);
    let key_partition = match (&record.key, record.partition) {
        (Some(k), None) if partitions > 0 => Some(partition_for_key(k, partitions)),
        _ => None,
    };
    Ok(SendResult {
        topic: record.topic,
        partition,
        offset: r.offset.unwrap_or(-1) as f64,
        timestamp_ms,
        timestamp_type: timestamp_ms.map(|_| "CreateTime".to_string()),
        latency_ms,
        partitions,
        key_hash: key_partition.and(record.key.as_deref()).map(murmur2),
        key_partition,
        via: "rest".into(),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum BulkSourceKind {
    /// `count` records from the key/value/header templates.
    Template,
    /// One record per line of `text`: the line is the value.
    Lines,
    /// One JSON object per line of `text` ({key, value, headers, partition}, or the value).
    JsonLines,
}

#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct BulkInput {
    /// Chosen by the window; progress events and cancel use it.
    pub job_id: String,
    pub topic: String,
    pub partition: Option<f64>,
    pub source: BulkSourceKind,
    pub count: f64,
    pub key_template: Option<String>,
    pub value_template: String,
    pub headers: Vec<HeaderInput>,
    /// The file's text, for lines and JSON lines.
    pub text: Option<String>,
    pub acks: Acks,
    pub compression: Compression,
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

/// Builds the bulk job from the form; errors at their fields.
fn bulk_job(input: &BulkInput) -> Result<Job, BridgeError> {
    let mut fields = BTreeMap::new();
    let partition = topic_and_partition(&mut fields, &input.topic, input.partition);
    let source = match input.source {
        BulkSourceKind::Template => {
            let count = whole(input.count, 1.0, bulk::MAX_COUNT as f64);
            if count.is_none() {
                field(
                    &mut fields,
                    "count",
                    format!("Send from 1 to {} records.", bulk::MAX_COUNT),
                );
            }
            let key = match input.key_template.as_deref().filter(|k| !k.is_empty()) {
                None => None,
                Some(k) => match Template::parse(k) {
                    Ok(t) => Some(t),
                    Err(e) => {
                        field(&mut fields, "key_template", e.message);
                        None
                    }
                },
            };
            let value = Template::parse(&input.value_template)
                .map_err(|e| field(&mut fields, "value_template", e.message))
                .ok();
            let mut headers = Vec::new();
            for (i, h) in input.headers.iter().enumerate() {
                if h.name.trim().is_empty() {
                    field(
                        &mut fields,
                        "headers",
                        format!("Header {} needs a name.", i + 1),
                    );
                }
                match Template::parse(&h.value) {
                    Ok(t) => headers.push((h.name.trim().to_string(), t)),
                    Err(e) => field(&mut fields, "headers", e.message),
                }
            }
            match (count, value) {
                (Some(count), Some(value)) if fields.is_empty() => Some(Source::Template {
                    key,
                    value,
                    headers,
                    count: count as u64,
                }),
                _ => None,
            }
        }
        kind => match bulk::parse_lines(
            input.text.as_deref().unwrap_or_default(),
            kind == BulkSourceKind::JsonLines,
        ) {
            Ok(records) => Some(Source::Records(records)),
            Err(e) => {
                field(&mut fields, "file", e.message);
                None
            }
        },
    };
    match source {
        Some(source) if fields.is_empty() => Ok(Job {
            topic: input.topic.trim().to_string(),
            partition,
            source,
            options: SendOptions {
                acks: input.acks,
                compression: input.compression,
            },
        }),
        _ => Err(BridgeError::validation(fields)),
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
    let job = bulk_job(&input)?;
    let settings = settings(&app, &target).await?;
    let cancel = Arc::new(AtomicBool::new(false));
    let id = input.job_id.clone();
    data_plane(&app)
        .bulk
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(id.clone(), cancel.clone());
    let (app2, id2) = (app.clone(), id.clone());
    let outcome = blocking(move || {
        bulk::run(&settings, job, &cancel, |p| {
            if let Err(e) = progress_view(&id2, p).emit(&app2) {
                log::warn!("could not emit bulk progress: {e}");
            }
        })
        .map_err(|e| BridgeError::from(e).with_key(settings.username()))
    })
    .await;
    data_plane(&app)
        .bulk
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&id);
    let s = outcome?;
    Ok(BulkSummary {
        progress: progress_view(&id, &s.progress),
        cancelled: s.cancelled,
        not_sent: s.not_sent as f64,
        errors: s
            .errors
            .into_iter()
            .map(|g| BulkErrorGroup {
                refused: g.denied.map(|d| Refused {
                    topic: d.topic,
                    group: d.group,
                    ..Refused::new(&d.operation, &d.resource_type, &d.resource_name)
                }),
                code: kafka_code(g.kind),
                message: g.message,
                cause: g.cause,
                count: g.count as f64,
            })
            .collect(),
    })
}

#[tauri::command]
#[specta::specta]
pub fn cancel_bulk(app: AppHandle, job_id: String) {
    if let Some(c) = data_plane(&app)
        .bulk
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&job_id)
    {
        c.store(true, Ordering::Relaxed);
    }
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
        let start_key = key.clone();
        Tail::start(&settings, &topic, partition, i64::from(last), move |e| {
            let batch = match e {
                TailEvent::Records(r) => TailBatch {
                    tail_id: id.clone(),
                    records: r.into_iter().map(Into::into).collect(),
                    error: None,
                },
                TailEvent::Failed(e) => TailBatch {
                    tail_id: id.clone(),
                    records: Vec::new(),
                    error: Some(BridgeError::from(e).with_key(key.as_deref())),
                },
            };
            if let Err(e) = batch.emit(&app2) {
                log::warn!("could not emit a tail batch: {e}");
            }
        })
        .map_err(|e| BridgeError::from(e).with_key(start_key.as_deref()))
    })
    .await?;
    let old = data_plane(&app)
        .tails
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(tail_id, tail);
    if let Some(old) = old {
        blocking(move || {
            old.stop();
            Ok(())
        })
        .await?;
    }
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub fn set_tail_paused(app: AppHandle, tail_id: String, paused: bool) {
    if let Some(t) = data_plane(&app)
        .tails
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&tail_id)
    {
        t.set_paused(paused);
    }
}

#[tauri::command]
#[specta::specta]
pub async fn stop_tail(app: AppHandle, tail_id: String) -> Result<(), BridgeError> {
    let tail = data_plane(&app)
        .tails
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&tail_id);
    if let Some(t) = tail {
        blocking(move || {
            t.stop();
            Ok(())
        })
        .await?;
    }
    Ok(())
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

    fn input() -> SendInput {
        SendInput {
            topic: "orders".into(),
            partition: None,
            key: Some("k".into()),
            value: r#"{"a": 1}"#.into(),
            value_format: ValueFormat::Json,
            headers: vec![],
            timestamp_ms: None,
            acks: Acks::All,
            compression: Compression::None,
        }
    }

    #[test]
    fn the_form_is_checked_field_by_field() {
        assert!(check(&input()).is_ok());
        let bad = SendInput {
            topic: " ".into(),
            partition: Some(-1.0),
            value: r#"{"a": 1,}"#.into(),
            headers: vec![HeaderInput {
                name: "".into(),
                value: "v".into(),
            }],
            timestamp_ms: Some(1.5),
            ..input()
        };
        let e = check(&bad).unwrap_err();
        let fields = e.fields.unwrap();
        assert_eq!(fields["topic"], "Pick a topic.");
        assert!(fields["partition"].contains("whole number"));
        assert!(
            fields["value"].starts_with("Not valid JSON: trailing comma at line 1 column 9"),
            "{}",
            fields["value"]
        );
        assert_eq!(fields["headers"], "Header 1 needs a name.");
        assert!(fields.contains_key("timestamp"));
        // Text is sent as it is.
        let text = SendInput {
            value: "not json {".into(),
            value_format: ValueFormat::Text,
            ..input()
        };
        assert_eq!(check(&text).unwrap().value.unwrap(), b"not json {");
    }

    #[test]
    fn bulk_forms_point_at_the_template_or_file_line() {
        let base = BulkInput {
            job_id: "j".into(),
            topic: "t".into(),
            partition: None,
            source: BulkSourceKind::Template,
            count: 10.0,
            key_template: Some("{{nope}}".into()),
            value_template: "{{seq}}".into(),
            headers: vec![],
            text: None,
            acks: Acks::All,
            compression: Compression::None,
        };
        let e = bulk_job(&base).unwrap_err();
        assert!(e.fields.unwrap()["key_template"].contains("Unknown placeholder {{nope}}"));
        let e = bulk_job(&BulkInput {
            count: 0.0,
            key_template: None,
            ..base.clone()
        })
        .unwrap_err();
        assert!(e.fields.unwrap().contains_key("count"));
        let e = bulk_job(&BulkInput {
            source: BulkSourceKind::JsonLines,
            text: Some("{\"value\": 1}\n{bad".into()),
            ..base.clone()
        })
        .unwrap_err();
        assert!(e.fields.unwrap()["file"].starts_with("Line 2"));
        assert!(bulk_job(&BulkInput {
            key_template: None,
            ..base
        })
        .is_ok());
    }
}
