//! Topic names and partition counts from the cluster's own metadata: what a Kafka connection
//! (no REST API) lists, and what sends check against.

use std::time::Duration;

use rdkafka::consumer::{BaseConsumer, Consumer};

use crate::error::{Access, ErrorKind, KafkaError};
use crate::settings::ClientSettings;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicInfo {
    pub name: String,
    pub partitions: i32,
}

/// Every topic but Kafka's internal ones (`__consumer_offsets`, …), by name. Blocking.
pub fn list(settings: &ClientSettings) -> Result<Vec<TopicInfo>, KafkaError> {
    list_within(settings, Duration::from_secs(10))
}

/// [`list`] with its own deadline: what a connection check ("can this client get in?") does.
/// A refused login or a TLS mismatch is reported with librdkafka's reason as detail.
pub fn list_within(
    settings: &ClientSettings,
    timeout: Duration,
) -> Result<Vec<TopicInfo>, KafkaError> {
    let (context, health) = crate::producer::Context::new();
    let c: std::sync::Arc<BaseConsumer<crate::producer::Context>> = std::sync::Arc::new(
        settings
            .client_config()
            .set(
                "socket.connection.setup.timeout.ms",
                timeout.as_millis().to_string(),
            )
            .create_with_context(context)
            .map_err(KafkaError::from)?,
    );
    // The metadata call blocks until it has an answer or the timeout; meanwhile this thread
    // polls, which is how a consumer's client errors reach its context: a refused login is then
    // reported at once instead of after the timeout.
    let (tx, rx) = std::sync::mpsc::channel();
    let fetcher = c.clone();
    std::thread::spawn(move || {
        let _ = tx.send(fetcher.fetch_metadata(None, timeout));
    });
    let result = loop {
        if let Ok(r) = rx.try_recv() {
            break r;
        }
        let _ = c.poll(Duration::from_millis(50));
        if let Some((ErrorKind::AuthFailed, reason)) = health.recent(timeout) {
            return Err(crate::producer::auth_error(Some(reason)));
        }
    };
    let md = result.map_err(|e| {
        let e = KafkaError::from(e);
        // The call's own error says little (a timeout, "transport failure"); what the client
        // heard on the way says why. It may come a moment after the call gives up.
        let mut heard = health.recent(timeout + Duration::from_secs(5));
        for _ in 0..10 {
            if heard.is_some() {
                break;
            }
            let _ = c.poll(Duration::from_millis(100));
            heard = health.recent(timeout + Duration::from_secs(5));
        }
        let unreachable = || {
            KafkaError::new(
                ErrorKind::Unreachable,
                format!("No broker answered within {} s. Check the bootstrap servers, the security settings and that the cluster is running.", timeout.as_secs()),
            )
        };
        match heard {
            Some((ErrorKind::AuthFailed, reason)) => crate::producer::auth_error(Some(reason)),
            Some((_, reason)) if matches!(e.kind, ErrorKind::TimedOut | ErrorKind::Unreachable) => unreachable().with_detail(reason),
            None if matches!(e.kind, ErrorKind::TimedOut | ErrorKind::Unreachable) => {
                let why = health.recent_log(timeout + Duration::from_secs(5));
                unreachable().with_detail(why.unwrap_or_else(|| e.cause().to_string()))
            }
            _ => e,
        }
    })?;
    let mut topics: Vec<TopicInfo> = md
        .topics()
        .iter()
        .filter(|t| !t.name().starts_with("__") && t.error().is_none())
        .map(|t| TopicInfo {
            name: t.name().to_string(),
            partitions: t.partitions().len() as i32,
        })
        .collect();
    topics.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(topics)
}

/// What a topic holds, for "was anything lost?": records numbered with a `seq` field in a JSON
/// value (as bulk templates with `{{seq}}` make them), read from the start to the end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SequenceCheck {
    pub records: u64,
    /// Distinct `seq` values seen.
    pub distinct: u64,
    /// Records whose `seq` was already seen.
    pub duplicates: u64,
    pub highest: Option<u64>,
    /// Numbers from 0 to `highest` never seen.
    pub missing: u64,
}

/// Reads every record of `topic` once (to each partition's end when the read began). Blocking.
pub fn check_sequence(settings: &ClientSettings, topic: &str) -> Result<SequenceCheck, KafkaError> {
    read_sequence(settings, topic).map_err(|e| e.doing(Access::read(topic, None)))
}

