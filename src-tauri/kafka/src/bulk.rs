//! Many records at once: from a template (`template`) or from a file's lines. One producer for
//! the run, batching as librdkafka does; delivery reports are counted as they come, so the
//! progress and the summary say exactly how many records the cluster acknowledged.
//!
//! Cancelling stops handing records over and waits for those already handed to the producer (at
//! most [`QUEUE`]), so the acknowledged count is final and exact. Dropping them instead
//! (librdkafka's purge of its queue) was measured to report as unsent some records the broker had
//! in fact stored (idempotent producer, librdkafka 2.12): thousands too few acknowledged.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::client::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::error::KafkaError as RdError;
use rdkafka::message::{DeliveryResult, Header, OwnedHeaders};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer, ProducerContext, PurgeConfig};
use rdkafka::types::RDKafkaErrorCode;

use crate::error::{classify, Access, Denied, ErrorKind, KafkaError};
use crate::producer::{producer_config, SendOptions, SEND_TIMEOUT};
use crate::settings::ClientSettings;
use crate::template::Template;
use gureum_forms::{Problem, ProblemCode as C};

/// One record of a file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineRecord {
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(String, Vec<u8>)>,
    pub partition: Option<i32>,
}

/// Where the records come from.
#[derive(Debug)]
pub enum Source {
    Template {
        key: Option<Template>,
        value: Template,
        headers: Vec<(String, Template)>,
        count: u64,
    },
    Records(Vec<LineRecord>),
}

impl Source {
    fn len(&self) -> u64 {
        match self {
            Source::Template { count, .. } => *count,
            Source::Records(r) => r.len() as u64,
        }
    }
}

/// The largest run Gureum starts in one go.
pub const MAX_COUNT: u64 = 10_000_000;
/// Records the producer may hold unsent (librdkafka's `queue.buffering.max.messages`): enough to
/// keep every partition's batches full, few enough that a cancelled run drains in about a second.
pub const QUEUE: u64 = 50_000;

/// Parses a file's text: one record per line (the line is the value), or JSON lines, where a
/// line that is an object with `key`, `value`, `headers` or `partition` gives those (a string
/// value is sent as its text, anything else as JSON) and any other JSON line is the value.
/// Empty lines are skipped. Errors name the line.
pub fn parse_lines(text: &str, json_lines: bool) -> Result<Vec<LineRecord>, Problem> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if !json_lines {
            out.push(LineRecord {
                value: Some(line.as_bytes().to_vec()),
                ..Default::default()
            });
            continue;
        }
        let n = i + 1;
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| {
            Problem::new(C::LineNotJson, format!("Line {n} is not valid JSON: {e}."))
                .with("line", n)
                .with("reason", e)
        })?;
        let fields = ["key", "value", "headers", "partition"];
        let structured = v
            .as_object()
            .is_some_and(|o| !o.is_empty() && o.keys().all(|k| fields.contains(&k.as_str())));
        if !structured {
            out.push(LineRecord {
                value: Some(line.as_bytes().to_vec()),
                ..Default::default()
            });
            continue;
        }
        let bytes = |v: &serde_json::Value| match v {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s.as_bytes().to_vec()),
            other => Some(other.to_string().into_bytes()),
        };
        let mut r = LineRecord {
            key: v.get("key").and_then(bytes),
            value: v.get("value").and_then(bytes),
            ..Default::default()
        };
        if let Some(h) = v.get("headers") {
            let h = h.as_object().ok_or_else(|| {
                Problem::new(
                    C::LineHeaders,
                    format!("Line {n}: headers must be an object of name → text."),
                )
                .with("line", n)
            })?;
            for (k, val) in h {
                r.headers.push((k.clone(), bytes(val).unwrap_or_default()));
            }
        }
        if let Some(p) = v.get("partition") {
            r.partition = Some(
                p.as_i64()
                    .and_then(|p| i32::try_from(p).ok())
                    .filter(|p| *p >= 0)
                    .ok_or_else(|| {
                        Problem::new(
                            C::LinePartition,
                            format!("Line {n}: partition must be a whole number, 0 or more."),
                        )
                        .with("line", n)
                    })?,
            );
        }
        out.push(r);
    }
    if out.is_empty() {
        return Err(Problem::new(
            C::FileEmpty,
            "The file has no records (every line is empty).",
        ));
    }
    Ok(out)
}

