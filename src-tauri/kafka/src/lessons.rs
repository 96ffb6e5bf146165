//! What the Learn lessons try on a cluster: getting in the ways a SaaS refuses (plaintext, a
//! wrong secret, a deleted key) and the way it accepts, and — with a service account's key — a
//! send and a read, to show what its ACLs allow.

use std::time::{Duration, Instant};

use gureum_secrets::Secret;
use serde::{Deserialize, Serialize};

use crate::producer::{Acks, Compression, OutRecord, Producers, SendOptions};
use crate::settings::{ClientSettings, Security};
use crate::topics;
use crate::KafkaError;

/// A way of trying to get into a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Probe {
    /// No TLS, no SASL: what a client configured for a self-run dev cluster does.
    Plaintext,
    /// SASL_SSL with the cluster's key and a wrong secret.
    WrongSecret,
    /// SASL_SSL with a key that was created and then deleted.
    DeletedKey,
    /// SASL_SSL + PLAIN with the key Gureum keeps for the cluster: the way in.
    Sasl,
}

/// Whether `good` logs in with an API key (SASL), which the probes vary.
pub fn is_cloud(good: &ClientSettings) -> bool {
    matches!(good.security, Security::Sasl { .. })
}

impl Probe {
    /// The settings this probe tries, from the cluster's good ones; `deleted` is the login of a
    /// deleted key (for [`Probe::DeletedKey`]). None: `good` has no API key login to vary, or a
    /// deleted key's login is needed and not given.
    pub fn settings(
        self,
        good: &ClientSettings,
        deleted: Option<(String, Secret)>,
    ) -> Option<ClientSettings> {
        let Security::Sasl { username, .. } = &good.security else {
            return None;
        };
        Some(match self {
            Probe::Sasl => good.clone(),
            Probe::Plaintext => good.plaintext(),
            Probe::WrongSecret => good.with_login(username, Secret::new("not-the-secret")),
            Probe::DeletedKey => {
                let (key, secret) = deleted?;
                good.with_login(&key, secret)
            }
        })
    }
}

/// What happened when a client tried to get in and list the topics.
#[derive(Debug)]
pub struct Probed {
    pub accepted: bool,
    pub error: Option<KafkaError>,
    /// The settings tried, the secret masked.
    pub settings: Vec<(String, String)>,
    pub took: Duration,
    /// Topics the client could see, when accepted.
    pub topics: usize,
}

/// Tries `tried` for at most `timeout`. Blocking.
pub fn probe(tried: &ClientSettings, timeout: Duration) -> Probed {
    let settings = tried
        .properties(false)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let started = Instant::now();
    let outcome = topics::list_within(tried, timeout);
    let took = started.elapsed();
    match outcome {
        Ok(list) => Probed {
            accepted: true,
            error: None,
            settings,
            took,
            topics: list.len(),
        },
        Err(e) => Probed {
            accepted: false,
            error: Some(e),
            settings,
            took,
            topics: 0,
        },
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AclAction {
    /// Send one record, as the application's producer would.
    Send,
    /// Read the topic in the lesson's consumer group, as the application's consumer would.
    Read,
}

/// What an allowed try did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AclDone {
    /// Sent: where the record went.
    pub partition: Option<i32>,
    pub offset: Option<i64>,
    /// Read: records read (to the end of the topic, at most 100).
    pub records: Option<u64>,
}

/// How long a read may take.
const READ_TIMEOUT: Duration = Duration::from_secs(20);

/// Sends one record to `topic` (with the warm producer) or reads it in `group`, as the
/// application would with these settings; a refusal names what was refused.
pub async fn acl_try(
    producers: &Producers,
    settings: &ClientSettings,
    topic: &str,
    group: &str,
    action: AclAction,
) -> Result<AclDone, KafkaError> {
    match action {
        AclAction::Send => {
            let record = OutRecord {
                topic: topic.to_string(),
                partition: None,
                key: None,
                value: Some(b"{\"from\": \"the ACL lesson\"}".to_vec()),
                headers: Vec::new(),
                timestamp_ms: None,
            };
            let opts = SendOptions {
                acks: Acks::All,
                compression: Compression::None,
            };
            let d = producers.send(settings, opts, record).await?;
            Ok(AclDone {
                partition: Some(d.partition),
                offset: Some(d.offset),
                records: None,
            })
        }
        AclAction::Read => {
            let (s, topic, group) = (settings.clone(), topic.to_string(), group.to_string());
            let read = tokio::task::spawn_blocking(move || {
                topics::try_read(&s, &topic, &group, 100, READ_TIMEOUT)
            })
            .await
            .map_err(|e| KafkaError::invalid(format!("the read stopped: {e}")))??;
            Ok(AclDone {
                records: Some(read.records),
                ..AclDone::default()
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gureum_connections::{KafkaSettings, SaslMechanism, SecurityProtocol};

    fn cloud() -> ClientSettings {
        ClientSettings::confluent("127.0.0.1:1", "KEY", Secret::new("s3cret"), None)
    }

    #[test]
    fn probes_vary_the_clusters_login() {
        let good = cloud();
        assert!(is_cloud(&good));
        let shown = |s: &ClientSettings| s.properties(true);
        let get =
            |p: &[(&str, String)], k: &str| p.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
        let wrong = Probe::WrongSecret.settings(&good, None).unwrap();
        assert_eq!(get(&shown(&wrong), "sasl.username").as_deref(), Some("KEY"));
        assert_eq!(
            get(&shown(&wrong), "sasl.password").as_deref(),
            Some("not-the-secret")
        );
        let plain = Probe::Plaintext.settings(&good, None).unwrap();
        assert!(!is_cloud(&plain));
        assert!(Probe::DeletedKey.settings(&good, None).is_none());
        let deleted = Probe::DeletedKey
            .settings(&good, Some(("GONE".into(), Secret::new("x"))))
            .unwrap();
        assert_eq!(
            get(&shown(&deleted), "sasl.username").as_deref(),
            Some("GONE")
        );
        assert_eq!(
            Probe::Sasl.settings(&good, None).unwrap().properties(true),
            good.properties(true)
        );
        // A cluster reached without an API key has nothing to vary.
        let k = KafkaSettings {
            bootstrap_servers: "127.0.0.1:1".into(),
            security_protocol: SecurityProtocol::Plaintext,
            sasl_mechanism: SaslMechanism::Plain,
            sasl_username: String::new(),
            ssl_ca_location: String::new(),
        };
        let kafka = ClientSettings::kafka(&k, None).unwrap();
        assert!(!is_cloud(&kafka));
        assert!(Probe::Sasl.settings(&kafka, None).is_none());
    }

    #[test]
    fn a_probe_nobody_answers_is_refused_with_the_reason() {
        let p = probe(&cloud().plaintext(), Duration::from_millis(500));
        assert!(!p.accepted);
        assert!(p.error.is_some());
        assert_eq!(p.topics, 0);
        assert!(p.settings.iter().any(|(k, _)| k == "bootstrap.servers"));
    }
}
