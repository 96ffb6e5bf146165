//! The sandbox's own certificate authority and the front door's server certificate.
//!
//! Clients trust the sandbox the way they trust Confluent Cloud: through a CA certificate
//! (`ssl.ca.location`). The CA is generated once per sandbox; its key is kept by the caller (the
//! OS keyring, never a file). Every front door start issues a fresh leaf certificate signed by
//! that CA and keeps it only in memory, so no server key ever touches the disk.
//!
//! rcgen is built without `x509-parser`, so it cannot rebuild an issuer from an existing CA
//! certificate; [`SandboxCa::from_pem`] reads the few fields it needs (the subject name and the
//! public key) with the small DER reader in `der` below.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use chrono::{Datelike, Days, NaiveDate, Utc};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType, SerialNumber, PKCS_ECDSA_P256_SHA256,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// Why a CA could not be made, loaded, or used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("certificate generation failed: {0}")]
    Rcgen(#[from] rcgen::Error),
    #[error("TLS configuration failed: {0}")]
    Rustls(#[from] rustls::Error),
    #[error("invalid CA certificate PEM: {0}")]
    CertPem(String),
    #[error("invalid CA key PEM: {0}")]
    KeyPem(String),
    #[error("the CA key does not belong to the CA certificate")]
    KeyMismatch,
    #[error("no host names given for the server certificate")]
    NoHosts,
}

/// How long a new CA is valid. Long, because clients keep its PEM in their config files.
const CA_VALID_DAYS: u64 = 3650;
/// How long a leaf is valid. Leaves are re-issued at every front door start, so this only has
/// to outlive one run of the app; 825 days is the most public CAs' clients accept.
const LEAF_VALID_DAYS: u64 = 825;

/// The sandbox's certificate authority: a self-signed ECDSA P-256 CA.
pub struct SandboxCa {
    cert_der: CertificateDer<'static>,
    key: KeyPair,
    /// The CA's subject, as it must appear (byte for byte) as the issuer of every leaf.
    subject: DistinguishedName,
}

impl fmt::Debug for SandboxCa {
    // Never print the key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxCa")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

impl SandboxCa {
    /// A fresh CA named `common_name`.
    pub fn generate(common_name: &str) -> Result<SandboxCa, TlsError> {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let mut subject = DistinguishedName::new();
        subject.push(DnType::CommonName, common_name);

        let mut params = CertificateParams::default();
        params.distinguished_name = subject.clone();
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0)); // signs leaves only
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        params.serial_number = Some(random_serial());
        set_validity(&mut params, CA_VALID_DAYS);

        let cert = params.self_signed(&key)?;
        Ok(SandboxCa {
            cert_der: cert.der().clone(),
            key,
            subject,
        })
    }

    /// A CA made earlier by [`SandboxCa::generate`], from its certificate and PKCS#8 key PEMs.
    pub fn from_pem(cert_pem: &str, key_pem: &str) -> Result<SandboxCa, TlsError> {
        use rustls::pki_types::pem::PemObject;
        let cert_der = rustls::pki_types::CertificateDer::from_pem_slice(cert_pem.as_bytes())
            .map_err(|e| TlsError::CertPem(e.to_string()))?;
        let key = KeyPair::from_pem(key_pem).map_err(|e| TlsError::KeyPem(e.to_string()))?;
        let parsed = der::parse_cert(&cert_der).map_err(TlsError::CertPem)?;
        if parsed.public_key != key.public_key_raw() {
            return Err(TlsError::KeyMismatch);
        }
        Ok(SandboxCa {
            cert_der,
            key,
            subject: parsed.subject,
        })
    }

    /// The CA certificate, for clients' `ssl.ca.location`.
    pub fn cert_pem(&self) -> String {
        pem_encode("CERTIFICATE", &self.cert_der)
    }

    /// The CA's private key (PKCS#8 PEM). Secret: the caller keeps it in the OS keyring.
    pub fn key_pem(&self) -> String {
        self.key.serialize_pem()
    }

    /// A server config holding a fresh leaf certificate for `hosts` (IP addresses become IP
    /// SANs, anything else a DNS SAN), signed by this CA. The leaf exists only in memory.
    pub fn server_config(&self, hosts: &[&str]) -> Result<Arc<rustls::ServerConfig>, TlsError> {
        let (leaf_der, leaf_key) = self.issue_leaf(hosts)?;
        // An explicit provider: the process default may be unset, or another crate's choice.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(vec![leaf_der], leaf_key)?;
        Ok(Arc::new(config))
    }

    fn issue_leaf(
        &self,
        hosts: &[&str],
    ) -> Result<(CertificateDer<'static>, PrivateKeyDer<'static>), TlsError> {
        let first = hosts.first().ok_or(TlsError::NoHosts)?;
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let mut params = CertificateParams::default();
        params.distinguished_name.push(DnType::CommonName, *first);
        params.subject_alt_names = hosts
            .iter()
            .map(|h| match h.parse::<IpAddr>() {
                Ok(ip) => Ok(SanType::IpAddress(ip)),
                Err(_) => Ok(SanType::DnsName((*h).try_into()?)),
            })
            .collect::<Result<_, rcgen::Error>>()?;
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true; // OpenSSL chains by it
        params.serial_number = Some(random_serial());
        set_validity(&mut params, LEAF_VALID_DAYS);

        let mut issuer_params = CertificateParams::default();
        issuer_params.distinguished_name = self.subject.clone();
        let issuer = Issuer::from_params(&issuer_params, &self.key);
        let cert = params.signed_by(&key, &issuer)?;
        let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        Ok((cert.der().clone(), key_der))
    }
}

