//! The metering hook: connections, authentications, requests and frame sizes for every meter;
//! per-partition record data (Produce requests in, Fetch responses out) for meters that ask for
//! it, since that costs a parse of those messages.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// One client connection as a meter sees it.
#[derive(Debug, Clone)]
pub struct ConnectionInfo {
    /// Unique within one front door.
    pub id: u64,
    pub peer: SocketAddr,
}

/// A topic as a Kafka message names it: by name, or (Fetch and Produce v13+) by its id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TopicRef {
    Name(String),
    Id(u128),
}

/// The record data of one partition in one Produce request or Fetch response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionRecords {
    pub topic: TopicRef,
    pub partition: i32,
    /// Record-batch bytes as on the wire (compressed, if the client compressed).
    pub bytes: u64,
    /// Data records in the whole batches.
    pub records: u64,
}

/// Told about every connection's traffic. Every method has a no-op default; calls happen on
/// the connection's task, so they must be quick (count, don't do I/O).
/// Byte counts are Kafka bytes (frames including their 4-byte size), not TLS bytes.
pub trait Meter: Send + Sync + 'static {
    /// A TCP connection was accepted (before TLS).
    fn connection_opened(&self, _conn: &ConnectionInfo) {}
    /// The connection authenticated as `username` (the API key).
    fn authenticated(&self, _conn: &ConnectionInfo, _username: &str) {}
    /// A request frame of `bytes` went to the broker (after authentication).
    fn request(&self, _conn: &ConnectionInfo, _api_key: i16, _bytes: u64) {}
    /// Whether Produce requests and Fetch responses should be decoded for [`Meter::produced`]
    /// and [`Meter::fetched`].
    fn wants_records(&self) -> bool {
        false
    }
    /// What an authenticated Produce request carried, per partition.
    fn produced(&self, _conn: &ConnectionInfo, _parts: &[PartitionRecords]) {}
    /// What a Fetch response returned, per partition (empty partitions left out).
    fn fetched(&self, _conn: &ConnectionInfo, _parts: &[PartitionRecords]) {}
    /// Topic ids and names a Metadata answer carried (with `wants_records`), so that
    /// messages naming topics by id can be put to names.
    fn topic_ids(&self, _ids: &[(u128, String)]) {}
    /// An authenticated connection closed (after [`Meter::authenticated`]).
    fn session_closed(&self, _conn: &ConnectionInfo) {}
    /// The connection closed, having received `bytes_in` from and sent `bytes_out` to the
    /// client in total (including the authentication exchange).
    fn connection_closed(&self, _conn: &ConnectionInfo, _bytes_in: u64, _bytes_out: u64) {}
}

/// Counts nothing.
pub struct NoopMeter;
impl Meter for NoopMeter {}

/// A connection's meter and running totals. `connection_closed` is sent on drop, so a
/// connection aborted by shutdown is still closed in the meter's books.
pub(super) struct Metered {
    meter: Arc<dyn Meter>,
    pub(super) info: ConnectionInfo,
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
    authenticated: AtomicBool,
}

impl Metered {
    pub(super) fn open(meter: Arc<dyn Meter>, info: ConnectionInfo) -> Metered {
        meter.connection_opened(&info);
        Metered {
            meter,
            info,
            bytes_in: AtomicU64::new(0),
            bytes_out: AtomicU64::new(0),
            authenticated: AtomicBool::new(false),
        }
    }

    pub(super) fn authenticated(&self, username: &str) {
        self.authenticated.store(true, Ordering::Relaxed);
        self.meter.authenticated(&self.info, username);
    }

    pub(super) fn wants_records(&self) -> bool {
        self.meter.wants_records()
    }

    pub(super) fn produced(&self, parts: &[PartitionRecords]) {
        self.meter.produced(&self.info, parts);
    }

    pub(super) fn fetched(&self, parts: &[PartitionRecords]) {
        self.meter.fetched(&self.info, parts);
    }

    pub(super) fn topic_ids(&self, ids: &[(u128, String)]) {
        if !ids.is_empty() {
            self.meter.topic_ids(ids);
        }
    }

    pub(super) fn request(&self, api_key: i16, bytes: u64) {
        self.bytes_in.fetch_add(bytes, Ordering::Relaxed);
        self.meter.request(&self.info, api_key, bytes);
    }

    /// Client bytes that are not a forwarded request (the SASL exchange).
    pub(super) fn received(&self, bytes: u64) {
        self.bytes_in.fetch_add(bytes, Ordering::Relaxed);
    }

    pub(super) fn sent(&self, bytes: u64) {
        self.bytes_out.fetch_add(bytes, Ordering::Relaxed);
    }
}

impl Drop for Metered {
    fn drop(&mut self) {
        let (i, o) = (
            self.bytes_in.load(Ordering::Relaxed),
            self.bytes_out.load(Ordering::Relaxed),
        );
        if self.authenticated.load(Ordering::Relaxed) {
            self.meter.session_closed(&self.info);
        }
        self.meter.connection_closed(&self.info, i, o);
    }
}