fn read_sequence(settings: &ClientSettings, topic: &str) -> Result<SequenceCheck, KafkaError> {
    use rdkafka::{Message, Offset, TopicPartitionList};
    let c: BaseConsumer = settings
        .client_config()
        .set("group.id", "gureum-check")
        .set("enable.auto.commit", "false")
        .set("socket.connection.setup.timeout.ms", "10000")
        .create()
        .map_err(KafkaError::from)?;
    let mut ends = std::collections::HashMap::new();
    let mut tpl = TopicPartitionList::new();
    for p in crate::tail::partitions(&c, topic)? {
        let (low, high) = c
            .fetch_watermarks(topic, p, Duration::from_secs(10))
            .map_err(KafkaError::from)?;
        if high > low {
            ends.insert(p, high);
            tpl.add_partition_offset(topic, p, Offset::Beginning)
                .map_err(KafkaError::from)?;
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = SequenceCheck::default();
    if ends.is_empty() {
        return Ok(out);
    }
    c.assign(&tpl).map_err(KafkaError::from)?;
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while !ends.is_empty() {
        if std::time::Instant::now() > deadline {
            return Err(KafkaError::new(
                ErrorKind::TimedOut,
                "Reading the topic back took more than 2 minutes.",
            ));
        }
        let Some(m) = c.poll(Duration::from_millis(200)) else {
            continue;
        };
        let m = match m {
            Ok(m) => m,
            // Assigned by hand: the group's refusal doesn't stop the read.
            Err(e) if crate::tail::group_only(&KafkaError::from(e.clone())) => continue,
            Err(e) => return Err(e.into()),
        };
        if ends
            .get(&m.partition())
            .is_some_and(|end| m.offset() >= *end)
        {
            continue;
        }
        out.records += 1;
        let seq = m
            .payload()
            .and_then(|v| serde_json::from_slice::<serde_json::Value>(v).ok())
            .and_then(|v| v.get("seq")?.as_u64());
        if let Some(n) = seq {
            if seen.insert(n) {
                out.highest = Some(out.highest.map_or(n, |h| h.max(n)));
            } else {
                out.duplicates += 1;
            }
        }
        if ends
            .get(&m.partition())
            .is_some_and(|end| m.offset() + 1 >= *end)
        {
            ends.remove(&m.partition());
        }
    }
    out.distinct = seen.len() as u64;
    out.missing = out.highest.map_or(0, |h| h + 1 - out.distinct);
    Ok(out)
}

/// What a consumer in `group` got when it read `topic` from the start: the records it saw before
/// reaching the end of every partition (or `max`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadTry {
    pub records: u64,
    pub partitions: usize,
}

/// Reads `topic` as an application's consumer does: joins `group`, is assigned partitions,
/// fetches from the earliest offset until it reaches the end of each (or has `max` records).
/// Commits nothing. A refusal names what was refused (the group, or the topic). Blocking.
pub fn try_read(
    settings: &ClientSettings,
    topic: &str,
    group: &str,
    max: u64,
    timeout: Duration,
) -> Result<ReadTry, KafkaError> {
    use rdkafka::consumer::Consumer as _;
    let access = Access::read(topic, Some(group));
    let (context, health) = crate::producer::Context::new();
    let c: BaseConsumer<crate::producer::Context> = settings
        .client_config()
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "earliest")
        .set("enable.partition.eof", "true")
        .set("allow.auto.create.topics", "false")
        .set("socket.connection.setup.timeout.ms", "10000")
        .create_with_context(context)
        .map_err(KafkaError::from)?;
    c.subscribe(&[topic]).map_err(KafkaError::from)?;
    let deadline = std::time::Instant::now() + timeout;
    let mut out = ReadTry {
        records: 0,
        partitions: 0,
    };
    let mut at_end = std::collections::HashSet::new();
    while std::time::Instant::now() < deadline {
        if let Some((ErrorKind::AuthFailed, reason)) = health.recent(timeout) {
            return Err(crate::producer::auth_error(Some(reason)));
        }
        match c.poll(Duration::from_millis(100)) {
            Some(Ok(_)) => {
                out.records += 1;
                if out.records >= max {
                    break;
                }
            }
            Some(Err(rdkafka::error::KafkaError::PartitionEOF(p))) => {
                at_end.insert(p);
                let assigned = c.assignment().map(|a| a.count()).unwrap_or(0);
                if assigned > 0 && at_end.len() >= assigned {
                    break;
                }
            }
            Some(Err(e)) => {
                let e = KafkaError::from(e);
                if matches!(
                    e.kind,
                    ErrorKind::NotAuthorized | ErrorKind::TopicMissing | ErrorKind::AuthFailed
                ) {
                    c.unsubscribe();
                    return Err(e.doing(access));
                }
                log::debug!("try_read: {}", e.cause());
            }
            None => {}
        }
    }
    out.partitions = c.assignment().map(|a| a.count()).unwrap_or(0);
    c.unsubscribe();
    if out.partitions == 0 && out.records == 0 {
        return Err(KafkaError::new(
            ErrorKind::TimedOut,
            format!(
                "The consumer got no partitions of “{topic}” within {} s.",
                timeout.as_secs()
            ),
        ));
    }
    Ok(out)
}
