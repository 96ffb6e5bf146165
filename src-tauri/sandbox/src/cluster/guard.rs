//! A cluster's side of its front doors: which API keys log in and whom they act as, the
//! cluster's ACLs, and the topic policies of its cluster type.

use std::collections::HashMap;
use std::sync::{Arc, Weak};

use crate::acl::{AclBinding, AclFilter, AclProblem, Principal};
use crate::front_door::{BoxFuture, Guard, TopicPolicy};
use crate::ids::secret_matches;
use crate::organization::Organization;

pub(crate) struct ClusterGuard {
    cloud: Weak<Organization>,
    cluster_id: String,
}

impl ClusterGuard {
    pub(crate) fn new(cloud: &Arc<Organization>, cluster_id: &str) -> ClusterGuard {
        ClusterGuard {
            cloud: Arc::downgrade(cloud),
            cluster_id: cluster_id.to_string(),
        }
    }
}

/// How a refused login's key is named in the log: its id only if the username has a key's shape
/// (16 characters of Confluent's id alphabet) and such a key exists — anything else may be a
/// secret typed into the wrong field, and never reaches the log.
pub(crate) fn loggable_key(username: &str, exists: bool) -> &str {
    let key_shaped = username.len() == 16
        && username
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b));
    if key_shaped && exists {
        username
    } else {
        "(unknown key)"
    }
}

impl Guard for ClusterGuard {
    fn authenticate(&self, username: &str, password: &str) -> Result<Principal, String> {
        let cloud = self.cloud.upgrade().ok_or("the sandbox is shutting down")?;
        let (owner, exists) = cloud.read(|s| {
            let owner = s
                .api_keys
                .iter()
                .find(|k| {
                    k.id == username
                        && k.resource.as_deref() == Some(self.cluster_id.as_str())
                        && secret_matches(password, &k.secret_hash)
                })
                .map(|k| k.owner.clone());
            (owner, s.api_keys.iter().any(|k| k.id == username))
        });
        match owner {
            Some(owner) => Ok(Principal::of_owner(&owner)),
            None => {
                let place = format!("front door of {}", self.cluster_id);
                for line in cloud
                    .refusals
                    .refused(&place, loggable_key(username, exists))
                {
                    log::info!("{line}");
                }
                Err("Authentication failed: Invalid username or password".into())
            }
        }
    }

    fn generation(&self) -> u64 {
        self.cloud.upgrade().map_or(0, |c| c.generation())
    }

    fn acls(&self) -> Arc<Vec<AclBinding>> {
        Arc::new(
            self.cloud
                .upgrade()
                .map(|c| c.acls_of(&self.cluster_id))
                .unwrap_or_default(),
        )
    }

    fn cluster_id(&self) -> String {
        self.cluster_id.clone()
    }

    fn create_acls(&self, acls: Vec<AclBinding>) -> Vec<Result<(), AclProblem>> {
        match self.cloud.upgrade() {
            Some(c) => c.create_acls_each(acls),
            None => acls
                .iter()
                .map(|_| {
                    Err(AclProblem {
                        field: "",
                        message: "the sandbox is shutting down".into(),
                    })
                })
                .collect(),
        }
    }

    fn delete_acls(&self, filters: &[AclFilter]) -> Result<Vec<Vec<AclBinding>>, String> {
        let cloud = self.cloud.upgrade().ok_or("the sandbox is shutting down")?;
        cloud.delete_acls(&self.cluster_id, filters)
    }

    fn policy(&self) -> Option<Arc<dyn TopicPolicy>> {
        Some(Arc::new(ClusterPolicy {
            cloud: self.cloud.clone(),
            cluster_id: self.cluster_id.clone(),
        }))
    }
}

struct ClusterPolicy {
    cloud: Weak<Organization>,
    cluster_id: String,
}

impl TopicPolicy for ClusterPolicy {
    fn cluster_config(&self) -> serde_json::Value {
        self.cloud
            .upgrade()
            .and_then(|c| c.read(|s| s.cluster(&self.cluster_id).map(|c| c.config.clone())))
            .unwrap_or_default()
    }

    fn partitions(&self) -> BoxFuture<Result<HashMap<String, i32>, String>> {
        let (cloud, id) = (self.cloud.clone(), self.cluster_id.clone());
        Box::pin(async move {
            let rt = cloud
                .upgrade()
                .and_then(|c| c.runtime(&id))
                .ok_or("the cluster is not running")?;
            let topics = rt.admin.list_topics().await.map_err(|e| e.to_string())?;
            Ok(topics
                .into_iter()
                .map(|t| (t.name, t.partitions.len() as i32))
                .collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::loggable_key;

    #[test]
    fn only_existing_key_shaped_usernames_are_logged() {
        assert_eq!(loggable_key("7FJIYKQ4SGQDQ72H", true), "7FJIYKQ4SGQDQ72H");
        assert_eq!(loggable_key("7FJIYKQ4SGQDQ72H", false), "(unknown key)");
        let secret = "aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5zA7bC9dE1fG3hI5jK7lM9nO1pQ3";
        assert_eq!(loggable_key(secret, true), "(unknown key)");
        assert_eq!(loggable_key("7fjiykq4sgqdq72h", true), "(unknown key)");
    }
}
