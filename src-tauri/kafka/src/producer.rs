//! Single sends with one warm producer per cluster and settings: the first send connects, the
//! next ones reuse the connections, so a send costs one round trip. The answer is the broker's
//! RecordMetadata (partition, offset, timestamp) plus the latency and, for a keyed record, the
//! partition its key hashes to.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::client::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::error::KafkaError as RdError;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord, Producer};
use rdkafka::Timestamp;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::error::{classify, Access, ErrorKind, KafkaError};
use crate::partitioner::partition_for_key;
use crate::settings::ClientSettings;

/// How long a send may take before it is reported as failed (librdkafka's message.timeout.ms).
pub const SEND_TIMEOUT: Duration = Duration::from_secs(15);
/// How long looking a topic up may take.
const METADATA_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a topic's partition count is trusted.
const TOPIC_TTL: Duration = Duration::from_secs(30);
/// Warm producers kept at most (oldest dropped first).
const KEEP: usize = 8;
/// The largest record Confluent Cloud lets a topic take (20 MB on Dedicated), plus batch
/// overhead: bigger records are the broker's to refuse, with its own error.
pub const MAX_RECORD_BYTES: usize = 20 * 1024 * 1024 + 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Acks {
    /// Every in-sync replica has it (`acks=all`): what Confluent recommends.
    All,
    /// The partition leader has it (`acks=1`).
    Leader,
    /// Not waited for (`acks=0`): no offset comes back.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Snappy,
    Lz4,
    Zstd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SendOptions {
    pub acks: Acks,
    pub compression: Compression,
}

impl Default for SendOptions {
    fn default() -> Self {
        SendOptions {
            acks: Acks::All,
            compression: Compression::None,
        }
    }
}

/// A record to send.
#[derive(Debug, Clone, Default)]
pub struct OutRecord {
    pub topic: String,
    /// None: the partitioner decides (murmur2 of the key, or spread when there is no key).
    pub partition: Option<i32>,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(String, Vec<u8>)>,
    /// Milliseconds since the epoch; None: the producer's clock.
    pub timestamp_ms: Option<i64>,
}

/// The broker's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivered {
    pub partition: i32,
    /// -1 with acks=0 (nothing comes back).
    pub offset: i64,
    pub timestamp_ms: Option<i64>,
    /// CreateTime (the producer's) or LogAppendTime (the broker's).
    pub timestamp_type: Option<&'static str>,
    /// From handing the record to the producer to the broker's answer.
    pub latency_us: u64,
    /// How many partitions the topic has.
    pub partitions: i32,
    /// For a keyed record without an explicit partition: murmur2(key) mod partitions.
    pub key_partition: Option<i32>,
}

/// Client-level errors librdkafka reports outside any one send (a refused SASL login, all
/// brokers down), so a send can say why it failed rather than only that it timed out.
pub(crate) struct Health {
    last: Mutex<Option<(ErrorKind, String, Instant)>>,
    /// librdkafka's last warning or error log line (it says why a connection dropped, e.g. a
    /// TLS listener spoken to in plaintext).
    last_log: Mutex<Option<(String, Instant)>>,
    auth: watch::Sender<Option<String>>,
}

/// The producer's context: it hears librdkafka's client errors and logs.
pub struct Context {
    health: Arc<Health>,
}

impl ClientContext for Context {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        // librdkafka's messages carry no secrets (it never logs sasl.password).
        match level {
            RDKafkaLogLevel::Emerg
            | RDKafkaLogLevel::Alert
            | RDKafkaLogLevel::Critical
            | RDKafkaLogLevel::Error
            | RDKafkaLogLevel::Warning => {
                log::warn!("librdkafka {fac}: {message}");
                *self
                    .health
                    .last_log
                    .lock()
                    .unwrap_or_else(|p| p.into_inner()) =
                    Some((message.to_string(), Instant::now()));
            }
            _ => log::debug!("librdkafka {fac}: {message}"),
        }
    }

    fn error(&self, error: RdError, reason: &str) {
        let Some(code) = error.rdkafka_error_code() else {
            return;
        };
        let (kind, _) = classify(code);
        log::debug!("librdkafka client error: {reason}");
        *self.health.last.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((kind, reason.to_string(), Instant::now()));
        if kind == ErrorKind::AuthFailed {
            self.health.auth.send_replace(Some(reason.to_string()));
        }
    }
}

