//! Kafka's and Confluent Cloud's rules for new topics, checked before a request is sent so a form
//! can say what is wrong next to the field. The server's verdict still wins: these only catch what
//! is certain to be refused.

pub use gureum_forms::FieldProblems;
use gureum_forms::{Problem, ProblemCode as C};

/// Kafka's rule (`org.apache.kafka.common.internals.Topic`): 1–249 characters of
/// `[a-zA-Z0-9._-]`, and not `.` or `..`.
pub fn topic_name(name: &str) -> Result<(), Problem> {
    if name.is_empty() {
        return Err(Problem::new(C::TopicNameRequired, "Give the topic a name."));
    }
    if name == "." || name == ".." {
        return Err(Problem::new(
            C::TopicNameReserved,
            format!("“{name}” is reserved by Kafka; pick another name."),
        )
        .with("name", name));
    }
    let len = name.chars().count();
    if len > 249 {
        return Err(Problem::new(
            C::TopicNameTooLong,
            format!("The name is {len} characters long; Kafka allows at most 249."),
        )
        .with("len", len));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        let shown = if c == ' ' {
            "a space".to_string()
        } else {
            format!("“{c}”")
        };
        return Err(Problem::new(
            C::TopicNameChar,
            format!(
                "The name contains {shown}; only letters a–z and A–Z, digits, '.', '_' and '-' are allowed."
            ),
        )
        .with("char", c));
    }
    Ok(())
}

/// Partitions a cluster type can hold at most (pre-replication), from Confluent's cluster-types
/// table (docs/cluster-limits.md#per-cluster-type, C2, updated 2026-07-05): Basic 1,500, Standard
/// 2,500, Enterprise 96,000, Freight 50,000, Dedicated 4,500 per CKU up to 100,000. `None`: unknown
/// type, only the positive-count rule applies.
pub fn partition_limit(kind: &str, cku: Option<i32>) -> Option<i64> {
    match kind {
        "Basic" => Some(1_500),
        "Standard" => Some(2_500),
        "Enterprise" => Some(96_000),
        "Freight" => Some(50_000),
        "Dedicated" => Some((4_500 * i64::from(cku.unwrap_or(1).max(1))).min(100_000)),
        _ => None,
    }
}

pub fn partitions(count: i64, limit: Option<i64>) -> Result<(), Problem> {
    if count < 1 {
        return Err(Problem::new(
            C::PartitionsTooFew,
            format!("A topic needs at least 1 partition (got {count})."),
        )
        .with("count", count));
    }
    if let Some(limit) = limit {
        if count > limit {
            return Err(Problem::new(
                C::PartitionsOverLimit,
                format!(
                    "{count} partitions is more than this cluster type can hold ({limit} in total across all topics)."
                ),
            )
            .with("count", count)
            .with("limit", limit));
        }
    }
    Ok(())
}

/// Values Kafka itself would refuse, whatever the service: wrong enum values, non-numbers.
/// Whether the service lets a config be changed at all is its call (POLICY_VIOLATION).
pub fn config_value(name: &str, value: &str) -> Result<(), Problem> {
    let integer = |min: i64| {
        let what = match min {
            -1 => "-1 (keep forever) or more".to_string(),
            n => format!("{n} or more"),
        };
        match value.trim().parse::<i64>() {
            Ok(n) if n >= min => Ok(()),
            Ok(_) => Err(Problem::new(
                C::ConfigTooSmall,
                format!("{name} must be {what}."),
            )),
            Err(_) => Err(Problem::new(
                C::ConfigNotWhole,
                format!("{name} must be a whole number ({what})."),
            )),
        }
        .map_err(|p| p.with("name", name).with("min", min))
    };
    let choice = |choices: &[&str]| {
        if choices.contains(&value) {
            return Ok(());
        }
        let (last, rest) = choices.split_last().expect("choices");
        let comma = if rest.len() > 1 { "," } else { "" };
        Err(Problem::new(
            C::ConfigChoice,
            format!("{name} is {}{comma} or {last}.", rest.join(", ")),
        )
        .with("name", name)
        .with("choices", choices.join(" | ")))
    };
    match name {
        "" => Err(Problem::new(C::ConfigNameRequired, "Name the config.")),
        "cleanup.policy" => match value {
            "delete,compact" => Ok(()),
            _ => choice(&["delete", "compact", "compact,delete"]),
        },
        "message.timestamp.type" => choice(&["CreateTime", "LogAppendTime"]),
        "retention.ms" | "retention.bytes" | "local.retention.ms" | "local.retention.bytes" => {
            integer(-1)
        }
        "min.insync.replicas" | "max.message.bytes" | "segment.bytes" | "segment.ms" => integer(1),
        "delete.retention.ms" | "min.compaction.lag.ms" | "max.compaction.lag.ms" => integer(0),
        _ => Ok(()),
    }
}

