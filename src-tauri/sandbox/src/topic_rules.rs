//! What Confluent Cloud allows on topics, so the sandbox refuses what the real service refuses:
//! Kafka's topic-name rules, per-type partition limits, and which topic configs are editable.

use serde_json::Value;

/// Kafka's rule: 1–249 characters of [a-zA-Z0-9._-], and not "." or "..".
pub fn check_topic_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("Topic name is invalid: the empty string is not allowed.".into());
    }
    if name == "." || name == ".." {
        return Err(format!("Topic name is invalid: '{name}' is not allowed."));
    }
    if name.len() > 249 {
        return Err(format!(
            "Topic name is invalid: it is {} characters long, the limit is 249.",
            name.len()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(format!("Topic name \"{name}\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-' (found {c:?})."));
    }
    Ok(())
}

/// Partitions (before replication) a cluster of this type may hold, from Confluent's
/// cluster-types table (docs/cluster-limits.md#per-cluster-type): Basic 1,500, Standard 2,500,
/// Enterprise 96,000, Freight 50,000; Dedicated 4,500 per CKU.
pub fn partition_limit(config: &Value) -> i64 {
    match config.get("kind").and_then(Value::as_str) {
        Some("Standard") => 2_500,
        Some("Enterprise") => 96_000,
        Some("Freight") => 50_000,
        Some("Dedicated") => 4_500 * config.get("cku").and_then(Value::as_i64).unwrap_or(1),
        _ => 1_500,
    }
}

/// Largest record a topic may accept: 8 MB on Basic/Standard, 20 MB otherwise (same table).
pub fn max_message_bytes(config: &Value) -> i64 {
    match config.get("kind").and_then(Value::as_str) {
        Some("Basic") | Some("Standard") | None => 8_388_608,
        _ => 20_971_520,
    }
}

/// Topic configs Confluent Cloud lets users set, with their defaults there.
pub const EDITABLE: &[(&str, &str)] = &[
    ("cleanup.policy", "delete"),
    ("delete.retention.ms", "86400000"),
    ("max.compaction.lag.ms", "9223372036854775807"),
    ("max.message.bytes", "2097164"),
    ("message.timestamp.difference.max.ms", "9223372036854775807"),
    ("message.timestamp.type", "CreateTime"),
    ("min.compaction.lag.ms", "0"),
    ("min.insync.replicas", "2"),
    ("retention.bytes", "-1"),
    ("retention.ms", "604800000"),
    ("segment.bytes", "104857600"),
    ("segment.ms", "604800000"),
];

/// Service defaults that differ from the broker's own, so the broker is told them explicitly
/// (otherwise nisshi would refuse a 1.5 MB record on a topic the API says takes 2 MB). They
/// still read as defaults.
pub const PINNED: &[(&str, &str)] = &[("max.message.bytes", "2097164")];

/// The pinned default of `name`, if it has one.
pub fn pinned(name: &str) -> Option<&'static str> {
    PINNED.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// Topic configs that exist in Kafka but Confluent Cloud keeps fixed.
pub const LOCKED: &[(&str, &str)] = &[
    ("compression.type", "producer"),
    ("unclean.leader.election.enable", "false"),
    ("flush.messages", "9223372036854775807"),
    ("flush.ms", "9223372036854775807"),
    ("index.interval.bytes", "4096"),
    ("preallocate", "false"),
    ("file.delete.delay.ms", "60000"),
    ("segment.index.bytes", "10485760"),
    ("segment.jitter.ms", "0"),
    ("message.downconversion.enable", "true"),
];

/// Checks one `name=value` the user wants to set on a topic of a cluster with `config`.
pub fn check_config(name: &str, value: &str, cluster_config: &Value) -> Result<(), String> {
    if LOCKED.iter().any(|(n, _)| *n == name) {
        return Err(format!("Config '{name}' can't be changed on Confluent Cloud (POLICY_VIOLATION): the service manages it for you."));
    }
    if !EDITABLE.iter().any(|(n, _)| *n == name) {
        return Err(format!("Unknown or unsupported topic config '{name}'."));
    }
    let number = || {
        value
            .parse::<i64>()
            .map_err(|_| format!("Invalid value '{value}' for '{name}': it must be an integer."))
    };
    match name {
        "cleanup.policy" => match value {
            "delete" | "compact" | "compact,delete" | "delete,compact" => Ok(()),
            _ => Err(format!("Invalid value '{value}' for cleanup.policy: use delete, compact or compact,delete.")),
        },
        "message.timestamp.type" => match value {
            "CreateTime" | "LogAppendTime" => Ok(()),
            _ => Err(format!("Invalid value '{value}' for message.timestamp.type: use CreateTime or LogAppendTime.")),
        },
        "retention.ms" | "retention.bytes" => match number()? {
            n if n >= -1 => Ok(()),
            _ => Err(format!("Invalid value '{value}' for {name}: use -1 (unlimited) or a positive number.")),
        },
        "min.insync.replicas" => match number()? {
            1..=3 => Ok(()),
            _ => Err(format!("Invalid value '{value}' for min.insync.replicas: topics have 3 replicas, so use 1 to 3.")),
        },
        "max.message.bytes" => {
            let max = max_message_bytes(cluster_config);
            match number()? {
                n if (1..=max).contains(&n) => Ok(()),
                _ => Err(format!("Invalid value '{value}' for max.message.bytes: this cluster type allows up to {max}.")),
            }
        }
        _ => match number()? {
            n if n >= 0 => Ok(()),
            _ => Err(format!("Invalid value '{value}' for {name}: it must not be negative.")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn topic_names() {
        assert!(check_topic_name("orders.v1_a-b").is_ok());
        assert!(check_topic_name(&"a".repeat(249)).is_ok());
        for bad in ["", ".", "..", "a b", "ü", &"a".repeat(250)] {
            assert!(check_topic_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn configs() {
        let basic = json!({"kind": "Basic"});
        assert!(check_config("retention.ms", "-1", &basic).is_ok());
        assert!(check_config("retention.ms", "soon", &basic)
            .unwrap_err()
            .contains("integer"));
        assert!(check_config("compression.type", "gzip", &basic)
            .unwrap_err()
            .contains("POLICY_VIOLATION"));
        assert!(check_config("no.such", "1", &basic)
            .unwrap_err()
            .contains("Unknown"));
        assert!(check_config("max.message.bytes", "20971520", &basic).is_err());
        assert!(check_config(
            "max.message.bytes",
            "20971520",
            &json!({"kind": "Dedicated", "cku": 1})
        )
        .is_ok());
        assert_eq!(
            partition_limit(&json!({"kind": "Dedicated", "cku": 2})),
            9_000
        );
    }
}
