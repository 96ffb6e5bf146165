//! One broker process of a sandbox cluster: Gureum's own binary in its broker mode
//! (`<bin> sandbox-broker …`, the gureum-broker crate): nisshi on the cluster's SQLite file, on a
//! loopback port it binds itself, accepting only the sandbox run's SCRAM login.
//!
//! A process of its own, so a broker can really die (`kill -9`) and be replaced while the app
//! lives, and a broker crash never takes the app down. The child gets the login on its stdin
//! (never argv, env or disk), reports `{"port": N}` on stdout once it serves, and keeps reading
//! stdin: end of file — we stopped it, or we died, however — makes it exit, on every OS.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};

use crate::broker_client::BrokerLogin;

/// The first argument that makes a Gureum binary run a broker (gureum-broker's `MODE`).
pub const MODE: &str = "sandbox-broker";

/// How long a broker may take from spawn to reporting its port.
const START_TIMEOUT: Duration = Duration::from_secs(15);
/// How long a broker may take to stop after its stdin closes, before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// A running broker process. Dropping it kills the process.
pub struct BrokerProcess {
    child: Child,
    /// The child's stdin, open for the child's whole life: closing it stops the child.
    stdin: Option<ChildStdin>,
    /// Where it serves: 127.0.0.1 and the port the child bound.
    pub addr: SocketAddr,
    log: PathBuf,
}

/// Creates `dir` (and its parents) readable by this OS user only (0700 on Unix), and makes an
/// existing one so: the sandbox's folders hold its CA certificate, state and broker storage.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

fn start_err(what: String, log: &Path) -> std::io::Error {
    std::io::Error::other(format!("{what}; see {}", log.display()))
}

/// A broker log past this size is moved to `broker.log.1` (replacing the older one) before a
/// broker starts writing to it: at most two logs of about this size per cluster.
const LOG_MAX: u64 = 4 * 1024 * 1024;

fn rotate(log: &Path) {
    if std::fs::metadata(log).is_ok_and(|m| m.len() > LOG_MAX) {
        if let Err(e) = std::fs::rename(log, log.with_extension("log.1")) {
            log::warn!("could not rotate {}: {e}", log.display());
        }
    }
}

/// The last `n` lines of a broker's log (at most 4 KiB of them), for saying why it failed.
pub fn last_lines(log: &Path, n: usize) -> String {
    let text = std::fs::read(log).unwrap_or_default();
    let tail = &text[text.len().saturating_sub(4096)..];
    let tail = String::from_utf8_lossy(tail);
    let lines: Vec<&str> = tail.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

impl BrokerProcess {
    /// Starts broker `node_id` of `cluster_id` on `dir/broker.db` (its log: `dir/broker.log`)
    /// and returns once it serves and accepts `login`.
    pub async fn start(
        bin: &Path,
        dir: &Path,
        cluster_id: &str,
        node_id: i32,
        login: &BrokerLogin,
    ) -> std::io::Result<BrokerProcess> {
        Self::start_with(bin, dir, cluster_id, node_id, login, None).await
    }

    /// [`Self::start`] with Kafka's `group.initial.rebalance.delay.ms` (default 3 s; tests make
    /// consumer groups form faster).
    pub async fn start_with(
        bin: &Path,
        dir: &Path,
        cluster_id: &str,
        node_id: i32,
        login: &BrokerLogin,
        group_initial_rebalance_delay: Option<Duration>,
    ) -> std::io::Result<BrokerProcess> {
        private_dir(dir)?;
        let log_path = dir.join("broker.log");
        rotate(&log_path);
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)?;
        let mut command = Command::new(bin);
        command
            .arg(MODE)
            .args([
                "--cluster-id",
                cluster_id,
                "--node-id",
                &node_id.to_string(),
            ])
            .arg("--db")
            .arg(dir.join("broker.db"));
        if let Some(delay) = group_initial_rebalance_delay {
            command.args([
                "--group-initial-rebalance-delay-ms",
                &delay.as_millis().to_string(),
            ]);
        }
        // If the app dies without stopping its sandbox, the broker reads end of file on stdin
        // and exits (every OS); on Linux the kernel also sends SIGTERM at once.
        #[cfg(target_os = "linux")]
        // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                Ok(())
            });
        }
        // The app is a GUI program on Windows: no console window per broker.
        #[cfg(windows)]
        command.creation_flags(0x0800_0000); // CREATE_NO_WINDOW
        let mut child = command
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log.try_clone()?)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!("cannot start the broker {}: {e}", bin.display()),
                )
            })?;
        let mut stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");

        let started = async {
            let mut line = login.stdin_line();
            let sent = async {
                stdin.write_all(line.as_bytes()).await?;
                stdin.flush().await
            }
            .await;
            // SAFETY: zeroes are valid UTF-8.
            unsafe { line.as_bytes_mut() }.fill(0);
            sent.map_err(|e| format!("the broker did not take its login ({e})"))?;
            let mut stdout = BufReader::new(stdout);
            let mut report = String::new();
            match stdout.read_line(&mut report).await {
                Ok(0) | Err(_) => return Err("the broker exited during start-up".to_string()),
                Ok(_) => {}
            }
            let port = serde_json::from_str::<serde_json::Value>(&report)
                .ok()
                .and_then(|v| v.get("port")?.as_u64())
                .and_then(|p| u16::try_from(p).ok())
                .filter(|p| *p != 0)
                .ok_or_else(|| format!("the broker reported {:?}, not its port", report.trim()))?;
            Ok((port, stdout))
        };
        let outcome = tokio::time::timeout(START_TIMEOUT, started).await;
        let (port, stdout) = match outcome {
            Ok(Ok(ok)) => ok,
            Ok(Err(what)) => {
                let status = match tokio::time::timeout(Duration::from_secs(2), child.wait()).await
                {
                    Ok(Ok(status)) => status.to_string(),
                    _ => {
                        let _ = child.kill().await;
                        "killed".into()
                    }
                };
                return Err(start_err(format!("{what} ({status})"), &log_path));
            }
            Err(_) => {
                let _ = child.kill().await;
                return Err(start_err(
                    format!(
                        "the broker did not report its port within {} s",
                        START_TIMEOUT.as_secs()
                    ),
                    &log_path,
                ));
            }
        };
        // Nothing more is expected on stdout; whatever comes goes to the log rather than
        // filling the pipe.
        let mut log_out = tokio::fs::File::from_std(log);
        tokio::spawn(async move {
            let mut stdout = stdout;
            let _ = tokio::io::copy_buf(&mut stdout, &mut log_out).await;
        });
        Ok(BrokerProcess {
            child,
            stdin: Some(stdin),
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            log: log_path,
        })
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// The broker's log file (its stderr).
    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// Kills the process at once, as a machine failure would: SIGKILL on Unix,
    /// TerminateProcess on Windows. [`Self::wait`] then reports how it ended.
    pub fn kill(&mut self) -> std::io::Result<()> {
        self.child.start_kill()
    }

    /// Resolves when the process ends (on its own, or killed from outside).
    pub async fn wait(&mut self) -> String {
        match self.child.wait().await {
            Ok(status) => status.to_string(),
            Err(e) => format!("could not be watched: {e}"),
        }
    }

    /// Stops the broker: closes its stdin so it shuts down cleanly (SQLite closed), and kills it
    /// if it is still running after a grace period.
    pub async fn stop(mut self) {
        drop(self.stdin.take());
        if tokio::time::timeout(STOP_GRACE, self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.kill().await;
        }
    }
}