/// Everything certain to be refused about a new topic, per field (the request's JSON names).
pub fn new_topic(
    name: &str,
    partitions_count: i64,
    limit: Option<i64>,
    configs: &[(String, String)],
) -> FieldProblems {
    let mut out = config_problems(configs);
    if let Err(p) = topic_name(name) {
        out.also("topic_name", p);
    }
    if let Err(p) = partitions(partitions_count, limit) {
        out.also("partitions_count", p);
    }
    out
}

/// Config rows: every bad one reported under the field "configs".
pub fn config_problems(configs: &[(String, String)]) -> FieldProblems {
    let mut out = FieldProblems::new();
    let mut seen = std::collections::HashSet::new();
    for (name, value) in configs {
        let name = name.trim();
        if !seen.insert(name) {
            out.also(
                "configs",
                Problem::new(C::ConfigTwice, format!("{name} is set twice.")).with("name", name),
            );
        } else if let Err(p) = config_value(name, value.trim()) {
            out.also("configs", p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_names_follow_kafka() {
        for ok in ["orders", "a", "A.b_c-9", &"x".repeat(249)] {
            assert_eq!(topic_name(ok), Ok(()), "{ok}");
        }
        for (bad, says) in [
            ("", "name"),
            (".", "reserved"),
            ("..", "reserved"),
            (&"x".repeat(250) as &str, "250 characters"),
            ("my topic", "a space"),
            ("주문", "“주”"),
            ("a/b", "“/”"),
        ] {
            let e = topic_name(bad).unwrap_err();
            assert!(e.message.contains(says), "{bad:?}: {e:?}");
        }
    }

    #[test]
    fn partition_counts() {
        assert!(partitions(6, partition_limit("Basic", None)).is_ok());
        assert!(partitions(0, None)
            .unwrap_err()
            .message
            .contains("at least 1"));
        assert_eq!(partitions(-3, None).unwrap_err().params["count"], "-3");
        let e = partitions(100_000, partition_limit("Basic", None)).unwrap_err();
        assert!(e.message.contains("1500"), "{e:?}");
        assert_eq!(e.code, C::PartitionsOverLimit);
        assert_eq!(partition_limit("Dedicated", Some(2)), Some(9_000));
        assert_eq!(partition_limit("Dedicated", Some(100)), Some(100_000));
        assert!(partitions(100_000, partition_limit("Dedicated", Some(30))).is_ok());
    }

    #[test]
    fn config_values() {
        assert!(config_value("retention.ms", "-1").is_ok());
        let e = config_value("retention.ms", "1 day").unwrap_err();
        assert!(e.message.contains("whole number"), "{e:?}");
        assert_eq!(
            (e.code, e.params["min"].as_str()),
            (C::ConfigNotWhole, "-1")
        );
        assert!(config_value("retention.ms", "-2").is_err());
        assert!(config_value("cleanup.policy", "compact,delete").is_ok());
        assert!(config_value("cleanup.policy", "delete,compact").is_ok());
        let e = config_value("cleanup.policy", "forever").unwrap_err();
        assert_eq!(
            e.message,
            "cleanup.policy is delete, compact, or compact,delete."
        );
        // Not ours to judge: the service decides whether it may be set.
        assert!(config_value("compression.type", "zstd").is_ok());
        let p = new_topic(
            "ok",
            1,
            None,
            &[
                ("retention.ms".into(), "1".into()),
                ("retention.ms".into(), "2".into()),
            ],
        );
        assert_eq!(p.len(), 1);
        assert!(p["configs"].contains("twice"));
    }
}
