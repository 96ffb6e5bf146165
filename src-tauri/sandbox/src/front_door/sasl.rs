//! Before authentication: the front door answers ApiVersions, SaslHandshake and
//! SaslAuthenticate itself — nothing a client sends before logging in reaches a broker — and
//! closes the connection on anything else, as Kafka does.

use std::io;

use bytes::{Bytes, BytesMut};
use kafka_protocol::messages::{
    ApiKey, RequestHeader, ResponseHeader, SaslAuthenticateRequest, SaslAuthenticateResponse,
    SaslHandshakeRequest, SaslHandshakeResponse,
};
use kafka_protocol::protocol::{Decodable, Encodable, Message, StrBytes};
use log::{debug, info};
use tokio::io::AsyncWriteExt;

use super::answers;
use super::frame::{self, Client, MAX_UNAUTHENTICATED};
use super::meter::Metered;
use super::Shared;
use crate::acl::Principal;

const UNSUPPORTED_SASL_MECHANISM: i16 = 33;
const ILLEGAL_SASL_STATE: i16 = 34;
const SASL_AUTHENTICATION_FAILED: i16 = 58;

pub(super) enum Outcome {
    /// The client may now talk to the broker, acting as this principal.
    Authenticated(Principal),
    /// The client was told why (where the protocol allows) and must be disconnected.
    Refused,
}

/// Runs the exchange up to a successful SaslAuthenticate. Err: I/O failure or garbage.
pub(super) async fn authenticate(
    shared: &Shared,
    conn: &Metered,
    client: &mut Client,
) -> io::Result<Outcome> {
    let peer = conn.info.peer;
    let mut mechanism_chosen = false;
    loop {
        let frame = frame::read_frame(&mut client.rd, MAX_UNAUTHENTICATED)
            .await?
            .ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
        conn.received(4 + frame.len() as u64);
        let (api_key, version, correlation_id) = peek_header(&frame)?;
        match ApiKey::try_from(api_key) {
            Ok(ApiKey::ApiVersions) => {
                let answer = answers::api_versions(version, correlation_id, &shared.api_versions)
                    .map_err(bad)?;
                send(client, conn, &answer).await?;
            }
            Ok(ApiKey::SaslHandshake) => {
                let Some(req) =
                    decode::<SaslHandshakeRequest>(&frame, ApiKey::SaslHandshake, version)?
                else {
                    return Ok(Outcome::Refused);
                };
                let plain = req.mechanism.as_str() == "PLAIN";
                let resp = SaslHandshakeResponse::default()
                    .with_error_code(if plain { 0 } else { UNSUPPORTED_SASL_MECHANISM })
                    .with_mechanisms(vec![StrBytes::from_static_str("PLAIN")]);
                respond(
                    client,
                    conn,
                    ApiKey::SaslHandshake,
                    version,
                    correlation_id,
                    &resp,
                )
                .await?;
                if !plain {
                    info!(
                        "front door: {peer}: refused SASL mechanism {:?}",
                        req.mechanism.as_str()
                    );
                    return Ok(Outcome::Refused);
                }
                if version == 0 {
                    // Legacy clients then send the PLAIN token raw: size-prefixed, no header.
                    return legacy_plain(shared, conn, client).await;
                }
                mechanism_chosen = true;
            }
            Ok(ApiKey::SaslAuthenticate) => {
                let Some(req) =
                    decode::<SaslAuthenticateRequest>(&frame, ApiKey::SaslAuthenticate, version)?
                else {
                    return Ok(Outcome::Refused);
                };
                let result = if mechanism_chosen {
                    check(shared, &req.auth_bytes).map_err(|m| (SASL_AUTHENTICATION_FAILED, m))
                } else {
                    Err((
                        ILLEGAL_SASL_STATE,
                        "SaslAuthenticate before SaslHandshake".to_string(),
                    ))
                };
                let resp = match &result {
                    // kafka-protocol's default message is ""; Kafka sends null on success.
                    Ok(_) => SaslAuthenticateResponse::default().with_error_message(None),
                    Err((code, message)) => SaslAuthenticateResponse::default()
                        .with_error_code(*code)
                        .with_error_message(Some(StrBytes::from_string(message.clone()))),
                };
                // session_lifetime_ms stays 0: no re-authentication is asked of the client.
                respond(
                    client,
                    conn,
                    ApiKey::SaslAuthenticate,
                    version,
                    correlation_id,
                    &resp,
                )
                .await?;
                return Ok(match result {
                    Ok((username, principal)) => {
                        debug!("front door: {peer}: authenticated as {username}");
                        conn.authenticated(&username);
                        Outcome::Authenticated(principal)
                    }
                    Err((_, message)) => {
                        info!("front door: {peer}: authentication failed: {message}");
                        Outcome::Refused
                    }
                });
            }
            _ => {
                debug!("front door: {peer}: api key {api_key} before authentication; closing");
                return Ok(Outcome::Refused);
            }
        }
    }
}

