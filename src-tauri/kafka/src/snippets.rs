//! The connection as client code: librdkafka properties, a complete Java producer (the shape of
//! the classic `ConfluentCloudProducer`), Python, Rust and kcat. Each sends one record and
//! prints its RecordMetadata. The secret is masked unless the user asked to see it.
//!
//! Property names follow Confluent's own client templates
//! (docs/confluent-cloud-api.md#client-configuration): librdkafka clients
//! use `sasl.mechanisms`/`sasl.username`/`sasl.password`; Java uses `sasl.mechanism` and
//! `sasl.jaas.config`.

use gureum_connections::SaslMechanism;

use crate::settings::{ClientSettings, Security};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// properties | java | python | rust | kcat
    pub id: &'static str,
    pub title: &'static str,
    pub code: String,
}

const MASK: &str = "********";

/// A string literal for Java, Rust and JSON-ish languages.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A shell word in single quotes.
fn shell(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

struct Parts {
    bootstrap: String,
    protocol: &'static str,
    sasl: Option<(SaslMechanism, String, String)>,
    ca: Option<String>,
}

fn parts(settings: &ClientSettings, reveal: bool) -> Parts {
    let (protocol, sasl, ca) = match &settings.security {
        Security::Plaintext => ("PLAINTEXT", None, None),
        Security::Ssl { ca } => ("SSL", None, ca.clone()),
        Security::Sasl {
            tls,
            mechanism,
            username,
            password,
            ca,
        } => (
            if *tls { "SASL_SSL" } else { "SASL_PLAINTEXT" },
            Some((
                *mechanism,
                username.clone(),
                if reveal {
                    password.expose().to_string()
                } else {
                    MASK.to_string()
                },
            )),
            ca.clone(),
        ),
    };
    Parts {
        bootstrap: settings.bootstrap.clone(),
        protocol,
        sasl,
        ca: ca.map(|p| p.display().to_string()),
    }
}

fn mechanism(m: SaslMechanism) -> &'static str {
    match m {
        SaslMechanism::Plain => "PLAIN",
        SaslMechanism::ScramSha256 => "SCRAM-SHA-256",
        SaslMechanism::ScramSha512 => "SCRAM-SHA-512",
    }
}

/// librdkafka's settings as (name, value).
fn librdkafka(p: &Parts) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("bootstrap.servers", p.bootstrap.clone()),
        ("security.protocol", p.protocol.to_string()),
    ];
    if let Some((m, user, pass)) = &p.sasl {
        v.push(("sasl.mechanisms", mechanism(*m).to_string()));
        v.push(("sasl.username", user.clone()));
        v.push(("sasl.password", pass.clone()));
    }
    if let Some(ca) = &p.ca {
        v.push(("ssl.ca.location", ca.clone()));
    }
    v
}

