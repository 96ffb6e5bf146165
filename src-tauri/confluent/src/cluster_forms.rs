//! The cluster forms' checks, said field by field before a request is sent: a rename and/or a
//! new size of a cluster.

use gureum_forms::FieldProblems;

use crate::models::ClusterConfig;

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
        fields.add("display_name", "Give the cluster a name.");
    }
    if cku.is_some_and(|c| c < 1) {
        fields.add("cku", "A Dedicated cluster needs at least 1 CKU.");
    }
    fields.or(ClusterUpdate {
        name: name.map(str::to_string),
        config: cku.map(|cku| ClusterConfig::Dedicated { cku, zones: None }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