#[derive(Debug)]
pub struct Job {
    pub topic: String,
    /// None: the partitioner decides (a file line may still name one).
    pub partition: Option<i32>,
    pub source: Source,
    pub options: SendOptions,
}

/// Where a run is, sent every 100 ms or so.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    pub total: u64,
    /// Handed to the producer.
    pub queued: u64,
    pub acked: u64,
    pub failed: u64,
    /// Key and value bytes of the acknowledged records.
    pub bytes_acked: u64,
    pub elapsed_ms: u64,
}

impl Progress {
    pub fn records_per_sec(&self) -> f64 {
        rate(self.acked as f64, self.elapsed_ms)
    }
    pub fn mb_per_sec(&self) -> f64 {
        rate(self.bytes_acked as f64 / 1e6, self.elapsed_ms)
    }
}

fn rate(n: f64, ms: u64) -> f64 {
    if ms == 0 {
        0.0
    } else {
        n * 1000.0 / ms as f64
    }
}

/// Failures of one cause.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorGroup {
    pub kind: ErrorKind,
    pub message: String,
    /// librdkafka's name of the error, e.g. "MessageTimedOut".
    pub cause: String,
    pub count: u64,
    /// For an authorization refusal: what the key's owner may not do.
    pub denied: Option<Denied>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub progress: Progress,
    pub cancelled: bool,
    /// Records never sent because the run was cancelled.
    pub not_sent: u64,
    pub errors: Vec<ErrorGroup>,
}

#[derive(Default)]
struct Counts {
    acked: AtomicU64,
    failed: AtomicU64,
    purged: AtomicU64,
    bytes: AtomicU64,
    errors: Mutex<BTreeMap<String, (RDKafkaErrorCode, u64)>>,
    /// A refused login: nothing will get through, stop early.
    auth: AtomicBool,
    /// The key's owner may not write here (an authorization refusal): stop early too.
    denied: Mutex<Option<RDKafkaErrorCode>>,
    auth_reason: Mutex<Option<String>>,
}

struct Counter(Arc<Counts>);

impl ClientContext for Counter {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        if matches!(
            level,
            RDKafkaLogLevel::Emerg
                | RDKafkaLogLevel::Alert
                | RDKafkaLogLevel::Critical
                | RDKafkaLogLevel::Error
        ) {
            log::warn!("librdkafka {fac}: {message}");
        }
    }
    fn error(&self, error: RdError, reason: &str) {
        if let Some(code) = error.rdkafka_error_code() {
            if classify(code).0 == ErrorKind::AuthFailed {
                *self.0.auth_reason.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some(reason.to_string());
                self.0.auth.store(true, Ordering::Relaxed);
            }
        }
        log::debug!("bulk producer: {reason}");
    }
}

impl ProducerContext for Counter {
    type DeliveryOpaque = ();
    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        use rdkafka::Message;
        match result {
            Ok(m) => {
                self.0.acked.fetch_add(1, Ordering::Relaxed);
                let n = m.payload_len() + m.key().map_or(0, <[u8]>::len);
                self.0.bytes.fetch_add(n as u64, Ordering::Relaxed);
            }
            Err((e, _)) => {
                let code = e.rdkafka_error_code().unwrap_or(RDKafkaErrorCode::Unknown);
                if code == RDKafkaErrorCode::PurgeQueue || code == RDKafkaErrorCode::PurgeInflight {
                    self.0.purged.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                self.0.failed.fetch_add(1, Ordering::Relaxed);
                if classify(code).0 == ErrorKind::NotAuthorized {
                    self.0
                        .denied
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .get_or_insert(code);
                }
                self.0
                    .errors
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .entry(format!("{code:?}"))
                    .or_insert((code, 0))
                    .1 += 1;
            }
        }
    }
}

