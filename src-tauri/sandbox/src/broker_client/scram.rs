//! The sandbox's login to its own brokers: SCRAM-SHA-512 (RFC 5802, with RFC 7677's SHA-2
//! form) over Kafka's SaslHandshake + SaslAuthenticate, used by the sandbox's Kafka client
//! ([`super::BrokerClient`]) and by the front doors' connections to their broker.
//!
//! Each sandbox run makes one random [`BrokerLogin`]; the broker processes get it on stdin and
//! store only its salted SCRAM hash. The client checks the server's signature too, so a process
//! that grabbed a dead broker's port and answers in its place is not taken for the broker.
//! Salted passwords (PBKDF2, the only costly step) are cached per salt and iteration count, so
//! a new connection costs three HMACs and two hashes.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use bytes::Bytes;
use hmac::{Hmac, Mac};
use kafka_protocol::messages::{SaslAuthenticateRequest, SaslHandshakeRequest};
use kafka_protocol::protocol::StrBytes;
use rand::RngCore as _;
use sha2::{Digest, Sha256, Sha512};
use tokio::io::{AsyncRead, AsyncWrite};

use super::conn::{roundtrip, REQUEST_TIMEOUT};
use super::BrokerError;

/// The SCRAM hash. The brokers store SCRAM-SHA-512; SHA-256 is here for RFC 7677's test vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mechanism {
    ScramSha256,
    ScramSha512,
}

impl Mechanism {
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::ScramSha256 => "SCRAM-SHA-256",
            Mechanism::ScramSha512 => "SCRAM-SHA-512",
        }
    }

    fn hmac(self, key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
        macro_rules! mac {
            ($h:ty) => {{
                let mut mac =
                    <Hmac<$h> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
                for p in parts {
                    mac.update(p);
                }
                mac.finalize().into_bytes().to_vec()
            }};
        }
        match self {
            Mechanism::ScramSha256 => mac!(Sha256),
            Mechanism::ScramSha512 => mac!(Sha512),
        }
    }

    fn hash(self, data: &[u8]) -> Vec<u8> {
        match self {
            Mechanism::ScramSha256 => Sha256::digest(data).to_vec(),
            Mechanism::ScramSha512 => Sha512::digest(data).to_vec(),
        }
    }

    fn salt_password(self, password: &[u8], salt: &[u8], iterations: u32) -> Vec<u8> {
        match self {
            Mechanism::ScramSha256 => {
                let mut out = vec![0u8; 32];
                pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, iterations, &mut out);
                out
            }
            Mechanism::ScramSha512 => {
                let mut out = vec![0u8; 64];
                pbkdf2::pbkdf2_hmac::<Sha512>(password, salt, iterations, &mut out);
                out
            }
        }
    }
}

/// Kafka's lower bound for SCRAM iterations; the upper bound keeps an impostor from making us
/// spin on PBKDF2.
const MIN_ITERATIONS: u32 = 4096;
const MAX_ITERATIONS: u32 = 1_000_000;
/// Distinct (salt, iterations) pairs remembered; a sandbox has one per cluster.
const CACHE_MAX: usize = 256;

type SaltKey = (Mechanism, Vec<u8>, u32);

/// The internal user and password the sandbox's brokers accept, for one sandbox run. Cheap to
/// clone (shared). Its Debug output never shows the password.
#[derive(Clone)]
pub struct BrokerLogin(Arc<LoginInner>);

struct LoginInner {
    user: String,
    password: String,
    salted: Mutex<HashMap<SaltKey, Arc<Vec<u8>>>>,
}

impl Drop for LoginInner {
    fn drop(&mut self) {
        // SAFETY: zeroes are valid UTF-8.
        unsafe { self.password.as_bytes_mut() }.fill(0);
    }
}

impl fmt::Debug for BrokerLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BrokerLogin")
            .field("user", &self.0.user)
            .field("password", &"***")
            .finish()
    }
}

impl BrokerLogin {
    /// The user the sandbox's brokers know.
    pub const USER: &'static str = "gureum-sandbox";

