//! The live tail: the last records of a topic (all partitions or one), then every new one, in
//! batches a UI can draw. Values are previews — at most [`PREVIEW`] bytes — so a 5 MB record
//! costs the screen what a small one does; [`fetch_record`] gets a whole one on request.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{BorrowedMessage, Headers, Message};
use rdkafka::{Offset, TopicPartitionList};

use crate::error::{Access, ErrorKind, KafkaError};
use crate::settings::ClientSettings;

/// Bytes of a key, value or header shown before "show all".
pub const PREVIEW: usize = 2048;
/// The largest value "show all" returns.
pub const FULL_MAX: usize = 20 * 1024 * 1024 + 1024;
const METADATA_TIMEOUT: Duration = Duration::from_secs(10);

/// Bytes as the UI shows them: text if they are UTF-8, else a note of their size.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    /// The first [`PREVIEW`] bytes as text (lossy at a cut multi-byte character), or None for
    /// binary data.
    pub text: Option<String>,
    pub size: usize,
    pub truncated: bool,
}

impl Shown {
    pub fn of(bytes: &[u8], limit: usize) -> Shown {
        let cut = &bytes[..bytes.len().min(limit)];
        let text = match std::str::from_utf8(cut) {
            Ok(t) => Some(t.to_string()),
            // Cut in the middle of a character: the valid part is still text.
            Err(e) if e.error_len().is_none() => {
                Some(String::from_utf8_lossy(&cut[..e.valid_up_to()]).into_owned())
            }
            Err(_) => None,
        };
        Shown {
            text,
            size: bytes.len(),
            truncated: bytes.len() > limit,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TailRecord {
    pub partition: i32,
    pub offset: i64,
    pub timestamp_ms: Option<i64>,
    pub key: Option<Shown>,
    pub value: Option<Shown>,
    pub headers: Vec<(String, Shown)>,
}

fn record(m: &BorrowedMessage<'_>, limit: usize) -> TailRecord {
    TailRecord {
        partition: m.partition(),
        offset: m.offset(),
        timestamp_ms: m.timestamp().to_millis(),
        key: m.key().map(|k| Shown::of(k, limit)),
        value: m.payload().map(|v| Shown::of(v, limit)),
        headers: m
            .headers()
            .map(|h| {
                h.iter()
                    .map(|h| {
                        (
                            h.key.to_string(),
                            Shown::of(h.value.unwrap_or_default(), limit),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn consumer(settings: &ClientSettings) -> Result<BaseConsumer, KafkaError> {
    let mut c = settings.client_config();
    // No group: partitions are assigned by hand and nothing is committed. (librdkafka's assign
    // needs a group.id all the same, and looks for its coordinator: a key whose owner may not
    // DESCRIBE this group is told so, which doesn't stop it reading — see `group_only`.)
    c.set("group.id", "gureum-tail")
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        .set("allow.auto.create.topics", "false")
        .set("fetch.wait.max.ms", "100")
        .set("socket.connection.setup.timeout.ms", "10000");
    c.create().map_err(KafkaError::from)
}

/// A refusal of the consumer group only: a consumer that assigns its partitions by hand and
/// commits nothing reads without it (librdkafka asks the group's coordinator anyway).
pub(crate) fn group_only(e: &KafkaError) -> bool {
    e.kind == ErrorKind::NotAuthorized
        && e.denied
            .as_ref()
            .is_some_and(|d| d.resource_type == "GROUP")
}

/// The partition ids of `topic` from metadata, or why not (missing, not the owner's to see, no
/// broker answering).
pub(crate) fn partitions(c: &BaseConsumer, topic: &str) -> Result<Vec<i32>, KafkaError> {
    let md = c
        .fetch_metadata(Some(topic), METADATA_TIMEOUT)
        .map_err(|e| {
            let e = KafkaError::from(e);
            if e.kind == ErrorKind::TimedOut {
                KafkaError::new(ErrorKind::Unreachable, "No broker of this cluster answered within 10 s. Check that the cluster is running and reachable, and that its API key is valid.").with_detail(e.cause().to_string())
            } else {
                e
            }
        })?;
    let t = md.topics().iter().find(|t| t.name() == topic);
    if let Some(err) = t.and_then(|t| t.error()) {
        let code: rdkafka::types::RDKafkaErrorCode = err.into();
        let e = KafkaError::from_code(code);
        if e.kind == ErrorKind::NotAuthorized {
            return Err(e.with_detail(format!("{code:?}")));
        }
    }
    let t = t
        .filter(|t| t.error().is_none() && !t.partitions().is_empty())
        .ok_or_else(|| {
            KafkaError::new(
                ErrorKind::TopicMissing,
                format!("The topic “{topic}” does not exist on this cluster."),
            )
        })?;
    Ok(t.partitions().iter().map(|p| p.id()).collect())
}

/// A running tail. Dropping it stops it.
pub struct Tail {
    stop: Arc<AtomicBool>,
    paused: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// What a tail tells its owner.
pub enum TailEvent {
    Records(Vec<TailRecord>),
    /// The tail stopped on an error.
    Failed(KafkaError),
}

impl Tail {
    /// Starts at the last `last` records of each partition (or of `partition` only) and follows.
    /// `sink` gets batches at most every 100 ms, oldest first within a batch.
    pub fn start(
        settings: &ClientSettings,
        topic: &str,
        partition: Option<i32>,
        last: i64,
        mut sink: impl FnMut(TailEvent) + Send + 'static,
    ) -> Result<Tail, KafkaError> {
        let c = consumer(settings)?;
        let reading = Access::read(topic, None);
        let ids = partitions(&c, topic).map_err(|e| e.doing(reading))?;
        let ids: Vec<i32> = match partition {
            Some(p) if ids.contains(&p) => vec![p],
            Some(p) => {
                return Err(KafkaError::new(
                    ErrorKind::PartitionOutOfRange,
                    format!(
                        "Partition {p} does not exist: “{topic}” has {} partitions (0–{}).",
                        ids.len(),
                        ids.len() - 1
                    ),
                ))
            }
            None => ids,
        };
        let mut tpl = TopicPartitionList::new();
        for p in &ids {
            tpl.add_partition_offset(topic, *p, Offset::OffsetTail(last.max(0)))
                .map_err(KafkaError::from)?;
        }
        c.assign(&tpl).map_err(KafkaError::from)?;
        let stop = Arc::new(AtomicBool::new(false));
        let paused = Arc::new(AtomicBool::new(false));
        let (s, p) = (stop.clone(), paused.clone());
        let thread = std::thread::Builder::new()
            .name("gureum-tail".into())
            .spawn({
                let topic = topic.to_string();
                move || follow(c, tpl, &topic, s, p, &mut sink)
            })
            .map_err(|e| {
                KafkaError::new(ErrorKind::Broker, "Could not start the tail.")
                    .with_detail(e.to_string())
            })?;
        Ok(Tail {
            stop,
            paused,
            thread: Some(thread),
        })
    }

    /// Stops fetching (the broker keeps the records); `resume` goes on from where it paused.
    pub fn set_paused(&self, paused: bool) {
        self.paused.store(paused, Ordering::Relaxed);
    }

    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Tail {
    fn drop(&mut self) {
        self.halt();
    }
}

fn follow(
    c: BaseConsumer,
    tpl: TopicPartitionList,
    topic: &str,
    stop: Arc<AtomicBool>,
    paused: Arc<AtomicBool>,
    sink: &mut impl FnMut(TailEvent),
) {
    let mut batch = Vec::new();
    let mut since = Instant::now();
    let mut is_paused = false;
    while !stop.load(Ordering::Relaxed) {
        let want_pause = paused.load(Ordering::Relaxed);
        if want_pause != is_paused {
            let r = if want_pause {
                c.pause(&tpl)
            } else {
                c.resume(&tpl)
            };
            if let Err(e) = r {
                log::warn!("tail: could not (un)pause: {e}");
            }
            is_paused = want_pause;
        }
        match c.poll(Duration::from_millis(50)) {
            Some(Ok(m)) => batch.push(record(&m, PREVIEW)),
            Some(Err(e)) => {
                let e = KafkaError::from(e);
                // Transient fetch errors (a broker being replaced) are retried by librdkafka;
                // only errors that won't pass end the tail.
                if group_only(&e) {
                    log::debug!("tail: {}", e.cause());
                } else if matches!(
                    e.kind,
                    ErrorKind::AuthFailed | ErrorKind::TopicMissing | ErrorKind::NotAuthorized
                ) {
                    sink(TailEvent::Failed(e.doing(Access::read(topic, None))));
                    return;
                }
                log::debug!("tail: {}", e.cause());
            }
            None => {}
        }
        if !batch.is_empty()
            && (since.elapsed() >= Duration::from_millis(100) || batch.len() >= 500)
        {
            sink(TailEvent::Records(std::mem::take(&mut batch)));
            since = Instant::now();
        } else if batch.is_empty() {
            since = Instant::now();
        }
    }
}

/// One whole record (key, value and headers up to [`FULL_MAX`] bytes each), for "show all".
pub fn fetch_record(
    settings: &ClientSettings,
    topic: &str,
    partition: i32,
    offset: i64,
) -> Result<TailRecord, KafkaError> {
    let c = consumer(settings)?;
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset(topic, partition, Offset::Offset(offset))
        .map_err(KafkaError::from)?;
    c.assign(&tpl).map_err(KafkaError::from)?;
    let deadline = Instant::now() + METADATA_TIMEOUT;
    while Instant::now() < deadline {
        match c.poll(Duration::from_millis(200)) {
            Some(Ok(m)) if m.offset() == offset => return Ok(record(&m, FULL_MAX)),
            Some(Ok(m)) if m.offset() > offset => break,
            Some(Err(e)) => {
                let e = KafkaError::from(e);
                if !group_only(&e)
                    && matches!(
                        e.kind,
                        ErrorKind::AuthFailed
                            | ErrorKind::TopicMissing
                            | ErrorKind::PartitionOutOfRange
                            | ErrorKind::NotAuthorized
                    )
                {
                    return Err(e.doing(Access::read(topic, None)));
                }
            }
            _ => {}
        }
    }
    Err(KafkaError::new(
        ErrorKind::Broker,
        format!("Record {partition}/{offset} of “{topic}” is no longer there (retention may have removed it)."),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_are_cut_text_or_binary() {
        let s = Shown::of(b"hello", 3);
        assert_eq!(
            (s.text.as_deref(), s.size, s.truncated),
            (Some("hel"), 5, true)
        );
        // Cut inside "é" (2 bytes): the whole characters before it remain.
        let s = Shown::of("aé".as_bytes(), 2);
        assert_eq!(s.text.as_deref(), Some("a"));
        let s = Shown::of(&[0xff, 0xfe, 0x00], 10);
        assert_eq!((s.text, s.size, s.truncated), (None, 3, false));
        let big = vec![b'x'; 5 * 1024 * 1024];
        let s = Shown::of(&big, PREVIEW);
        assert_eq!(s.text.unwrap().len(), PREVIEW);
        assert_eq!(s.size, big.len());
    }
}
