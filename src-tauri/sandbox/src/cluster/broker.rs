//! One nisshi broker process: PLAINTEXT on a loopback port that only the front door and the
//! sandbox's own admin client use, with SQLite storage so topics and records survive restarts.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

use crate::kafka::KafkaAdmin;

pub struct Broker {
    child: Child,
    pub addr: SocketAddr,
}

/// A free loopback port (the OS picks; the tiny race until the broker binds is acceptable here).
pub fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

impl Broker {
    /// Starts a broker for `cluster_id` storing under `dir`, and waits until it answers.
    pub async fn start(bin: &Path, dir: &Path, cluster_id: &str) -> std::io::Result<Broker> {
        std::fs::create_dir_all(dir)?;
        let port = free_port()?;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let listener = format!("tcp://{addr}");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("broker.log"))?;
        let mut command = Command::new(bin);
        // If the app dies without stopping its sandbox (killed, crashed), its brokers go too.
        #[cfg(target_os = "linux")]
        // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                Ok(())
            });
        }
        let mut child = command
            .args([
                "broker",
                "--cluster-id",
                cluster_id,
                "--listener-url",
                &listener,
                "--advertised-listener-url",
                &listener,
            ])
            // nisshi 0.8.1 reads the path after `sqlite://` relative to its working directory
            // (it drops the third slash of an absolute one), so run it in the cluster's folder.
            .args(["--storage-engine", "sqlite://broker.db"])
            .current_dir(dir)
            // Flags win over nisshi's env fallbacks, but keep the env clean of them anyway.
            .env_remove("LISTENER_URL")
            .env_remove("ADVERTISED_LISTENER_URL")
            .env_remove("STORAGE_ENGINE")
            .env_remove("CLUSTER_ID")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()?;
        let admin = KafkaAdmin::new(addr);
        for _ in 0..200 {
            if admin.ping().await.is_ok() {
                return Ok(Broker { child, addr });
            }
            if let Some(status) = child.try_wait()? {
                return Err(std::io::Error::other(format!(
                    "the broker exited during start-up ({status}); see {}",
                    dir.join("broker.log").display()
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill().await;
        Err(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            "the broker did not answer within 10 s",
        ))
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// Resolves when the process ends (on its own, or killed from outside).
    pub async fn wait(&mut self) -> String {
        match self.child.wait().await {
            Ok(status) => status.to_string(),
            Err(e) => format!("could not be watched: {e}"),
        }
    }

    /// Stops the broker: SIGTERM first so SQLite closes cleanly, SIGKILL after a grace period.
    pub async fn stop(mut self) {
        #[cfg(unix)]
        if let Some(pid) = self.child.id() {
            // SAFETY: kill(2) on our own child's pid; no memory is involved.
            unsafe { libc::kill(pid as i32, libc::SIGTERM) };
            if tokio::time::timeout(Duration::from_secs(5), self.child.wait())
                .await
                .is_ok()
            {
                return;
            }
        }
        let _ = self.child.kill().await;
    }
}
