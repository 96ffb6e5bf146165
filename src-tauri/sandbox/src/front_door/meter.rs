//! The metering hook. Today it sees connections and frame sizes; per-topic metering (a later
//! issue) would grow it, e.g. by decoding Produce/Fetch for the connections a meter asks for.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// One client connection as a meter sees it.
#[derive(Debug, Clone)]
pub struct ConnectionInfo {
    /// Unique within one front door.
    pub id: u64,
    pub peer: SocketAddr,
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
}

impl Metered {
    pub(super) fn open(meter: Arc<dyn Meter>, info: ConnectionInfo) -> Metered {
        meter.connection_opened(&info);
        Metered {
            meter,
            info,
            bytes_in: AtomicU64::new(0),
            bytes_out: AtomicU64::new(0),
        }
    }

    pub(super) fn authenticated(&self, username: &str) {
        self.meter.authenticated(&self.info, username);
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
        self.meter.connection_closed(&self.info, i, o);
    }
}