    /// A new random login (256 bits of password).
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let login = Self::new(Self::USER, URL_SAFE_NO_PAD.encode(bytes));
        bytes.fill(0);
        login
    }

    /// A login with a given user and password (tests: a wrong password). The user must not
    /// contain ',' or '=' (SCRAM would escape them; the brokers refuse them).
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Self {
        BrokerLogin(Arc::new(LoginInner {
            user: user.into(),
            password: password.into(),
            salted: Mutex::new(HashMap::new()),
        }))
    }

    pub fn user(&self) -> &str {
        &self.0.user
    }

    /// The password, for a client that logs in by itself (tests going straight to a broker).
    pub fn expose_password(&self) -> &str {
        &self.0.password
    }

    /// The line a broker process reads from its stdin: `{"user": …, "password": …}` + newline.
    /// Holds the password: write it to the child's stdin and nowhere else.
    pub fn stdin_line(&self) -> String {
        let mut line =
            serde_json::json!({ "user": self.0.user, "password": self.0.password }).to_string();
        line.push('\n');
        line
    }

    fn salted_password(&self, mechanism: Mechanism, salt: &[u8], iterations: u32) -> Arc<Vec<u8>> {
        let key = (mechanism, salt.to_vec(), iterations);
        if let Some(hit) = self.cache().get(&key) {
            return hit.clone();
        }
        let salted =
            Arc::new(mechanism.salt_password(self.0.password.as_bytes(), salt, iterations));
        let mut cache = self.cache();
        if cache.len() >= CACHE_MAX {
            cache.clear();
        }
        cache.insert(key, salted.clone());
        salted
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, HashMap<SaltKey, Arc<Vec<u8>>>> {
        self.0.salted.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Logs in on a fresh connection (before any other request but ApiVersions) with
    /// SCRAM-SHA-512. `correlation_id` is the connection's next id; it is advanced. Fails with
    /// the broker's error (SASL_AUTHENTICATION_FAILED for a wrong password) or, if the server's
    /// signature is wrong, a protocol error: whoever answered does not hold our credential.
    pub async fn authenticate<S>(
        &self,
        io: &mut S,
        correlation_id: &mut i32,
    ) -> Result<(), BrokerError>
    where
        S: AsyncRead + AsyncWrite + Unpin + Send,
    {
        tokio::time::timeout(REQUEST_TIMEOUT, self.exchange(io, correlation_id))
            .await
            .map_err(|_| {
                BrokerError::Io(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "broker login timed out",
                ))
            })?
    }

    async fn exchange<S>(&self, io: &mut S, correlation_id: &mut i32) -> Result<(), BrokerError>
    where
        S: AsyncRead + AsyncWrite + Unpin + Send,
    {
        let mechanism = Mechanism::ScramSha512;
        let mut next = || {
            let id = *correlation_id;
            *correlation_id = correlation_id.wrapping_add(1);
            id
        };
        let handshake = SaslHandshakeRequest::default()
            .with_mechanism(StrBytes::from_static_str(mechanism.name()));
        let resp = roundtrip(io, next(), &handshake, 1).await?;
        super::check(resp.error_code, None)?;

        let mut scram = ScramClient::new(mechanism, self.user(), &random_nonce());
        let first =
            SaslAuthenticateRequest::default().with_auth_bytes(Bytes::from(scram.client_first()));
        let resp = roundtrip(io, next(), &first, 1).await?;
        super::check(resp.error_code, resp.error_message.as_ref())?;

        let last = scram.client_final(&resp.auth_bytes, |salt, iterations| {
            self.salted_password(mechanism, salt, iterations)
        })?;
        let last = SaslAuthenticateRequest::default().with_auth_bytes(Bytes::from(last));
        let resp = roundtrip(io, next(), &last, 1).await?;
        super::check(resp.error_code, resp.error_message.as_ref())?;
        scram.verify_server_final(&resp.auth_bytes)
    }
}

/// 24 random bytes, base64: printable, without ','.
fn random_nonce() -> String {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    STANDARD.encode(bytes)
}

fn scram_err(msg: impl Into<String>) -> BrokerError {
    BrokerError::Protocol(format!("SCRAM: {}", msg.into()))
}

