//! Kafka ACLs as Confluent Cloud keeps them per cluster, and the decisions Apache Kafka's
//! `AclAuthorizer` makes from them (docs/confluent-cloud-api.md#authorization).
//!
//! Who acts: a key acts as its owner. A user account (`u-…`, the org's one admin here) has
//! OrganizationAdmin rights and may do everything; a service account (`sa-…`) has exactly what
//! ACLs grant it — nothing without them.
//!
//! Files: `types` (the enums with their REST names and protocol codes), `binding` (one ACL, its
//! validation, filters), `decide` (the authorizer).

mod binding;
mod decide;
mod store;
mod types;

pub use binding::{
    normalize_principal, AclBinding, AclFilter, AclProblem, PrincipalFilter, CLUSTER_RESOURCE,
};
pub use decide::{authorize, cluster_operations, topic_operations};
pub use store::known_principal;
pub use types::{Operation, PatternType, Permission, ResourceType};

/// Who an authenticated API key acts as.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Principal {
    /// A user account: the organisation's admin, allowed everything.
    User(String),
    /// A service account: allowed what its ACLs grant.
    ServiceAccount(String),
}

impl Principal {
    /// The owner id of a key: `u-…` is a user, anything else (`sa-…`) a service account.
    pub fn of_owner(owner: &str) -> Principal {
        if owner.starts_with("u-") {
            Principal::User(owner.to_string())
        } else {
            Principal::ServiceAccount(owner.to_string())
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Principal::User(id) | Principal::ServiceAccount(id) => id,
        }
    }

    /// As ACLs name it: `User:sa-…`.
    pub fn acl_name(&self) -> String {
        format!("User:{}", self.id())
    }

    pub fn is_superuser(&self) -> bool {
        matches!(self, Principal::User(_))
    }
}
