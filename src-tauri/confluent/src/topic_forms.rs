//! The Topics screen's forms over Kafka REST: a new topic (checked against Kafka's and the
//! cluster type's rules before anything is sent; the cluster's verdict still wins), a batch of
//! config changes, and a topic's configs as the screen lists them.

use gureum_forms::{FieldProblems, Problem, ProblemCode};
use serde::{Deserialize, Serialize};

use crate::access::Refused;
use crate::config::KafkaRestAuth;
use crate::error::ApiError;
use crate::http::Client;
use crate::kafka_rest::ConfigChange;
use crate::models::TopicConfig;
use crate::rules;
use crate::summary::TopicSummary;

/// A config row of the "new topic" and "edit configs" forms.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConfigEntryInput {
    pub name: String,
    /// None: back to the default (edit form only).
    pub value: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewTopicInput {
    pub name: String,
    /// Signed and wide so that 0, negatives and 100000 reach the rules and get their message.
    pub partitions: f64,
    pub configs: Vec<ConfigEntryInput>,
}

/// A new topic whose syntax is right (the cluster's limits are checked with it).
#[derive(Debug, Clone, PartialEq)]
pub struct NewTopic {
    pub name: String,
    pub partitions: i64,
    pub configs: Vec<(String, String)>,
}

impl NewTopicInput {
    /// What can be said without the cluster: Kafka's name rule, a positive whole partition
    /// count, config values Kafka would refuse. Rows without a name are left out.
    pub fn check(&self) -> Result<NewTopic, FieldProblems> {
        let configs: Vec<(String, String)> = self
            .configs
            .iter()
            .filter(|c| !c.name.trim().is_empty())
            .map(|c| {
                let value = c.value.as_deref().unwrap_or_default();
                (c.name.trim().to_string(), value.trim().to_string())
            })
            .collect();
        if self.partitions.fract() != 0.0 || self.partitions.abs() >= 1e12 {
            return Err(FieldProblems::one(
                "partitions_count",
                Problem::new(
                    ProblemCode::PartitionsWhole,
                    "Enter a whole number of partitions.",
                ),
            ));
        }
        let topic = NewTopic {
            name: self.name.clone(),
            partitions: self.partitions as i64,
            configs,
        };
        topic.problems(None).or(topic)
    }
}

impl NewTopic {
    fn problems(&self, limit: Option<i64>) -> FieldProblems {
        rules::new_topic(&self.name, self.partitions, limit, &self.configs)
    }

    /// The cluster type's partition limit (Basic, Standard, … Dedicated by CKUs).
    pub fn check_for(&self, kind: &str, cku: Option<i32>) -> Result<(), FieldProblems> {
        self.problems(rules::partition_limit(kind, cku)).check()
    }
}