impl Context {
    pub(crate) fn new() -> (Context, Arc<Health>) {
        let (tx, _) = watch::channel(None);
        let health = Arc::new(Health {
            last: Mutex::new(None),
            last_log: Mutex::new(None),
            auth: tx,
        });
        (
            Context {
                health: health.clone(),
            },
            health,
        )
    }
}

impl Health {
    /// Resolves when the cluster refuses the login, with librdkafka's reason.
    pub(crate) async fn auth_refused(&self) -> Option<String> {
        let mut rx = self.auth.subscribe();
        let r = rx.wait_for(Option::is_some).await;
        r.ok().and_then(|v| v.clone())
    }

    /// librdkafka's last warning in the last `within`.
    pub(crate) fn recent_log(&self, within: Duration) -> Option<String> {
        self.last_log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .filter(|(_, at)| at.elapsed() <= within)
            .map(|(m, _)| m.clone())
    }

    /// The last client error in the last `within`.
    pub(crate) fn recent(&self, within: Duration) -> Option<(ErrorKind, String)> {
        self.last
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .filter(|(_, _, at)| at.elapsed() <= within)
            .map(|(k, m, _)| (*k, m.clone()))
    }
}

/// A consumer can use the same context, to hear why a connection failed.
impl rdkafka::consumer::ConsumerContext for Context {}

impl rdkafka::producer::ProducerContext for Context {
    type DeliveryOpaque = ();
    fn delivery(&self, _: &rdkafka::message::DeliveryResult<'_>, _: ()) {}
}

#[derive(Clone)]
struct Warm {
    producer: FutureProducer<Context>,
    health: Arc<Health>,
    topics: Arc<Mutex<HashMap<String, (i32, Instant)>>>,
    used: Instant,
}

/// A login refused, as the error a send or a lookup reports.
pub(crate) fn auth_error(reason: Option<String>) -> KafkaError {
    let (kind, message) = classify(rdkafka::types::RDKafkaErrorCode::Authentication);
    let e = KafkaError::new(kind, message);
    match reason {
        Some(r) => e.with_detail(r),
        None => e,
    }
}

/// Producer settings both single and bulk sends share.
pub(crate) fn producer_config(
    settings: &ClientSettings,
    opts: SendOptions,
) -> rdkafka::ClientConfig {
    let mut c = settings.client_config();
    c.set(
        "acks",
        match opts.acks {
            Acks::All => "all",
            Acks::Leader => "1",
            Acks::None => "0",
        },
    )
    .set(
        "compression.type",
        match opts.compression {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Snappy => "snappy",
            Compression::Lz4 => "lz4",
            Compression::Zstd => "zstd",
        },
    )
    // Exactly once per partition is only possible with acks=all.
    .set("enable.idempotence", (opts.acks == Acks::All).to_string())
    // Java's partitioner: a key lands where a Java producer would put it, and the UI can say why.
    .set("partitioner", "murmur2_random")
    .set("message.timeout.ms", SEND_TIMEOUT.as_millis().to_string())
    .set("socket.connection.setup.timeout.ms", "10000")
    // Confluent Cloud never creates topics on first use; don't ask.
    .set("allow.auto.create.topics", "false")
    .set("message.max.bytes", MAX_RECORD_BYTES.to_string());
    c
}

/// The warm producers, by settings and options.
#[derive(Default)]
pub struct Producers {
    warm: Mutex<HashMap<String, Warm>>,
}

fn cache_key(settings: &ClientSettings, opts: SendOptions) -> String {
    format!(
        "{}|{:?}|{:?}",
        settings.identity(),
        opts.acks,
        opts.compression
    )
}

impl Producers {
    fn warm(
        &self,
        settings: &ClientSettings,
        opts: SendOptions,
    ) -> Result<(String, Warm), KafkaError> {
        let key = cache_key(settings, opts);
        let mut warm = self.warm.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(w) = warm.get_mut(&key) {
            w.used = Instant::now();
            return Ok((key, w.clone()));
        }
        if warm.len() >= KEEP {
            if let Some(oldest) = warm
                .iter()
                .min_by_key(|(_, w)| w.used)
                .map(|(k, _)| k.clone())
            {
                warm.remove(&oldest);
            }
        }
        let (context, health) = Context::new();
        let mut config = producer_config(settings, opts);
        config.set("linger.ms", "0"); // one record: send now
        let producer: FutureProducer<Context> = config
            .create_with_context(context)
            .map_err(KafkaError::from)?;
        let w = Warm {
            producer,
            health,
            topics: Arc::default(),
            used: Instant::now(),
        };
        warm.insert(key.clone(), w.clone());
        Ok((key, w))
    }

