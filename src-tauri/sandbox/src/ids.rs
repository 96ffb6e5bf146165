//! Identifiers and secrets shaped like Confluent Cloud's (ids are opaque to clients anyway).

use rand::distr::{Alphanumeric, SampleString};
use rand::Rng;
use sha2::{Digest, Sha256};

/// `env-`, `lkc-`, `sa-` followed by 5–6 lower-case alphanumerics, as in Confluent's ids.
pub fn resource_id(prefix: &str) -> String {
    const CHARS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut rng = rand::rng();
    let tail: String = (0..6)
        .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
        .collect();
    format!("{prefix}-{tail}")
}

/// API key ids are 16 upper-case alphanumerics (7FJIYKQ4SGQDQ72H).
pub fn api_key_id() -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
        .collect()
}

/// 64 characters of a base64-like alphabet, like Confluent's secrets (~380 bits of entropy).
pub fn api_secret() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 64)
}

/// Only a hash of a secret is kept. Secrets are long and random, so a plain SHA-256 is enough
/// (a slow password hash would add nothing but latency to every SASL handshake).
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares a secret with a stored hash in constant time.
pub fn secret_matches(secret: &str, hash: &str) -> bool {
    let computed = hash_secret(secret);
    computed.len() == hash.len()
        && computed
            .bytes()
            .zip(hash.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert!(resource_id("lkc").starts_with("lkc-") && resource_id("lkc").len() == 10);
        let k = api_key_id();
        assert!(
            k.len() == 16
                && k.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        );
        assert_eq!(api_secret().len(), 64);
    }

    #[test]
    fn secret_hash_round_trip() {
        let s = api_secret();
        let h = hash_secret(&s);
        assert!(secret_matches(&s, &h));
        assert!(!secret_matches("nope", &h));
        assert!(!h.contains(&s));
    }
}
