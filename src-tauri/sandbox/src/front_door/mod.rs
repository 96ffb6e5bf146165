//! The front door: what clients of a sandbox cluster connect to, exactly as they connect to
//! Confluent Cloud (`SASL_SSL`, `PLAIN`, API key and secret, the sandbox CA).
//!
//! Per client connection it terminates TLS, answers the SASL exchange itself (nisshi offers no
//! PLAIN, and the brokers accept only the sandbox's own SCRAM login), then pipes Kafka frames to
//! one connection to the cluster's broker, logged in with that login. Responses that carry
//! broker addresses (Metadata, FindCoordinator, DescribeCluster) are rewritten so clients always come back through here;
//! everything else passes byte for byte (a metering front door also reads Produce requests and
//! Fetch responses to count their records, and passes them on unchanged).
//!
//! Files: `sasl` (the phase before authentication), `pipe` (after it), `rewrite` (the decoded
//! responses), `frame` (Kafka framing), `meter` (the metering hook), `records` (what Produce and
//! Fetch carry, for meters that ask).

mod access;
mod acl_api;
mod answers;
mod decide;
mod frame;
mod meter;
mod pipe;
mod policy;
mod records;
// Generated (tools/gen_request_schemas.py): kept exactly as the generator writes it.
#[rustfmt::skip]
#[allow(clippy::all)]
mod requests_gen;
mod rewrite;
mod sasl;
mod walk;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use log::{debug, error, warn};
use tokio::io::{AsyncWriteExt, BufReader, BufWriter};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

pub use access::{BoxFuture, Guard, TopicPolicy};
pub use meter::{ConnectionInfo, Meter, NoopMeter, PartitionRecords, TopicRef};

use crate::broker_client::BrokerLogin;

tokio::task_local! {
    /// The broker login of the door a task works for: set around each client connection's task
    /// (and around the door's own start-up query). `connect_upstream` reads it, so every caller
    /// gets a logged-in connection without passing the login along.
    static UPSTREAM_LOGIN: BrokerLogin;
}

/// A cluster's live brokers as its clients must see them — (node id, front-door port) — shared by
/// all of the cluster's front doors and changed as brokers fail, are replaced or are added.
#[derive(Debug, Default)]
pub struct Topology(Mutex<Vec<(i32, i32)>>);

impl Topology {
    pub fn set(&self, members: Vec<(i32, i32)>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = members;
    }
    pub fn members(&self) -> Vec<(i32, i32)> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

pub struct FrontDoorConfig {
    /// Where clients connect: `127.0.0.1:0` (any free port) or a fixed port.
    pub bind: SocketAddr,
    /// The host put into Metadata/FindCoordinator/DescribeCluster answers, e.g. "127.0.0.1".
    /// It must be a name the TLS certificate carries.
    pub advertised_host: String,
    pub tls: Arc<rustls::ServerConfig>,
    /// The broker's listener (loopback TCP).
    pub upstream: SocketAddr,
    /// How the door logs in to the broker (SCRAM): the brokers accept no connection without it.
    pub upstream_login: BrokerLogin,
    /// Who a key acts as, what it may do, and the cluster's policies.
    pub guard: Arc<dyn Guard>,
    /// The cluster's brokers, when it has its own topology; None: the door stands for the whole
    /// cluster (every broker an answer names is this door).
    pub topology: Option<Arc<Topology>>,
}

/// A running front door. Dropping it stops it too (like [`FrontDoor::shutdown`], without
/// waiting).
pub struct FrontDoor {
    addr: SocketAddr,
    upstream: Arc<Mutex<SocketAddr>>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

/// Connections one door holds at once, and of them, not yet logged in (each of those holds TLS
/// state and 128 KiB of buffers for at most [`TLS_TIMEOUT`] + [`AUTH_TIMEOUT`]).
const MAX_CONNECTIONS: usize = 2048;
const MAX_PENDING: usize = 256;
/// How long a client may take over the TLS handshake.
const TLS_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may take from TLS to a successful SaslAuthenticate.
const AUTH_TIMEOUT: Duration = Duration::from_secs(30);
/// How long connecting to the broker may take.
const UPSTREAM_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Socket buffers: big enough that a produce batch or a fetch chunk moves in few syscalls and
/// few TLS records.
const IO_BUF: usize = 64 * 1024;

/// What every connection of one front door shares.
struct Shared {
    advertised_host: String,
    port: i32,
    acceptor: TlsAcceptor,
    upstream: Arc<Mutex<SocketAddr>>,
    upstream_login: BrokerLogin,
    guard: Arc<dyn Guard>,
    /// What ApiVersions answers: the broker's APIs the door serves, and its own.
    api_versions: Vec<(i16, i16, i16)>,
    meter: Arc<dyn Meter>,
    topology: Option<Arc<Topology>>,
}

impl FrontDoor {
    /// Binds and starts accepting. Returns once the port is bound.
    pub async fn start(cfg: FrontDoorConfig) -> std::io::Result<FrontDoor> {
        Self::start_metered(cfg, Arc::new(NoopMeter)).await
    }

