//! The organisation's ACLs as the sandbox keeps them: in its state file, per cluster. Every change
//! moves the sandbox's generation on, so the front doors drop the decisions they cached.

use super::{AclBinding, AclFilter, AclProblem};
use crate::model::State;
use crate::organization::Organization;

/// Whether an ACL may name this principal id: the org's user or one of its service accounts.
pub fn known_principal(state: &State, id: &str) -> bool {
    id == state.admin_user_id || state.service_accounts.iter().any(|sa| sa.id == id)
}

impl Organization {
    /// One cluster's ACLs.
    pub fn acls_of(&self, cluster: &str) -> Vec<AclBinding> {
        self.read(|s| {
            s.acls
                .iter()
                .filter(|a| a.cluster == cluster)
                .cloned()
                .collect()
        })
    }

    /// Checks every binding first; stores them all or none (a batch is all-or-nothing).
    /// Err((index, problem)) names the first binding at fault.
    pub fn create_acls(&self, acls: Vec<AclBinding>) -> Result<(), (usize, AclProblem)> {
        let problem = self.read(|s| {
            acls.iter().enumerate().find_map(|(i, a)| {
                a.validate(|id| known_principal(s, id))
                    .err()
                    .map(|p| (i, p))
            })
        });
        if let Some(p) = problem {
            return Err(p);
        }
        self.write(|s| -> Result<_, crate::organization::SaveFailed> {
            for a in acls {
                // Creating an ACL that exists is a no-op, as in Kafka.
                if !s.acls.contains(&a) {
                    s.acls.push(a);
                }
            }
            Ok(())
        })
        .map_err(|e| {
            (
                0,
                AclProblem {
                    field: "",
                    message: e.to_string(),
                },
            )
        })
    }

    /// CreateAcls over the Kafka protocol: each binding stands alone.
    pub fn create_acls_each(&self, acls: Vec<AclBinding>) -> Vec<Result<(), AclProblem>> {
        acls.into_iter()
            .map(|a| self.create_acls(vec![a]).map_err(|(_, p)| p))
            .collect()
    }

    /// Deletes what each filter matches in one cluster; returns what each deleted.
    pub fn delete_acls(
        &self,
        cluster: &str,
        filters: &[AclFilter],
    ) -> Result<Vec<Vec<AclBinding>>, String> {
        self.write(|s| -> Result<_, crate::organization::SaveFailed> {
            let mut out = Vec::with_capacity(filters.len());
            for f in filters {
                let (gone, kept): (Vec<AclBinding>, Vec<AclBinding>) = std::mem::take(&mut s.acls)
                    .into_iter()
                    .partition(|a| a.cluster == cluster && f.matches(a));
                s.acls = kept;
                out.push(gone);
            }
            Ok(out)
        })
        .map_err(|e| e.to_string())
    }
}