/// Kafka's SASL_AUTHENTICATION_FAILED.
const SASL_AUTHENTICATION_FAILED: i16 = 58;

/// The server's SCRAM `e=` answer (a wrong password, an unknown user): the login was refused,
/// as a broker's SASL_AUTHENTICATION_FAILED says.
fn refused(reason: &str) -> BrokerError {
    BrokerError::broker(
        SASL_AUTHENTICATION_FAILED,
        Some(format!("SCRAM: the broker refused the login ({reason})")),
    )
}

/// One SCRAM exchange, client side, without I/O (so RFC 7677's test vector can drive it).
pub struct ScramClient {
    mechanism: Mechanism,
    nonce: String,
    client_first_bare: String,
    expected_server_signature: Option<Vec<u8>>,
}

impl ScramClient {
    /// `user` must not contain ',' or '='.
    pub fn new(mechanism: Mechanism, user: &str, nonce: &str) -> Self {
        ScramClient {
            mechanism,
            nonce: nonce.to_string(),
            client_first_bare: format!("n={user},r={nonce}"),
            expected_server_signature: None,
        }
    }

    /// client-first-message: no channel binding, no authzid.
    pub fn client_first(&self) -> String {
        format!("n,,{}", self.client_first_bare)
    }

    /// client-final-message for the server-first-message; `salted` gives the salted password
    /// for a salt and iteration count (cached by the caller).
    pub fn client_final(
        &mut self,
        server_first: &[u8],
        salted: impl FnOnce(&[u8], u32) -> Arc<Vec<u8>>,
    ) -> Result<String, BrokerError> {
        let server_first = std::str::from_utf8(server_first)
            .map_err(|_| scram_err("server-first-message is not UTF-8"))?;
        let (mut nonce, mut salt, mut iterations) = (None, None, None);
        for attr in server_first.split(',') {
            match attr.split_once('=') {
                Some(("r", v)) => nonce = Some(v),
                Some(("s", v)) => salt = Some(v),
                Some(("i", v)) => iterations = Some(v),
                Some(("m", _)) => return Err(scram_err("the server asks for an extension")),
                Some(("e", v)) => return Err(refused(v)),
                _ => {}
            }
        }
        let nonce = nonce.ok_or_else(|| scram_err("no nonce in server-first-message"))?;
        if !nonce.starts_with(&self.nonce) || nonce.len() == self.nonce.len() {
            return Err(scram_err("the server's nonce does not extend ours"));
        }
        let salt = STANDARD
            .decode(salt.ok_or_else(|| scram_err("no salt in server-first-message"))?)
            .map_err(|_| scram_err("the salt is not base64"))?;
        let iterations: u32 = iterations
            .ok_or_else(|| scram_err("no iteration count in server-first-message"))?
            .parse()
            .map_err(|_| scram_err("the iteration count is not a number"))?;
        if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations) {
            return Err(scram_err(format!(
                "iteration count {iterations} outside {MIN_ITERATIONS}..={MAX_ITERATIONS}"
            )));
        }
        let salted = salted(&salt, iterations);
        let m = self.mechanism;
        // "biws" = base64("n,,"): the GS2 header, no channel binding.
        let without_proof = format!("c=biws,r={nonce}");
        let auth_message = format!("{},{server_first},{without_proof}", self.client_first_bare);
        let client_key = m.hmac(&salted, &[b"Client Key"]);
        let stored_key = m.hash(&client_key);
        let client_signature = m.hmac(&stored_key, &[auth_message.as_bytes()]);
        let proof: Vec<u8> = client_key
            .iter()
            .zip(&client_signature)
            .map(|(k, s)| k ^ s)
            .collect();
        let server_key = m.hmac(&salted, &[b"Server Key"]);
        self.expected_server_signature = Some(m.hmac(&server_key, &[auth_message.as_bytes()]));
        Ok(format!("{without_proof},p={}", STANDARD.encode(proof)))
    }

    /// Checks the server-final-message's signature: only a server that holds our credential's
    /// ServerKey can make it.
    pub fn verify_server_final(&self, server_final: &[u8]) -> Result<(), BrokerError> {
        let expected = self
            .expected_server_signature
            .as_ref()
            .ok_or_else(|| scram_err("server-final-message before client-final-message"))?;
        let text = std::str::from_utf8(server_final)
            .map_err(|_| scram_err("server-final-message is not UTF-8"))?;
        let verifier = text
            .split(',')
            .find_map(|a| a.strip_prefix("v="))
            .ok_or_else(
                || match text.split(',').find_map(|a| a.strip_prefix("e=")) {
                    Some(e) => refused(e),
                    None => scram_err("no verifier in server-final-message"),
                },
            )?;
        let got = STANDARD
            .decode(verifier)
            .map_err(|_| scram_err("the server's verifier is not base64"))?;
        // Not secret, but compare in constant time anyway.
        let same = got.len() == expected.len()
            && got
                .iter()
                .zip(expected)
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if same {
            Ok(())
        } else {
            Err(scram_err(
                "the server's signature is wrong: whoever answered is not the sandbox's broker",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7677 section 3: user "user", password "pencil".
    #[test]
    fn rfc7677_sha256_vector() {
        let mut c = ScramClient::new(Mechanism::ScramSha256, "user", "rOprNGfwEbeRWgbNEkqO");
        assert_eq!(c.client_first(), "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        let server_first =
            b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        let mut asked = None;
        let last = c
            .client_final(server_first, |salt, iterations| {
                asked = Some((salt.to_vec(), iterations));
                Arc::new(Mechanism::ScramSha256.salt_password(b"pencil", salt, iterations))
            })
            .unwrap();
        assert_eq!(
            last,
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        );
        assert_eq!(
            asked,
            Some((STANDARD.decode("W22ZaJ0SNY7soEsUEjb6gQ==").unwrap(), 4096))
        );
        c.verify_server_final(b"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
            .unwrap();
        let forged = c
            .verify_server_final(b"v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
            .unwrap_err();
        assert!(
            forged.to_string().contains("signature is wrong"),
            "{forged}"
        );
        let refused = c.verify_server_final(b"e=invalid-proof").unwrap_err();
        assert_eq!(refused.code(), Some(58), "{refused}");
        assert!(refused.to_string().contains("invalid-proof"), "{refused}");
    }

    #[test]
    fn server_first_is_checked() {
        let salted = |_: &[u8], _: u32| Arc::new(vec![0u8; 64]);
        let mut c = ScramClient::new(Mechanism::ScramSha512, "u", "abc");
        // A nonce that does not extend ours (a replay), or is ours alone.
        assert!(c.client_final(b"r=xyz123,s=AAAA,i=4096", salted).is_err());
        assert!(c.client_final(b"r=abc,s=AAAA,i=4096", salted).is_err());
        // Too few or too many iterations.
        assert!(c.client_final(b"r=abcd,s=AAAA,i=1", salted).is_err());
        assert!(c
            .client_final(b"r=abcd,s=AAAA,i=2000000000", salted)
            .is_err());
        assert!(c.client_final(b"r=abcd,s=AAAA,i=4096", salted).is_ok());
        // The server-final-message must come after our final message.
        let fresh = ScramClient::new(Mechanism::ScramSha512, "u", "abc");
        assert!(fresh.verify_server_final(b"v=AAAA").is_err());
    }

    #[test]
    fn salted_passwords_are_cached_per_salt_and_iterations() {
        let login = BrokerLogin::new("u", "p");
        let a = login.salted_password(Mechanism::ScramSha512, b"salt", 4096);
        let b = login.salted_password(Mechanism::ScramSha512, b"salt", 4096);
        assert!(Arc::ptr_eq(&a, &b));
        let c = login.salted_password(Mechanism::ScramSha512, b"other", 4096);
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn the_password_stays_out_of_debug_output() {
        let login = BrokerLogin::generate();
        let shown = format!("{login:?}");
        assert!(!shown.contains(&login.0.password), "{shown}");
        assert!(login.0.password.len() >= 43);
        assert_eq!(login.user(), BrokerLogin::USER);
        let line: serde_json::Value = serde_json::from_str(login.stdin_line().trim()).unwrap();
        assert_eq!(line["password"], login.0.password.as_str());
    }
}
