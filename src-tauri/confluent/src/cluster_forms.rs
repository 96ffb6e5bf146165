//! The cluster forms' checks, said field by field before a request is sent: a new cluster, a
//! rename and/or a new size of one, a new environment's name.

use gureum_forms::{FieldProblems, Problem, ProblemCode as C};
use serde::{Deserialize, Serialize};

use crate::models::{ClusterConfig, NewCluster};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ClusterType {
    Basic,
    Standard,
    Enterprise,
    Dedicated,
    Freight,
    /// A type this Gureum does not know yet.
    Other,
}

/// What the "New cluster" form sends.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewClusterInput {
    pub environment_id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub cluster_type: ClusterType,
    /// Dedicated only.
    pub cku: Option<i32>,
    /// AWS | GCP | AZURE
    pub cloud: String,
    pub region: String,
    /// SINGLE_ZONE | MULTI_ZONE (LOW | HIGH for newer types)
    pub availability: String,
}

impl NewClusterInput {
    /// The request to send, or every problem at its field.
    pub fn into_request(self) -> Result<NewCluster, FieldProblems> {
        let mut fields = FieldProblems::new();
        if self.name.trim().is_empty() {
            fields.add(
                "display_name",
                Problem::new(C::ClusterNameRequired, "Give the cluster a name."),
            );
        }
        let config = match self.cluster_type {
            ClusterType::Basic => ClusterConfig::Basic { max_ecku: None },
            ClusterType::Standard => ClusterConfig::Standard { max_ecku: None },
            ClusterType::Enterprise => ClusterConfig::Enterprise { max_ecku: None },
            ClusterType::Freight => ClusterConfig::Freight { max_ecku: None },
            ClusterType::Dedicated => match self.cku {
                Some(cku) if cku >= 1 => ClusterConfig::Dedicated { cku, zones: None },
                _ => {
                    fields.add(
                        "cku",
                        Problem::new(C::CkuMin, "A Dedicated cluster needs at least 1 CKU."),
                    );
                    ClusterConfig::Unknown
                }
            },
            ClusterType::Other => {
                fields.add(
                    "type",
                    Problem::new(C::ClusterTypeRequired, "Pick a cluster type."),
                );
                ClusterConfig::Unknown
            }
        };
        fields.or(NewCluster {
            display_name: self.name.trim().to_string(),
            environment_id: self.environment_id,
            cloud: self.cloud,
            region: self.region,
            availability: self.availability,
            config,
        })
    }
}

/// A new environment's name, trimmed, or the problem at the request's `display_name`.
pub fn environment_name(name: &str) -> Result<&str, FieldProblems> {
    gureum_forms::non_blank(
        "display_name",
        name,
        Problem::new(C::EnvironmentNameRequired, "Give the environment a name."),
    )
}

/// A checked change of a cluster: the new name (trimmed) and the new Dedicated size, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterUpdate {
    pub name: Option<String>,
    pub config: Option<ClusterConfig>,
}

/// Checks a rename (not to a blank name) and a size (at least 1 CKU). Only Dedicated clusters
/// are sized in CKUs; the server says so for any other.
pub fn cluster_update(
    name: Option<&str>,
    cku: Option<i32>,
) -> Result<ClusterUpdate, FieldProblems> {
    let mut fields = FieldProblems::new();
    let name = name.map(str::trim);
    if name == Some("") {
        fields.add(
            "display_name",
            Problem::new(C::ClusterNameRequired, "Give the cluster a name."),
        );
    }
    if cku.is_some_and(|c| c < 1) {
        fields.add(
            "cku",
            Problem::new(C::CkuMin, "A Dedicated cluster needs at least 1 CKU."),
        );
    }
    fields.or(ClusterUpdate {
        name: name.map(str::to_string),
        config: cku.map(|cku| ClusterConfig::Dedicated { cku, zones: None }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(t: ClusterType, cku: Option<i32>, name: &str) -> NewClusterInput {
        NewClusterInput {
            environment_id: "env-1".into(),
            name: name.into(),
            cluster_type: t,
            cku,
            cloud: "AWS".into(),
            region: "ap-northeast-2".into(),
            availability: "SINGLE_ZONE".into(),
        }
    }

    #[test]
    fn new_cluster_input_becomes_the_clients_request() {
        let r = input(ClusterType::Dedicated, Some(2), " big ")
            .into_request()
            .unwrap();
        assert_eq!(r.display_name, "big");
        assert_eq!(
            r.config,
            ClusterConfig::Dedicated {
                cku: 2,
                zones: None
            }
        );
        let e = input(ClusterType::Dedicated, None, "")
            .into_request()
            .unwrap_err();
        assert_eq!(e.fields().collect::<Vec<_>>(), ["cku", "display_name"]);
        assert_eq!(e.problems("cku")[0].code, C::CkuMin);
    }

    #[test]
    fn a_new_environment_needs_a_name() {
        assert_eq!(environment_name(" staging "), Ok("staging"));
        let p = environment_name("  ").unwrap_err();
        assert_eq!(
            p.problems("display_name")[0].code,
            C::EnvironmentNameRequired
        );
        assert_eq!(p["display_name"], "Give the environment a name.");
    }

    #[test]
    fn a_rename_is_trimmed_and_not_blank() {
        let u = cluster_update(Some("  orders  "), None).unwrap();
        assert_eq!(u.name.as_deref(), Some("orders"));
        assert_eq!(u.config, None);
        let p = cluster_update(Some("   "), None).unwrap_err();
        assert_eq!(p["display_name"], "Give the cluster a name.");
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn a_size_is_at_least_one_cku() {
        let u = cluster_update(None, Some(2)).unwrap();
        assert_eq!(u.name, None);
        assert_eq!(
            u.config,
            Some(ClusterConfig::Dedicated {
                cku: 2,
                zones: None
            })
        );
        let p = cluster_update(Some(""), Some(0)).unwrap_err();
        assert_eq!(p["cku"], "A Dedicated cluster needs at least 1 CKU.");
        assert_eq!(p["display_name"], "Give the cluster a name.");
        assert!(cluster_update(None, Some(-1)).is_err());
        assert_eq!(
            cluster_update(None, None).unwrap(),
            ClusterUpdate {
                name: None,
                config: None
            }
        );
    }
}
