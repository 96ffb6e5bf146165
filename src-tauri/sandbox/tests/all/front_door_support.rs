//! Shared fixture of the front door tests: a real broker (the sandbox's own, killed on drop) and
//! a front door with its own CA in front of it, for `front_door.rs` and `front_door_raw.rs`.
#![allow(dead_code)]

use crate::broker;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub use broker::{login, TestBroker as Broker};
use gureum_sandbox::front_door::{ConnectionInfo, FrontDoor, FrontDoorConfig, Meter};
use gureum_sandbox::tls::SandboxCa;

/// The API key and secret the test authenticator accepts.
pub const KEY: &str = "TESTKEY0000001";
pub const SECRET: &str = "test-secret/with+odd=chars";
pub const BAD_SECRET_MESSAGE: &str = "Authentication failed: wrong API secret";
pub const UNKNOWN_KEY_MESSAGE: &str = "Authentication failed: unknown API key";

/// A librdkafka client straight to a broker, bypassing the front door, with the login only the
/// sandbox itself holds (SASL_PLAINTEXT, SCRAM-SHA-512): for setting up and comparing.
pub fn direct_config(broker: &Broker) -> rdkafka::ClientConfig {
    let login = login();
    let mut c = rdkafka::ClientConfig::new();
    c.set("bootstrap.servers", broker.addr.to_string())
        .set("security.protocol", "SASL_PLAINTEXT")
        .set("sasl.mechanisms", "SCRAM-SHA-512")
        .set("sasl.username", login.user())
        .set("sasl.password", login.expose_password());
    c
}

/// Counts what the front door reports, to prove clients really went through it.
#[derive(Default)]
pub struct CountingMeter {
    pub opened: AtomicU64,
    pub authenticated: AtomicU64,
    pub closed: AtomicU64,
    pub request_bytes: AtomicU64,
    pub bytes_in: AtomicU64,
    pub bytes_out: AtomicU64,
    pub requests_by_key: Mutex<HashMap<i16, u64>>,
}

impl Meter for CountingMeter {
    fn connection_opened(&self, _: &ConnectionInfo) {
        self.opened.fetch_add(1, Ordering::SeqCst);
    }
    fn authenticated(&self, _: &ConnectionInfo, username: &str) {
        assert_eq!(username, KEY);
        self.authenticated.fetch_add(1, Ordering::SeqCst);
    }
    fn request(&self, _: &ConnectionInfo, api_key: i16, bytes: u64) {
        self.request_bytes.fetch_add(bytes, Ordering::SeqCst);
        *self
            .requests_by_key
            .lock()
            .unwrap()
            .entry(api_key)
            .or_default() += 1;
    }
    fn connection_closed(&self, _: &ConnectionInfo, bytes_in: u64, bytes_out: u64) {
        self.closed.fetch_add(1, Ordering::SeqCst);
        self.bytes_in.fetch_add(bytes_in, Ordering::SeqCst);
        self.bytes_out.fetch_add(bytes_out, Ordering::SeqCst);
    }
}

impl CountingMeter {
    pub fn requests(&self, api_key: i16) -> u64 {
        self.requests_by_key
            .lock()
            .unwrap()
            .get(&api_key)
            .copied()
            .unwrap_or(0)
    }
}

/// A front door with a fresh CA, its PEM in a temp file for `ssl.ca.location`.
pub struct Door {
    pub front: FrontDoor,
    pub ca: SandboxCa,
    pub ca_file: tempfile::NamedTempFile,
    pub meter: Arc<CountingMeter>,
}

impl Door {
    pub async fn start(upstream: SocketAddr) -> Door {
        let ca = SandboxCa::generate("Gureum sandbox test CA").unwrap();
        let ca_file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(ca_file.path(), ca.cert_pem()).unwrap();
        let meter = Arc::new(CountingMeter::default());
        let cfg = FrontDoorConfig {
            bind: "127.0.0.1:0".parse().unwrap(),
            advertised_host: "127.0.0.1".into(),
            tls: ca.server_config(&["127.0.0.1", "localhost"]).unwrap(),
            upstream,
            upstream_login: login(),
            // The test key acts as a user account: allowed everything, as on Confluent Cloud.
            guard: Arc::new(|user: &str, password: &str| match (user, password) {
                (KEY, SECRET) => Ok(gureum_sandbox::acl::Principal::User("u-test".into())),
                (KEY, _) => Err(BAD_SECRET_MESSAGE.to_string()),
                _ => Err(UNKNOWN_KEY_MESSAGE.to_string()),
            }),
            topology: None,
        };
        let front = FrontDoor::start_metered(cfg, meter.clone()).await.unwrap();
        Door {
            front,
            ca,
            ca_file,
            meter,
        }
    }

    pub fn port(&self) -> u16 {
        self.front.local_addr().port()
    }

    pub fn bootstrap(&self) -> String {
        format!("127.0.0.1:{}", self.port())
    }

    pub fn ca_path(&self) -> String {
        self.ca_file.path().display().to_string()
    }
}
