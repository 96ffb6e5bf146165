//! Who a connection acts as and what it may do: the cluster's side of the front door (the
//! [`Guard`]), a connection's cached decisions (the [`Gate`]), and what the door does with one
//! request (a [`Verdict`]).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::acl::{self, AclBinding, AclFilter, AclProblem, Operation, Principal, ResourceType};

/// Kafka error codes the door answers with.
pub mod code {
    pub const INVALID_TOPIC_EXCEPTION: i16 = 17;
    pub const TOPIC_AUTHORIZATION_FAILED: i16 = 29;
    pub const GROUP_AUTHORIZATION_FAILED: i16 = 30;
    pub const CLUSTER_AUTHORIZATION_FAILED: i16 = 31;
    pub const UNSUPPORTED_VERSION: i16 = 35;
    pub const INVALID_PARTITIONS: i16 = 37;
    pub const INVALID_CONFIG: i16 = 40;
    pub const INVALID_REQUEST: i16 = 42;
    pub const POLICY_VIOLATION: i16 = 44;
    pub const TRANSACTIONAL_ID_AUTHORIZATION_FAILED: i16 = 53;
    pub const OPERATION_NOT_ATTEMPTED: i16 = 55;
    pub const UNKNOWN_SERVER_ERROR: i16 = -1;
}

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// The cluster's rules for topics (Confluent's policies), for the door to apply to Kafka admin
/// requests exactly as Kafka REST applies them.
pub trait TopicPolicy: Send + Sync + 'static {
    /// `spec.config` of the cluster ({"kind": "Basic"} …): its limits.
    fn cluster_config(&self) -> serde_json::Value;
    /// Partitions per existing topic, as the broker has them now.
    fn partitions(&self) -> BoxFuture<Result<HashMap<String, i32>, String>>;
}

/// What a front door asks of its cluster.
pub trait Guard: Send + Sync + 'static {
    /// SASL/PLAIN: the principal the key acts as, or the message for the client.
    fn authenticate(&self, username: &str, password: &str) -> Result<Principal, String>;
    /// Changes whenever the cluster's ACLs change: decisions cached before are dropped.
    fn generation(&self) -> u64 {
        0
    }
    /// The cluster's ACLs now.
    fn acls(&self) -> Arc<Vec<AclBinding>> {
        Arc::new(Vec::new())
    }
    /// The cluster id ACLs created over the Kafka protocol belong to.
    fn cluster_id(&self) -> String {
        String::new()
    }
    /// Stores ACLs (CreateAcls); one result per binding, in order.
    fn create_acls(&self, acls: Vec<AclBinding>) -> Vec<Result<(), AclProblem>> {
        acls.iter()
            .map(|_| {
                Err(AclProblem {
                    field: "",
                    message: "this cluster keeps no ACLs".into(),
                })
            })
            .collect()
    }
    /// Deletes the ACLs each filter matches (DeleteAcls); one list per filter, in order.
    fn delete_acls(&self, filters: &[AclFilter]) -> Result<Vec<Vec<AclBinding>>, String> {
        Ok(filters.iter().map(|_| Vec::new()).collect())
    }
    /// The topic policies to apply; None applies none (a bare door in tests).
    fn policy(&self) -> Option<Arc<dyn TopicPolicy>> {
        None
    }
}

/// Any `Fn(username, password) -> Result<Principal, String>` is a guard with no ACLs and no
/// policies (handy for tests): a user principal may do anything, a service account nothing.
impl<F> Guard for F
where
    F: Fn(&str, &str) -> Result<Principal, String> + Send + Sync + 'static,
{
    fn authenticate(&self, username: &str, password: &str) -> Result<Principal, String> {
        self(username, password)
    }
}

/// One connection's principal and its decisions so far. Decisions are cached (a producer asks
/// the same question thousands of times a second) until the cluster's ACLs change.
pub(super) struct Gate {
    pub guard: Arc<dyn Guard>,
    pub principal: Principal,
    generation: u64,
    acls: Arc<Vec<AclBinding>>,
    cache: HashMap<(Operation, ResourceType, String), bool>,
}

/// Cached decisions per connection; beyond this the cache starts over (a client naming
/// millions of topics must not grow it without bound).
const CACHE_MAX: usize = 10_000;

impl Gate {
    pub fn new(guard: Arc<dyn Guard>, principal: Principal) -> Gate {
        let generation = guard.generation();
        let acls = guard.acls();
        Gate {
            guard,
            principal,
            generation,
            acls,
            cache: HashMap::new(),
        }
    }

    fn refresh(&mut self) {
        let now = self.guard.generation();
        if now != self.generation {
            self.generation = now;
            self.acls = self.guard.acls();
            self.cache.clear();
        }
    }