    fn evict(&self, key: &str) {
        self.warm
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }

    /// Drops the producers of these settings (their key was deleted or replaced).
    pub fn forget(&self, settings: &ClientSettings) {
        let id = settings.identity();
        self.warm
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|k, _| !k.starts_with(&id));
    }

    /// Flushes and closes every warm producer (at exit).
    pub fn close_all(&self, timeout: Duration) {
        let all: Vec<Warm> = self
            .warm
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain()
            .map(|(_, w)| w)
            .collect();
        for w in all {
            if let Err(e) = w.producer.flush(timeout) {
                log::warn!("a producer did not flush before closing: {e}");
            }
        }
    }

    /// How many partitions `topic` has, or why it can't be sent to.
    pub async fn partitions(
        &self,
        settings: &ClientSettings,
        opts: SendOptions,
        topic: &str,
    ) -> Result<i32, KafkaError> {
        let (key, w) = self.warm(settings, opts)?;
        let r = lookup(&w, topic).await;
        // A refused producer may have been refused its idempotent producer id too (a fatal
        // error for librdkafka): start afresh once ACLs change.
        if matches!(&r, Err(e) if matches!(e.kind, ErrorKind::AuthFailed | ErrorKind::NotAuthorized))
        {
            self.evict(&key);
        }
        r.map_err(|e| e.doing(Access::produce(topic)))
    }

    /// Sends one record and waits for the broker's answer (at most [`SEND_TIMEOUT`]).
    pub async fn send(
        &self,
        settings: &ClientSettings,
        opts: SendOptions,
        rec: OutRecord,
    ) -> Result<Delivered, KafkaError> {
        if rec.topic.trim().is_empty() {
            return Err(KafkaError::invalid("Pick a topic to send to."));
        }
        if rec.partition.is_some_and(|p| p < 0) {
            return Err(KafkaError::new(
                ErrorKind::PartitionOutOfRange,
                "A partition number is 0 or more; leave it on automatic to let the key decide.",
            ));
        }
        let (key, w) = self.warm(settings, opts)?;
        let partitions = match lookup(&w, &rec.topic).await {
            Ok(n) => n,
            Err(e) => {
                if matches!(e.kind, ErrorKind::AuthFailed | ErrorKind::NotAuthorized) {
                    self.evict(&key);
                }
                return Err(e.doing(Access::produce(&rec.topic)));
            }
        };
        if let Some(p) = rec.partition {
            if p >= partitions {
                return Err(KafkaError::new(
                    ErrorKind::PartitionOutOfRange,
                    format!(
                        "Partition {p} does not exist: “{}” has {partitions} partition{} (0–{}).",
                        rec.topic,
                        if partitions == 1 { "" } else { "s" },
                        partitions - 1
                    ),
                ));
            }
        }
        let key_partition = match (&rec.key, rec.partition) {
            (Some(k), None) => Some(partition_for_key(k, partitions)),
            _ => None,
        };
        let mut headers = OwnedHeaders::new_with_capacity(rec.headers.len());
        for (k, v) in &rec.headers {
            headers = headers.insert(Header {
                key: k,
                value: Some(v),
            });
        }
        let mut record: FutureRecord<'_, [u8], [u8]> =
            FutureRecord::to(&rec.topic).headers(headers);
        if let Some(k) = &rec.key {
            record = record.key(k);
        }
        if let Some(v) = &rec.value {
            record = record.payload(v);
        }
        if let Some(p) = rec.partition {
            record = record.partition(p);
        }
        if let Some(t) = rec.timestamp_ms {
            record = record.timestamp(t);
        }
        let started = Instant::now();
        let delivery = w
            .producer
            .send_result(record)
            .map_err(|(e, _)| KafkaError::from(e))?;
        let outcome = tokio::select! {
            d = delivery => d,
            reason = w.health.auth_refused() => {
                self.evict(&key);
                return Err(auth_error(reason));
            }
        };
        let latency_us = started.elapsed().as_micros() as u64;
        match outcome {
            Ok(Ok(d)) => {
                let (timestamp_ms, timestamp_type) = match d.timestamp {
                    Timestamp::CreateTime(t) => (Some(t), Some("CreateTime")),
                    Timestamp::LogAppendTime(t) => (Some(t), Some("LogAppendTime")),
                    Timestamp::NotAvailable => (None, None),
                };
                Ok(Delivered {
                    partition: d.partition,
                    // With acks=0 librdkafka reports its "invalid offset" (-1001): none came back.
                    offset: d.offset.max(-1),
                    timestamp_ms,
                    timestamp_type,
                    latency_us,
                    partitions,
                    key_partition,
                })
            }
            Ok(Err((e, _))) => {
                let fatal = e.rdkafka_error_code() == Some(rdkafka::types::RDKafkaErrorCode::Fatal);
                let mut e = explain(KafkaError::from(e), &w.health);
                if fatal {
                    // A fatal error (e.g. the idempotent producer id refused) leaves librdkafka's
                    // producer unusable: the next send starts a fresh one. Its cause says why.
                    self.evict(&key);
                    if let Some((code, reason)) = w.producer.client().fatal_error() {
                        e = KafkaError::from_code(code).with_detail(reason);
                    }
                }
                Err(e.doing(Access::produce(&rec.topic)))
            }
            Err(_) => Err(KafkaError::new(
                ErrorKind::Broker,
                "The producer closed before the record was confirmed.",
            )),
        }
    }
}

