//! One ACL as a cluster stores it, the checks Confluent Cloud and Kafka make before storing one,
//! and the filters that list and delete them (Kafka's `AclBindingFilter` semantics).

use serde::{Deserialize, Serialize};

use super::types::{Operation, PatternType, Permission, ResourceType};

/// The one name a CLUSTER resource may have on Confluent Cloud.
pub const CLUSTER_RESOURCE: &str = "kafka-cluster";

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AclBinding {
    /// The `lkc-…` the ACL belongs to.
    pub cluster: String,
    pub resource_type: ResourceType,
    pub resource_name: String,
    pub pattern_type: PatternType,
    /// `User:sa-…`, `User:u-…` or `User:*`.
    pub principal: String,
    /// Always `*` on Confluent Cloud.
    pub host: String,
    pub operation: Operation,
    pub permission: Permission,
}

/// Why an ACL can't be stored: the field at fault and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclProblem {
    pub field: &'static str,
    pub message: String,
}

fn problem(field: &'static str, message: impl Into<String>) -> AclProblem {
    AclProblem {
        field,
        message: message.into(),
    }
}

/// `User:x` as stored; `UserV2:x` (the new form of Confluent's filters) is the same principal.
pub fn normalize_principal(p: &str) -> String {
    match p.strip_prefix("UserV2:") {
        Some(id) => format!("User:{id}"),
        None => p.to_string(),
    }
}

impl AclBinding {
    /// The checks made before an ACL is stored. `known_principal(id)` says whether a user or
    /// service account with that id exists in the organisation.
    pub fn validate(&self, known_principal: impl Fn(&str) -> bool) -> Result<(), AclProblem> {
        if !self.resource_type.is_concrete() {
            return Err(problem(
                "resource_type",
                format!(
                    "resource_type {} can't be stored in an ACL; use TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID or DELEGATION_TOKEN.",
                    self.resource_type.as_str()
                ),
            ));
        }
        if self.resource_name.trim().is_empty() {
            return Err(problem("resource_name", "resource_name must not be empty."));
        }
        if !self.pattern_type.is_concrete() {
            return Err(problem(
                "pattern_type",
                format!(
                    "pattern_type {} can't be stored in an ACL; use LITERAL or PREFIXED.",
                    self.pattern_type.as_str()
                ),
            ));
        }
        if self.resource_type == ResourceType::Cluster {
            if self.resource_name != CLUSTER_RESOURCE {
                return Err(problem(
                    "resource_name",
                    format!("The only valid name for the CLUSTER resource is {CLUSTER_RESOURCE}"),
                ));
            }
            if self.pattern_type != PatternType::Literal {
                return Err(problem(
                    "pattern_type",
                    "A CLUSTER ACL must use the LITERAL pattern type.",
                ));
            }
        }
        if !self.operation.is_concrete() {
            return Err(problem(
                "operation",
                format!(
                    "operation {} can't be stored in an ACL.",
                    self.operation.as_str()
                ),
            ));
        }
        if !self.resource_type.operations().contains(&self.operation) {
            let allowed: Vec<&str> = self
                .resource_type
                .operations()
                .iter()
                .map(|o| o.as_str())
                .collect();
            return Err(problem(
                "operation",
                format!(
                    "operation {} is not valid for resource type {}; use one of {}.",
                    self.operation.as_str(),
                    self.resource_type.as_str(),
                    allowed.join(", ")
                ),
            ));
        }
        if !self.permission.is_concrete() {
            return Err(problem(
                "permission",
                format!(
                    "permission {} can't be stored in an ACL; use ALLOW or DENY.",
                    self.permission.as_str()
                ),
            ));
        }
        if self.host != "*" {
            return Err(problem(
                "host",
                format!(
                    "host '{}' is not supported: Confluent Cloud ACLs apply to every host ('*').",
                    self.host
                ),
            ));
        }
        let Some(id) = self.principal.strip_prefix("User:") else {
            return Err(problem(
                "principal",
                format!(
                    "principal '{}' must look like User:sa-… (a service account) or User:u-… (a user).",
                    self.principal
                ),
            ));
        };
        if id != "*" && !known_principal(id) {
            return Err(problem(
                "principal",
                format!("principal '{}': no user or service account '{id}' exists in this organization.", self.principal),
            ));
        }
        Ok(())
    }

