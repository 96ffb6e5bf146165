//! One sandbox broker, run in the current process: nisshi's broker library on SQLite storage,
//! with SCRAM login required, listening on a loopback port it picks itself.
//!
//! Gureum's binaries (`gureum`, `gureum-sandbox`) run this when their first argument is
//! [`MODE`], so a sandbox cluster's broker is a child process of the app built from the app's own
//! code: it can be killed (`kill -9`) and replaced like a machine while the app lives, and no
//! separate `nisshi` install or sidecar is needed.
//!
//! The protocol with the parent (`gureum_sandbox::broker::BrokerProcess`):
//! - argv: `sandbox-broker --cluster-id ID --node-id N --db PATH [--group-initial-rebalance-delay-ms MS]`
//!   (nothing secret);
//! - stdin, first line: `{"user": …, "password": …}`, the sandbox run's internal login. The child
//!   stores its salted SCRAM-SHA-512 form (never the password) in the SQLite file before it
//!   accepts a connection. The password is in no argv, environment, log or file;
//! - stdout, one line once serving: `{"port": N}`. The child binds 127.0.0.1:0 itself and reports
//!   what it got, so no other process can take the port between a pick and a bind;
//! - stdin stays open for the child's life: end of file means the parent is gone (it exited,
//!   crashed or was killed — on every OS), and the broker exits;
//! - stderr: logs (`GUREUM_BROKER_LOG`, a tracing filter, default `warn`).

use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use hmac::{Hmac, Mac};
use nisshi_broker::coordinator::group::administrator::{Controller, GroupCoordinatorConfig};
use nisshi_sans_io::ScramMechanism;
use nisshi_storage::{
    ArcDynStorage, BrokerRegistrationRequest, ScramCredential, Storage, StorageContainer,
};
use rama::Service as _;
use rand::RngCore as _;
use sha2::{Digest, Sha512};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::{debug, error, info, warn};
use url::Url;

/// The hidden first argument that turns a Gureum binary into a broker.
pub const MODE: &str = "sandbox-broker";

/// SCRAM iterations for the stored credential: Kafka's minimum. The password is 256 random
/// bits, so more iterations would buy nothing against guessing.
const ITERATIONS: u32 = 4096;
/// How long a graceful stop may take before the process just exits.
const STOP_GRACE: Duration = Duration::from_secs(4);

/// If the first argument is [`MODE`], runs the broker and returns its exit code; otherwise
/// None (the binary goes on as itself). Call it first thing in `main`, before any GUI or
/// runtime starts.
pub fn run_if_broker_mode() -> Option<ExitCode> {
    let mut args = std::env::args_os().skip(1);
    if args.next().as_deref() == Some(std::ffi::OsStr::new(MODE)) {
        Some(run_from_args(args))
    } else {
        None
    }
}

