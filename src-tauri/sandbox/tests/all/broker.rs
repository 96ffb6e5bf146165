//! One sandbox broker for a test: the `gureum-sandbox` binary in its broker mode, started by the
//! same code the sandbox uses ([`BrokerProcess`]). Every broker of a test binary accepts the
//! same login ([`login`]), as all brokers of one sandbox run do.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::thread::JoinHandle;
use std::time::Duration;

use gureum_sandbox::broker::BrokerProcess;
use gureum_sandbox::broker_client::BrokerLogin;

/// The program with the broker mode: this package's own binary, built by cargo for the tests.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_gureum-sandbox"))
}

/// The login every broker of this test binary accepts.
pub fn login() -> BrokerLogin {
    static LOGIN: OnceLock<BrokerLogin> = OnceLock::new();
    LOGIN.get_or_init(BrokerLogin::generate).clone()
}

/// A running broker. It lives on a thread with a runtime of its own, so it outlives the
/// runtime of the test that started it (a static broker serves many tests); dropping it kills
/// the process. A broker left running when the test binary exits sees its stdin close and
/// exits too.
pub struct TestBroker {
    pub addr: SocketAddr,
    pub pid: u32,
    log: PathBuf,
    dir: PathBuf,
    _tmp: Option<tempfile::TempDir>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl TestBroker {
    /// A broker on storage of its own (a temp folder under cargo's target/tmp).
    pub fn start() -> TestBroker {
        let tmp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let mut broker = Self::start_in(tmp.path());
        broker._tmp = Some(tmp);
        broker
    }

    /// A broker on `dir/broker.db`, logging to `dir/broker.log` (several brokers may share a
    /// folder, as a cluster's do).
    pub fn start_in(dir: &Path) -> TestBroker {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let owned_dir = dir.to_path_buf();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let started = BrokerProcess::start_with(
                    &bin(),
                    &owned_dir,
                    "test",
                    1,
                    &login(),
                    // Consumer groups form quickly; the default waits 3 s for more members.
                    Some(Duration::from_millis(100)),
                )
                .await;
                let mut broker = match started {
                    Ok(b) => b,
                    Err(e) => return ready_tx.send(Err(e.to_string())).unwrap(),
                };
                ready_tx
                    .send(Ok((broker.addr, broker.pid().unwrap_or(0))))
                    .unwrap();
                tokio::select! {
                    _ = stopped => {
                        let _ = broker.kill();
                        broker.wait().await;
                    }
                    status = broker.wait() => eprintln!("test broker {} ended: {status}", broker.addr),
                }
            })
        });
        let (addr, pid) = match ready_rx.recv().expect("the broker thread answers") {
            Ok(started) => started,
            Err(e) => panic!(
                "the broker did not start: {e}\n{}",
                std::fs::read_to_string(dir.join("broker.log")).unwrap_or_default()
            ),
        };
        TestBroker {
            addr,
            pid,
            log: dir.join("broker.log"),
            dir: dir.to_path_buf(),
            _tmp: None,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// The broker's folder (storage and log).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for TestBroker {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
