//! One connection to a broker: framing, correlation ids, version negotiation and the SCRAM
//! login the sandbox's brokers require (plaintext TCP on loopback).

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::{BufMut, Bytes, BytesMut};
use kafka_protocol::messages::{ApiVersionsRequest, RequestHeader, ResponseHeader};
use kafka_protocol::protocol::{Decodable, Encodable, HeaderVersion, Request, StrBytes};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

use super::scram::BrokerLogin;
use super::BrokerError;

pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Larger frames mean a desynchronised stream, not a real response.
const MAX_FRAME: usize = 64 << 20;
const CLIENT_ID: &str = "gureum-sandbox";

pub(crate) struct Conn {
    pub(crate) addr: SocketAddr,
    stream: TcpStream,
    next_id: i32,
    /// api key → (min, max) the broker advertised.
    versions: HashMap<i16, (i16, i16)>,
}

impl Conn {
    pub(crate) async fn open(addr: SocketAddr, login: &BrokerLogin) -> Result<Self, BrokerError> {
        let stream = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(addr))
            .await
            .map_err(|_| timed_out("connect"))??;
        stream.set_nodelay(true)?;
        let mut conn = Conn {
            addr,
            stream,
            next_id: 0,
            versions: HashMap::new(),
        };
        let req = ApiVersionsRequest::default()
            .with_client_software_name(StrBytes::from_static_str(CLIENT_ID))
            .with_client_software_version(StrBytes::from_static_str(env!("CARGO_PKG_VERSION")));
        // v3 is what every modern broker (and nisshi) answers; no need for the v0 fallback dance.
        let resp = conn.exchange(&req, 3).await?;
        super::check(resp.error_code, None)?;
        conn.versions = resp
            .api_keys
            .iter()
            .map(|k| (k.api_key, (k.min_version, k.max_version)))
            .collect();
        login
            .authenticate(&mut conn.stream, &mut conn.next_id)
            .await?;
        Ok(conn)
    }

    /// A pooled connection the broker has closed (e.g. it restarted) reads EOF without blocking.
    pub(crate) fn looks_closed(&self) -> bool {
        let mut probe = [0u8; 1];
        !matches!(self.stream.try_read(&mut probe), Err(e) if e.kind() == io::ErrorKind::WouldBlock)
    }

    /// Highest version both sides support, capped where newer versions change field semantics
    /// (e.g. topic ids instead of names).
    pub(crate) fn version_for<R: Request>(&self, cap: i16) -> Result<i16, BrokerError> {
        let (bmin, bmax) = self.versions.get(&R::KEY).copied().ok_or_else(|| {
            BrokerError::Protocol(format!("broker does not support api key {}", R::KEY))
        })?;
        let min = bmin.max(R::VERSIONS.min);
        let max = bmax.min(R::VERSIONS.max).min(cap);
        if min > max {
            return Err(BrokerError::Protocol(format!(
                "no common version for api key {}: broker {bmin}..{bmax}, client {}..{}",
                R::KEY,
                R::VERSIONS.min,
                R::VERSIONS.max.min(cap)
            )));
        }
        Ok(max)
    }

    pub(crate) async fn exchange<R: Request>(
        &mut self,
        req: &R,
        version: i16,
    ) -> Result<R::Response, BrokerError> {
        tokio::time::timeout(REQUEST_TIMEOUT, self.exchange_inner(req, version))
            .await
            .map_err(|_| timed_out("request"))?
    }

    async fn exchange_inner<R: Request>(
        &mut self,
        req: &R,
        version: i16,
    ) -> Result<R::Response, BrokerError> {
        let correlation_id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        roundtrip(&mut self.stream, correlation_id, req, version).await
    }
}

/// One request and its response on any byte stream (no timeout: callers add theirs).
pub(crate) async fn roundtrip<S, R>(
    stream: &mut S,
    correlation_id: i32,
    req: &R,
    version: i16,
) -> Result<R::Response, BrokerError>
where
    S: AsyncRead + AsyncWrite + Unpin,
    R: Request,
{
    let header = RequestHeader::default()
        .with_request_api_key(R::KEY)
        .with_request_api_version(version)
        .with_correlation_id(correlation_id)
        .with_client_id(Some(StrBytes::from_static_str(CLIENT_ID)));
    let mut buf = BytesMut::with_capacity(256);
    buf.put_i32(0);
    header
        .encode(&mut buf, R::header_version(version))
        .map_err(proto)?;
    req.encode(&mut buf, version).map_err(proto)?;
    let len = i32::try_from(buf.len() - 4).map_err(|_| proto("request too large"))?;
    buf[..4].copy_from_slice(&len.to_be_bytes());
    stream.write_all(&buf).await?;
    stream.flush().await?;

    let len = stream.read_i32().await?;
    let len = usize::try_from(len)
        .ok()
        .filter(|l| *l <= MAX_FRAME)
        .ok_or_else(|| BrokerError::Protocol(format!("bad response frame length {len}")))?;
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).await?;
    let mut body = Bytes::from(body);
    let rh =
        ResponseHeader::decode(&mut body, R::Response::header_version(version)).map_err(proto)?;
    if rh.correlation_id != correlation_id {
        return Err(BrokerError::Protocol(format!(
            "correlation id mismatch: sent {correlation_id}, got {}",
            rh.correlation_id
        )));
    }
    R::Response::decode(&mut body, version).map_err(proto)
}

fn timed_out(what: &str) -> BrokerError {
    BrokerError::Io(io::Error::new(
        io::ErrorKind::TimedOut,
        format!("broker {what} timed out"),
    ))
}

fn proto(e: impl std::fmt::Display) -> BrokerError {
    BrokerError::Protocol(e.to_string())
}