/// Runs one broker with the arguments after [`MODE`]; returns when the parent goes away, on
/// SIGTERM/Ctrl-C, or on a failure (logged to stderr).
pub fn run_from_args(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let args = match Args::parse(args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{MODE}: {e}\nusage: {MODE} --cluster-id ID --node-id N --db PATH [--group-initial-rebalance-delay-ms MS] (login on stdin)");
            return ExitCode::from(2);
        }
    };
    init_logging();
    let stdin = std::io::stdin();
    let login = match read_login(&mut stdin.lock()) {
        Ok(l) => l,
        Err(e) => {
            error!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let parent_gone = watch_parent(stdin);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            error!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(serve(args, login, parent_gone));
    // Connection tasks still winding down must not hold the exit.
    runtime.shutdown_timeout(Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            error!("{e}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Args {
    cluster_id: String,
    node_id: i32,
    db: PathBuf,
    group_initial_rebalance_delay: Option<Duration>,
}

impl Args {
    fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Args, String> {
        let (mut cluster_id, mut node_id, mut db, mut delay) = (None, None, None, None);
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let flag = flag
                .into_string()
                .map_err(|f| format!("unknown argument {f:?}"))?;
            let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let text = || {
                value
                    .to_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{flag}: not UTF-8"))
            };
            match flag.as_str() {
                "--cluster-id" => cluster_id = Some(text()?),
                "--node-id" => {
                    node_id = Some(text()?.parse::<i32>().map_err(|e| format!("{flag}: {e}"))?)
                }
                "--db" => db = Some(PathBuf::from(&value)),
                "--group-initial-rebalance-delay-ms" => {
                    let ms = text()?.parse::<u64>().map_err(|e| format!("{flag}: {e}"))?;
                    delay = Some(Duration::from_millis(ms));
                }
                _ => return Err(format!("unknown argument {flag}")),
            }
        }
        Ok(Args {
            cluster_id: cluster_id.ok_or("--cluster-id is required")?,
            node_id: node_id.ok_or("--node-id is required")?,
            db: db.ok_or("--db is required")?,
            group_initial_rebalance_delay: delay,
        })
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("GUREUM_BROKER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .try_init();
}

/// The internal login the parent hands over on stdin. Never logged: no Debug.
struct Login {
    user: String,
    password: String,
}

impl Drop for Login {
    fn drop(&mut self) {
        // Best effort: overwrite the password's bytes before they go back to the allocator.
        // SAFETY: zeroes are valid UTF-8.
        unsafe { self.password.as_bytes_mut() }.fill(0);
    }
}

fn read_login(input: &mut impl BufRead) -> Result<Login, String> {
    #[derive(serde::Deserialize)]
    struct Wire {
        user: String,
        password: String,
    }
    let mut line = String::new();
    let n = input
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the login from stdin: {e}"))?;
    if n == 0 {
        return Err("stdin closed before the login line (the parent went away?)".into());
    }
    // serde_json's errors name a position, never the input: the line holds the password.
    let parsed = serde_json::from_str::<Wire>(line.trim_end());
    // SAFETY: zeroes are valid UTF-8.
    unsafe { line.as_bytes_mut() }.fill(0);
    let wire =
        parsed.map_err(|e| format!("the login line is not {{\"user\",\"password\"}} JSON: {e}"))?;
    let login = Login {
        user: wire.user,
        password: wire.password,
    };
    // SCRAM's saslname escapes ',' and '='; the sandbox's user needs neither.
    if login.user.is_empty() || login.user.contains([',', '=']) || login.password.is_empty() {
        return Err("the login needs a user (without ',' or '=') and a password".into());
    }
    Ok(login)
}

/// Reads stdin until end of file on a thread of its own; then tells the broker to stop, and
/// exits the process if stopping takes too long. End of file is how a child learns its parent
/// is gone on every OS (the pipe's write end closes when the parent exits, however it ends).
fn watch_parent(stdin: std::io::Stdin) -> oneshot::Receiver<()> {
    let (tx, rx) = oneshot::channel();
    std::thread::Builder::new()
        .name("parent-watch".into())
        .spawn(move || {
            let mut lock = stdin.lock();
            let mut sink = Vec::new();
            loop {
                sink.clear();
                match lock.read_until(b'\n', &mut sink) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
            }
            info!("stdin closed: the parent is gone, stopping");
            let _ = tx.send(());
            std::thread::sleep(STOP_GRACE);
            warn!("did not stop within {STOP_GRACE:?}; exiting");
            std::process::exit(0);
        })
        .expect("spawn the parent-watch thread");
    rx
}

/// Salted SCRAM-SHA-512 keys of `password` (RFC 5802: StoredKey = H(HMAC(SaltedPassword,
/// "Client Key")), ServerKey = HMAC(SaltedPassword, "Server Key")), the form nisshi stores.
fn scram_keys(password: &[u8], salt: &[u8], iterations: u32) -> (Bytes, Bytes) {
    let mut salted = [0u8; 64];
    pbkdf2::pbkdf2_hmac::<Sha512>(password, salt, iterations, &mut salted);
    let hmac = |key: &[u8], msg: &[u8]| {
        let mut mac = Hmac::<Sha512>::new_from_slice(key).expect("HMAC takes any key length");
        mac.update(msg);
        mac.finalize().into_bytes()
    };
    let client_key = hmac(&salted, b"Client Key");
    let stored_key = Sha512::digest(client_key);
    let server_key = hmac(&salted, b"Server Key");
    salted.fill(0);
    (
        Bytes::copy_from_slice(&stored_key),
        Bytes::copy_from_slice(&server_key),
    )
}

/// Makes the storage accept `login` over SCRAM-SHA-512. A credential that already matches
/// (another broker of the same cluster and sandbox run stored it) is kept, so clients' cached
/// salted passwords stay valid; anything else is replaced with a fresh salt.
async fn store_login(storage: &ArcDynStorage, login: &Login) -> Result<(), String> {
    if stored_login_matches(storage, login).await? {
        debug!("the stored SCRAM credential already matches");
        return Ok(());
    }
    let mut salt = [0u8; 32];
    rand::rng().fill_bytes(&mut salt);
    let (stored_key, server_key) = scram_keys(login.password.as_bytes(), &salt, ITERATIONS);
    storage
        .upsert_user_scram_credential(
            &login.user,
            ScramMechanism::Scram512,
            ScramCredential {
                salt: Bytes::copy_from_slice(&salt),
                iterations: ITERATIONS as i32,
                stored_key,
                server_key,
            },
        )
        .await
        .map_err(|e| format!("storing the SCRAM credential failed: {e:?}"))?;
    // SQL storage reports success even when the insert matched no cluster row: read it back.
    if stored_login_matches(storage, login).await? {
        Ok(())
    } else {
        Err("the SCRAM credential did not stick in the storage".into())
    }
}

/// Whether the storage holds a SCRAM-SHA-512 credential of `login` that its password matches.
async fn stored_login_matches(storage: &ArcDynStorage, login: &Login) -> Result<bool, String> {
    let stored = storage
        .user_scram_credential(&login.user, ScramMechanism::Scram512)
        .await
        .map_err(|e| format!("reading the SCRAM credential failed: {e:?}"))?;
    let Some(c) = stored else { return Ok(false) };
    let Some(iterations) = u32::try_from(c.iterations)
        .ok()
        .filter(|i| (4096..=1_000_000).contains(i))
    else {
        return Ok(false);
    };
    let (stored_key, server_key) = scram_keys(login.password.as_bytes(), &c.salt, iterations);
    Ok(stored_key == c.stored_key && server_key == c.server_key)
}

/// nisshi 0.8.1 resolves `sqlite://NAME` against the working directory (and drops the third
/// slash of `sqlite:///abs`), so the broker runs in the database's folder and names the file.
fn storage_url(db: &Path) -> Result<Url, String> {
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::env::set_current_dir(dir)
            .map_err(|e| format!("cannot enter the storage folder {}: {e}", dir.display()))?;
    }
    let name = db
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        })
        .ok_or_else(|| {
            format!(
                "--db {}: the file name must be letters, digits, '.', '-' or '_'",
                db.display()
            )
        })?;
    Url::parse(&format!("sqlite://{name}")).map_err(|e| format!("--db {}: {e}", db.display()))
}

async fn serve(args: Args, login: Login, parent_gone: oneshot::Receiver<()>) -> Result<(), String> {
    // Bind first, on a port the OS picks, and keep the socket: nothing can take the port
    // between choosing and binding (nisshi's own `Broker::listen` binds a port named in a URL,
    // which the parent would have to pick and release first). So the accept loop below is ours;
    // each connection is served by nisshi's own service stack, as `Broker::listen` does it.
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let advertised = Url::parse(&format!("tcp://{addr}")).map_err(|e| e.to_string())?;
    let storage_url = storage_url(&args.db)?;
    let cancellation = CancellationToken::new();

    let storage = {
        let mut builder = StorageContainer::builder();
        builder.with_factory(Arc::new(nisshi_storage_sql::LiteEngineFactory));
        builder
            .cluster_id(args.cluster_id.clone())
            .node_id(args.node_id)
            .advertised_listener(advertised)
            .storage(storage_url)
            .cancellation(cancellation.clone())
            .silent(true)
            .user_credentials_required(true)
            .build()
            .await
            .map_err(|e| format!("the storage did not start: {e:?}"))?
    };
    // Registering creates the cluster's row, which SQL storage files credentials under: first.
    storage
        .register_broker(BrokerRegistrationRequest {
            broker_id: args.node_id,
            cluster_id: args.cluster_id.clone(),
            incarnation_id: uuid::Uuid::now_v7(),
            rack: None,
        })
        .await
        .map_err(|e| format!("registering the broker failed: {e:?}"))?;
    store_login(&storage, &login).await?;
    drop(login);
    let mut group_config = GroupCoordinatorConfig::default();
    if let Some(delay) = args.group_initial_rebalance_delay {
        group_config.initial_rebalance_delay = delay;
    }
    let groups = Controller::new(storage.clone(), group_config);
    // With a SASL config, nisshi answers nothing but ApiVersions and SASL before a login.
    let sasl = nisshi_auth::configuration(storage.clone())
        .map_err(|e| format!("the SASL set-up failed: {e:?}"))?;

    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", serde_json::json!({ "port": addr.port() }))
            .and_then(|()| out.flush())
            .map_err(|e| format!("cannot report the port to the parent: {e}"))?;
    }
    info!(%addr, cluster = args.cluster_id, node = args.node_id, "serving");

    let mut connections = JoinSet::new();
    let mut maintenance = tokio::time::interval(Duration::from_secs(600));
    let mut transactions = tokio::time::interval(Duration::from_secs(10));
    maintenance.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    transactions.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    // One sweep of each kind at a time, as nisshi's own loop does.
    let mut sweeps: [Option<tokio::task::AbortHandle>; 2] = [None, None];
    let stop = stop_requested(parent_gone);
    tokio::pin!(stop);
    loop {
        tokio::select! {
            why = &mut stop => {
                info!("stopping: {why}");
                break;
            }
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        // Usually out of file descriptors: back off rather than spin.
                        warn!("accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let service = nisshi_broker::service::services(
                    &args.cluster_id,
                    groups.clone(),
                    storage.clone(),
                    Some(sasl.clone()),
                )
                .map_err(|e| format!("building the connection service failed: {e:?}"))?;
                connections.spawn(async move {
                    match service.serve(rama::tcp::TcpStream::from(stream)).await {
                        Ok(_) => debug!(%peer, "closed"),
                        Err(nisshi_broker::Error::KafkaProtocol(
                            nisshi_sans_io::Error::NotAuthenticated,
                        )) => warn!(%peer, "closed a connection that sent a request before logging in"),
                        Err(nisshi_broker::Error::Io(e)) => debug!(%peer, "closed: {e}"),
                        Err(e) => info!(%peer, "closed: {e:?}"),
                    }
                });
            }
            _ = maintenance.tick() => sweep(&mut connections, &mut sweeps[0], &storage, false),
            _ = transactions.tick() => sweep(&mut connections, &mut sweeps[1], &storage, true),
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    cancellation.cancel();
    connections.abort_all();
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    Ok(())
}

/// Storage upkeep nisshi's broker runs on a timer: retention and compaction every 10 minutes,
/// timed-out transactions every 10 seconds.
fn sweep(
    set: &mut JoinSet<()>,
    running: &mut Option<tokio::task::AbortHandle>,
    storage: &ArcDynStorage,
    transactions: bool,
) {
    if running.as_ref().is_some_and(|h| !h.is_finished()) {
        return;
    }
    let storage = storage.clone();
    *running = Some(set.spawn(async move {
        let now = SystemTime::now();
        let result = if transactions {
            storage.maintain_transactions(now).await
        } else {
            storage.maintain(now).await
        };
        if let Err(e) = result {
            debug!("storage upkeep failed: {e:?}");
        }
    }));
}

/// Resolves when the broker should stop: its parent is gone (stdin closed), or SIGTERM/Ctrl-C.
async fn stop_requested(parent_gone: oneshot::Receiver<()>) -> &'static str {
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = parent_gone => "stdin closed (the parent stopped the broker or is gone)",
        _ = term => "SIGTERM",
        _ = tokio::signal::ctrl_c() => "interrupted",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn arguments() {
        let a = Args::parse(os(&[
            "--cluster-id",
            "lkc-1",
            "--node-id",
            "3",
            "--db",
            "/tmp/x/broker.db",
        ]))
        .unwrap();
        assert_eq!(
            a,
            Args {
                cluster_id: "lkc-1".into(),
                node_id: 3,
                db: "/tmp/x/broker.db".into(),
                group_initial_rebalance_delay: None,
            }
        );
        let a = Args::parse(os(&[
            "--db",
            "b.db",
            "--group-initial-rebalance-delay-ms",
            "100",
            "--node-id",
            "0",
            "--cluster-id",
            "c",
        ]))
        .unwrap();
        assert_eq!(
            a.group_initial_rebalance_delay,
            Some(Duration::from_millis(100))
        );
        for bad in [
            &["--cluster-id", "c", "--node-id", "1"][..],
            &["--cluster-id", "c", "--node-id", "x", "--db", "b"],
            &[
                "--cluster-id",
                "c",
                "--node-id",
                "1",
                "--db",
                "b",
                "--port",
                "1",
            ],
            &["--cluster-id"],
        ] {
            assert!(Args::parse(os(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_login_line() {
        let mut input =
            std::io::Cursor::new(b"{\"user\":\"u\",\"password\":\"p w\"}\nmore\n".to_vec());
        let login = read_login(&mut input).unwrap();
        assert_eq!((login.user.as_str(), login.password.as_str()), ("u", "p w"));
        // The rest of stdin is left for the parent-watch.
        assert_eq!(input.position(), 30);

        let refused = |line: &str| {
            read_login(&mut std::io::Cursor::new(line.as_bytes().to_vec()))
                .err()
                .expect("refused")
        };
        assert!(refused("").contains("stdin closed"));
        let e = refused("{\"user\":\"u\",\"password\":\"hunter2\"\n");
        assert!(!e.contains("hunter2"), "the password leaked into {e}");
        refused("{\"user\":\"a,b\",\"password\":\"p\"}\n");
        refused("{\"user\":\"u\",\"password\":\"\"}\n");
    }

    /// Cross-checked with Python's hashlib/hmac (RFC 5802's formulas over PBKDF2-HMAC-SHA-512).
    #[test]
    fn scram_keys_are_rfc5802s() {
        let (stored, server) = scram_keys(b"pencil", b"salt-of-the-earth", 4096);
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        assert_eq!(hex(&stored), "dc4d6500228350752756a32e9c552fd2a52175f2c184ac2b17a353b106705e44cc13d6ce9f866697cba6fdcb508f2de84729066229a254641f4c6b715b3a72f7");
        assert_eq!(hex(&server), "819d8618174954ae6448a9d6ebfa7902085b8c28e66e9d54806c9002bb1526ca0769c14bfd3b1fb6c39a3fb20c0eb8fb40b2a9506928c3f823c4c89b9cc02d78");
    }

    #[test]
    fn storage_urls() {
        let dir = tempfile::tempdir().unwrap();
        let before = std::env::current_dir().unwrap();
        let url = storage_url(&dir.path().join("broker.db")).unwrap();
        assert_eq!(url.as_str(), "sqlite://broker.db");
        assert_eq!(
            std::env::current_dir().unwrap().canonicalize().unwrap(),
            dir.path().canonicalize().unwrap()
        );
        std::env::set_current_dir(before).unwrap();
        assert!(storage_url(Path::new("has space.db")).is_err());
    }
}
