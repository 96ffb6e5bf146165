//! Topics as a list shows them: counts plus the two configs people look for first. Built from the
//! cluster-wide config view so N topics cost two requests, not N + 1.

use std::collections::HashMap;

use crate::config::KafkaRestAuth;
use crate::error::ApiError;
use crate::http::Client;
use crate::models::{Topic, TopicConfig};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicSummary {
    pub name: String,
    pub partitions: i32,
    pub replication_factor: i32,
    /// `retention.ms` as the cluster reports it ("-1" = forever).
    pub retention_ms: Option<String>,
    pub cleanup_policy: Option<String>,
}

fn summary(t: Topic, configs: &[&TopicConfig]) -> Option<TopicSummary> {
    let value = |n: &str| {
        configs
            .iter()
            .find(|c| c.name.as_deref() == Some(n))
            .and_then(|c| c.value.clone())
    };
    Some(TopicSummary {
        partitions: t.partitions_count.unwrap_or(0),
        replication_factor: t.replication_factor.unwrap_or(0),
        retention_ms: value("retention.ms"),
        cleanup_policy: value("cleanup.policy"),
        name: t.topic_name?,
    })
}

impl Client {
    /// Every non-internal topic, sorted by name. A cluster that can't list all configs still
    /// lists its topics (without retention and cleanup policy).
    pub async fn topic_summaries(
        &self,
        auth: &KafkaRestAuth,
    ) -> Result<Vec<TopicSummary>, ApiError> {
        let (topics, configs) =
            tokio::join!(self.list_topics(auth), self.list_all_topic_configs(auth));
        let configs = configs.unwrap_or_default();
        let mut by_topic: HashMap<&str, Vec<&TopicConfig>> = HashMap::new();
        for c in &configs {
            if let Some(t) = c.topic_name.as_deref() {
                by_topic.entry(t).or_default().push(c);
            }
        }
        let mut out: Vec<TopicSummary> = topics?
            .into_iter()
            .filter(|t| t.is_internal != Some(true))
            .filter_map(|t| {
                let mine = t
                    .topic_name
                    .as_deref()
                    .and_then(|n| by_topic.get(n))
                    .cloned()
                    .unwrap_or_default();
                summary(t, &mine)
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// One topic, read back as the list shows it (e.g. after a create, whose answer may carry 0
    /// counts and no configs).
    pub async fn topic_summary(
        &self,
        auth: &KafkaRestAuth,
        topic: &str,
    ) -> Result<TopicSummary, ApiError> {
        let (t, configs) = tokio::join!(
            self.get_topic(auth, topic),
            self.list_topic_configs(auth, topic)
        );
        let configs = configs.unwrap_or_default();
        let refs: Vec<&TopicConfig> = configs.iter().collect();
        summary(t?, &refs).ok_or_else(|| {
            ApiError::new(
                crate::error::ErrorKind::Decode,
                "the topic came back without a name",
            )
        })
    }
}
