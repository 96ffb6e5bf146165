//! ACLs through Kafka REST v3 (`/acls`, `/acls:batch`; docs/confluent-cloud-api.md#acls), the
//! org's users (`iam/v2/users`), and the least-privilege presets Gureum offers. On Confluent
//! Cloud a service account with no ACLs can do nothing at all; a user account acts with the
//! user's rights.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::config::KafkaRestAuth;
use crate::error::ApiError;
use crate::http::{data, Client};
use crate::models::ObjectMeta;

/// One ACL as Kafka REST names it: every field is one of the spec's strings
/// (`resource_type` TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID…; `pattern_type` LITERAL or
/// PREFIXED; `principal` `User:sa-…`; `host` `*`; `operation` READ, WRITE…; `permission` ALLOW
/// or DENY).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Acl {
    pub resource_type: String,
    pub resource_name: String,
    pub pattern_type: String,
    pub principal: String,
    pub host: String,
    pub operation: String,
    pub permission: String,
}

impl Acl {
    /// An ALLOW for every host, as Confluent Cloud's ACLs all are.
    pub fn allow(resource_type: &str, name: &str, pattern: &str, principal: &str, op: &str) -> Acl {
        Acl {
            resource_type: resource_type.into(),
            resource_name: name.into(),
            pattern_type: pattern.into(),
            principal: principal.into(),
            host: "*".into(),
            operation: op.into(),
            permission: "ALLOW".into(),
        }
    }

    /// The `confluent` CLI command that creates this ACL (the CLI sends one per operation).
    pub fn cli_command(&self, cluster_id: &str) -> String {
        let account = self
            .principal
            .strip_prefix("User:")
            .unwrap_or(&self.principal);
        let resource = match self.resource_type.as_str() {
            "TOPIC" => format!("--topic {}", shell_word(&self.resource_name)),
            "GROUP" => format!("--consumer-group {}", shell_word(&self.resource_name)),
            "TRANSACTIONAL_ID" => format!("--transactional-id {}", shell_word(&self.resource_name)),
            "CLUSTER" => "--cluster-scope".to_string(),
            other => format!(
                "--resource-type {other} {}",
                shell_word(&self.resource_name)
            ),
        };
        let prefix = if self.pattern_type == "PREFIXED" {
            " --prefix"
        } else {
            ""
        };
        let allow = if self.permission == "DENY" {
            "--deny"
        } else {
            "--allow"
        };
        // A user account (u-…) is named as a principal; --service-account takes only sa-….
        let who = if account.starts_with("sa-") {
            format!("--service-account {account}")
        } else {
            format!("--principal {}", shell_word(&self.principal))
        };
        format!(
            "confluent kafka acl create {allow} {who} --operations {} {resource}{prefix} --cluster {cluster_id}",
            self.operation.to_lowercase().replace('_', "-")
        )
    }
}

fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Which ACLs to list or delete; None matches anything (a delete must name the type, the
/// pattern, the operation and the permission: `ANY` is allowed for each).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AclFilter {
    pub resource_type: Option<String>,
    pub resource_name: Option<String>,
    pub pattern_type: Option<String>,
    pub principal: Option<String>,
    pub host: Option<String>,
    pub operation: Option<String>,
    pub permission: Option<String>,
}

impl AclFilter {
    /// Exactly one ACL.
    pub fn exact(acl: &Acl) -> AclFilter {
        AclFilter {
            resource_type: Some(acl.resource_type.clone()),
            resource_name: Some(acl.resource_name.clone()),
            pattern_type: Some(acl.pattern_type.clone()),
            principal: Some(acl.principal.clone()),
            host: Some(acl.host.clone()),
            operation: Some(acl.operation.clone()),
            permission: Some(acl.permission.clone()),
        }
    }

    /// Every ACL of a principal (`User:sa-…`).
    pub fn of_principal(principal: &str) -> AclFilter {
        AclFilter {
            principal: Some(principal.into()),
            ..AclFilter::default()
        }
    }

    fn query(&self, fill_any: bool) -> Vec<(String, String)> {
        let any = |v: &Option<String>| v.clone().or_else(|| fill_any.then(|| "ANY".into()));
        [
            ("resource_type", any(&self.resource_type)),
            ("resource_name", self.resource_name.clone()),
            ("pattern_type", any(&self.pattern_type)),
            ("principal", self.principal.clone()),
            ("host", self.host.clone()),
            ("operation", any(&self.operation)),
            ("permission", any(&self.permission)),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
        .collect()
    }
}

/// A user of the organisation (`iam/v2/users`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct User {
    pub id: Option<String>,
    pub metadata: Option<ObjectMeta>,
    pub email: Option<String>,
    pub full_name: Option<String>,
}

/// Least-privilege sets of ACLs for a service account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Preset {
    /// WRITE and DESCRIBE on a topic (or prefix), IDEMPOTENT_WRITE on the cluster (librdkafka's
    /// idempotent producer, and Gureum's, need it).
    Producer,
    /// READ and DESCRIBE on a topic (or prefix), READ on a consumer group (or prefix).
    Consumer,
    /// CREATE, DELETE, ALTER_CONFIGS, DESCRIBE_CONFIGS, READ, WRITE on a topic prefix.
    TopicOwner,
    /// Every operation on every topic, group and transactional id and on the cluster: what least
    /// privilege avoids.
    FullAccess,
}

/// What a preset applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PresetTarget {
    /// A topic name, or a prefix when `prefixed`.
    pub topic: String,
    pub prefixed: bool,
    /// The consumer group (Consumer preset); a prefix when `group_prefixed`.
    pub group: String,
    pub group_prefixed: bool,
}

