//! How a client reaches a cluster. Confluent Cloud (and the sandbox, which speaks the same
//! contract): `SASL_SSL` + `PLAIN` with a cluster API key as username and its secret as password;
//! the sandbox adds its own CA. Any other Kafka: what its connection says.

use std::path::PathBuf;

use gureum_connections::{KafkaSettings, SaslMechanism, SecurityProtocol};
use gureum_secrets::Secret;
use rdkafka::ClientConfig;
use sha2::{Digest, Sha256};

use crate::error::KafkaError;

#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// `host:port[,host:port…]`.
    pub bootstrap: String,
    pub security: Security,
}

#[derive(Debug, Clone)]
pub enum Security {
    Plaintext,
    Ssl {
        /// A PEM file of CAs to trust; None: the system's.
        ca: Option<PathBuf>,
    },
    Sasl {
        tls: bool,
        mechanism: SaslMechanism,
        username: String,
        password: Secret,
        ca: Option<PathBuf>,
    },
}

fn mechanism_name(m: SaslMechanism) -> &'static str {
    match m {
        SaslMechanism::Plain => "PLAIN",
        SaslMechanism::ScramSha256 => "SCRAM-SHA-256",
        SaslMechanism::ScramSha512 => "SCRAM-SHA-512",
    }
}

impl ClientSettings {
    /// A Confluent Cloud cluster (or a sandbox one): `spec.kafka_bootstrap_endpoint` (with or
    /// without its `SASL_SSL://`), a Kafka API key of that cluster, and — for the sandbox only —
    /// the CA to trust.
    pub fn confluent(
        bootstrap_endpoint: &str,
        key: &str,
        secret: Secret,
        ca: Option<PathBuf>,
    ) -> Self {
        ClientSettings {
            bootstrap: bootstrap_endpoint
                .trim()
                .trim_start_matches("SASL_SSL://")
                .to_string(),
            security: Security::Sasl {
                tls: true,
                mechanism: SaslMechanism::Plain,
                username: key.to_string(),
                password: secret,
                ca,
            },
        }
    }

    /// A saved Kafka connection; `password` is its SASL password from the keyring.
    pub fn kafka(s: &KafkaSettings, password: Option<Secret>) -> Result<Self, KafkaError> {
        let ca =
            (!s.ssl_ca_location.trim().is_empty()).then(|| PathBuf::from(s.ssl_ca_location.trim()));
        let security = match s.security_protocol {
            SecurityProtocol::Plaintext => Security::Plaintext,
            SecurityProtocol::Ssl => Security::Ssl { ca },
            p => Security::Sasl {
                tls: p == SecurityProtocol::SaslSsl,
                mechanism: s.sasl_mechanism,
                username: s.sasl_username.clone(),
                password: password.ok_or_else(|| {
                    KafkaError::invalid("This connection's SASL password is not in the OS keyring; enter it again in Settings → Connections.")
                })?,
                ca,
            },
        };
        Ok(ClientSettings {
            bootstrap: s.bootstrap_servers.trim().to_string(),
            security,
        })
    }

    /// librdkafka's properties for this connection. `reveal` false masks the password (for
    /// showing); the clients get it true.
    pub fn properties(&self, reveal: bool) -> Vec<(&'static str, String)> {
        let mut p = vec![("bootstrap.servers", self.bootstrap.clone())];
        let ca = |p: &mut Vec<(&'static str, String)>, ca: &Option<PathBuf>| {
            if let Some(ca) = ca {
                p.push(("ssl.ca.location", ca.display().to_string()));
            }
        };
        match &self.security {
            Security::Plaintext => p.push(("security.protocol", "PLAINTEXT".into())),
            Security::Ssl { ca: c } => {
                p.push(("security.protocol", "SSL".into()));
                ca(&mut p, c);
            }
            Security::Sasl {
                tls,
                mechanism,
                username,
                password,
                ca: c,
            } => {
                p.push((
                    "security.protocol",
                    if *tls { "SASL_SSL" } else { "SASL_PLAINTEXT" }.into(),
                ));
                p.push(("sasl.mechanisms", mechanism_name(*mechanism).into()));
                p.push(("sasl.username", username.clone()));
                p.push((
                    "sasl.password",
                    if reveal {
                        password.expose().to_string()
                    } else {
                        "********".into()
                    },
                ));
                ca(&mut p, c);
            }
        }
        p
    }

    /// A client config with these settings (and the secret).
    pub fn client_config(&self) -> ClientConfig {
        let mut c = ClientConfig::new();
        for (k, v) in self.properties(true) {
            c.set(k, v);
        }
        c.set("client.id", "gureum");
        c
    }

