//! `gureum-sandbox`: the sandbox cloud headless, for tests and scripts.
//!
//!   gureum-sandbox serve [--data-dir DIR] [--port PORT] [--keyring-service NAME]
//!                        [--metrics-rate-limit N]   (Metrics API requests a minute; default 60, 0 = none)
//!       Runs until SIGINT/SIGTERM. Prints one JSON line when ready:
//!       {"rest_url": …, "cloud_api_key": …, "ca_file": …} (no secret; without an OS keyring
//!       also "cloud_api_secret", which then lives only in this process).
//!   gureum-sandbox credentials [--data-dir DIR] [--keyring-service NAME]
//!       Prints {"key": …, "secret": …}: the org's Organization API key, read from the OS keyring
//!       (an explicit request, like `confluent api-key create` showing a secret once).
//!
//! Started as `gureum-sandbox sandbox-broker …` it is one of the sandbox's brokers instead (the
//! sandbox starts its brokers that way; see the gureum-broker crate).

use std::path::PathBuf;
use std::sync::Arc;

use gureum_sandbox::{locate_broker, Sandbox, SandboxConfig};
use gureum_secrets::SecretVault;

fn usage() -> ! {
    eprintln!("usage: gureum-sandbox serve|credentials [--data-dir DIR] [--port PORT] [--keyring-service NAME] [--metrics-rate-limit N]");
    std::process::exit(2)
}

fn default_data_dir() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("app.gureum.console").join("sandbox")
}

// The sandbox library spawns brokers with its own copy of the mode's name (it does not link the
// broker); both must agree.
const _: () = {
    let (a, b) = (
        gureum_broker::MODE.as_bytes(),
        gureum_sandbox::broker::MODE.as_bytes(),
    );
    assert!(a.len() == b.len(), "broker mode names differ");
    let mut i = 0;
    while i < a.len() {
        assert!(a[i] == b[i], "broker mode names differ");
        i += 1;
    }
};

fn main() -> std::process::ExitCode {
    // Before anything else: a broker process sets up its own runtime and logging.
    if let Some(code) = gureum_broker::run_if_broker_mode() {
        return code;
    }
    sandbox_main();
    std::process::ExitCode::SUCCESS
}

#[tokio::main]
async fn sandbox_main() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_else(|| usage());
    let (mut data_dir, mut port, mut service) = (default_data_dir(), 0u16, "gureum".to_string());
    let mut metrics_rate_limit = gureum_sandbox::METRICS_RATE_LIMIT;
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_else(|| usage());
        match flag.as_str() {
            "--data-dir" => data_dir = value.into(),
            "--port" => port = value.parse().unwrap_or_else(|_| usage()),
            "--keyring-service" => service = value,
            "--metrics-rate-limit" => {
                metrics_rate_limit = value.parse().unwrap_or_else(|_| usage())
            }
            _ => usage(),
        }
    }
    // The OS keyring if one answers; else memory for this run only (never a file).
    let secrets = Arc::new(SecretVault::open(service));
    let in_memory = secrets.session_only().map(str::to_string);
    if command == "credentials" {
        if let Some(why) = &in_memory {
            eprintln!("gureum-sandbox: no OS keyring ({why}): a sandbox without one keeps its Organization API secret in its own memory, and `serve` prints it");
            std::process::exit(1)
        }
        match Sandbox::read_credentials(&data_dir, secrets.as_ref()) {
            Ok((key, secret)) => println!(
                "{}",
                serde_json::json!({ "key": key, "secret": secret.expose() })
            ),
            Err(e) => {
                eprintln!("gureum-sandbox: {e}");
                std::process::exit(1)
            }
        }
        return;
    }
    // This program carries the broker mode: its brokers are itself.
    let Some(broker_bin) = locate_broker(true) else {
        eprintln!(
            "gureum-sandbox: {}",
            gureum_sandbox::SandboxError::BrokerMissing
        );
        std::process::exit(1)
    };
    let config = SandboxConfig {
        data_dir,
        port,
        broker_bin,
        secrets,
        metrics_rate_limit,
    };
    let sandbox = match Sandbox::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gureum-sandbox: {e}");
            std::process::exit(1)
        }
    };
    match command.as_str() {
        "serve" => {
            let (key, _) = sandbox.cloud_credentials().unwrap_or_else(|e| {
                eprintln!("gureum-sandbox: {e}");
                std::process::exit(1)
            });
            let mut ready = serde_json::json!({ "rest_url": sandbox.rest_url(), "cloud_api_key": key, "ca_file": sandbox.ca_path() });
            // Without a keyring the secret lives only in this process: `credentials` can't
            // read it, so it is printed here, once.
            if let Some(why) = &in_memory {
                eprintln!("gureum-sandbox: no OS keyring ({why}): secrets are kept in memory until this process ends; the CA is new at every start");
                if let Ok((_, secret)) = sandbox.cloud_credentials() {
                    ready["cloud_api_secret"] = secret.expose().into();
                }
            }
            println!("{ready}");
            wait_for_signal().await;
            sandbox.stop().await;
        }
        _ => usage(),
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("signal handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
