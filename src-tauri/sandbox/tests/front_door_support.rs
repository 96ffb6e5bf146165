//! Shared fixture of the front door tests: a real nisshi broker (killed on drop) and a front
//! door with its own CA in front of it. Included with `#[path]` by `front_door.rs` and
//! `front_door_raw.rs`; cargo also builds it as an (empty) test target of its own.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gureum_sandbox::front_door::{ConnectionInfo, FrontDoor, FrontDoorConfig, Meter};
use gureum_sandbox::tls::SandboxCa;

/// The API key and secret the test authenticator accepts.
pub const KEY: &str = "TESTKEY0000001";
pub const SECRET: &str = "test-secret/with+odd=chars";
pub const BAD_SECRET_MESSAGE: &str = "Authentication failed: wrong API secret";
pub const UNKNOWN_KEY_MESSAGE: &str = "Authentication failed: unknown API key";

/// The nisshi binary: $GUREUM_BROKER_BIN, else the project's tools dir, else PATH. A missing
/// broker fails the test: these tests are the proof that the front door works.
pub fn broker_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("GUREUM_BROKER_BIN") {
        let p = PathBuf::from(p);
        assert!(
            p.is_file(),
            "GUREUM_BROKER_BIN={} is not a file",
            p.display()
        );
        return p;
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/root".into());
    let tools = home.join(".local/share/gureum-tools/bin/nisshi");
    if tools.is_file() {
        return tools;
    }
    for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
        if dir.join("nisshi").is_file() {
            return dir.join("nisshi");
        }
    }
    panic!(
        "the nisshi broker was not found: set GUREUM_BROKER_BIN, or install it to {} \
         (cargo install nisshi --version 0.8.1 --locked --root ~/.local/share/gureum-tools), \
         or put it on PATH",
        tools.display()
    );
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A nisshi broker on 127.0.0.1 (sqlite storage in a temp dir), killed when dropped.
pub struct Broker {
    child: Child,
    pub addr: SocketAddr,
    dir: tempfile::TempDir,
}

impl Broker {
    pub fn start() -> Broker {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let url = format!("tcp://127.0.0.1:{port}");
        let log = std::fs::File::create(dir.path().join("broker.log")).unwrap();
        let child = Command::new(broker_bin())
            .current_dir(dir.path()) // nisshi reads a .env from its working dir
            .args(["broker", "--cluster-id", "front-door-test"])
            .args(["--listener-url", &url, "--advertised-listener-url", &url])
            // nisshi 0.8.1 reads `sqlite:///abs/path` as relative to its working directory
            // (an absolute path needs four slashes); a relative path beside it is plainer.
            .args(["--storage-engine", "sqlite://broker.db"])
            // Consumer groups form quickly; the default waits 3 s for more members.
            .args(["--group-initial-rebalance-delay", "100ms"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", broker_bin().display()));
        let mut broker = Broker {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            dir,
        };
        broker.wait_ready();
        broker
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if TcpStream::connect_timeout(&self.addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("nisshi exited ({status}) before listening:\n{}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "nisshi did not listen within 15 s:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("broker.log")).unwrap_or_default()
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
            authenticator: Arc::new(|user: &str, password: &str| match (user, password) {
                (KEY, SECRET) => Ok(()),
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