    /// [`FrontDoor::start`] with a [`Meter`] told about every connection's traffic.
    pub async fn start_metered(
        cfg: FrontDoorConfig,
        meter: Arc<dyn Meter>,
    ) -> std::io::Result<FrontDoor> {
        // The broker's APIs, asked once: clients' ApiVersions are answered here, before (and
        // after) they log in, so nothing unauthenticated ever reaches a broker.
        let broker_apis = UPSTREAM_LOGIN
            .scope(
                cfg.upstream_login.clone(),
                broker_api_versions(cfg.upstream),
            )
            .await?;
        let api_versions = decide::advertised(&broker_apis);
        let listener = TcpListener::bind(cfg.bind).await?;
        let addr = listener.local_addr()?;
        let upstream = Arc::new(Mutex::new(cfg.upstream));
        let shared = Arc::new(Shared {
            advertised_host: cfg.advertised_host,
            port: i32::from(addr.port()),
            acceptor: TlsAcceptor::from(cfg.tls),
            upstream: upstream.clone(),
            upstream_login: cfg.upstream_login,
            guard: cfg.guard,
            api_versions,
            meter,
            topology: cfg.topology,
        });
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(accept_loop(listener, shared, stopped));
        Ok(FrontDoor {
            addr,
            upstream,
            stop,
            task,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting and closes every live connection; returns once they are closed.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        if let Err(e) = self.task.await {
            error!("front door {}: accept task failed: {e}", self.addr);
        }
    }

    /// Sends new connections to `addr` (a replaced broker). Live connections keep their broker
    /// and fail with it, as they would when a cloud broker goes away.
    pub fn set_upstream(&self, addr: SocketAddr) {
        *self.upstream.lock().unwrap_or_else(|p| p.into_inner()) = addr;
    }
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stopped: oneshot::Receiver<()>,
) {
    let next_id = AtomicU64::new(1);
    let mut conns = JoinSet::new();
    let all = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let pending = Arc::new(tokio::sync::Semaphore::new(MAX_PENDING));
    loop {
        tokio::select! {
            // Resolves on shutdown() and when the FrontDoor is dropped.
            _ = &mut stopped => break,
            accepted = listener.accept() => match accepted {
                Ok((sock, peer)) => {
                    // Over a cap the connection is closed at once: a flood of connections (or
                    // of half-finished handshakes) costs sockets, not memory or the app.
                    let (Ok(slot), Ok(login_slot)) = (all.clone().try_acquire_owned(), pending.clone().try_acquire_owned()) else {
                        debug!("front door: {peer}: refused, too many connections");
                        continue;
                    };
                    let info = ConnectionInfo { id: next_id.fetch_add(1, Ordering::Relaxed), peer };
                    let login = shared.upstream_login.clone();
                    let task = serve(shared.clone(), sock, info, login_slot);
                    conns.spawn(UPSTREAM_LOGIN.scope(login, async move {
                        task.await;
                        drop(slot);
                    }));
                }
                Err(e) => {
                    // Usually out of file descriptors: back off rather than spin.
                    warn!("front door: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            // Reap finished connections so the set does not grow without bound.
            Some(done) = conns.join_next(), if !conns.is_empty() => {
                if let Err(e) = done {
                    if e.is_panic() {
                        error!("front door: connection task panicked: {e}");
                    }
                }
            }
        }
    }
    drop(listener);
    // Aborting drops each connection's sockets, which closes them.
    conns.shutdown().await;
}

/// One client connection, from TCP accept to close. `login_slot` is held until it logs in.
async fn serve(
    shared: Arc<Shared>,
    sock: TcpStream,
    info: ConnectionInfo,
    login_slot: tokio::sync::OwnedSemaphorePermit,
) {
    let peer = info.peer;
    let conn = meter::Metered::open(shared.meter.clone(), info);
    let _ = sock.set_nodelay(true);
    let tls = match tokio::time::timeout(TLS_TIMEOUT, shared.acceptor.accept(sock)).await {
        Ok(Ok(tls)) => tls,
        // A plaintext client, a client that does not trust our CA, a port scanner…
        Ok(Err(e)) => return debug!("front door: {peer}: TLS handshake failed: {e}"),
        Err(_) => return debug!("front door: {peer}: TLS handshake timed out"),
    };
    let (rd, wr) = tokio::io::split(tls);
    let mut client = frame::Io {
        rd: BufReader::with_capacity(IO_BUF, rd),
        wr: BufWriter::with_capacity(IO_BUF, wr),
    };
    // The broker this connection will use, fixed now: set_upstream affects later connections.
    let upstream_addr = *shared.upstream.lock().unwrap_or_else(|p| p.into_inner());

    let auth = sasl::authenticate(&shared, &conn, &mut client);
    let principal = match tokio::time::timeout(AUTH_TIMEOUT, auth).await {
        Ok(Ok(sasl::Outcome::Authenticated(principal))) => principal,
        Ok(Ok(sasl::Outcome::Refused)) => {
            // Close cleanly (TLS close_notify, then FIN) so the client reads our last answer
            // (e.g. SASL_AUTHENTICATION_FAILED) before it sees the close.
            let _ = tokio::time::timeout(Duration::from_secs(1), client.wr.shutdown()).await;
            return;
        }
        Ok(Err(e)) => return debug!("front door: {peer}: closed before authentication: {e}"),
        Err(_) => return debug!("front door: {peer}: authentication timed out"),
    };
    let upstream = match connect_upstream(upstream_addr).await {
        Ok(u) => u,
        Err(e) => return warn!("front door: {peer}: broker {upstream_addr} unreachable: {e}"),
    };
    drop(login_slot);
    let gate = access::Gate::new(shared.guard.clone(), principal);
    match pipe::run(&shared, &conn, gate, client, upstream).await {
        Ok(()) => debug!("front door: {peer}: closed"),
        Err(e) => debug!("front door: {peer}: closed: {e}"),
    }
}

/// The broker's (api key, min, max) list, from an ApiVersions v0 exchange on a connection of
/// its own.
async fn broker_api_versions(addr: SocketAddr) -> std::io::Result<Vec<(i16, i16, i16)>> {
    use bytes::BytesMut;
    use kafka_protocol::messages::{
        ApiVersionsRequest, ApiVersionsResponse, RequestHeader, ResponseHeader,
    };
    use kafka_protocol::protocol::{Decodable, Encodable};
    let bad = |e: String| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("the broker's ApiVersions: {e}"),
        )
    };
    let mut up = connect_upstream(addr).await?;
    let mut req = BytesMut::new();
    RequestHeader::default()
        .with_request_api_key(18)
        .with_request_api_version(0)
        .with_correlation_id(1)
        .with_client_id(Some(kafka_protocol::protocol::StrBytes::from_static_str(
            "gureum-front-door",
        )))
        .encode(&mut req, 1)
        .map_err(|e| bad(e.to_string()))?;
    ApiVersionsRequest::default()
        .encode(&mut req, 0)
        .map_err(|e| bad(e.to_string()))?;
    frame::write_frame(&mut up.wr, &req).await?;
    up.wr.flush().await?;
    let mut answer = tokio::time::timeout(
        UPSTREAM_CONNECT_TIMEOUT,
        frame::read_frame(&mut up.rd, frame::MAX_REQUEST),
    )
    .await
    .map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            "the broker did not answer ApiVersions",
        )
    })??
    .ok_or_else(|| bad("closed".into()))?;
    ResponseHeader::decode(&mut answer, 0).map_err(|e| bad(e.to_string()))?;
    let body = ApiVersionsResponse::decode(&mut answer, 0).map_err(|e| bad(e.to_string()))?;
    if body.error_code != 0 {
        return Err(bad(format!("error {}", body.error_code)));
    }
    Ok(body
        .api_keys
        .iter()
        .map(|a| (a.api_key, a.min_version, a.max_version))
        .collect())
}

/// A fresh connection to the broker, logged in with the door's broker login (SCRAM), buffered
/// like the client side. Runs inside a task scoped with [`UPSTREAM_LOGIN`].
async fn connect_upstream(addr: SocketAddr) -> std::io::Result<frame::Upstream> {
    let login = UPSTREAM_LOGIN
        .try_with(BrokerLogin::clone)
        .map_err(|_| std::io::Error::other("no broker login for this task"))?;
    let mut sock = tokio::time::timeout(UPSTREAM_CONNECT_TIMEOUT, TcpStream::connect(addr))
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "connect timed out"))??;
    let _ = sock.set_nodelay(true);
    // The broker only sees the door's login; the client's own requests follow on this
    // connection with their own correlation ids.
    let mut correlation_id = i32::MIN;
    login
        .authenticate(&mut sock, &mut correlation_id)
        .await
        .map_err(|e| match e {
            crate::broker_client::BrokerError::Io(e) => e,
            other => std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!("the broker refused the sandbox's login: {other}"),
            ),
        })?;
    let (rd, wr) = sock.into_split();
    Ok(frame::Io {
        rd: BufReader::with_capacity(IO_BUF, rd),
        wr: BufWriter::with_capacity(IO_BUF, wr),
    })
}
