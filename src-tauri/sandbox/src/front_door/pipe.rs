//! After authentication: each request is read whole (its size checked against its API's limit
//! first, its buffer growing only as bytes arrive), judged by `decide` under the connection's
//! [`Gate`], then sent to the broker (perhaps edited) or answered here. Answers go back in
//! request order, as Kafka promises: the responses half follows a queue of what each request
//! expects (the broker's answer, or one made here).

use std::io;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use kafka_protocol::messages::ApiKey;
use log::warn;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{mpsc, Mutex};

use super::access::{After, Gate, Verdict};
use super::answers;
use super::decide;
use super::frame::{self, Client, Upstream};
use super::meter::Metered;
use super::records;
use super::rewrite::{self, Advertised, Decoded};
use super::Shared;

/// What the client gets next, in request order.
enum Expect {
    /// The broker's answer to this request, handled as `after` says.
    Broker {
        correlation_id: i32,
        api_key: i16,
        version: i16,
        after: After,
    },
    /// An answer made here.
    Local(Bytes),
}

/// Requests whose answers may be queued before the client reads them; past this the door stops
/// reading requests (a client that never reads can't make it hold unbounded answers).
const IN_FLIGHT: usize = 64;

/// The largest broker answer decoded (to rewrite or merge into); larger ones stream through.
const MAX_DECODED_ANSWER: usize = 100 * 1024 * 1024;

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg)
}

/// Pipes until either side closes or fails.
pub(super) async fn run(
    shared: &Shared,
    conn: &Metered,
    gate: Gate,
    client: Client,
    upstream: Upstream,
) -> io::Result<()> {
    let gate = Mutex::new(gate);
    let (tx, rx) = mpsc::channel(IN_FLIGHT);
    let (mut crd, mut cwr) = (client.rd, client.wr);
    let (mut urd, mut uwr) = (upstream.rd, upstream.wr);
    let (result, broker_side) = tokio::select! {
        r = requests(shared, &mut crd, &mut uwr, tx, conn, &gate) => (r, false),
        r = responses(&mut urd, &mut cwr, rx, conn, shared, &gate) => (r, true),
    };
    if broker_side {
        // The broker went away (or sent garbage): end the TLS session properly so the client
        // sees a clean close rather than a reset.
        let _ = tokio::time::timeout(Duration::from_secs(1), cwr.shutdown()).await;
    } else {
        // Answers already made (refusals) still reach the client before the close.
        let _ = tokio::time::timeout(Duration::from_secs(1), cwr.flush()).await;
    }
    result
}

/// Client → broker.
async fn requests<R, W>(
    shared: &Shared,
    crd: &mut tokio::io::BufReader<R>,
    uwr: &mut W,
    tx: mpsc::Sender<Expect>,
    conn: &Metered,
    gate: &Mutex<Gate>,
) -> io::Result<()>
where
    R: tokio::io::AsyncRead + Unpin,
    W: tokio::io::AsyncWrite + Unpin,
{
    let queue = |e: Expect| {
        let tx = tx.clone();
        async move {
            tx.send(e)
                .await
                .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the answers half ended"))
        }
    };
    loop {
        let Some(size) = frame::read_size(crd, frame::MAX_REQUEST).await? else {
            return Ok(()); // the client closed
        };
        if size < 8 {
            return Err(invalid(format!(
                "request of {size} bytes is shorter than its header"
            )));
        }
        let mut head = [0u8; 8];
        crd.read_exact(&mut head).await?;
        let api_key = i16::from_be_bytes([head[0], head[1]]);
        let version = i16::from_be_bytes([head[2], head[3]]);
        let correlation_id = i32::from_be_bytes([head[4], head[5], head[6], head[7]]);
        if api_key == ApiKey::SaslHandshake as i16 || api_key == ApiKey::SaslAuthenticate as i16 {
            // Re-authentication: we never ask for it (session lifetime 0); Kafka closes such a
            // connection (ILLEGAL_SASL_STATE).
            return Err(invalid("SASL request after authentication".into()));
        }
        if size > decide::max_request(api_key) {
            return Err(invalid(format!(
                "api key {api_key} request of {size} bytes is over its limit"
            )));
        }
        let mut whole = BytesMut::with_capacity(size.min(frame::IO_CHUNK));
        whole.extend_from_slice(&head);
        frame::read_into(crd, &mut whole, size - 8).await?;
        conn.request(api_key, 4 + size as u64);
        if api_key == ApiKey::ApiVersions as i16 {
            let answer = answers::api_versions(version, correlation_id, &shared.api_versions)
                .map_err(|e| invalid(format!("ApiVersions v{version}: {e}")))?;
            queue(Expect::Local(answer)).await?;
            continue;
        }
        let verdict = decide::decide(&mut *gate.lock().await, &whole).await;
        match verdict {
            Verdict::Close(reason) => return Err(invalid(reason)),
            Verdict::Answer(answer) => queue(Expect::Local(answer)).await?,
            Verdict::Forward {
                edited,
                after,
                expect_answer,
            } => {
                let out = match edited {
                    Some(e) => Bytes::from(e),
                    None => whole.freeze(),
                };
                if api_key == ApiKey::Produce as i16 && conn.wants_records() {
                    match records::produce_request(&out) {
                        Ok(parts) => conn.produced(&parts),
                        Err(e) => warn!(
                            "front door: {}: Produce v{version} not metered: {e}",
                            conn.info.peer
                        ),
                    }
                }
                if expect_answer {
                    queue(Expect::Broker {
                        correlation_id,
                        api_key,
                        version,
                        after,
                    })
                    .await?;
                }
                frame::write_frame(uwr, &out).await?;
            }
        }
        frame::flush_if_idle(crd, uwr).await?;
    }
}