    /// Identifies the settings for caches: the same cluster with another key (or another
    /// secret) is another identity. Holds a hash of the secret, never the secret.
    pub fn identity(&self) -> String {
        let secret = match &self.security {
            Security::Sasl { password, .. } => {
                let h = Sha256::digest(password.expose().as_bytes());
                h.iter().take(8).map(|b| format!("{b:02x}")).collect()
            }
            _ => String::new(),
        };
        let props: Vec<String> = self
            .properties(false)
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!("{}|{secret}", props.join("|"))
    }

    /// The same cluster with another SASL login (another API key or secret); settings without
    /// SASL are returned unchanged.
    pub fn with_login(&self, username: &str, password: Secret) -> ClientSettings {
        let mut s = self.clone();
        if let Security::Sasl {
            username: u,
            password: p,
            ..
        } = &mut s.security
        {
            *u = username.to_string();
            *p = password;
        }
        s
    }

    /// The same bootstrap servers with neither TLS nor SASL.
    pub fn plaintext(&self) -> ClientSettings {
        ClientSettings {
            bootstrap: self.bootstrap.clone(),
            security: Security::Plaintext,
        }
    }

    /// The username (API key) in use, if any.
    pub fn username(&self) -> Option<&str> {
        match &self.security {
            Security::Sasl { username, .. } => Some(username),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confluent_settings_are_sasl_ssl_plain_with_the_key() {
        let s = ClientSettings::confluent(
            "SASL_SSL://pkc-1.us-east-1.aws.confluent.cloud:9092",
            "KEY1",
            Secret::new("s3cret"),
            None,
        );
        let shown = s.properties(false);
        assert!(shown.contains(&(
            "bootstrap.servers",
            "pkc-1.us-east-1.aws.confluent.cloud:9092".into()
        )));
        assert!(shown.contains(&("security.protocol", "SASL_SSL".into())));
        assert!(shown.contains(&("sasl.mechanisms", "PLAIN".into())));
        assert!(shown.contains(&("sasl.username", "KEY1".into())));
        assert!(shown.contains(&("sasl.password", "********".into())));
        assert!(s
            .properties(true)
            .contains(&("sasl.password", "s3cret".into())));
        assert!(!format!("{s:?}").contains("s3cret"));
        assert!(!s.identity().contains("s3cret"));
        let other = ClientSettings::confluent(
            "pkc-1.us-east-1.aws.confluent.cloud:9092",
            "KEY1",
            Secret::new("other"),
            None,
        );
        assert_ne!(
            s.identity(),
            other.identity(),
            "a new secret is a new identity"
        );
    }

    #[test]
    fn another_login_or_plaintext_keeps_the_cluster() {
        let s = ClientSettings::confluent("b1:9092", "KEY1", Secret::new("s3cret"), None);
        let other = s.with_login("KEY2", Secret::new("wrong"));
        assert_eq!(other.username(), Some("KEY2"));
        assert!(other
            .properties(true)
            .contains(&("sasl.password", "wrong".into())));
        assert!(other
            .properties(false)
            .contains(&("bootstrap.servers", "b1:9092".into())));
        let plain = s.plaintext();
        assert_eq!(plain.username(), None);
        assert!(plain
            .properties(false)
            .contains(&("security.protocol", "PLAINTEXT".into())));
        assert!(plain
            .properties(false)
            .contains(&("bootstrap.servers", "b1:9092".into())));
    }

    #[test]
    fn kafka_connections_map_every_protocol() {
        let mut k = KafkaSettings {
            bootstrap_servers: " b1:9092,b2:9092 ".into(),
            security_protocol: SecurityProtocol::Plaintext,
            sasl_mechanism: SaslMechanism::ScramSha512,
            sasl_username: "alice".into(),
            ssl_ca_location: String::new(),
        };
        let s = ClientSettings::kafka(&k, None).unwrap();
        assert_eq!(s.bootstrap, "b1:9092,b2:9092");
        assert!(s
            .properties(true)
            .contains(&("security.protocol", "PLAINTEXT".into())));

        k.security_protocol = SecurityProtocol::Ssl;
        k.ssl_ca_location = "/etc/ca.pem".into();
        let p = ClientSettings::kafka(&k, None).unwrap().properties(true);
        assert!(p.contains(&("security.protocol", "SSL".into())));
        assert!(p.contains(&("ssl.ca.location", "/etc/ca.pem".into())));

        k.security_protocol = SecurityProtocol::SaslPlaintext;
        assert!(
            ClientSettings::kafka(&k, None).is_err(),
            "SASL needs its password"
        );
        let p = ClientSettings::kafka(&k, Some(Secret::new("pw")))
            .unwrap()
            .properties(true);
        assert!(p.contains(&("security.protocol", "SASL_PLAINTEXT".into())));
        assert!(p.contains(&("sasl.mechanisms", "SCRAM-SHA-512".into())));
        assert!(p.contains(&("sasl.username", "alice".into())));
    }
}