    /// Whether this ACL's resource pattern covers a resource of `rtype` named `name`.
    pub fn covers(&self, rtype: ResourceType, name: &str) -> bool {
        self.resource_type == rtype
            && match self.pattern_type {
                PatternType::Literal => self.resource_name == name || self.resource_name == "*",
                PatternType::Prefixed => name.starts_with(self.resource_name.as_str()),
                _ => false,
            }
    }
}

/// Which principals a filter selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalFilter {
    Any,
    /// Exactly this principal string (`User:*` selects only wildcard ACLs, as in Kafka).
    Exact(String),
    /// `UserV2:*`: every service account.
    AllServiceAccounts,
}

impl PrincipalFilter {
    pub fn parse(p: Option<&str>) -> PrincipalFilter {
        match p {
            None | Some("") => PrincipalFilter::Any,
            Some("UserV2:*") => PrincipalFilter::AllServiceAccounts,
            Some(p) => PrincipalFilter::Exact(normalize_principal(p)),
        }
    }
}

/// Selects ACLs to list or delete. Concrete fields match exactly; ANY (or absent) matches
/// everything; pattern MATCH selects the ACLs that would apply to the named resource.
#[derive(Debug, Clone)]
pub struct AclFilter {
    pub resource_type: ResourceType,
    pub resource_name: Option<String>,
    pub pattern_type: PatternType,
    pub principal: PrincipalFilter,
    pub host: Option<String>,
    pub operation: Operation,
    pub permission: Permission,
}

impl AclFilter {
    pub fn any() -> AclFilter {
        AclFilter {
            resource_type: ResourceType::Any,
            resource_name: None,
            pattern_type: PatternType::Any,
            principal: PrincipalFilter::Any,
            host: None,
            operation: Operation::Any,
            permission: Permission::Any,
        }
    }