/// Broker → client, in request order.
async fn responses<R, W>(
    urd: &mut tokio::io::BufReader<R>,
    cwr: &mut W,
    mut rx: mpsc::Receiver<Expect>,
    conn: &Metered,
    shared: &Shared,
    gate: &Mutex<Gate>,
) -> io::Result<()>
where
    R: tokio::io::AsyncRead + Unpin,
    W: tokio::io::AsyncWrite + Unpin,
{
    loop {
        let next = match rx.try_recv() {
            Ok(n) => n,
            Err(mpsc::error::TryRecvError::Empty) => {
                // Nothing more to send right now: what is buffered goes out before we wait.
                cwr.flush().await?;
                match rx.recv().await {
                    Some(n) => n,
                    None => return Ok(()),
                }
            }
            Err(mpsc::error::TryRecvError::Disconnected) => return Ok(()),
        };
        let (correlation_id, api_key, version, after) = match next {
            Expect::Local(answer) => {
                frame::write_frame(cwr, &answer).await?;
                conn.sent(4 + answer.len() as u64);
                continue;
            }
            Expect::Broker {
                correlation_id,
                api_key,
                version,
                after,
            } => (correlation_id, api_key, version, after),
        };
        if urd.buffer().is_empty() {
            cwr.flush().await?;
        }
        // Responses are streamed, so their size needs no limit beyond Kafka's i32.
        let Some(size) = frame::read_size(urd, i32::MAX as usize).await? else {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the broker closed the connection",
            ));
        };
        if size < 4 {
            return Err(invalid(format!(
                "response of {size} bytes is shorter than its header"
            )));
        }
        let got = urd.read_i32().await?;
        if got != correlation_id {
            return Err(invalid(format!(
                "the broker answered correlation id {got} where {correlation_id} was due"
            )));
        }
        let metered_fetch = api_key == ApiKey::Fetch as i16
            && conn.wants_records()
            && records::fetch_decodable(version);
        let decode = rewrite::is_rewritten(api_key) || after != After::Pass || metered_fetch;
        if !decode || size > MAX_DECODED_ANSWER {
            if decode && after != After::Pass {
                return Err(invalid(format!(
                    "api key {api_key} answer of {size} bytes is too large to amend"
                )));
            }
            if decode && rewrite::is_rewritten(api_key) {
                return Err(invalid(format!(
                    "api key {api_key} answer of {size} bytes is too large to rewrite"
                )));
            }
            cwr.write_i32(size as i32).await?;
            cwr.write_i32(correlation_id).await?;
            frame::copy_exact(urd, cwr, size - 4).await?;
            conn.sent(4 + size as u64);
            continue;
        }
        let mut whole = BytesMut::with_capacity(size.min(frame::IO_CHUNK));
        whole.extend_from_slice(&correlation_id.to_be_bytes());
        frame::read_into(urd, &mut whole, size - 4).await?;
        let mut whole = whole.freeze();
        if metered_fetch {
            match records::fetch_response(&whole, version) {
                Ok(parts) => conn.fetched(&parts),
                Err(e) => warn!(
                    "front door: {}: Fetch v{version} answer not metered: {e}",
                    conn.info.peer
                ),
            }
        }
        let mut g = gate.lock().await;
        whole = match &after {
            After::Pass => Ok(whole),
            After::Merge(denied) => answers::merge(api_key, version, whole, denied),
            After::ListGroups => answers::list_groups(version, whole, &mut g),
            After::ListTransactions => answers::list_transactions(version, whole, &mut g),
            After::OffsetFetchAll => answers::offset_fetch_all(version, whole, &mut g),
            After::Metadata { .. } | After::DescribeCluster { .. } => Ok(whole),
        }
        .map_err(|e| {
            invalid(format!(
                "cannot amend api key {api_key} v{version} answer: {e}"
            ))
        })?;
        if rewrite::is_rewritten(api_key) {
            let members = shared
                .topology
                .as_ref()
                .map(|t| t.members())
                .unwrap_or_default();
            let advertised = Advertised {
                host: &shared.advertised_host,
                port: shared.port,
                members: &members,
            };
            let mut topic_ids = Vec::new();
            let mut access = |body: Decoded| match (body, &after) {
                (
                    Decoded::Metadata(body),
                    After::Metadata {
                        named,
                        topic_operations,
                        cluster_operations,
                    },
                ) => answers::metadata_access(
                    body,
                    &mut g,
                    *named,
                    *topic_operations,
                    *cluster_operations,
                ),
                (
                    Decoded::DescribeCluster(body),
                    After::DescribeCluster {
                        cluster_operations: true,
                    },
                ) => answers::describe_cluster_access(body, &mut g),
                _ => {}
            };
            let rewritten = rewrite::rewrite(
                whole,
                api_key,
                version,
                &advertised,
                &mut topic_ids,
                &mut access,
            );
            conn.topic_ids(&topic_ids);
            // Passing an address answer on unchanged would send the client around the front
            // door; fail loudly instead.
            whole = rewritten.map_err(|e| {
                invalid(format!(
                    "cannot rewrite api key {api_key} v{version} response: {e}"
                ))
            })?;
        }
        drop(g);
        frame::write_frame(cwr, &whole).await?;
        conn.sent(4 + whole.len() as u64);
    }
}
