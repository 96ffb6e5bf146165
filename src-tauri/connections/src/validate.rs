//! Checks a connection before anything is saved. Every message names the field's problem and
//! how to fix it; the UI shows it next to that field.

use crate::error::FieldProblems;
use crate::model::{Connection, ConnectionInput, Endpoint, SANDBOX_ID};
use gureum_forms::{Problem, ProblemCode as C};

const MAX_NAME: usize = 64;

/// Validates `input` against the other saved connections. `secret_on_file` says whether the
/// keyring already holds this connection's secret (for edits that leave the secret blank).
pub fn validate(
    input: &ConnectionInput,
    existing: &[Connection],
    secret_on_file: bool,
) -> FieldProblems {
    let mut errors = FieldProblems::new();
    let mut err = |field: &str, problem: Problem| errors.add(field, problem);

    let name = input.name.trim();
    if name.is_empty() {
        err(
            "name",
            Problem::new(C::ConnectionNameRequired, "Give the connection a name."),
        );
    } else if name.chars().count() > MAX_NAME {
        err(
            "name",
            Problem::new(
                C::NameTooLong,
                format!("Keep the name to {MAX_NAME} characters or fewer."),
            )
            .with("max", MAX_NAME),
        );
    } else if existing
        .iter()
        .chain(std::iter::once(&Connection::sandbox()))
        .any(|c| Some(&c.id) != input.id.as_ref() && c.name.trim().eq_ignore_ascii_case(name))
    {
        err(
            "name",
            Problem::new(
                C::NameTaken,
                format!("A connection named “{name}” already exists; pick another name."),
            )
            .with("name", name),
        );
    }

    let secret_given = input.secret.as_ref().is_some_and(|s| !s.is_blank());
    match &input.endpoint {
        Endpoint::Sandbox => err(
            "kind",
            Problem::new(
                C::SandboxBuiltIn,
                "The sandbox cloud is built in; add a Confluent Cloud or Kafka connection.",
            ),
        ),
        Endpoint::ConfluentCloud(c) => {
            let key = c.cloud_api_key.trim();
            if key.is_empty() {
                err(
                    "cloud_api_key",
                    Problem::new(
                        C::CloudKeyRequired,
                        "Enter the Cloud API key (the key id, e.g. 7FJIYKQ4SGQDQ72H).",
                    ),
                );
            } else if key.chars().any(char::is_whitespace) || key.len() > 128 {
                err(
                    "cloud_api_key",
                    Problem::new(
                        C::CloudKeyMalformed,
                        "A Cloud API key is one word of letters and digits, with no spaces.",
                    ),
                );
            }
            if !secret_given && !secret_on_file {
                err(
                    "secret",
                    Problem::new(
                        C::CloudSecretRequired,
                        "Enter the Cloud API secret; it is stored only in the OS keyring.",
                    ),
                );
            }
            if let Some(m) = check_url(&c.cloud_api_url) {
                err("cloud_api_url", m);
            }
            if let Some(m) = check_url(&c.metrics_api_url) {
                err("metrics_api_url", m);
            }
        }
        Endpoint::Kafka(k) => {
            if let Some(m) = check_bootstrap(&k.bootstrap_servers) {
                err("bootstrap_servers", m);
            }
            if k.security_protocol.uses_sasl() {
                if k.sasl_username.trim().is_empty() {
                    err(
                        "sasl_username",
                        Problem::new(C::SaslUsernameRequired, "SASL needs a username."),
                    );
                }
                if !secret_given && !secret_on_file {
                    err(
                        "secret",
                        Problem::new(
                            C::SaslPasswordRequired,
                            "SASL needs a password; it is stored only in the OS keyring.",
                        ),
                    );
                }
            }
            let ca = k.ssl_ca_location.trim();
            if !ca.is_empty() && !std::path::Path::new(ca).is_file() {
                err(
                    "ssl_ca_location",
                    Problem::new(C::CaFileMissing, format!("No file at {ca}; give the path of a PEM CA certificate, or leave it empty to trust the system's CAs."))
                        .with("path", ca),
                );
            }
        }
    }
    if input.id.as_deref() == Some(SANDBOX_ID) {
        err(
            "kind",
            Problem::new(
                C::SandboxNotEditable,
                "The sandbox cloud is built in and can't be edited.",
            ),
        );
    }
    errors
}

fn check_url(raw: &str) -> Option<Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some(Problem::new(
            C::UrlRequired,
            "Enter a URL, e.g. https://api.confluent.cloud",
        ));
    }
    match url::Url::parse(raw) {
        Ok(u) if !matches!(u.scheme(), "http" | "https") => Some(
            Problem::new(
                C::UrlScheme,
                format!(
                    "Use an http:// or https:// URL (this one is {}://).",
                    u.scheme()
                ),
            )
            .with("scheme", u.scheme()),
        ),
        Ok(u) if u.host_str().is_none_or(str::is_empty) => {
            Some(Problem::new(C::UrlNoHost, "The URL has no host name."))
        }
        Ok(u) if u.query().is_some() || u.fragment().is_some() => Some(Problem::new(
            C::UrlExtra,
            "Give just the base URL, without ?query or #fragment.",
        )),
        Ok(_) => None,
        Err(e) => Some(
            Problem::new(
                C::UrlInvalid,
                format!("“{raw}” is not a valid URL ({e}); e.g. https://api.confluent.cloud"),
            )
            .with("url", raw)
            .with("reason", e),
        ),
    }
}

