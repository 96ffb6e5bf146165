//! After authentication: frames flow both ways between the client and its broker connection.
//! Only the headers are read (8 bytes of each request, 4 of each response); bodies are copied
//! through the buffers undecoded, except responses to the few requests `rewrite` handles and,
//! for a meter that wants records, Produce requests and Fetch responses (read whole, counted,
//! passed on unchanged).

use std::collections::HashMap;
use std::io;
use std::sync::Mutex;
use std::time::Duration;

use bytes::{BufMut, BytesMut};
use kafka_protocol::messages::ApiKey;
use log::warn;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::frame::{self, Client, Upstream, MAX_REQUEST};
use super::meter::Metered;
use super::records;
use super::rewrite::{self, Advertised};
use super::Shared;

/// correlation_id → (api_key, api_version) of requests whose responses are decoded (rewritten,
/// or metered). Only those are recorded: other requests may have no response at all (Produce
/// with acks=0).
type Pending = Mutex<HashMap<i32, (i16, i16)>>;

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg)
}

/// Pipes until either side closes or fails.
pub(super) async fn run(
    shared: &Shared,
    conn: &Metered,
    client: Client,
    upstream: Upstream,
) -> io::Result<()> {
    let pending = Pending::default();
    let (mut crd, mut cwr) = (client.rd, client.wr);
    let (mut urd, mut uwr) = (upstream.rd, upstream.wr);
    let (result, broker_side) = tokio::select! {
        r = requests(&mut crd, &mut uwr, &pending, conn) => (r, false),
        r = responses(&mut urd, &mut cwr, &pending, conn, shared) => (r, true),
    };
    if broker_side {
        // The broker went away (or sent garbage): end the TLS session properly so the client
        // sees a clean close rather than a reset.
        let _ = tokio::time::timeout(Duration::from_secs(1), cwr.shutdown()).await;
    }
    result
}

/// Client → broker.
async fn requests<R, W>(
    crd: &mut tokio::io::BufReader<R>,
    uwr: &mut W,
    pending: &Pending,
    conn: &Metered,
) -> io::Result<()>
where
    R: tokio::io::AsyncRead + Unpin,
    W: tokio::io::AsyncWrite + Unpin,
{
    loop {
        let Some(size) = frame::read_size(crd, MAX_REQUEST).await? else {
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
            // Re-authentication: we never ask for it (session lifetime 0) and the broker has
            // no SASL; Kafka closes such a connection (ILLEGAL_SASL_STATE).
            return Err(invalid("SASL request after authentication".into()));
        }
        let metered_fetch = api_key == ApiKey::Fetch as i16
            && conn.wants_records()
            && records::fetch_decodable(version);
        if rewrite::is_rewritten(api_key) || metered_fetch {
            pending
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(correlation_id, (api_key, version));
        }
        if api_key == ApiKey::Metadata as i16 && version >= 4 {
            let mut whole = BytesMut::with_capacity(size);
            whole.extend_from_slice(&head);
            whole.extend_from_slice(&frame::read_bytes(crd, size - 8).await?);
            let whole = whole.freeze();
            let out = rewrite::no_auto_create(&whole, version)
                .map_err(|e| invalid(format!("Metadata v{version} request: {e}")))?
                .unwrap_or(whole);
            frame::write_frame(uwr, &out).await?;
            conn.request(api_key, 4 + size as u64);
            frame::flush_if_idle(crd, uwr).await?;
            continue;
        }
        uwr.write_i32(size as i32).await?;
        uwr.write_all(&head).await?;
        if api_key == ApiKey::Produce as i16
            && conn.wants_records()
            && records::produce_decodable(version)
        {
            let mut whole = BytesMut::with_capacity(size);
            whole.extend_from_slice(&head);
            whole.extend_from_slice(&frame::read_bytes(crd, size - 8).await?);
            let whole = whole.freeze();
            match records::produce_request(&whole, version) {
                Ok(parts) => conn.produced(&parts),
                Err(e) => warn!(
                    "front door: {}: Produce v{version} not metered: {e}",
                    conn.info.peer
                ),
            }
            uwr.write_all(&whole[8..]).await?;
        } else {
            frame::copy_exact(crd, uwr, size - 8).await?;
        }
        conn.request(api_key, 4 + size as u64);
        frame::flush_if_idle(crd, uwr).await?;
    }
}

/// Broker → client.
async fn responses<R, W>(
    urd: &mut tokio::io::BufReader<R>,
    cwr: &mut W,
    pending: &Pending,
    conn: &Metered,
    shared: &Shared,
) -> io::Result<()>
where
    R: tokio::io::AsyncRead + Unpin,
    W: tokio::io::AsyncWrite + Unpin,
{
    loop {
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
        let correlation_id = urd.read_i32().await?;
        let rewrite_as = pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&correlation_id);
        match rewrite_as {
            Some((api_key, version)) if api_key == ApiKey::Fetch as i16 && size <= MAX_REQUEST => {
                let mut whole = BytesMut::with_capacity(size);
                whole.put_i32(correlation_id);
                whole.extend_from_slice(&frame::read_bytes(urd, size - 4).await?);
                let whole = whole.freeze();
                match records::fetch_response(&whole, version) {
                    Ok(parts) => conn.fetched(&parts),
                    Err(e) => warn!(
                        "front door: {}: Fetch v{version} answer not metered: {e}",
                        conn.info.peer
                    ),
                }
                frame::write_frame(cwr, &whole).await?;
                conn.sent(4 + size as u64);
            }
            Some((api_key, version)) if api_key != ApiKey::Fetch as i16 => {
                if size > MAX_REQUEST {
                    return Err(invalid(format!(
                        "api key {api_key} response of {size} bytes is too large to rewrite"
                    )));
                }
                let mut whole = BytesMut::with_capacity(size);
                whole.put_i32(correlation_id);
                whole.extend_from_slice(&frame::read_bytes(urd, size - 4).await?);
                let whole = whole.freeze();
                // The topology as it is now: a broker that failed since the last answer is gone.
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
                let rewritten =
                    rewrite::rewrite(whole.clone(), api_key, version, &advertised, &mut topic_ids);
                conn.topic_ids(&topic_ids);
                let out = match rewritten {
                    Ok(out) => out,
                    // ApiVersions carries no address: unpatched is still correct enough.
                    Err(e) if api_key == ApiKey::ApiVersions as i16 => {
                        warn!(
                            "front door: {}: ApiVersions v{version} answer not patched: {e}",
                            conn.info.peer
                        );
                        whole
                    }
                    // Passing an address answer on unchanged would send the client around the
                    // front door; fail loudly instead.
                    Err(e) => {
                        return Err(invalid(format!(
                            "cannot rewrite api key {api_key} v{version} response: {e}"
                        )))
                    }
                };
                frame::write_frame(cwr, &out).await?;
                conn.sent(4 + out.len() as u64);
            }
            // No decoding asked for, or a Fetch answer too large to hold: streamed.
            _ => {
                cwr.write_i32(size as i32).await?;
                cwr.write_i32(correlation_id).await?;
                frame::copy_exact(urd, cwr, size - 4).await?;
                conn.sent(4 + size as u64);
            }
        }
        frame::flush_if_idle(urd, cwr).await?;
    }
}