impl Preset {
    /// The exact ACLs the preset adds for `principal` (`User:sa-…`).
    pub fn acls(self, principal: &str, t: &PresetTarget) -> Vec<Acl> {
        let pattern = |prefixed: bool| if prefixed { "PREFIXED" } else { "LITERAL" };
        let topic = |op: &str| Acl::allow("TOPIC", &t.topic, pattern(t.prefixed), principal, op);
        match self {
            Preset::Producer => vec![
                topic("WRITE"),
                topic("DESCRIBE"),
                Acl::allow(
                    "CLUSTER",
                    "kafka-cluster",
                    "LITERAL",
                    principal,
                    "IDEMPOTENT_WRITE",
                ),
            ],
            Preset::Consumer => vec![
                topic("READ"),
                topic("DESCRIBE"),
                Acl::allow(
                    "GROUP",
                    &t.group,
                    pattern(t.group_prefixed),
                    principal,
                    "READ",
                ),
            ],
            Preset::TopicOwner => [
                "CREATE",
                "DELETE",
                "ALTER_CONFIGS",
                "DESCRIBE_CONFIGS",
                "READ",
                "WRITE",
            ]
            .into_iter()
            .map(|op| Acl::allow("TOPIC", &t.topic, "PREFIXED", principal, op))
            .collect(),
            Preset::FullAccess => vec![
                Acl::allow("TOPIC", "*", "LITERAL", principal, "ALL"),
                Acl::allow("GROUP", "*", "LITERAL", principal, "ALL"),
                Acl::allow("TRANSACTIONAL_ID", "*", "LITERAL", principal, "ALL"),
                Acl::allow("CLUSTER", "kafka-cluster", "LITERAL", principal, "ALL"),
            ],
        }
    }
}

impl Client {
    pub async fn list_acls(
        &self,
        auth: &KafkaRestAuth,
        filter: &AclFilter,
    ) -> Result<Vec<Acl>, ApiError> {
        let mut call = self.kafka(auth, Method::GET, &["acls"])?;
        call.query = filter.query(false);
        data(&self.send(&call).await?)
    }

    /// Creates ACLs in one batch: all of them or none. Creating an existing ACL is no change,
    /// so this POST may be retried.
    pub async fn create_acls(&self, auth: &KafkaRestAuth, acls: &[Acl]) -> Result<(), ApiError> {
        let mut call = self.kafka(auth, Method::POST, &["acls:batch"])?;
        call.idempotent = true;
        call.body = Some(json!({ "data": acls }));
        self.send(&call).await.map(drop)
    }

    /// Deletes what the filter matches (unset type, pattern, operation and permission mean
    /// ANY); returns the ACLs deleted.
    pub async fn delete_acls(
        &self,
        auth: &KafkaRestAuth,
        filter: &AclFilter,
    ) -> Result<Vec<Acl>, ApiError> {
        let mut call = self.kafka(auth, Method::DELETE, &["acls"])?;
        call.query = filter.query(true);
        data(&self.send(&call).await?)
    }

    pub async fn list_users(&self) -> Result<Vec<User>, ApiError> {
        self.list_all(self.cloud(Method::GET, &["iam", "v2", "users"])?)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(topic: &str, prefixed: bool) -> PresetTarget {
        PresetTarget {
            topic: topic.into(),
            prefixed,
            group: "app".into(),
            group_prefixed: false,
        }
    }

    #[test]
    fn presets_are_least_privilege() {
        let p = "User:sa-1";
        let ops = |acls: Vec<Acl>| -> Vec<(String, String, String)> {
            acls.into_iter()
                .map(|a| (a.resource_type, a.pattern_type, a.operation))
                .collect()
        };
        assert_eq!(
            ops(Preset::Producer.acls(p, &target("orders", false))),
            [
                ("TOPIC".into(), "LITERAL".into(), "WRITE".into()),
                ("TOPIC".into(), "LITERAL".into(), "DESCRIBE".into()),
                (
                    "CLUSTER".into(),
                    "LITERAL".into(),
                    "IDEMPOTENT_WRITE".into()
                )
            ]
        );
        let c = Preset::Consumer.acls(p, &target("orders-", true));
        assert_eq!(c[0].pattern_type, "PREFIXED");
        assert_eq!(
            (c[2].resource_type.as_str(), c[2].resource_name.as_str()),
            ("GROUP", "app")
        );
        assert!(Preset::TopicOwner
            .acls(p, &target("team-", false))
            .iter()
            .all(|a| a.pattern_type == "PREFIXED" && a.resource_type == "TOPIC"));
        assert_eq!(Preset::FullAccess.acls(p, &target("", false)).len(), 4);
        assert!(Preset::FullAccess
            .acls(p, &target("", false))
            .iter()
            .all(|a| a.operation == "ALL" && a.host == "*" && a.permission == "ALLOW"));
    }

    #[test]
    fn filters_and_cli_words() {
        let a = Acl::allow("TOPIC", "orders", "PREFIXED", "User:sa-9", "READ");
        let q = AclFilter::exact(&a).query(true);
        assert!(q.contains(&("principal".into(), "User:sa-9".into())));
        let q = AclFilter::of_principal("User:sa-9").query(true);
        assert!(q.contains(&("resource_type".into(), "ANY".into())));
        assert!(!q.iter().any(|(k, _)| k == "resource_name"));
        assert_eq!(
            a.cli_command("lkc-1"),
            "confluent kafka acl create --allow --service-account sa-9 --operations read --topic orders --prefix --cluster lkc-1"
        );
        let c = Acl::allow(
            "CLUSTER",
            "kafka-cluster",
            "LITERAL",
            "User:sa-9",
            "IDEMPOTENT_WRITE",
        );
        assert!(c
            .cli_command("lkc-1")
            .contains("--operations idempotent-write --cluster-scope"));
    }
}