fn check_bootstrap(raw: &str) -> Option<Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some(Problem::new(
            C::BootstrapRequired,
            "Enter at least one broker as host:port, e.g. localhost:9092",
        ));
    }
    for server in raw.split(',').map(str::trim) {
        if server.is_empty() {
            return Some(Problem::new(
                C::BootstrapEmptyEntry,
                "Remove the empty entry between commas.",
            ));
        }
        let server = server.split_once("://").map_or(server, |(_, rest)| rest);
        // "[::1]:9092" for IPv6, "host:9092" otherwise.
        let (host, port) = if let Some(rest) = server.strip_prefix('[') {
            match rest.split_once(']') {
                Some((h, p)) => (h, p.strip_prefix(':')),
                None => {
                    return Some(
                        Problem::new(
                            C::BootstrapIpv6Open,
                            format!("“{server}”: close the IPv6 address with ]"),
                        )
                        .with("server", server),
                    )
                }
            }
        } else {
            match server.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (server, None),
            }
        };
        if host.is_empty() || host.chars().any(char::is_whitespace) {
            return Some(
                Problem::new(
                    C::BootstrapNoHost,
                    format!("“{server}” has no valid host name."),
                )
                .with("server", server),
            );
        }
        match port {
            None | Some("") => {
                return Some(
                    Problem::new(
                        C::BootstrapNoPort,
                        format!("“{server}” has no port; write it as host:port, e.g. {host}:9092"),
                    )
                    .with("server", server)
                    .with("host", host),
                );
            }
            Some(p) => match p.parse::<u32>() {
                Ok(n) if (1..=65535).contains(&n) => {}
                _ => {
                    return Some(
                        Problem::new(
                            C::BootstrapBadPort,
                            format!("“{p}” in “{server}” is not a port (1–65535)."),
                        )
                        .with("server", server)
                        .with("port", p),
                    )
                }
            },
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use gureum_secrets::Secret;

    fn cloud(name: &str, url: &str) -> ConnectionInput {
        ConnectionInput {
            id: None,
            name: name.into(),
            endpoint: Endpoint::ConfluentCloud(ConfluentCloudSettings {
                cloud_api_key: "KEY123".into(),
                cloud_api_url: url.into(),
                metrics_api_url: "https://api.telemetry.confluent.cloud".into(),
            }),
            secret: Some(Secret::new("s3cr3t")),
        }
    }

    fn kafka(bootstrap: &str, protocol: SecurityProtocol) -> ConnectionInput {
        ConnectionInput {
            id: None,
            name: "k".into(),
            endpoint: Endpoint::Kafka(KafkaSettings {
                bootstrap_servers: bootstrap.into(),
                security_protocol: protocol,
                sasl_mechanism: SaslMechanism::Plain,
                sasl_username: String::new(),
                ssl_ca_location: String::new(),
            }),
            secret: None,
        }
    }

    #[test]
    fn good_input_has_no_errors() {
        assert!(validate(&cloud("prod", "https://api.confluent.cloud"), &[], false).is_empty());
        assert!(validate(
            &kafka(
                "a:9092, [::1]:9093,b.example:1",
                SecurityProtocol::Plaintext
            ),
            &[],
            false
        )
        .is_empty());
    }

    #[test]
    fn empty_name() {
        assert_eq!(
            validate(&cloud("  ", "https://x"), &[], false)["name"],
            "Give the connection a name."
        );
    }

    #[test]
    fn duplicate_name_ignores_case_and_counts_the_sandbox() {
        let existing = vec![Connection {
            id: "c1".into(),
            name: "Prod".into(),
            endpoint: Endpoint::Sandbox,
        }];
        assert!(
            validate(&cloud("prod ", "https://x"), &existing, false)["name"]
                .contains("already exists")
        );
        assert!(
            validate(&cloud("sandbox CLOUD", "https://x"), &[], false)["name"]
                .contains("already exists")
        );
        // Renaming a connection to its own name is fine.
        let mut same = cloud("Prod", "https://x");
        same.id = Some("c1".into());
        assert!(!validate(&same, &existing, true).contains("name"));
    }

    #[test]
    fn bad_urls() {
        for (url, needle) in [
            ("", "Enter a URL"),
            ("api.confluent.cloud", "not a valid URL"),
            ("ftp://x", "http:// or https://"),
            ("https://x/?a=1", "without ?query"),
        ] {
            let errs = validate(&cloud("n", url), &[], false);
            assert!(errs["cloud_api_url"].contains(needle), "{url}: {errs:?}");
        }
    }

    #[test]
    fn bootstrap_without_port_or_with_bad_port() {
        for (b, needle) in [
            ("broker1", "has no port"),
            ("broker1:", "has no port"),
            ("a:9092,,b:1", "empty entry"),
            ("a:99999", "not a port"),
            ("a:x", "not a port"),
            ("[::1", "close the IPv6"),
            (":9092", "no valid host"),
        ] {
            let errs = validate(&kafka(b, SecurityProtocol::Plaintext), &[], false);
            assert!(errs["bootstrap_servers"].contains(needle), "{b}: {errs:?}");
        }
    }

    #[test]
    fn secrets_required_unless_already_stored() {
        let mut c = cloud("n", "https://x");
        c.secret = Some(Secret::new("   "));
        assert!(validate(&c, &[], false).contains("secret"));
        assert!(!validate(&c, &[], true).contains("secret"));
        let errs = validate(&kafka("a:1", SecurityProtocol::SaslSsl), &[], false);
        assert!(errs.contains("secret") && errs.contains("sasl_username"));
    }

    #[test]
    fn sandbox_cannot_be_added_or_edited() {
        let mut c = cloud("n", "https://x");
        c.endpoint = Endpoint::Sandbox;
        assert!(validate(&c, &[], false).contains("kind"));
    }
}
