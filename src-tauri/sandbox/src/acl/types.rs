//! The ACL enums with their Kafka REST v3 names (kafka-rest-v3.yaml `AclResourceType`,
//! `AclPatternType`, `AclOperation`, `AclPermission`) and their Kafka protocol codes
//! (org.apache.kafka.common.resource / acl). ANY, MATCH and UNKNOWN exist only in filters.

use serde::{Deserialize, Serialize};

macro_rules! acl_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal, $rest:literal;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// The REST name, e.g. "TOPIC".
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $rest),* }
            }
            /// Case-insensitive, as Kafka REST parses enums.
            pub fn parse(s: &str) -> Option<$name> {
                match s.to_ascii_uppercase().as_str() { $($rest => Some($name::$variant),)* _ => None }
            }
            /// The Kafka protocol code.
            pub fn code(self) -> i8 {
                match self { $($name::$variant => $code),* }
            }
            pub fn from_code(code: i8) -> Option<$name> {
                match code { $($code => Some($name::$variant),)* _ => None }
            }
            /// "A, B, C" for error messages.
            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

acl_enum!(
    /// What an ACL protects.
    ResourceType {
        Unknown = 0, "UNKNOWN";
        Any = 1, "ANY";
        Topic = 2, "TOPIC";
        Group = 3, "GROUP";
        Cluster = 4, "CLUSTER";
        TransactionalId = 5, "TRANSACTIONAL_ID";
        DelegationToken = 6, "DELEGATION_TOKEN";
    }
);

acl_enum!(
    /// How an ACL's resource name matches.
    PatternType {
        Unknown = 0, "UNKNOWN";
        Any = 1, "ANY";
        Match = 2, "MATCH";
        Literal = 3, "LITERAL";
        Prefixed = 4, "PREFIXED";
    }
);

acl_enum!(
    /// What an ACL allows or denies.
    Operation {
        Unknown = 0, "UNKNOWN";
        Any = 1, "ANY";
        All = 2, "ALL";
        Read = 3, "READ";
        Write = 4, "WRITE";
        Create = 5, "CREATE";
        Delete = 6, "DELETE";
        Alter = 7, "ALTER";
        Describe = 8, "DESCRIBE";
        ClusterAction = 9, "CLUSTER_ACTION";
        DescribeConfigs = 10, "DESCRIBE_CONFIGS";
        AlterConfigs = 11, "ALTER_CONFIGS";
        IdempotentWrite = 12, "IDEMPOTENT_WRITE";
    }
);

acl_enum!(
    /// Allow or deny.
    Permission {
        Unknown = 0, "UNKNOWN";
        Any = 1, "ANY";
        Deny = 2, "DENY";
        Allow = 3, "ALLOW";
    }
);

impl ResourceType {
    /// A type a stored ACL may have (not a filter-only value).
    pub fn is_concrete(self) -> bool {
        !matches!(self, ResourceType::Any | ResourceType::Unknown)
    }

    /// The operations Kafka accepts in an ACL on this resource type (Kafka's
    /// `AclEntry.supportedOperations`), ALL included.
    pub fn operations(self) -> &'static [Operation] {
        use Operation::*;
        match self {
            ResourceType::Topic => &[
                All,
                Read,
                Write,
                Create,
                Describe,
                Delete,
                Alter,
                DescribeConfigs,
                AlterConfigs,
            ],
            ResourceType::Group => &[All, Read, Describe, Delete],
            ResourceType::Cluster => &[
                All,
                Create,
                ClusterAction,
                DescribeConfigs,
                AlterConfigs,
                IdempotentWrite,
                Alter,
                Describe,
            ],
            ResourceType::TransactionalId => &[All, Describe, Write],
            ResourceType::DelegationToken => &[All, Describe],
            ResourceType::Any | ResourceType::Unknown => &[],
        }
    }
}

impl PatternType {
    pub fn is_concrete(self) -> bool {
        matches!(self, PatternType::Literal | PatternType::Prefixed)
    }
}

impl Operation {
    pub fn is_concrete(self) -> bool {
        !matches!(self, Operation::Any | Operation::Unknown)
    }
}

impl Permission {
    pub fn is_concrete(self) -> bool {
        matches!(self, Permission::Allow | Permission::Deny)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_codes_round_trip() {
        for op in Operation::ALL {
            assert_eq!(Operation::parse(op.as_str()), Some(*op));
            assert_eq!(Operation::from_code(op.code()), Some(*op));
        }
        assert_eq!(ResourceType::parse("topic"), Some(ResourceType::Topic));
        assert_eq!(ResourceType::Cluster.code(), 4);
        assert_eq!(Operation::IdempotentWrite.code(), 12);
        assert_eq!(Permission::Allow.code(), 3);
        assert_eq!(PatternType::Prefixed.code(), 4);
        assert_eq!(PatternType::parse("BOGUS"), None);
        assert_eq!(
            serde_json::to_string(&ResourceType::TransactionalId).unwrap(),
            "\"TRANSACTIONAL_ID\""
        );
    }
}