/// Every snippet for sending to `topic`.
pub fn all(settings: &ClientSettings, topic: &str, reveal: bool) -> Vec<Snippet> {
    let p = parts(settings, reveal);
    let rd = librdkafka(&p);
    let topic = if topic.is_empty() { "orders" } else { topic };

    let mut properties =
        String::from("# librdkafka clients (C/C++, Go, .NET, Node.js, Python, Rust, kcat)\n");
    for (k, v) in &rd {
        properties.push_str(&format!("{k}={v}\n"));
    }
    properties.push_str("# Confluent's recommended timeouts for cloud clusters\nsession.timeout.ms=45000\nrequest.timeout.ms=30000\n");

    let mut java_props = vec![
        (
            "ProducerConfig.BOOTSTRAP_SERVERS_CONFIG",
            quoted(&p.bootstrap),
        ),
        ("\"security.protocol\"", quoted(p.protocol)),
    ];
    if let Some((m, user, pass)) = &p.sasl {
        let module = match m {
            SaslMechanism::Plain => "org.apache.kafka.common.security.plain.PlainLoginModule",
            _ => "org.apache.kafka.common.security.scram.ScramLoginModule",
        };
        java_props.push(("\"sasl.mechanism\"", quoted(mechanism(*m))));
        java_props.push((
            "\"sasl.jaas.config\"",
            quoted(&format!(
                "{module} required username='{user}' password='{pass}';"
            )),
        ));
    }
    if let Some(ca) = &p.ca {
        java_props.push(("\"ssl.truststore.type\"", quoted("PEM")));
        java_props.push(("\"ssl.truststore.location\"", quoted(ca)));
    }
    java_props.push(("\"client.dns.lookup\"", quoted("use_all_dns_ips")));
    java_props.push(("ProducerConfig.ACKS_CONFIG", quoted("all")));
    java_props.push((
        "ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG",
        "StringSerializer.class.getName()".into(),
    ));
    java_props.push((
        "ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG",
        "StringSerializer.class.getName()".into(),
    ));
    let java_lines: String = java_props
        .iter()
        .map(|(k, v)| format!("        props.put({k}, {v});\n"))
        .collect();
    let java = format!(
        r#"import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

public class ConfluentCloudProducer {{
    public static void main(String[] args) throws Exception {{
        Properties props = new Properties();
{java_lines}
        try (Producer<String, String> producer = new KafkaProducer<>(props)) {{
            ProducerRecord<String, String> record =
                new ProducerRecord<>({topic}, "key-1", "{{\"hello\": \"world\"}}");
            RecordMetadata metadata = producer.send(record).get();
            System.out.printf("Sent to %s-%d at offset %d (timestamp %d)%n",
                metadata.topic(), metadata.partition(), metadata.offset(), metadata.timestamp());
        }}
    }}
}}
"#,
        topic = quoted(topic)
    );

    let py_conf: String = rd
        .iter()
        .map(|(k, v)| format!("    {}: {},\n", quoted(k), quoted(v)))
        .collect();
    let python = format!(
        r#"from confluent_kafka import Producer

conf = {{
{py_conf}}}
producer = Producer(conf)


def delivered(err, msg):
    if err is not None:
        print(f"Failed: {{err}}")
    else:
        print(f"Sent to {{msg.topic()}}-{{msg.partition()}} at offset {{msg.offset()}} (timestamp {{msg.timestamp()[1]}})")


producer.produce({topic}, key="key-1", value='{{"hello": "world"}}', on_delivery=delivered)
producer.flush(30)
"#,
        topic = quoted(topic)
    );

    let rs_conf: String = rd
        .iter()
        .map(|(k, v)| format!("        .set({}, {})\n", quoted(k), quoted(v)))
        .collect();
    let rust = format!(
        r##"// Cargo.toml: rdkafka = {{ version = "0.39", features = ["cmake-build", "ssl"] }}, tokio = {{ version = "1", features = ["full"] }}
use std::time::Duration;

use rdkafka::config::ClientConfig;
use rdkafka::producer::{{FutureProducer, FutureRecord}};

#[tokio::main]
async fn main() {{
    let producer: FutureProducer = ClientConfig::new()
{rs_conf}        .set("acks", "all")
        .create()
        .expect("a producer");
    let record = FutureRecord::to({topic})
        .key("key-1")
        .payload(r#"{{"hello": "world"}}"#);
    match producer.send(record, Duration::from_secs(30)).await {{
        Ok(d) => println!("Sent to partition {{}} at offset {{}}", d.partition, d.offset),
        Err((e, _)) => eprintln!("Failed: {{e}}"),
    }}
}}
"##,
        topic = quoted(topic)
    );

    let kcat_opts: String = rd
        .iter()
        .skip(1)
        .map(|(k, v)| format!(" \\\n  -X {k}={}", shell(v)))
        .collect();
    let kcat = format!(
        "# kcat needs librdkafka 2.3 or newer\necho 'key-1:{{\"hello\": \"world\"}}' | kcat -b {}{kcat_opts} \\\n  -t {} -P -K:\n",
        shell(&p.bootstrap),
        shell(topic)
    );

    vec![
        Snippet {
            id: "properties",
            title: "librdkafka properties",
            code: properties,
        },
        Snippet {
            id: "java",
            title: "Java (ConfluentCloudProducer)",
            code: java,
        },
        Snippet {
            id: "python",
            title: "Python (confluent-kafka)",
            code: python,
        },
        Snippet {
            id: "rust",
            title: "Rust (rdkafka)",
            code: rust,
        },
        Snippet {
            id: "kcat",
            title: "kcat",
            code: kcat,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use gureum_secrets::Secret;

    fn sandbox() -> ClientSettings {
        ClientSettings::confluent(
            "SASL_SSL://127.0.0.1:9092",
            "KEY1",
            Secret::new("abc/de+f'g"),
            Some("/tmp/ca.pem".into()),
        )
    }

    #[test]
    fn masked_unless_revealed() {
        for s in all(&sandbox(), "orders", false) {
            assert!(!s.code.contains("abc/de+f"), "{} shows the secret", s.id);
            assert!(s.code.contains(MASK), "{} has no mask", s.id);
            assert!(
                s.code.contains("KEY1") && s.code.contains("127.0.0.1:9092"),
                "{}",
                s.id
            );
        }
        let revealed = all(&sandbox(), "orders", true);
        for s in &revealed {
            assert!(s.code.contains("abc/de+f"), "{} lacks the secret", s.id);
        }
        let kcat = &revealed.iter().find(|s| s.id == "kcat").unwrap().code;
        assert!(kcat.contains(r"-X sasl.password='abc/de+f'\''g'"), "{kcat}");
    }

    #[test]
    fn java_uses_jaas_and_a_pem_truststore_librdkafka_its_own_names() {
        let s = all(&sandbox(), "orders", true);
        let java = &s.iter().find(|s| s.id == "java").unwrap().code;
        assert!(java.contains("PlainLoginModule required username='KEY1'"));
        assert!(java.contains("\"sasl.mechanism\", \"PLAIN\""));
        assert!(java.contains("\"ssl.truststore.type\", \"PEM\""));
        assert!(java.contains("public class ConfluentCloudProducer"));
        assert!(java.contains("RecordMetadata metadata = producer.send(record).get();"));
        assert!(!java.contains("sasl.mechanisms"));
        let props = &s.iter().find(|s| s.id == "properties").unwrap().code;
        assert!(
            props.contains("sasl.mechanisms=PLAIN\n")
                && props.contains("ssl.ca.location=/tmp/ca.pem\n")
        );
        let py = &s.iter().find(|s| s.id == "python").unwrap().code;
        assert!(py.contains("\"sasl.username\": \"KEY1\","));
    }
}