    pub fn matches(&self, acl: &AclBinding) -> bool {
        let rtype =
            self.resource_type == ResourceType::Any || self.resource_type == acl.resource_type;
        let name = match (self.pattern_type, self.resource_name.as_deref()) {
            (PatternType::Any, name) => name.is_none_or(|n| n == acl.resource_name),
            (PatternType::Match, None) => true,
            (PatternType::Match, Some(n)) => match acl.pattern_type {
                PatternType::Literal => acl.resource_name == n || acl.resource_name == "*",
                PatternType::Prefixed => n.starts_with(acl.resource_name.as_str()),
                _ => false,
            },
            (p, name) => p == acl.pattern_type && name.is_none_or(|n| n == acl.resource_name),
        };
        let principal = match &self.principal {
            PrincipalFilter::Any => true,
            PrincipalFilter::Exact(p) => *p == acl.principal,
            PrincipalFilter::AllServiceAccounts => acl.principal.starts_with("User:sa-"),
        };
        let host = self.host.as_deref().is_none_or(|h| h == acl.host);
        let op = self.operation == Operation::Any || self.operation == acl.operation;
        let perm = self.permission == Permission::Any || self.permission == acl.permission;
        rtype && name && principal && host && op && perm
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn acl(
        rtype: ResourceType,
        name: &str,
        pattern: PatternType,
        principal: &str,
        op: Operation,
        perm: Permission,
    ) -> AclBinding {
        AclBinding {
            cluster: "lkc-1".into(),
            resource_type: rtype,
            resource_name: name.into(),
            pattern_type: pattern,
            principal: principal.into(),
            host: "*".into(),
            operation: op,
            permission: perm,
        }
    }

    fn topic(name: &str, pattern: PatternType) -> AclBinding {
        acl(
            ResourceType::Topic,
            name,
            pattern,
            "User:sa-1",
            Operation::Write,
            Permission::Allow,
        )
    }

    #[test]
    fn validation_refuses_what_kafka_and_confluent_refuse() {
        let known = |id: &str| id == "sa-1" || id == "u-1";
        assert_eq!(
            topic("orders", PatternType::Literal).validate(known),
            Ok(())
        );
        let bad = |a: AclBinding| a.validate(known).unwrap_err().field;
        assert_eq!(bad(topic("", PatternType::Literal)), "resource_name");
        assert_eq!(bad(topic("x", PatternType::Match)), "pattern_type");
        let mut c = acl(
            ResourceType::Cluster,
            "my-cluster",
            PatternType::Literal,
            "User:sa-1",
            Operation::Describe,
            Permission::Allow,
        );
        let e = c.validate(known).unwrap_err();
        assert_eq!(e.field, "resource_name");
        assert!(e.message.contains("kafka-cluster"));
        c.resource_name = CLUSTER_RESOURCE.into();
        assert_eq!(c.validate(known), Ok(()));
        let mut t = topic("x", PatternType::Literal);
        t.operation = Operation::IdempotentWrite;
        assert_eq!(bad(t.clone()), "operation");
        t.operation = Operation::Any;
        assert_eq!(bad(t.clone()), "operation");
        t.operation = Operation::Read;
        t.principal = "User:sa-nobody".into();
        assert_eq!(bad(t.clone()), "principal");
        t.principal = "sa-1".into();
        assert_eq!(bad(t.clone()), "principal");
        t.principal = "User:*".into();
        assert_eq!(t.validate(known), Ok(()));
        t.host = "10.0.0.1".into();
        assert_eq!(bad(t.clone()), "host");
        t.host = "*".into();
        t.permission = Permission::Any;
        assert_eq!(bad(t), "permission");
    }

    #[test]
    fn patterns_cover_resources_as_kafka_does() {
        assert!(topic("orders", PatternType::Literal).covers(ResourceType::Topic, "orders"));
        assert!(!topic("orders", PatternType::Literal).covers(ResourceType::Topic, "orders-eu"));
        assert!(topic("*", PatternType::Literal).covers(ResourceType::Topic, "anything"));
        assert!(topic("ord", PatternType::Prefixed).covers(ResourceType::Topic, "orders"));
        assert!(!topic("ord", PatternType::Prefixed).covers(ResourceType::Topic, "or"));
        assert!(!topic("orders", PatternType::Literal).covers(ResourceType::Group, "orders"));
    }

    #[test]
    fn filters_select_like_kafkas_acl_binding_filter() {
        let lit = topic("orders", PatternType::Literal);
        let pre = topic("ord", PatternType::Prefixed);
        let star = topic("*", PatternType::Literal);
        let f = |pattern, name: Option<&str>| AclFilter {
            pattern_type: pattern,
            resource_name: name.map(str::to_string),
            ..AclFilter::any()
        };
        let m = f(PatternType::Match, Some("orders"));
        assert!(m.matches(&lit) && m.matches(&pre) && m.matches(&star));
        let any = f(PatternType::Any, Some("orders"));
        assert!(any.matches(&lit) && !any.matches(&pre) && !any.matches(&star));
        let l = f(PatternType::Literal, None);
        assert!(l.matches(&lit) && !l.matches(&pre) && l.matches(&star));
        let p = AclFilter {
            principal: PrincipalFilter::parse(Some("UserV2:*")),
            ..AclFilter::any()
        };
        assert!(p.matches(&lit));
        let mut user = lit.clone();
        user.principal = "User:u-1".into();
        assert!(!p.matches(&user));
        let one = AclFilter {
            principal: PrincipalFilter::parse(Some("UserV2:sa-1")),
            ..AclFilter::any()
        };
        assert!(one.matches(&lit) && !one.matches(&user));
        let wildcard = AclFilter {
            principal: PrincipalFilter::parse(Some("User:*")),
            ..AclFilter::any()
        };
        assert!(!wildcard.matches(&lit));
    }
}