/// Runs a job to the end (or until `cancel`), calling `progress` about every 100 ms. Blocking:
/// run it on a thread of its own.
pub fn run(
    settings: &ClientSettings,
    job: Job,
    cancel: &AtomicBool,
    mut progress: impl FnMut(&Progress),
) -> Result<Summary, KafkaError> {
    let total = job.source.len();
    if total == 0 {
        return Err(KafkaError::invalid("Send at least one record."));
    }
    if total > MAX_COUNT {
        return Err(KafkaError::invalid(format!(
            "At most {MAX_COUNT} records in one run."
        )));
    }
    if job.topic.trim().is_empty() {
        return Err(KafkaError::invalid("Pick a topic to send to."));
    }
    let counts = Arc::new(Counts::default());
    let producer: BaseProducer<Counter> = producer_config(settings, job.options)
        .set("queue.buffering.max.messages", QUEUE.to_string())
        .create_with_context(Counter(counts.clone()))
        .map_err(KafkaError::from)?;
    let started = Instant::now();
    let snapshot = |queued: u64| Progress {
        total,
        queued,
        acked: counts.acked.load(Ordering::Relaxed),
        failed: counts.failed.load(Ordering::Relaxed),
        bytes_acked: counts.bytes.load(Ordering::Relaxed),
        elapsed_ms: started.elapsed().as_millis() as u64,
    };
    let mut rng = rand::rng();
    let (mut key_buf, mut value_buf) = (String::new(), String::new());
    let mut header_bufs: Vec<String> = Vec::new();
    let mut last_report = Instant::now();
    let mut queued = 0u64;
    let mut cancelled = false;
    'records: while queued < total {
        let refused = counts
            .denied
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some();
        if cancel.load(Ordering::Relaxed) || counts.auth.load(Ordering::Relaxed) || refused {
            cancelled = cancel.load(Ordering::Relaxed);
            break;
        }
        // The record, borrowed from the buffers (librdkafka copies it on enqueue).
        let (key, value, headers, partition): (
            Option<&[u8]>,
            Option<&[u8]>,
            OwnedHeaders,
            Option<i32>,
        ) = match &job.source {
            Source::Template {
                key,
                value,
                headers,
                ..
            } => {
                if let Some(k) = key {
                    k.render_into(queued, &mut rng, &mut key_buf);
                }
                value.render_into(queued, &mut rng, &mut value_buf);
                header_bufs.resize(headers.len(), String::new());
                let mut h = OwnedHeaders::new_with_capacity(headers.len());
                for ((name, t), buf) in headers.iter().zip(header_bufs.iter_mut()) {
                    t.render_into(queued, &mut rng, buf);
                    h = h.insert(Header {
                        key: name,
                        value: Some(buf.as_bytes()),
                    });
                }
                (
                    key.as_ref().map(|_| key_buf.as_bytes()),
                    Some(value_buf.as_bytes()),
                    h,
                    job.partition,
                )
            }
            Source::Records(list) => {
                let r = &list[queued as usize];
                let mut h = OwnedHeaders::new_with_capacity(r.headers.len());
                for (name, v) in &r.headers {
                    h = h.insert(Header {
                        key: name,
                        value: Some(v),
                    });
                }
                (
                    r.key.as_deref(),
                    r.value.as_deref(),
                    h,
                    r.partition.or(job.partition),
                )
            }
        };
        let mut record: BaseRecord<'_, [u8], [u8]> = BaseRecord::to(&job.topic).headers(headers);
        if let Some(k) = key {
            record = record.key(k);
        }
        if let Some(v) = value {
            record = record.payload(v);
        }
        if let Some(p) = partition {
            record = record.partition(p);
        }
        loop {
            match producer.send(record) {
                Ok(()) => break,
                Err((e, back)) if e.rdkafka_error_code() == Some(RDKafkaErrorCode::QueueFull) => {
                    // The producer's queue is full: serve delivery reports until there is room.
                    producer.poll(Duration::from_millis(5));
                    if cancel.load(Ordering::Relaxed) {
                        cancelled = true;
                        break 'records;
                    }
                    record = back;
                }
                // Refused before sending (unknown partition, too large): the run can't go on.
                Err((e, _)) => {
                    let err = KafkaError::from(e).doing(Access::produce(&job.topic));
                    producer.purge(PurgeConfig::default().queue());
                    let _ = producer.flush(SEND_TIMEOUT);
                    return Err(err);
                }
            }
        }
        queued += 1;
        producer.poll(Duration::ZERO);
        if last_report.elapsed() >= Duration::from_millis(100) {
            progress(&snapshot(queued));
            last_report = Instant::now();
        }
    }
    let denied = *counts.denied.lock().unwrap_or_else(|p| p.into_inner());
    if counts.auth.load(Ordering::Relaxed) || denied.is_some() {
        // The login or the write was refused: nothing queued can get through; don't wait for
        // it to time out.
        producer.purge(PurgeConfig::default().queue());
    }
    // Wait for every delivery report, reporting as they come.
    let deadline = Instant::now() + SEND_TIMEOUT + Duration::from_secs(5);
    let mut purged = denied.is_some();
    while producer.in_flight_count() > 0 && Instant::now() < deadline {
        producer.poll(Duration::from_millis(50));
        if !purged
            && counts
                .denied
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .is_some()
        {
            // Refused: what is still queued would be refused too.
            producer.purge(PurgeConfig::default().queue());
            purged = true;
        }
        if last_report.elapsed() >= Duration::from_millis(100) {
            progress(&snapshot(queued));
            last_report = Instant::now();
        }
    }
    let _ = producer.flush(Duration::from_secs(1));
    let done = snapshot(queued);
    progress(&done);
    if counts.auth.load(Ordering::Relaxed) && done.acked == 0 {
        let reason = counts
            .auth_reason
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        return Err(crate::producer::auth_error(reason));
    }
    let denied = *counts.denied.lock().unwrap_or_else(|p| p.into_inner());
    if let (Some(code), 0) = (denied, done.acked) {
        return Err(KafkaError::from_code(code).doing(Access::produce(&job.topic)));
    }
    let errors = counts
        .errors
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .map(|(name, (code, n))| {
            let (kind, message) = classify(*code);
            let named = KafkaError::from_code(*code).doing(Access::produce(&job.topic));
            ErrorGroup {
                kind,
                denied: named.denied.map(|d| *d),
                message: if kind == ErrorKind::NotAuthorized {
                    named.message
                } else {
                    message.to_string()
                },
                cause: name.clone(),
                count: *n,
            }
        })
        .collect();
    let not_sent = total - done.acked - done.failed;
    log::info!(
        "bulk run: {} acked, {} failed, {} purged, {} not sent, cancelled {cancelled}",
        done.acked,
        done.failed,
        counts.purged.load(Ordering::Relaxed),
        not_sent
    );
    Ok(Summary {
        progress: done,
        cancelled,
        not_sent,
        errors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lines_are_values_and_empty_lines_are_skipped() {
        let r = parse_lines("a\n\nb\r\n  \nc", false).unwrap();
        let values: Vec<_> = r.iter().map(|r| r.value.clone().unwrap()).collect();
        assert_eq!(values, vec![b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);
        assert!(parse_lines("\n\n", false).is_err());
    }

    #[test]
    fn json_lines_give_key_value_headers_and_partition() {
        let text = r#"{"key": "k1", "value": {"n": 1}, "headers": {"src": "file"}, "partition": 2}
{"user": "ann"}
{"value": "plain text"}
[1, 2]"#;
        let r = parse_lines(text, true).unwrap();
        assert_eq!(r[0].key.as_deref(), Some(&b"k1"[..]));
        assert_eq!(r[0].value.as_deref(), Some(&br#"{"n":1}"#[..]));
        assert_eq!(r[0].headers, vec![("src".to_string(), b"file".to_vec())]);
        assert_eq!(r[0].partition, Some(2));
        assert_eq!(
            r[1].value.as_deref(),
            Some(&br#"{"user": "ann"}"#[..]),
            "any other object is the value"
        );
        assert_eq!(r[2].value.as_deref(), Some(&b"plain text"[..]));
        assert_eq!(r[3].value.as_deref(), Some(&b"[1, 2]"[..]));
    }

    #[test]
    fn bad_json_lines_name_the_line() {
        let e = parse_lines("{\"value\": 1}\n{oops", true).unwrap_err();
        assert!(
            e.message.starts_with("Line 2 is not valid JSON"),
            "{}",
            e.message
        );
        let e = parse_lines(r#"{"value": 1, "partition": -1}"#, true).unwrap_err();
        assert!(e.message.contains("Line 1: partition"), "{}", e.message);
        assert_eq!((e.code, e.params["line"].as_str()), (C::LinePartition, "1"));
    }
}