/// SaslHandshake v0: one raw PLAIN token; success is an empty raw token, failure a close
/// (v0 has no way to say why).
async fn legacy_plain(shared: &Shared, conn: &Metered, client: &mut Client) -> io::Result<Outcome> {
    let token = frame::read_frame(&mut client.rd, MAX_UNAUTHENTICATED)
        .await?
        .ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
    conn.received(4 + token.len() as u64);
    match check(shared, &token) {
        Ok((username, principal)) => {
            send(client, conn, &[]).await?;
            conn.authenticated(&username);
            Ok(Outcome::Authenticated(principal))
        }
        Err(message) => {
            info!(
                "front door: {}: authentication failed: {message}",
                conn.info.peer
            );
            Ok(Outcome::Refused)
        }
    }
}

/// Parses a PLAIN token and asks the cluster. Ok(username, whom the key acts as).
fn check(shared: &Shared, token: &[u8]) -> Result<(String, Principal), String> {
    let (username, password) = parse_plain(token)?;
    let principal = shared.guard.authenticate(username, password)?;
    Ok((username.to_string(), principal))
}

/// RFC 4616: `[authzid] NUL authcid NUL passwd`.
fn parse_plain(token: &[u8]) -> Result<(&str, &str), String> {
    let token = std::str::from_utf8(token).map_err(|_| "Invalid SASL/PLAIN response: not UTF-8")?;
    let parts: Vec<&str> = token.split('\0').collect();
    let [authzid, username, password] = parts[..] else {
        return Err(format!(
            "Invalid SASL/PLAIN response: expected 3 tokens, got {}",
            parts.len()
        ));
    };
    if username.is_empty() {
        return Err("Authentication failed: username not specified".into());
    }
    if password.is_empty() {
        return Err("Authentication failed: password not specified".into());
    }
    // Kafka refuses to act on behalf of another principal; so do we.
    if !authzid.is_empty() && authzid != username {
        return Err("Authentication failed: Client requested an authorization id that is different from username".into());
    }
    Ok((username, password))
}

/// (api_key, api_version, correlation_id): the first 8 bytes of every request header.
fn peek_header(frame: &[u8]) -> io::Result<(i16, i16, i32)> {
    if frame.len() < 8 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "request shorter than its header",
        ));
    }
    Ok((
        i16::from_be_bytes([frame[0], frame[1]]),
        i16::from_be_bytes([frame[2], frame[3]]),
        i32::from_be_bytes([frame[4], frame[5], frame[6], frame[7]]),
    ))
}

/// The request body, or None (with a log line) for a version we do not serve: we advertise
/// our versions in ApiVersions, so a client outside them is broken; Kafka closes too.
fn decode<M: Decodable + Message>(
    frame: &Bytes,
    key: ApiKey,
    version: i16,
) -> io::Result<Option<M>> {
    if version < M::VERSIONS.min || version > M::VERSIONS.max {
        debug!("front door: unsupported {key:?} v{version}; closing");
        return Ok(None);
    }
    let mut buf = frame.clone();
    RequestHeader::decode(&mut buf, key.request_header_version(version)).map_err(bad)?;
    M::decode(&mut buf, version).map(Some).map_err(bad)
}

/// Encodes and sends one response, flushed: the client waits for it.
async fn respond<M: Encodable>(
    client: &mut Client,
    conn: &Metered,
    key: ApiKey,
    version: i16,
    correlation_id: i32,
    body: &M,
) -> io::Result<()> {
    let mut out = BytesMut::new();
    let header = ResponseHeader::default().with_correlation_id(correlation_id);
    header
        .encode(&mut out, key.response_header_version(version))
        .map_err(bad)?;
    body.encode(&mut out, version).map_err(bad)?;
    send(client, conn, &out).await
}

/// kafka-protocol's errors (anyhow) as I/O errors: the peer sent something we cannot read.
fn bad(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

async fn send(client: &mut Client, conn: &Metered, frame: &[u8]) -> io::Result<()> {
    frame::write_frame(&mut client.wr, frame).await?;
    client.wr.flush().await?;
    conn.sent(4 + frame.len() as u64);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_plain;

    #[test]
    fn plain_tokens() {
        assert_eq!(parse_plain(b"\0key\0secret"), Ok(("key", "secret")));
        assert_eq!(parse_plain(b"key\0key\0secret"), Ok(("key", "secret")));
        // Passwords may hold anything but NUL.
        assert_eq!(
            parse_plain("\0k\0p w:ü/+=".as_bytes()),
            Ok(("k", "p w:ü/+="))
        );
        assert!(parse_plain(b"other\0key\0secret")
            .unwrap_err()
            .contains("authorization id"));
        assert!(parse_plain(b"\0\0secret").unwrap_err().contains("username"));
        assert!(parse_plain(b"\0key\0").unwrap_err().contains("password"));
        assert!(parse_plain(b"key\0secret")
            .unwrap_err()
            .contains("3 tokens"));
        assert!(parse_plain(b"\0a\0b\0c").unwrap_err().contains("3 tokens"));
        assert!(parse_plain(b"\0k\0\xff").unwrap_err().contains("UTF-8"));
    }
}