/// A positive 16-byte serial: RFC 5280 wants them unique per CA and at most 20 bytes.
fn random_serial() -> SerialNumber {
    let mut bytes: [u8; 16] = rand::random();
    bytes[0] &= 0x7f;
    SerialNumber::from_slice(&bytes)
}

/// Valid from yesterday (tolerates a client clock a little behind) for `days`.
fn set_validity(params: &mut CertificateParams, days: u64) {
    let start = Utc::now().date_naive() - Days::new(1);
    let end = start + Days::new(days);
    let ymd = |d: NaiveDate| rcgen::date_time_ymd(d.year(), d.month() as u8, d.day() as u8);
    params.not_before = ymd(start);
    params.not_after = ymd(end);
}

fn pem_encode(label: &str, der: &[u8]) -> String {
    // Base64 in 64-column lines, as RFC 7468 asks.
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Just enough DER to read an X.509 certificate's subject and public key.
mod der {
    use rcgen::string::PrintableString;
    use rcgen::{DistinguishedName, DnType, DnValue};

    pub struct ParsedCert {
        pub subject: DistinguishedName,
        pub public_key: Vec<u8>,
    }

    /// One TLV: (tag, contents, rest).
    fn tlv(input: &[u8]) -> Result<(u8, &[u8], &[u8]), String> {
        let (&tag, rest) = input.split_first().ok_or("truncated DER")?;
        let (&first, mut rest) = rest.split_first().ok_or("truncated DER")?;
        let len = if first < 0x80 {
            first as usize
        } else {
            let n = (first & 0x7f) as usize;
            if n == 0 || n > 4 || rest.len() < n {
                return Err("bad DER length".into());
            }
            let len = rest[..n]
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | *b as usize);
            rest = &rest[n..];
            len
        };
        if rest.len() < len {
            return Err("truncated DER".into());
        }
        Ok((tag, &rest[..len], &rest[len..]))
    }

    fn expect(input: &[u8], want: u8) -> Result<(&[u8], &[u8]), String> {
        let (tag, body, rest) = tlv(input)?;
        if tag != want {
            return Err(format!("expected DER tag {want:#x}, found {tag:#x}"));
        }
        Ok((body, rest))
    }

    const SEQUENCE: u8 = 0x30;
    const SET: u8 = 0x31;

    pub fn parse_cert(cert: &[u8]) -> Result<ParsedCert, String> {
        let (cert, _) = expect(cert, SEQUENCE)?;
        let (tbs, _) = expect(cert, SEQUENCE)?;
        let mut rest = tbs;
        if rest.first() == Some(&0xa0) {
            rest = tlv(rest)?.2; // [0] version
        }
        rest = tlv(rest)?.2; // serialNumber
        rest = expect(rest, SEQUENCE)?.1; // signature algorithm
        rest = expect(rest, SEQUENCE)?.1; // issuer
        rest = expect(rest, SEQUENCE)?.1; // validity
        let (subject, rest) = expect(rest, SEQUENCE)?;
        let (spki, _) = expect(rest, SEQUENCE)?;
        let (_, spki) = expect(spki, SEQUENCE)?; // algorithm
        let (bits, _) = expect(spki, 0x03)?; // BIT STRING: unused-bits byte, then the key
        let public_key = bits.get(1..).ok_or("empty public key")?.to_vec();
        Ok(ParsedCert {
            subject: parse_name(subject)?,
            public_key,
        })
    }

    /// Name ::= SEQUENCE OF SET OF { type OID, value }, rebuilt as rcgen entries that encode
    /// to the same bytes (same attribute types, same string types, same order).
    fn parse_name(mut name: &[u8]) -> Result<DistinguishedName, String> {
        let mut dn = DistinguishedName::new();
        while !name.is_empty() {
            let (rdn, rest) = expect(name, SET)?;
            name = rest;
            let (atv, _) = expect(rdn, SEQUENCE)?;
            let (oid, atv) = expect(atv, 0x06)?;
            let (tag, value, _) = tlv(atv)?;
            let value = String::from_utf8(value.to_vec()).map_err(|_| "non-UTF-8 name")?;
            let value = match tag {
                0x0c => DnValue::Utf8String(value),
                0x13 => DnValue::PrintableString(
                    PrintableString::try_from(value).map_err(|e| e.to_string())?,
                ),
                other => return Err(format!("unsupported string type {other:#x} in subject")),
            };
            dn.push(dn_type(oid)?, value);
        }
        Ok(dn)
    }

    fn dn_type(oid: &[u8]) -> Result<DnType, String> {
        // 2.5.4.x is encoded 55 04 x.
        match oid {
            [0x55, 0x04, 3] => Ok(DnType::CommonName),
            [0x55, 0x04, 6] => Ok(DnType::CountryName),
            [0x55, 0x04, 7] => Ok(DnType::LocalityName),
            [0x55, 0x04, 8] => Ok(DnType::StateOrProvinceName),
            [0x55, 0x04, 10] => Ok(DnType::OrganizationName),
            [0x55, 0x04, 11] => Ok(DnType::OrganizationalUnitName),
            _ => Err("unsupported attribute type in subject".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::DnValue;
    use rustls::pki_types::ServerName;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn client_config(ca: &SandboxCa) -> Arc<rustls::ClientConfig> {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca.cert_der.clone()).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        Arc::new(
            rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_root_certificates(roots)
                .with_no_client_auth(),
        )
    }

    /// A full TLS handshake over an in-memory pipe; Ok if the client verified the server.
    async fn handshake(
        server: Arc<rustls::ServerConfig>,
        client: Arc<rustls::ClientConfig>,
        name: &str,
    ) -> std::io::Result<()> {
        let (c, s) = tokio::io::duplex(64 * 1024);
        let acceptor = tokio_rustls::TlsAcceptor::from(server);
        let server = tokio::spawn(async move {
            let mut tls = acceptor.accept(s).await?;
            let mut buf = [0u8; 4];
            tls.read_exact(&mut buf).await?;
            tls.write_all(&buf).await?;
            tls.flush().await?;
            std::io::Result::Ok(())
        });
        let connector = tokio_rustls::TlsConnector::from(client);
        let name = ServerName::try_from(name.to_string()).unwrap();
        let mut tls = connector.connect(name, c).await?;
        tls.write_all(b"ping").await?;
        let mut buf = [0u8; 4];
        tls.read_exact(&mut buf).await?;
        assert_eq!(&buf, b"ping");
        drop(tls);
        let _ = server.await;
        Ok(())
    }

    #[tokio::test]
    async fn leaf_verifies_for_ip_and_dns_names() {
        let ca = SandboxCa::generate("Gureum sandbox CA").unwrap();
        let server = ca.server_config(&["127.0.0.1", "localhost"]).unwrap();
        handshake(server.clone(), client_config(&ca), "127.0.0.1")
            .await
            .unwrap();
        handshake(server.clone(), client_config(&ca), "localhost")
            .await
            .unwrap();
        // A name the leaf does not carry is refused.
        assert!(handshake(server, client_config(&ca), "example.com")
            .await
            .is_err());
    }

    #[tokio::test]
    async fn another_ca_is_not_trusted() {
        let ca = SandboxCa::generate("sandbox A").unwrap();
        let other = SandboxCa::generate("sandbox A").unwrap(); // same name, other key
        let server = ca.server_config(&["127.0.0.1"]).unwrap();
        assert!(handshake(server, client_config(&other), "127.0.0.1")
            .await
            .is_err());
    }

    #[tokio::test]
    async fn reloaded_ca_issues_leaves_the_original_cert_verifies() {
        let ca = SandboxCa::generate("Gureum sandbox CA").unwrap();
        let again = SandboxCa::from_pem(&ca.cert_pem(), &ca.key_pem()).unwrap();
        assert_eq!(again.cert_pem(), ca.cert_pem());
        assert_eq!(again.key_pem(), ca.key_pem());
        // Clients hold the original PEM; leaves from the reloaded CA must chain to it.
        let server = again.server_config(&["127.0.0.1"]).unwrap();
        handshake(server, client_config(&ca), "127.0.0.1")
            .await
            .unwrap();
    }

    #[test]
    fn pem_shapes() {
        let ca = SandboxCa::generate("x").unwrap();
        let cert = ca.cert_pem();
        assert!(cert.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(cert.ends_with("-----END CERTIFICATE-----\n"));
        assert!(cert.lines().all(|l| l.len() <= 64));
        assert!(ca.key_pem().starts_with("-----BEGIN PRIVATE KEY-----"));
        // Debug must not leak the key.
        let dbg = format!("{ca:?}");
        assert!(!dbg.contains("PRIVATE") && !dbg.contains(&ca.key_pem()[30..60]));
    }

    #[test]
    fn from_pem_rejects_a_foreign_key_and_garbage() {
        let a = SandboxCa::generate("a").unwrap();
        let b = SandboxCa::generate("b").unwrap();
        assert!(matches!(
            SandboxCa::from_pem(&a.cert_pem(), &b.key_pem()),
            Err(TlsError::KeyMismatch)
        ));
        assert!(matches!(
            SandboxCa::from_pem("nope", &a.key_pem()),
            Err(TlsError::CertPem(_))
        ));
        assert!(matches!(
            SandboxCa::from_pem(&a.cert_pem(), "nope"),
            Err(TlsError::KeyPem(_))
        ));
    }

    #[test]
    fn server_config_needs_a_host() {
        let ca = SandboxCa::generate("x").unwrap();
        assert!(matches!(ca.server_config(&[]), Err(TlsError::NoHosts)));
    }

    #[test]
    fn subject_with_printable_and_several_attributes_round_trips() {
        // from_pem must rebuild the subject byte for byte, whatever rcgen chose to encode.
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap();
        let mut params = CertificateParams::default();
        params
            .distinguished_name
            .push(DnType::OrganizationName, "Gureum");
        params.distinguished_name.push(
            DnType::CountryName,
            DnValue::PrintableString("KR".try_into().unwrap()),
        );
        params.distinguished_name.push(DnType::CommonName, "CA ü");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let cert = params.self_signed(&key).unwrap();
        let parsed = der::parse_cert(cert.der()).unwrap();
        assert_eq!(parsed.subject, params.distinguished_name);
        assert_eq!(parsed.public_key, key.public_key_raw());
    }
}
