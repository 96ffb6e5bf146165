//! The front door's protocol edges, spoken frame by frame (kafka-protocol over tokio-rustls)
//! against a real nisshi broker: what librdkafka never sends but other clients may.

use crate::front_door_support as support;

use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use kafka_protocol::messages::{
    ApiKey, ApiVersionsRequest, ApiVersionsResponse, MetadataRequest, MetadataResponse,
    RequestHeader, ResponseHeader, SaslAuthenticateRequest, SaslAuthenticateResponse,
    SaslHandshakeRequest, SaslHandshakeResponse,
};
use kafka_protocol::protocol::{Decodable, Encodable, Request, StrBytes};
use rustls::pki_types::{CertificateDer, ServerName};
use support::{Broker, Door, KEY, SECRET};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

/// A bare Kafka connection: TLS to the front door, or plaintext to the broker.
struct Raw<S> {
    io: S,
    correlation_id: i32,
}

async fn tls_to(door: &Door) -> Raw<tokio_rustls::client::TlsStream<TcpStream>> {
    let mut roots = rustls::RootCertStore::empty();
    let pem = door.ca.cert_pem();
    let ca: CertificateDer = {
        use rustls::pki_types::pem::PemObject;
        CertificateDer::from_pem_slice(pem.as_bytes()).unwrap()
    };
    roots.add(ca).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let tcp = TcpStream::connect(door.front.local_addr()).await.unwrap();
    let name = ServerName::try_from("127.0.0.1").unwrap();
    let io = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .unwrap();
    Raw {
        io,
        correlation_id: 0,
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Raw<S> {
    async fn send<R: Request>(&mut self, version: i16, body: &R) -> i32 {
        self.correlation_id += 1;
        let key = ApiKey::try_from(R::KEY).unwrap();
        let header = RequestHeader::default()
            .with_request_api_key(R::KEY)
            .with_request_api_version(version)
            .with_correlation_id(self.correlation_id)
            .with_client_id(Some(StrBytes::from_static_str("raw-test")));
        let mut buf = BytesMut::new();
        header
            .encode(&mut buf, key.request_header_version(version))
            .unwrap();
        body.encode(&mut buf, version).unwrap();
        self.write_frame(&buf).await;
        self.correlation_id
    }

    async fn write_frame(&mut self, bytes: &[u8]) {
        self.io.write_i32(bytes.len() as i32).await.unwrap();
        self.io.write_all(bytes).await.unwrap();
        self.io.flush().await.unwrap();
    }

    /// The next frame, or None when the peer closed (within 5 s).
    async fn frame(&mut self) -> Option<Bytes> {
        let read = async {
            let size = self.io.read_i32().await.ok()?;
            let mut buf = vec![0; size as usize];
            self.io.read_exact(&mut buf).await.ok()?;
            Some(Bytes::from(buf))
        };
        tokio::time::timeout(Duration::from_secs(5), read)
            .await
            .expect("no answer and no close within 5 s")
    }

    async fn call<R: Request>(&mut self, version: i16, body: &R) -> R::Response {
        let corr = self.send(version, body).await;
        let mut frame = self
            .frame()
            .await
            .expect("connection closed instead of answering");
        let key = ApiKey::try_from(R::KEY).unwrap();
        let header =
            ResponseHeader::decode(&mut frame, key.response_header_version(version)).unwrap();
        assert_eq!(header.correlation_id, corr);
        R::Response::decode(&mut frame, version).unwrap()
    }

    async fn handshake(&mut self, version: i16, mechanism: &'static str) -> SaslHandshakeResponse {
        let req =
            SaslHandshakeRequest::default().with_mechanism(StrBytes::from_static_str(mechanism));
        self.call(version, &req).await
    }

    async fn authenticate(
        &mut self,
        version: i16,
        user: &str,
        password: &str,
    ) -> SaslAuthenticateResponse {
        let token = Bytes::from(format!("\0{user}\0{password}"));
        self.call(
            version,
            &SaslAuthenticateRequest::default().with_auth_bytes(token),
        )
        .await
    }
}

fn range(r: &ApiVersionsResponse, key: ApiKey) -> Option<(i16, i16)> {
    r.api_keys
        .iter()
        .find(|a| a.api_key == key as i16)
        .map(|a| (a.min_version, a.max_version))
}

fn api_versions_request() -> ApiVersionsRequest {
    ApiVersionsRequest::default()
        .with_client_software_name(StrBytes::from_static_str("raw-test"))
        .with_client_software_version(StrBytes::from_static_str("1"))
}

#[tokio::test]
async fn api_versions_lists_the_sasl_apis_in_every_version() {
    let broker = Broker::start();
    let door = Door::start(broker.addr).await;
    // What nisshi itself says, for comparison (plaintext, straight to the broker).
    let mut direct = Raw {
        io: TcpStream::connect(broker.addr).await.unwrap(),
        correlation_id: 0,
    };
    let nisshi = direct.call(3, &api_versions_request()).await;
    println!(
        "nisshi advertises SaslHandshake {:?}, SaslAuthenticate {:?}, Metadata {:?}",
        range(&nisshi, ApiKey::SaslHandshake),
        range(&nisshi, ApiKey::SaslAuthenticate),
        range(&nisshi, ApiKey::Metadata)
    );
    for version in 0..=3 {
        let mut raw = tls_to(&door).await;
        let r = raw.call(version, &api_versions_request()).await;
        assert_eq!(r.error_code, 0, "v{version}");
        assert_eq!(range(&r, ApiKey::SaslHandshake), Some((0, 1)), "v{version}");
        assert_eq!(
            range(&r, ApiKey::SaslAuthenticate),
            Some((0, 2)),
            "v{version}"
        );
        // The rest is the broker's list.
        assert_eq!(
            range(&r, ApiKey::Produce),
            range(&nisshi, ApiKey::Produce),
            "v{version}"
        );
    }
}

#[tokio::test]
async fn a_request_before_authentication_closes_the_connection() {
    let broker = Broker::start();
    let door = Door::start(broker.addr).await;
    let mut raw = tls_to(&door).await;
    raw.send(1, &MetadataRequest::default()).await;
    assert!(
        raw.frame().await.is_none(),
        "Metadata before SASL must close the connection"
    );
}

#[tokio::test]
async fn handshake_v1_refuses_other_mechanisms() {
    let broker = Broker::start();
    let door = Door::start(broker.addr).await;
    let mut raw = tls_to(&door).await;
    let r = raw.handshake(1, "SCRAM-SHA-256").await;
    assert_eq!(r.error_code, 33); // UNSUPPORTED_SASL_MECHANISM
    assert_eq!(r.mechanisms, vec![StrBytes::from_static_str("PLAIN")]);
    assert!(
        raw.frame().await.is_none(),
        "closed after refusing the mechanism"
    );
}

#[tokio::test]
async fn authenticate_failure_carries_the_message_then_closes() {
    let broker = Broker::start();
    let door = Door::start(broker.addr).await;
    for version in 0..=2 {
        let mut raw = tls_to(&door).await;
        assert_eq!(raw.handshake(1, "PLAIN").await.error_code, 0);
        let r = raw.authenticate(version, KEY, "wrong").await;
        assert_eq!(r.error_code, 58, "v{version}"); // SASL_AUTHENTICATION_FAILED
        assert_eq!(
            r.error_message.as_deref(),
            Some(support::BAD_SECRET_MESSAGE),
            "v{version}"
        );
        assert!(
            raw.frame().await.is_none(),
            "v{version}: closed after the failure"
        );
    }
}

#[tokio::test]
async fn authenticate_without_handshake_is_an_illegal_state() {
    let broker = Broker::start();
    let door = Door::start(broker.addr).await;
    let mut raw = tls_to(&door).await;
    let r = raw.authenticate(1, KEY, SECRET).await;
    assert_eq!(r.error_code, 34); // ILLEGAL_SASL_STATE
    assert!(raw.frame().await.is_none());
}

/// Metadata after authentication, at an old and a flexible version: brokers point at the door.
async fn assert_metadata_points_at(raw: &mut Raw<impl AsyncRead + AsyncWrite + Unpin>, port: u16) {
    for version in [1, 12] {
        let r: MetadataResponse = raw.call(version, &MetadataRequest::default()).await;
        assert!(!r.brokers.is_empty());
        for b in &r.brokers {
            assert_eq!(
                (b.host.as_str(), b.port),
                ("127.0.0.1", i32::from(port)),
                "v{version}"
            );
        }
    }
}

#[tokio::test]
async fn v1_handshake_and_authenticate_then_metadata_is_rewritten() {
    let broker = Broker::start();
    let door = Door::start(broker.addr).await;
    for version in 0..=2 {
        let mut raw = tls_to(&door).await;
        assert_eq!(raw.handshake(1, "PLAIN").await.error_code, 0);
        let r = raw.authenticate(version, KEY, SECRET).await;
        assert_eq!((r.error_code, r.error_message), (0, None), "v{version}");
        assert_metadata_points_at(&mut raw, door.port()).await;
    }
}

#[tokio::test]
async fn legacy_v0_handshake_with_a_raw_plain_token() {
    let broker = Broker::start();
    let door = Door::start(broker.addr).await;
    let mut raw = tls_to(&door).await;
    assert_eq!(raw.handshake(0, "PLAIN").await.error_code, 0);
    // After v0 the token goes raw (size-prefixed, no Kafka header); success is an empty token.
    raw.write_frame(format!("\0{KEY}\0{SECRET}").as_bytes())
        .await;
    assert_eq!(raw.frame().await.expect("an empty token").len(), 0);
    assert_metadata_points_at(&mut raw, door.port()).await;

    let mut raw = tls_to(&door).await;
    assert_eq!(raw.handshake(0, "PLAIN").await.error_code, 0);
    raw.write_frame(format!("\0{KEY}\0wrong").as_bytes()).await;
    assert!(
        raw.frame().await.is_none(),
        "a failed v0 exchange just closes"
    );
}

#[tokio::test]
async fn shutdown_closes_live_connections_and_the_port() {
    let broker = Broker::start();
    let door = Door::start(broker.addr).await;
    let addr = door.front.local_addr();
    let mut raw = tls_to(&door).await;
    assert_eq!(raw.handshake(1, "PLAIN").await.error_code, 0);
    assert_eq!(raw.authenticate(2, KEY, SECRET).await.error_code, 0);
    assert_metadata_points_at(&mut raw, door.port()).await;

    tokio::time::timeout(Duration::from_secs(5), door.front.shutdown())
        .await
        .expect("shutdown hung");
    assert!(
        raw.frame().await.is_none(),
        "a live connection is closed by shutdown"
    );
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "the port no longer accepts"
    );
    let m = &door.meter;
    let closed = m.closed.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(
        closed,
        m.opened.load(std::sync::atomic::Ordering::SeqCst),
        "every connection was closed in the meter"
    );
}
