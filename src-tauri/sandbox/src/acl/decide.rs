//! The authorizer: Apache Kafka's `AclAuthorizer` rules over one cluster's ACLs.
//! - No matching ACL: denied (Confluent Cloud never sets `allow.everyone.if.no.acl.found`).
//! - A matching DENY for the operation (or ALL) wins over any ALLOW.
//! - ALLOW of READ, WRITE, DELETE or ALTER also allows DESCRIBE; ALLOW of ALTER_CONFIGS also
//!   allows DESCRIBE_CONFIGS. DENY implies nothing.
//! - An ACL applies to `User:<id>` and to `User:*`, on every host.

use super::binding::AclBinding;
use super::types::{Operation, Permission, ResourceType};
use super::Principal;

fn applies(acl: &AclBinding, principal: &str, rtype: ResourceType, name: &str) -> bool {
    (acl.principal == principal || acl.principal == "User:*") && acl.covers(rtype, name)
}

fn implies(granted: Operation, asked: Operation) -> bool {
    granted == asked
        || granted == Operation::All
        || (asked == Operation::Describe
            && matches!(
                granted,
                Operation::Read | Operation::Write | Operation::Delete | Operation::Alter
            ))
        || (asked == Operation::DescribeConfigs && granted == Operation::AlterConfigs)
}

/// Whether `principal` may do `op` on the resource, given the cluster's ACLs.
pub fn authorize(
    acls: &[AclBinding],
    principal: &Principal,
    op: Operation,
    rtype: ResourceType,
    name: &str,
) -> bool {
    if principal.is_superuser() {
        return true;
    }
    let who = principal.acl_name();
    let mut allowed = false;
    for acl in acls.iter().filter(|a| applies(a, &who, rtype, name)) {
        match acl.permission {
            Permission::Deny if acl.operation == op || acl.operation == Operation::All => {
                return false
            }
            Permission::Allow if implies(acl.operation, op) => allowed = true,
            _ => {}
        }
    }
    allowed
}

/// Kafka's authorized-operations bit field (bit = operation code) over `ops`.
fn bits(acls: &[AclBinding], p: &Principal, rtype: ResourceType, name: &str) -> i32 {
    rtype
        .operations()
        .iter()
        .filter(|op| **op != Operation::All && authorize(acls, p, **op, rtype, name))
        .fold(0, |acc, op| acc | (1 << op.code()))
}

/// What Metadata's `topic_authorized_operations` reports for a topic.
pub fn topic_operations(acls: &[AclBinding], p: &Principal, topic: &str) -> i32 {
    bits(acls, p, ResourceType::Topic, topic)
}

/// What Metadata's and DescribeCluster's `cluster_authorized_operations` report.
pub fn cluster_operations(acls: &[AclBinding], p: &Principal) -> i32 {
    bits(acls, p, ResourceType::Cluster, super::CLUSTER_RESOURCE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acl::binding::tests::acl;
    use crate::acl::PatternType;

    const T: ResourceType = ResourceType::Topic;
    const LIT: PatternType = PatternType::Literal;
    const PRE: PatternType = PatternType::Prefixed;

    fn sa() -> Principal {
        Principal::ServiceAccount("sa-1".into())
    }

    #[test]
    fn nothing_without_acls_and_everything_for_a_user() {
        assert!(!authorize(&[], &sa(), Operation::Describe, T, "t"));
        assert!(authorize(
            &[],
            &Principal::User("u-1".into()),
            Operation::Delete,
            T,
            "t"
        ));
    }

    #[test]
    fn allow_applies_to_its_principal_pattern_and_implied_operations() {
        let acls = [acl(
            T,
            "orders",
            LIT,
            "User:sa-1",
            Operation::Write,
            Permission::Allow,
        )];
        assert!(authorize(&acls, &sa(), Operation::Write, T, "orders"));
        assert!(authorize(&acls, &sa(), Operation::Describe, T, "orders"));
        assert!(!authorize(&acls, &sa(), Operation::Read, T, "orders"));
        assert!(!authorize(&acls, &sa(), Operation::Write, T, "orders2"));
        let other = Principal::ServiceAccount("sa-2".into());
        assert!(!authorize(&acls, &other, Operation::Write, T, "orders"));
        let pre = [acl(
            T,
            "app-",
            PRE,
            "User:*",
            Operation::All,
            Permission::Allow,
        )];
        assert!(authorize(&pre, &other, Operation::Delete, T, "app-x"));
        assert!(!authorize(&pre, &other, Operation::Delete, T, "ap"));
        let cfg = [acl(
            T,
            "*",
            LIT,
            "User:sa-1",
            Operation::AlterConfigs,
            Permission::Allow,
        )];
        assert!(authorize(&cfg, &sa(), Operation::DescribeConfigs, T, "any"));
        assert!(!authorize(&cfg, &sa(), Operation::Describe, T, "any"));
    }

    #[test]
    fn deny_beats_allow_but_implies_nothing() {
        let acls = [
            acl(T, "*", LIT, "User:sa-1", Operation::All, Permission::Allow),
            acl(
                T,
                "secret",
                LIT,
                "User:sa-1",
                Operation::Read,
                Permission::Deny,
            ),
            acl(T, "priv-", PRE, "User:*", Operation::All, Permission::Deny),
        ];
        assert!(!authorize(&acls, &sa(), Operation::Read, T, "secret"));
        assert!(authorize(&acls, &sa(), Operation::Describe, T, "secret"));
        assert!(authorize(&acls, &sa(), Operation::Write, T, "secret"));
        assert!(!authorize(&acls, &sa(), Operation::Describe, T, "priv-x"));
        assert!(authorize(&acls, &sa(), Operation::Read, T, "public"));
    }

    #[test]
    fn operation_bits_are_kafkas() {
        let acls = [acl(
            T,
            "t",
            LIT,
            "User:sa-1",
            Operation::Read,
            Permission::Allow,
        )];
        // READ (3) and the DESCRIBE (8) it implies.
        assert_eq!(topic_operations(&acls, &sa(), "t"), (1 << 3) | (1 << 8));
        assert_eq!(cluster_operations(&acls, &sa()), 0);
    }
}