/// The edit form's rows as one `configs:alter` batch: values set, `None` reset to the default.
pub fn config_changes(rows: Vec<ConfigEntryInput>) -> Result<Vec<ConfigChange>, FieldProblems> {
    let sets: Vec<(String, String)> = rows
        .iter()
        .filter_map(|c| {
            Some((
                c.name.trim().to_string(),
                c.value.as_ref()?.trim().to_string(),
            ))
        })
        .collect();
    rules::config_problems(&sets).check()?;
    Ok(rows
        .into_iter()
        .map(|c| match c.value {
            Some(v) => ConfigChange::Set {
                name: c.name.trim().to_string(),
                value: v.trim().to_string(),
            },
            None => ConfigChange::Reset {
                name: c.name.trim().to_string(),
            },
        })
        .collect())
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TopicConfigView {
    pub name: String,
    pub value: Option<String>,
    pub is_default: bool,
    /// The service does not let it be changed.
    pub is_read_only: bool,
    pub source: String,
}

/// A topic's configs as listed: sensitive ones left out, by name.
pub fn config_views(list: Vec<TopicConfig>) -> Vec<TopicConfigView> {
    let mut out: Vec<TopicConfigView> = list
        .into_iter()
        .filter(|c| c.is_sensitive != Some(true))
        .filter_map(|c| {
            Some(TopicConfigView {
                name: c.name?,
                value: c.value,
                is_default: c.is_default.unwrap_or(false),
                is_read_only: c.is_read_only.unwrap_or(false),
                source: c.source.unwrap_or_default(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Why a topic call failed: the form (at its fields), or Kafka REST refusing `refused`'s
/// operation (a 403 is that refusal; anything else is the call's own failure).
#[derive(Debug)]
pub enum TopicError {
    Invalid(FieldProblems),
    Rest(ApiError, Refused),
}

impl From<FieldProblems> for TopicError {
    fn from(p: FieldProblems) -> Self {
        TopicError::Invalid(p)
    }
}

fn refused<'a>(op: &'static str, topic: &'a str) -> impl FnOnce(ApiError) -> TopicError + 'a {
    move |e| TopicError::Rest(e, Refused::new(op, "TOPIC", topic))
}

impl Client {
    /// Creates the topic after checking it against the cluster type's limit, then reads it back
    /// (the create answer may carry 0 counts and no configs).
    pub async fn create_checked_topic(
        &self,
        auth: &KafkaRestAuth,
        topic: &NewTopic,
        kind: &str,
        cku: Option<i32>,
    ) -> Result<TopicSummary, TopicError> {
        topic.check_for(kind, cku)?;
        let pairs: Vec<(&str, &str)> = topic
            .configs
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let partitions = Some(topic.partitions as i32);
        self.create_topic(auth, &topic.name, partitions, &pairs)
            .await
            .map_err(refused("CREATE", &topic.name))?;
        self.topic_summary(auth, &topic.name)
            .await
            .map_err(refused("DESCRIBE", &topic.name))
    }

    /// The topic's configs as the screen lists them ([`config_views`]).
    pub async fn topic_config_views(
        &self,
        auth: &KafkaRestAuth,
        topic: &str,
    ) -> Result<Vec<TopicConfigView>, TopicError> {
        let list = self
            .list_topic_configs(auth, topic)
            .await
            .map_err(refused("DESCRIBE_CONFIGS", topic))?;
        Ok(config_views(list))
    }

    /// Applies a checked batch ([`config_changes`]); an empty one sends nothing.
    pub async fn alter_checked_configs(
        &self,
        auth: &KafkaRestAuth,
        topic: &str,
        batch: &[ConfigChange],
    ) -> Result<(), TopicError> {
        if batch.is_empty() {
            return Ok(());
        }
        self.alter_topic_configs(auth, topic, batch)
            .await
            .map_err(refused("ALTER_CONFIGS", topic))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, value: Option<&str>) -> ConfigEntryInput {
        ConfigEntryInput {
            name: name.into(),
            value: value.map(str::to_string),
        }
    }

    #[test]
    fn a_new_topic_is_checked_before_the_cluster_is_asked() {
        let input = NewTopicInput {
            name: "orders".into(),
            partitions: 6.0,
            configs: vec![row(" retention.ms ", Some(" -1 ")), row("  ", Some("x"))],
        };
        let t = input.check().unwrap();
        assert_eq!(t.configs, [("retention.ms".to_string(), "-1".to_string())]);
        assert_eq!(t.partitions, 6);
        let half = NewTopicInput {
            partitions: 1.5,
            ..input.clone()
        };
        assert_eq!(
            half.check().unwrap_err()["partitions_count"],
            "Enter a whole number of partitions."
        );
        let bad = NewTopicInput {
            name: "my topic".into(),
            partitions: 0.0,
            configs: vec![
                row("retention.ms", Some("x")),
                row("retention.ms", Some("1")),
            ],
        };
        let p = bad.check().unwrap_err();
        assert!(p["topic_name"].contains("a space"));
        assert!(p["partitions_count"].contains("at least 1"));
        // Every bad row is said.
        assert!(p["configs"].contains("whole number") && p["configs"].contains("twice"));
        // The cluster type's limit comes with the cluster.
        let big = NewTopicInput {
            partitions: 2000.0,
            ..input
        }
        .check()
        .unwrap();
        assert!(big.check_for("Basic", None).unwrap_err()["partitions_count"].contains("1500"));
        assert!(big.check_for("Dedicated", Some(1)).is_ok());
    }

    #[test]
    fn config_edits_become_one_batch() {
        let batch = config_changes(vec![row(" a.b ", Some(" 1 ")), row("c", None)]).unwrap();
        assert_eq!(
            batch,
            [
                ConfigChange::Set {
                    name: "a.b".into(),
                    value: "1".into()
                },
                ConfigChange::Reset { name: "c".into() }
            ]
        );
        let e = config_changes(vec![row("cleanup.policy", Some("forever"))]).unwrap_err();
        assert!(e.contains("configs"));
    }

    #[test]
    fn listed_configs_leave_out_secrets_and_are_sorted() {
        let c = |name: &str, sensitive: bool| TopicConfig {
            name: Some(name.into()),
            value: Some("v".into()),
            is_sensitive: Some(sensitive),
            is_read_only: Some(true),
            ..Default::default()
        };
        let v = config_views(vec![c("z", false), c("secret", true), c("a", false)]);
        let names: Vec<&str> = v.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a", "z"]);
        assert!(v[0].is_read_only && !v[0].is_default);
    }
}