/// A timeout says little; the client's last error (all brokers down, a refused login) says why.
pub(crate) fn explain(e: KafkaError, health: &Health) -> KafkaError {
    if e.kind != ErrorKind::TimedOut {
        return e;
    }
    match health.recent(SEND_TIMEOUT + Duration::from_secs(5)) {
        Some((kind @ (ErrorKind::Unreachable | ErrorKind::AuthFailed), reason)) => {
            let (_, message) = classify(match kind {
                ErrorKind::Unreachable => rdkafka::types::RDKafkaErrorCode::AllBrokersDown,
                _ => rdkafka::types::RDKafkaErrorCode::Authentication,
            });
            KafkaError::new(kind, message).with_detail(reason)
        }
        _ => e,
    }
}

/// The topic's partition count from metadata (cached for [`TOPIC_TTL`]).
async fn lookup(w: &Warm, topic: &str) -> Result<i32, KafkaError> {
    if let Some((n, at)) = w
        .topics
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(topic)
    {
        if at.elapsed() < TOPIC_TTL {
            return Ok(*n);
        }
    }
    let producer = w.producer.clone();
    let name = topic.to_string();
    let fetch = tokio::task::spawn_blocking(move || {
        producer
            .client()
            .fetch_metadata(Some(&name), METADATA_TIMEOUT)
            .map(|md| {
                md.topics()
                    .iter()
                    .find(|t| t.name() == name)
                    .map(|t| (t.error(), t.partitions().len() as i32))
            })
    });
    let found = tokio::select! {
        r = fetch => r.map_err(|e| KafkaError::new(ErrorKind::Broker, "The metadata lookup failed.").with_detail(e.to_string()))?,
        reason = w.health.auth_refused() => return Err(auth_error(reason)),
    };
    match found {
        Ok(Some((None, n))) if n > 0 => {
            w.topics
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(topic.to_string(), (n, Instant::now()));
            Ok(n)
        }
        Ok(Some((Some(err), _))) => {
            let code: rdkafka::types::RDKafkaErrorCode = err.into();
            Err(KafkaError::from_code(code).with_detail(format!("{code:?}")))
        }
        Ok(_) => {
            let (kind, message) =
                classify(rdkafka::types::RDKafkaErrorCode::UnknownTopicOrPartition);
            Err(KafkaError::new(kind, message))
        }
        Err(e) => {
            let e = KafkaError::from(e);
            if e.kind == ErrorKind::TimedOut {
                // The lookup timing out means nobody answered.
                let (kind, message) = classify(rdkafka::types::RDKafkaErrorCode::AllBrokersDown);
                let reason = w
                    .health
                    .recent(METADATA_TIMEOUT + Duration::from_secs(5))
                    .map(|(_, r)| r);
                return Err(KafkaError::new(kind, message)
                    .with_detail(reason.unwrap_or_else(|| e.cause().to_string())));
            }
            Err(explain(e, &w.health))
        }
    }
}