    pub fn allowed(&mut self, op: Operation, rtype: ResourceType, name: &str) -> bool {
        if self.principal.is_superuser() {
            return true;
        }
        self.refresh();
        if let Some(v) = self.cache.get(&(op, rtype, name.to_string())) {
            return *v;
        }
        let v = acl::authorize(&self.acls, &self.principal, op, rtype, name);
        if self.cache.len() >= CACHE_MAX {
            self.cache.clear();
        }
        self.cache.insert((op, rtype, name.to_string()), v);
        v
    }

    pub fn topic(&mut self, op: Operation, name: &str) -> bool {
        self.allowed(op, ResourceType::Topic, name)
    }

    pub fn group(&mut self, op: Operation, name: &str) -> bool {
        self.allowed(op, ResourceType::Group, name)
    }

    pub fn txn(&mut self, op: Operation, name: &str) -> bool {
        self.allowed(op, ResourceType::TransactionalId, name)
    }

    pub fn cluster(&mut self, op: Operation) -> bool {
        self.allowed(op, ResourceType::Cluster, acl::CLUSTER_RESOURCE)
    }

    /// The `topic_authorized_operations` bits of a topic.
    pub fn topic_operations(&mut self, name: &str) -> i32 {
        self.refresh();
        acl::topic_operations(&self.acls, &self.principal, name)
    }

    pub fn cluster_operations(&mut self) -> i32 {
        self.refresh();
        acl::cluster_operations(&self.acls, &self.principal)
    }

    /// Kafka lets a producer be idempotent with IDEMPOTENT_WRITE on the cluster or WRITE on any
    /// topic (KIP-679).
    pub fn may_be_idempotent(&mut self) -> bool {
        if self.cluster(Operation::IdempotentWrite) {
            return true;
        }
        self.refresh();
        let who = self.principal.acl_name();
        let acls = self.acls.clone();
        // An ALLOW of WRITE on some topic pattern that no DENY takes away again.
        acls.iter()
            .filter(|a| {
                a.resource_type == ResourceType::Topic
                    && a.permission == acl::Permission::Allow
                    && matches!(a.operation, Operation::Write | Operation::All)
                    && (a.principal == who || a.principal == "User:*")
            })
            .any(|a| self.topic(Operation::Write, &a.resource_name))
    }
}

/// One topic (or its partitions) taken out of a request, with the error the client gets for it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TopicDenied {
    pub name: String,
    pub partitions: Vec<i32>,
    pub code: i16,
    pub message: Option<String>,
}

/// A config resource (DescribeConfigs, AlterConfigs) taken out of a request.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ResourceDenied {
    pub resource_type: i8,
    pub name: String,
    pub code: i16,
    pub message: Option<String>,
}

/// What the client is told about what the door kept from the broker.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Denied {
    /// The whole request's error (a group or transactional id it may not use).
    pub error: Option<(i16, Option<String>)>,
    pub topics: Vec<TopicDenied>,
    pub groups: Vec<(String, i16)>,
    pub txns: Vec<(String, i16)>,
    pub resources: Vec<ResourceDenied>,
}

impl Denied {
    pub fn is_empty(&self) -> bool {
        self.error.is_none()
            && self.topics.is_empty()
            && self.groups.is_empty()
            && self.txns.is_empty()
            && self.resources.is_empty()
    }
    pub fn error(code: i16, message: Option<String>) -> Denied {
        Denied {
            error: Some((code, message)),
            ..Denied::default()
        }
    }
}

/// What to do with the broker's answer to a forwarded request.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum After {
    /// Pass it on (rewriting broker addresses where the API carries them).
    Pass,
    /// Add the client's errors for what was taken out of the request.
    Merge(Denied),
    /// Metadata: hide (or, if named, refuse) topics the principal may not DESCRIBE, and fill in
    /// authorized operations when asked.
    Metadata {
        named: bool,
        topic_operations: bool,
        cluster_operations: bool,
    },
    /// DescribeCluster: fill in the cluster's authorized operations when asked.
    DescribeCluster { cluster_operations: bool },
    /// ListGroups without DESCRIBE on the cluster: only groups it may DESCRIBE.
    ListGroups,
    /// ListTransactions: only transactional ids it may DESCRIBE.
    ListTransactions,
    /// OffsetFetch of all topics: only topics it may DESCRIBE.
    OffsetFetchAll,
}

/// What the door does with one request.
#[derive(Debug)]
pub(super) enum Verdict {
    /// Send it to the broker (edited, if `Some`); `expect_answer` is false for acks=0 produce.
    Forward {
        edited: Option<Vec<u8>>,
        after: After,
        expect_answer: bool,
    },
    /// Answer it here; the broker never sees it.
    Answer(bytes::Bytes),
    /// Drop the connection (as Kafka does for a request it can't read, or acks=0 refused).
    Close(String),
}

impl Verdict {
    pub fn pass() -> Verdict {
        Verdict::Forward {
            edited: None,
            after: After::Pass,
            expect_answer: true,
        }
    }
}
