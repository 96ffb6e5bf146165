//! Who may do what on a cluster, as flows over the typed client (docs/confluent-cloud-api.md#acls):
//!
//! - *my account*: the owner of the connection's Cloud API key, the account Gureum acts as;
//! - the *admin key*: a key of my account on a cluster, which may change its ACLs. Gureum uses
//!   one it holds, or makes one and keeps it (behind the key Topics and Send use);
//! - a new key whose owner gets its ACLs first, so it works the moment it is accepted;
//! - what a key (pasted in, say) is authorized for;
//! - the preset that fixes a refusal, and the REST and CLI equivalents of ACL changes.
//!
//! Where keys are kept is the caller's business ([`KeyVault`]: the OS keyring in the app).

use std::collections::HashSet;
use std::future::Future;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use gureum_secrets::Secret;
use serde::{Deserialize, Serialize};

use crate::acls::{Acl, AclFilter, Preset, PresetTarget};
use crate::config::KafkaRestAuth;
use crate::error::{ApiError, ErrorKind};
use crate::http::Client;
use crate::kafka_rest::WaitProgress;
use crate::models::{ApiKey, NewApiKey};

/// A user or service account of the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Account {
    /// `u-…` or `sa-…`.
    pub id: String,
    /// Its display name (the id when it has none).
    pub name: String,
    /// `User` or `ServiceAccount`.
    pub kind: String,
}

impl Account {
    /// How ACLs name it: `User:<id>` (service accounts too).
    pub fn principal(&self) -> String {
        format!("User:{}", self.id)
    }

    fn bare(id: &str, kind: Option<String>) -> Account {
        Account {
            id: id.to_string(),
            name: id.to_string(),
            kind: kind.unwrap_or_else(|| kind_of(id).to_string()),
        }
    }
}

/// `User` for `u-…`, `ServiceAccount` for `sa-…`.
pub fn kind_of(id: &str) -> &'static str {
    if id.starts_with("sa-") {
        "ServiceAccount"
    } else {
        "User"
    }
}

/// The `sa-…`/`u-…` an ACL principal names (`User:sa-1`, `UserV2:sa-1`), or the text itself.
pub fn principal_id(principal: &str) -> &str {
    principal.split_once(':').map_or(principal, |(_, id)| id)
}

/// The organisation's accounts, for naming principals.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub accounts: Vec<Account>,
}

impl Directory {
    /// Service accounts and users. Users are listed only if the Cloud API key may list them.
    pub async fn load(client: &Client) -> Result<Directory, ApiError> {
        let (sas, users) = tokio::join!(client.list_service_accounts(), client.list_users());
        let mut accounts: Vec<Account> = sas?
            .into_iter()
            .filter_map(|s| {
                let id = s.id?;
                Some(Account {
                    name: s
                        .display_name
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| id.clone()),
                    kind: "ServiceAccount".into(),
                    id,
                })
            })
            .collect();
        match users {
            Ok(users) => accounts.extend(users.into_iter().filter_map(|u| {
                let id = u.id?;
                Some(Account {
                    name: u
                        .full_name
                        .filter(|n| !n.is_empty())
                        .or(u.email)
                        .unwrap_or_else(|| id.clone()),
                    kind: "User".into(),
                    id,
                })
            })),
            Err(e) if matches!(e.kind, ErrorKind::Forbidden | ErrorKind::NotFound) => {}
            Err(e) => return Err(e),
        }
        Ok(Directory { accounts })
    }

    /// The account a principal or id names; an unknown one by its id.
    pub fn account(&self, principal_or_id: &str) -> Account {
        let id = principal_id(principal_or_id);
        self.accounts
            .iter()
            .find(|a| a.id == id)
            .cloned()
            .unwrap_or_else(|| Account::bare(id, None))
    }
}

/// The owner of a key, from the Cloud API.
fn owner_of(key: &ApiKey) -> Option<(String, Option<String>)> {
    let owner = key.spec.as_ref()?.owner.as_ref()?;
    Some((owner.id.clone()?, owner.kind.clone()))
}

/// My account: the owner of the connection's Cloud API key. If the key may not read itself,
/// the organisation's only user.
pub async fn my_account(client: &Client) -> Result<Account, ApiError> {
    let cloud_key = client.config().cloud_key.clone();
    let owner = match client.get_api_key(&cloud_key).await {
        Ok(k) => owner_of(&k),
        Err(e) if matches!(e.kind, ErrorKind::NotFound | ErrorKind::Forbidden) => None,
        Err(e) => return Err(e),
    };
    let dir = Directory::load(client).await?;
    if let Some((id, kind)) = owner {
        let mut a = dir.account(&id);
        if let Some(kind) = kind {
            a.kind = kind;
        }
        return Ok(a);
    }
    let users: Vec<&Account> = dir.accounts.iter().filter(|a| a.kind == "User").collect();
    match users.as_slice() {
        [only] => Ok((*only).clone()),
        _ => Err(ApiError::new(
            ErrorKind::Forbidden,
            format!("Could not tell which account owns the Cloud API key {cloud_key}: it may not read itself."),
        )),
    }
}

/// Where Gureum keeps cluster keys (the OS keyring, in the app).
pub trait KeyVault: Sync {
    type Error: Send;
    /// The keys held for a cluster with their secrets, the one in use first.
    fn held(
        &self,
        cluster_id: &str,
    ) -> impl Future<Output = Result<Vec<(String, Secret)>, Self::Error>> + Send;
    /// Keeps a key for a cluster; `in_use`: Topics and Send use it from now on.
    fn keep(
        &self,
        cluster_id: &str,
        key_id: &str,
        secret: &Secret,
        in_use: bool,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;
}

/// Whose key this is (the Cloud API's `spec.owner`), named.
pub async fn owner_of_key(client: &Client, key_id: &str) -> Result<Account, ApiError> {
    let key = client.get_api_key(key_id).await?;
    let Some((id, kind)) = owner_of(&key) else {
        return Err(ApiError::new(
            ErrorKind::Decode,
            format!("The Cloud API did not say who owns {key_id}."),
        ));
    };
    let dir = Directory::load(client).await?;
    let mut a = dir.account(&id);
    if let Some(k) = kind {
        a.kind = k;
    }
    Ok(a)
}

/// A flow's failure: the Cloud API's, Kafka REST's with a given key, or the vault's.
#[derive(Debug)]
pub enum FlowError<E> {
    Api(ApiError),
    /// Kafka REST refused a call made with this key (e.g. the admin key may not ALTER the
    /// cluster).
    Rest(ApiError, String),
    Vault(E),
}

impl<E> From<ApiError> for FlowError<E> {
    fn from(e: ApiError) -> Self {
        FlowError::Api(e)
    }
}

/// A cluster's Kafka REST address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterRef {
    pub environment_id: String,
    pub cluster_id: String,
    pub rest_endpoint: String,
}

impl ClusterRef {
    pub fn auth(&self, key: &str, secret: Secret) -> KafkaRestAuth {
        KafkaRestAuth {
            endpoint: self.rest_endpoint.clone(),
            cluster_id: self.cluster_id.clone(),
            key: key.to_string(),
            secret,
        }
    }
}

/// How long and how often a new key is probed until the cluster accepts it.
#[derive(Debug, Clone, Copy)]
pub struct Patience {
    pub interval: Duration,
    pub timeout: Duration,
}

impl Default for Patience {
    fn default() -> Self {
        Patience {
            interval: Duration::from_secs(1),
            timeout: Duration::from_secs(300),
        }
    }
}

/// The key ACL changes are made with, and whether Gureum just made it.
#[derive(Debug, Clone)]
pub struct AdminKey {
    pub auth: KafkaRestAuth,
    pub created: bool,
}

/// A key Gureum holds for the cluster that `me` owns, if any.
pub async fn held_admin_key<V: KeyVault>(
    client: &Client,
    vault: &V,
    cluster: &ClusterRef,
    me: &Account,
) -> Result<Option<KafkaRestAuth>, FlowError<V::Error>> {
    let held = vault
        .held(&cluster.cluster_id)
        .await
        .map_err(FlowError::Vault)?;
    if held.is_empty() {
        return Ok(None);
    }
    let mine: HashSet<String> = client
        .list_api_keys(Some(&me.id), Some(&cluster.cluster_id))
        .await?
        .into_iter()
        .filter_map(|k| k.id)
        .collect();
    Ok(held
        .into_iter()
        .find(|(id, _)| mine.contains(id))
        .map(|(id, secret)| cluster.auth(&id, secret)))
}

/// The admin key: one Gureum holds, else a new key of `me` for the cluster, kept in the vault
/// (not in use: Topics and Send keep the key they had) and waited for until accepted.
/// `progress` hears each probe of a new key, with its id.
pub async fn ensure_admin_key<V: KeyVault>(
    client: &Client,
    vault: &V,
    cluster: &ClusterRef,
    me: &Account,
    progress: impl Fn(&str, WaitProgress),
    cancel: &AtomicBool,
    patience: Patience,
) -> Result<AdminKey, FlowError<V::Error>> {
    if let Some(auth) = held_admin_key(client, vault, cluster, me).await? {
        return Ok(AdminKey {
            auth,
            created: false,
        });
    }
    let key = client
        .create_api_key(&NewApiKey {
            display_name: "Gureum (ACLs)".into(),
            description: "Made by Gureum to manage this cluster's ACLs as your account".into(),
            owner_id: me.id.clone(),
            resource_id: Some(cluster.cluster_id.clone()),
            resource_environment: Some(cluster.environment_id.clone()),
        })
        .await?;
    let (id, secret) = id_and_secret(&key)?;
    vault
        .keep(&cluster.cluster_id, &id, &secret, false)
        .await
        .map_err(FlowError::Vault)?;
    let auth = cluster.auth(&id, secret);
    client
        .wait_for_api_key(
            &auth,
            None,
            |p| progress(&id, p),
            cancel,
            patience.interval,
            patience.timeout,
        )
        .await
        .map_err(|e| FlowError::Rest(e, id.clone()))?;
    Ok(AdminKey {
        auth,
        created: true,
    })
}

fn id_and_secret(key: &ApiKey) -> Result<(String, Secret), ApiError> {
    match (&key.id, key.secret()) {
        (Some(id), Some(secret)) => Ok((id.clone(), secret.clone())),
        _ => Err(ApiError::new(
            ErrorKind::Decode,
            "The key was created but the answer carried no id or secret; delete it and try again.",
        )),
    }
}

/// Adds ACLs with the admin key (made first if Gureum holds none). All or none.
pub async fn add_acls<V: KeyVault>(
    client: &Client,
    vault: &V,
    cluster: &ClusterRef,
    acls: &[Acl],
    progress: impl Fn(&str, WaitProgress),
    cancel: &AtomicBool,
    patience: Patience,
) -> Result<AdminKey, FlowError<V::Error>> {
    let me = my_account(client).await?;
    let admin = ensure_admin_key(client, vault, cluster, &me, progress, cancel, patience).await?;
    client
        .create_acls(&admin.auth, acls)
        .await
        .map_err(|e| FlowError::Rest(e, admin.auth.key.clone()))?;
    Ok(admin)
}

/// A key to make: owned by `owner_id`, for a cluster (or the Cloud API), with the ACLs its
/// owner needs added first.
#[derive(Debug, Clone)]
pub struct KeyOrder {
    pub owner_id: String,
    pub cluster: Option<ClusterRef>,
    pub name: String,
    pub description: String,
    pub acls: Vec<Acl>,
}

/// A new key: its secret (shown once), the ACLs added for its owner, and whether a key of
/// my account had to be made to add them.
#[derive(Debug)]
pub struct NewKey<E> {
    pub key: ApiKey,
    pub secret: Secret,
    pub acls_added: Vec<Acl>,
    pub admin: Option<AdminKey>,
    /// Why the vault could not keep the new key (the secret is still shown, to copy).
    pub store_error: Option<E>,
    /// The vault keeps the new key (a cluster key, kept without error).
    pub kept: bool,
}

/// Adds the order's ACLs (with the admin key), then makes the key and keeps it in the vault as
/// the cluster's key in use. ACLs first: the key works the moment the cluster accepts it.
pub async fn create_key<V: KeyVault>(
    client: &Client,
    vault: &V,
    order: &KeyOrder,
    progress: impl Fn(&str, WaitProgress),
    cancel: &AtomicBool,
    patience: Patience,
) -> Result<NewKey<V::Error>, FlowError<V::Error>> {
    let mut admin = None;
    if !order.acls.is_empty() {
        let Some(cluster) = &order.cluster else {
            return Err(ApiError::new(
                ErrorKind::Invalid,
                "ACLs are a cluster's: pick a cluster for this key.",
            )
            .into());
        };
        admin = Some(
            add_acls(
                client,
                vault,
                cluster,
                &order.acls,
                progress,
                cancel,
                patience,
            )
            .await?,
        );
    }
    let key = client
        .create_api_key(&NewApiKey {
            display_name: order.name.clone(),
            description: order.description.clone(),
            owner_id: order.owner_id.clone(),
            resource_id: order.cluster.as_ref().map(|c| c.cluster_id.clone()),
            resource_environment: order.cluster.as_ref().map(|c| c.environment_id.clone()),
        })
        .await?;
    let (id, secret) = id_and_secret(&key)?;
    let store_error = match &order.cluster {
        Some(c) => vault.keep(&c.cluster_id, &id, &secret, true).await.err(),
        None => None,
    };
    Ok(NewKey {
        kept: order.cluster.is_some() && store_error.is_none(),
        key,
        secret,
        acls_added: order.acls.clone(),
        admin,
        store_error,
    })
}

/// One ACL with the account its principal names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AclRow {
    pub acl: Acl,
    pub account: Account,
}

/// A cluster's ACLs as my account sees them, read with the admin key (none held: no rows, and
/// `admin_key` None).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AclListing {
    pub me: Account,
    pub admin_key: Option<String>,
    pub rows: Vec<AclRow>,
}

/// Lists every ACL of the cluster, principals named, sorted by principal, resource, operation.
pub async fn list_acls<V: KeyVault>(
    client: &Client,
    vault: &V,
    cluster: &ClusterRef,
) -> Result<AclListing, FlowError<V::Error>> {
    let me = my_account(client).await?;
    let Some(auth) = held_admin_key(client, vault, cluster, &me).await? else {
        return Ok(AclListing {
            me,
            admin_key: None,
            rows: Vec::new(),
        });
    };
    let all = AclFilter::default();
    let (acls, dir) = tokio::join!(client.list_acls(&auth, &all), Directory::load(client));
    let acls = acls.map_err(|e| FlowError::Rest(e, auth.key.clone()))?;
    let dir = dir?;
    let mut rows: Vec<AclRow> = acls
        .into_iter()
        .map(|acl| AclRow {
            account: dir.account(&acl.principal),
            acl,
        })
        .collect();
    rows.sort_by(|a, b| {
        let k = |r: &AclRow| {
            (
                r.account.name.to_lowercase(),
                r.acl.resource_type.clone(),
                r.acl.resource_name.clone(),
                r.acl.operation.clone(),
                r.acl.permission.clone(),
            )
        };
        k(a).cmp(&k(b))
    });
    Ok(AclListing {
        me,
        admin_key: Some(auth.key),
        rows,
    })
}

/// Deletes exactly this ACL with the admin key; returns what was deleted.
pub async fn delete_acl<V: KeyVault>(
    client: &Client,
    vault: &V,
    cluster: &ClusterRef,
    acl: &Acl,
    progress: impl Fn(&str, WaitProgress),
    cancel: &AtomicBool,
    patience: Patience,
) -> Result<Vec<Acl>, FlowError<V::Error>> {
    let me = my_account(client).await?;
    let admin = ensure_admin_key(client, vault, cluster, &me, progress, cancel, patience).await?;
    client
        .delete_acls(&admin.auth, &AclFilter::exact(acl))
        .await
        .map_err(|e| FlowError::Rest(e, admin.auth.key.clone()))
}

/// A key Gureum holds, whose it is, and whether it is the one its cluster's Topics and Send use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct HeldKey {
    pub cluster_id: String,
    pub key_id: String,
    pub in_use: bool,
    /// None when the Cloud API doesn't know the key (deleted, or another organisation's).
    pub owner: Option<Account>,
}

/// Which of the held keys (`(cluster, key)`, oldest first) each cluster uses: its newest.
pub fn in_use(held: &[(String, String)]) -> Vec<(String, String, bool)> {
    held.iter()
        .enumerate()
        .map(|(i, (cluster, key))| {
            let newer = held[i + 1..].iter().any(|(c, _)| c == cluster);
            (cluster.clone(), key.clone(), !newer)
        })
        .collect()
}

/// The held keys (`(cluster, key)`, oldest first) with their owners, from the Cloud API.
pub async fn describe_held(
    client: &Client,
    held: &[(String, String)],
) -> Result<Vec<HeldKey>, ApiError> {
    if held.is_empty() {
        return Ok(Vec::new());
    }
    let (keys, dir) = tokio::join!(client.list_api_keys(None, None), Directory::load(client));
    let (keys, dir) = (keys?, dir?);
    Ok(in_use(held)
        .into_iter()
        .map(|(cluster_id, key_id, in_use)| {
            let owner = keys
                .iter()
                .find(|k| k.id.as_deref() == Some(key_id.as_str()))
                .and_then(owner_of)
                .map(|(id, kind)| {
                    let mut a = dir.account(&id);
                    if let Some(k) = kind {
                        a.kind = k;
                    }
                    a
                });
            HeldKey {
                cluster_id,
                key_id,
                in_use,
                owner,
            }
        })
        .collect())
}

/// A service account's key with no ACLs at all (Learn's third lesson): the account is found by
/// name or made; its ACLs on the cluster are removed (with the admin key); a key of it Gureum
/// holds is reused, else one is made, kept aside (not in use) and waited for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BareKey {
    pub account: Account,
    pub key_id: String,
    /// ACLs the account had on the cluster before, now removed.
    pub removed: u32,
}

pub async fn bare_service_key<V: KeyVault>(
    client: &Client,
    vault: &V,
    cluster: &ClusterRef,
    account_name: &str,
    progress: impl Fn(&str, WaitProgress),
    cancel: &AtomicBool,
    patience: Patience,
) -> Result<BareKey, FlowError<V::Error>> {
    let existing = client
        .list_service_accounts()
        .await?
        .into_iter()
        .find(|s| s.display_name.as_deref() == Some(account_name));
    let sa = match existing {
        Some(s) => s,
        None => {
            client
                .create_service_account(account_name, "Made by Gureum's Learn section (ACLs)")
                .await?
        }
    };
    let sa_id = sa.id.clone().unwrap_or_default();
    let account = Account {
        name: account_name.to_string(),
        kind: "ServiceAccount".into(),
        id: sa_id.clone(),
    };
    let me = my_account(client).await?;
    let admin = ensure_admin_key(client, vault, cluster, &me, &progress, cancel, patience).await?;
    let removed = client
        .delete_acls(&admin.auth, &AclFilter::of_principal(&account.principal()))
        .await
        .map_err(|e| FlowError::Rest(e, admin.auth.key.clone()))?
        .len() as u32;
    let held = vault
        .held(&cluster.cluster_id)
        .await
        .map_err(FlowError::Vault)?;
    let owned: HashSet<String> = client
        .list_api_keys(Some(&sa_id), Some(&cluster.cluster_id))
        .await?
        .into_iter()
        .filter_map(|k| k.id)
        .collect();
    if let Some((key_id, _)) = held.into_iter().find(|(id, _)| owned.contains(id)) {
        return Ok(BareKey {
            account,
            key_id,
            removed,
        });
    }
    let key = client
        .create_api_key(&NewApiKey {
            display_name: format!("{account_name} (no ACLs)"),
            description: "Made by Gureum's Learn section: a service account's key".into(),
            owner_id: sa_id,
            resource_id: Some(cluster.cluster_id.clone()),
            resource_environment: Some(cluster.environment_id.clone()),
        })
        .await?;
    let (key_id, secret) = id_and_secret(&key)?;
    vault
        .keep(&cluster.cluster_id, &key_id, &secret, false)
        .await
        .map_err(FlowError::Vault)?;
    client
        .wait_for_api_key(
            &cluster.auth(&key_id, secret),
            None,
            |p| progress(&key_id, p),
            cancel,
            patience.interval,
            patience.timeout,
        )
        .await
        .map_err(|e| FlowError::Rest(e, key_id.clone()))?;
    Ok(BareKey {
        account,
        key_id,
        removed,
    })
}

/// What one topic allows the key's owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TopicAccess {
    pub topic: String,
    /// READ, WRITE, DESCRIBE, … (Kafka REST's `authorized_operations`).
    pub operations: Vec<String>,
}

/// What a key turned out to be on its cluster: it authenticated (else the check fails with
/// `Unauthorized`), whose it is, and what it may do on the topics it can see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCheck {
    pub owner: Option<Account>,
    /// At most `limit` topics, by name.
    pub topics: Vec<TopicAccess>,
    /// How many topics the key can see in all.
    pub visible: usize,
}

/// Checks a key against its cluster. The owner is read from the Cloud API when the key is one
/// of this organisation's; a key it can't read is still checked.
pub async fn check_key(
    client: &Client,
    auth: &KafkaRestAuth,
    limit: usize,
) -> Result<KeyCheck, ApiError> {
    let mut names: Vec<String> = client
        .list_topics(auth)
        .await?
        .into_iter()
        .filter(|t| t.is_internal != Some(true))
        .filter_map(|t| t.topic_name)
        .collect();
    names.sort();
    let visible = names.len();
    let mut topics = Vec::new();
    for name in names.into_iter().take(limit) {
        let operations = client
            .topic_operations(auth, &name)
            .await?
            .unwrap_or_default();
        topics.push(TopicAccess {
            topic: name,
            operations,
        });
    }
    let owner = match client
        .get_api_key(&auth.key)
        .await
        .ok()
        .as_ref()
        .and_then(owner_of)
    {
        Some((id, kind)) => {
            let dir = Directory::load(client).await.unwrap_or_default();
            let mut a = dir.account(&id);
            if let Some(k) = kind {
                a.kind = k;
            }
            Some(a)
        }
        None => None,
    };
    Ok(KeyCheck {
        owner,
        topics,
        visible,
    })
}

/// An operation on a resource the key's owner was refused, in ACL terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Refused {
    /// WRITE, READ, DESCRIBE, CREATE, ALTER, IDEMPOTENT_WRITE, …
    pub operation: String,
    /// TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID.
    pub resource_type: String,
    pub resource_name: String,
    /// The topic the refused client was using (a refusal on the cluster or a group names none).
    pub topic: Option<String>,
    /// The consumer group it was using, if any.
    pub group: Option<String>,
    /// The API key refused, when known.
    pub key_id: Option<String>,
}

impl Refused {
    pub fn new(operation: &str, resource_type: &str, resource_name: &str) -> Refused {
        Refused {
            operation: operation.into(),
            resource_type: resource_type.into(),
            resource_name: resource_name.into(),
            topic: (resource_type == "TOPIC").then(|| resource_name.to_string()),
            group: None,
            key_id: None,
        }
    }

    /// The exact ACL that would have allowed it.
    pub fn acl(&self, principal: &str) -> Acl {
        Acl::allow(
            &self.resource_type,
            &self.resource_name,
            "LITERAL",
            principal,
            &self.operation,
        )
    }
}

/// What fixes a refusal: the least-privilege preset that covers it (if one does), and the one
/// exact ACL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Fix {
    pub preset: Option<Preset>,
    pub target: PresetTarget,
    /// The preset's ACLs for the principal (empty without a preset).
    pub acls: Vec<Acl>,
    /// Just the one ACL that was missing.
    pub exact: Acl,
}

/// The group a Consumer preset names when the refused client used none.
pub fn default_group(topic: &str) -> String {
    format!("{topic}-readers")
}

/// The preset that fixes `refused` for `principal` (`User:sa-…`).
pub fn fix_for(refused: &Refused, principal: &str) -> Fix {
    let topic = refused
        .topic
        .clone()
        .unwrap_or_else(|| refused.resource_name.clone());
    let group = refused
        .group
        .clone()
        .unwrap_or_else(|| default_group(&topic));
    let target = |topic: String, group: String| PresetTarget {
        topic,
        prefixed: false,
        group,
        group_prefixed: false,
    };
    let op = refused.operation.as_str();
    let (preset, target) = match (refused.resource_type.as_str(), op) {
        ("TOPIC", "WRITE") | ("CLUSTER", "IDEMPOTENT_WRITE") => {
            (Some(Preset::Producer), target(topic, String::new()))
        }
        ("TOPIC", "READ") => (Some(Preset::Consumer), target(topic, group)),
        ("GROUP", "READ" | "DESCRIBE") => (
            Some(Preset::Consumer),
            target(topic, refused.resource_name.clone()),
        ),
        ("TOPIC", "DESCRIBE") => {
            let preset = if refused.group.is_some() {
                Preset::Consumer
            } else {
                Preset::Producer
            };
            (Some(preset), target(topic, group))
        }
        ("TOPIC", "CREATE" | "DELETE" | "ALTER" | "ALTER_CONFIGS" | "DESCRIBE_CONFIGS")
        | ("CLUSTER", "CREATE") => (
            Some(Preset::TopicOwner),
            PresetTarget {
                prefixed: true,
                ..target(topic, String::new())
            },
        ),
        _ => (None, target(topic, String::new())),
    };
    Fix {
        acls: preset
            .map(|p| p.acls(principal, &target))
            .unwrap_or_default(),
        preset,
        target,
        exact: refused.acl(principal),
    }
}

/// The topic operations a preset grants (what its key's readiness check should find).
pub fn topic_operations(preset: Preset) -> Vec<String> {
    let t = PresetTarget {
        topic: "t".into(),
        prefixed: false,
        group: "g".into(),
        group_prefixed: false,
    };
    preset
        .acls("User:x", &t)
        .into_iter()
        .filter(|a| a.resource_type == "TOPIC")
        .map(|a| a.operation)
        .collect()
}

/// The same change as a Kafka REST call and as `confluent` CLI commands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Equivalent {
    pub method: String,
    pub url: String,
    /// The JSON body, pretty-printed.
    pub body: Option<String>,
    /// One CLI command per ACL (the CLI takes one resource at a time).
    pub cli: Vec<String>,
}

fn acls_url(rest_endpoint: &str, cluster_id: &str, tail: &str) -> String {
    format!(
        "{}/kafka/v3/clusters/{cluster_id}/{tail}",
        rest_endpoint.trim_end_matches('/')
    )
}

/// `POST …/acls:batch` and `confluent kafka acl create` for each.
pub fn create_equivalent(rest_endpoint: &str, cluster_id: &str, acls: &[Acl]) -> Equivalent {
    Equivalent {
        method: "POST".into(),
        url: acls_url(rest_endpoint, cluster_id, "acls:batch"),
        body: serde_json::to_string_pretty(&serde_json::json!({ "data": acls })).ok(),
        cli: acls.iter().map(|a| a.cli_command(cluster_id)).collect(),
    }
}

/// `DELETE …/acls?…` matching exactly this ACL, and `confluent kafka acl delete`.
pub fn delete_equivalent(rest_endpoint: &str, cluster_id: &str, acl: &Acl) -> Equivalent {
    let base = acls_url(rest_endpoint, cluster_id, "acls");
    let query = [
        ("resource_type", &acl.resource_type),
        ("resource_name", &acl.resource_name),
        ("pattern_type", &acl.pattern_type),
        ("principal", &acl.principal),
        ("host", &acl.host),
        ("operation", &acl.operation),
        ("permission", &acl.permission),
    ];
    let url = reqwest::Url::parse_with_params(&base, query)
        .map(|u| u.to_string())
        .unwrap_or(base);
    Equivalent {
        method: "DELETE".into(),
        url,
        body: None,
        cli: vec![acl
            .cli_command(cluster_id)
            .replacen("kafka acl create", "kafka acl delete", 1)],
    }
}

/// A new service account's name, trimmed, or the problem at the request's `display_name`.
pub fn service_account_name(name: &str) -> Result<&str, gureum_forms::FieldProblems> {
    gureum_forms::non_blank(
        "display_name",
        name,
        gureum_forms::Problem::new(
            gureum_forms::ProblemCode::ServiceAccountNameRequired,
            "Give the service account a name.",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_service_account_needs_a_name() {
        assert_eq!(service_account_name(" app "), Ok("app"));
        let p = service_account_name("").unwrap_err();
        assert_eq!(
            p.problems("display_name")[0].code,
            gureum_forms::ProblemCode::ServiceAccountNameRequired
        );
    }

    #[test]
    fn refusals_get_the_preset_that_covers_them() {
        let p = "User:sa-1";
        let f = fix_for(&Refused::new("WRITE", "TOPIC", "orders"), p);
        assert_eq!(f.preset, Some(Preset::Producer));
        assert_eq!(f.acls, Preset::Producer.acls(p, &f.target));
        assert_eq!(f.target.topic, "orders");
        assert!(f
            .acls
            .iter()
            .any(|a| a.operation == "WRITE" && a.resource_name == "orders"));
        assert_eq!(
            f.exact,
            Acl::allow("TOPIC", "orders", "LITERAL", p, "WRITE")
        );

        let read = Refused {
            group: Some("app".into()),
            ..Refused::new("READ", "TOPIC", "orders")
        };
        let f = fix_for(&read, p);
        assert_eq!(f.preset, Some(Preset::Consumer));
        assert_eq!(
            (f.target.topic.as_str(), f.target.group.as_str()),
            ("orders", "app")
        );
        // No group used: the Consumer preset still needs one, named after the topic.
        let f = fix_for(&Refused::new("READ", "TOPIC", "orders"), p);
        assert_eq!(f.target.group, "orders-readers");

        let group = Refused {
            topic: Some("orders".into()),
            ..Refused::new("READ", "GROUP", "billing")
        };
        let f = fix_for(&group, p);
        assert_eq!(
            (f.preset, f.target.topic.as_str(), f.target.group.as_str()),
            (Some(Preset::Consumer), "orders", "billing")
        );

        let idem = Refused {
            topic: Some("orders".into()),
            ..Refused::new("IDEMPOTENT_WRITE", "CLUSTER", "kafka-cluster")
        };
        assert_eq!(fix_for(&idem, p).preset, Some(Preset::Producer));
        assert_eq!(fix_for(&idem, p).target.topic, "orders");

        let f = fix_for(&Refused::new("DESCRIBE_CONFIGS", "TOPIC", "orders"), p);
        assert_eq!(f.preset, Some(Preset::TopicOwner));
        assert!(f
            .acls
            .iter()
            .all(|a| a.pattern_type == "PREFIXED" && a.resource_name == "orders"));
        assert_eq!(f.exact.operation, "DESCRIBE_CONFIGS");

        // Nothing covers a transactional id: only the exact ACL.
        let f = fix_for(&Refused::new("WRITE", "TRANSACTIONAL_ID", "tx-1"), p);
        assert_eq!((f.preset, f.acls.len()), (None, 0));
        assert_eq!(f.exact.resource_type, "TRANSACTIONAL_ID");
    }

    #[test]
    fn presets_say_what_they_allow_on_a_topic() {
        assert_eq!(topic_operations(Preset::Producer), ["WRITE", "DESCRIBE"]);
        assert_eq!(topic_operations(Preset::Consumer), ["READ", "DESCRIBE"]);
        assert_eq!(topic_operations(Preset::FullAccess), ["ALL"]);
    }

    #[test]
    fn equivalents_are_the_rest_call_and_the_cli() {
        let acls = Preset::Producer.acls(
            "User:sa-7",
            &PresetTarget {
                topic: "orders".into(),
                prefixed: false,
                group: String::new(),
                group_prefixed: false,
            },
        );
        let eq = create_equivalent("https://pkc-1.example:443/", "lkc-1", &acls);
        assert_eq!(eq.method, "POST");
        assert_eq!(
            eq.url,
            "https://pkc-1.example:443/kafka/v3/clusters/lkc-1/acls:batch"
        );
        let body: serde_json::Value = serde_json::from_str(eq.body.as_deref().unwrap()).unwrap();
        assert_eq!(body["data"].as_array().unwrap().len(), 3);
        assert_eq!(body["data"][0]["principal"], "User:sa-7");
        assert_eq!(eq.cli.len(), 3);
        assert!(eq.cli[0].starts_with("confluent kafka acl create --allow --service-account sa-7 --operations write --topic orders"));

        let del = delete_equivalent("https://pkc-1.example:443", "lkc-1", &acls[0]);
        assert_eq!(del.method, "DELETE");
        // (The URL parser drops https' default port.)
        assert!(del.url.starts_with("https://pkc-1.example/kafka/v3/clusters/lkc-1/acls?resource_type=TOPIC&resource_name=orders&pattern_type=LITERAL&principal=User%3Asa-7&host=*"), "{}", del.url);
        assert!(del.cli[0].starts_with("confluent kafka acl delete --allow --service-account sa-7"));
        // A user account is named as a principal.
        let u = Acl::allow("TOPIC", "*", "LITERAL", "User:u-1", "ALL");
        assert!(u.cli_command("lkc-1").contains("--principal 'User:u-1'"));
    }

    #[test]
    fn each_cluster_uses_its_newest_key() {
        let held = [
            ("lkc-1".to_string(), "OLD".to_string()),
            ("lkc-2".to_string(), "OTHER".to_string()),
            ("lkc-1".to_string(), "NEW".to_string()),
        ];
        let used: Vec<(String, bool)> = in_use(&held).into_iter().map(|(_, k, u)| (k, u)).collect();
        assert_eq!(
            used,
            [
                ("OLD".to_string(), false),
                ("OTHER".to_string(), true),
                ("NEW".to_string(), true)
            ]
        );
    }

    #[test]
    fn principals_name_accounts() {
        let dir = Directory {
            accounts: vec![Account {
                id: "sa-1".into(),
                name: "orders-app".into(),
                kind: "ServiceAccount".into(),
            }],
        };
        assert_eq!(dir.account("User:sa-1").name, "orders-app");
        assert_eq!(dir.account("UserV2:sa-1").name, "orders-app");
        let unknown = dir.account("User:u-9");
        assert_eq!(
            (unknown.name.as_str(), unknown.kind.as_str()),
            ("u-9", "User")
        );
        assert_eq!(unknown.principal(), "User:u-9");
        assert_eq!(principal_id("sa-3"), "sa-3");
    }
}

/// A key of the cluster that no longer exists: made for a throwaway service account and deleted
/// at once, with its owner (Learn's security lesson tries to log in with it).
pub async fn deleted_key(
    client: &Client,
    environment_id: &str,
    cluster_id: &str,
) -> Result<(String, Secret), ApiError> {
    let owner = client
        .create_service_account(
            "gureum-lesson",
            "Made by Gureum's security lesson; deleted right away",
        )
        .await?;
    let owner_id = owner.id.clone().unwrap_or_default();
    let key = client
        .create_api_key(&crate::NewApiKey {
            display_name: "gureum-lesson".into(),
            description: "Deleted right away by Gureum's security lesson".into(),
            owner_id: owner_id.clone(),
            resource_id: Some(cluster_id.to_string()),
            resource_environment: Some(environment_id.to_string()),
        })
        .await?;
    let (id, secret) = (key.id.clone().unwrap_or_default(), key.secret().cloned());
    client.delete_api_key(&id).await?;
    // Deleting the owner deletes nothing else: the key is gone already.
    let _ = client.delete_service_account(&owner_id).await;
    let secret = secret
        .ok_or_else(|| ApiError::new(ErrorKind::Decode, "the new key came without its secret"))?;
    Ok((id, secret))
}

/// What the "New API key" form sends.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewApiKeyInput {
    pub owner_id: String,
    /// The cluster the key is for; None makes a Cloud API key.
    pub cluster_id: Option<String>,
    pub environment_id: Option<String>,
    pub name: String,
    pub description: String,
    /// ACLs to add for the owner before the key is made (a preset's, for a service account), so
    /// the key works the moment the cluster accepts it. Added with a key of your account.
    #[serde(default)]
    pub acls: Vec<Acl>,
}

impl NewApiKeyInput {
    /// The form's own problems (who owns the key must be said), before any call is made.
    pub fn check(&self) -> Result<(), gureum_forms::FieldProblems> {
        if self.owner_id.trim().is_empty() {
            return Err(gureum_forms::FieldProblems::one(
                "owner",
                gureum_forms::Problem::new(
                    gureum_forms::ProblemCode::OwnerRequired,
                    "Pick who owns the key.",
                ),
            ));
        }
        Ok(())
    }

    /// The cluster (environment, cluster) whose Kafka REST address the order needs: the one
    /// its ACLs are added on. None when there are no ACLs to add (or no cluster to add them on).
    pub fn acl_cluster(&self) -> Option<(&str, &str)> {
        match (&self.cluster_id, &self.environment_id) {
            (Some(c), Some(e)) if !self.acls.is_empty() => Some((e, c)),
            _ => None,
        }
    }

    /// The order, trimmed: `resolved` is [`Self::acl_cluster`]'s address when it named one;
    /// otherwise a cluster key is addressed by its ids alone (no Kafka REST call is made).
    pub fn order(self, resolved: Option<ClusterRef>) -> KeyOrder {
        let cluster = resolved.or_else(|| {
            self.cluster_id.map(|c| ClusterRef {
                environment_id: self.environment_id.unwrap_or_default(),
                cluster_id: c,
                rest_endpoint: String::new(),
            })
        });
        KeyOrder {
            owner_id: self.owner_id.trim().to_string(),
            cluster,
            name: self.name.trim().to_string(),
            description: self.description.trim().to_string(),
            acls: self.acls,
        }
    }
}

/// Waiting for a new cluster key to work: two good probes in a row, then what it may do on
/// the probe topic (a blank one is none).
pub struct KeyWait {
    client: Client,
    auth: KafkaRestAuth,
    probe_topic: Option<String>,
    patience: Patience,
}

/// A key the cluster accepts, and what it may do on the topic asked about (None: no topic
/// asked about, or it doesn't exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyWaited {
    pub probe_topic: Option<String>,
    pub authorized: Option<Vec<String>>,
}

impl KeyWait {
    pub fn new(client: Client, auth: KafkaRestAuth, probe_topic: Option<String>) -> KeyWait {
        KeyWait {
            client,
            auth,
            probe_topic: probe_topic.filter(|t| !t.trim().is_empty()),
            patience: Patience::default(),
        }
    }

    /// The topic the wait probes, if any.
    pub fn probe_topic(&self) -> Option<&str> {
        self.probe_topic.as_deref()
    }

    /// Probes until the cluster accepts the key; `progress` hears each probe with the key's id.
    pub async fn run(
        self,
        progress: impl Fn(&str, WaitProgress),
        cancel: &AtomicBool,
    ) -> Result<KeyWaited, ApiError> {
        let (id, p) = (&self.auth.key, self.patience);
        let ready = self
            .client
            .wait_for_api_key(
                &self.auth,
                self.probe_topic.as_deref(),
                |w| progress(id, w),
                cancel,
                p.interval,
                p.timeout,
            )
            .await?;
        Ok(KeyWaited {
            probe_topic: self.probe_topic,
            authorized: ready.authorized,
        })
    }
}

/// A pasted key and secret, trimmed; both must be there.
pub fn pasted_key(
    key_id: &str,
    secret: &str,
) -> Result<(String, Secret), gureum_forms::FieldProblems> {
    let (key_id, secret) = (key_id.trim(), secret.trim());
    if key_id.is_empty() || secret.is_empty() {
        let which = if key_id.is_empty() { "key" } else { "secret" };
        return Err(gureum_forms::FieldProblems::one(
            which,
            gureum_forms::Problem::new(
                gureum_forms::ProblemCode::PastedKeyIncomplete,
                "Paste both the API key and its secret.",
            ),
        ));
    }
    Ok((key_id.to_string(), Secret::new(secret)))
}

/// Checks a pasted key against its cluster (it must authenticate: a refusal is
/// `FlowError::Rest` with the key's id, and nothing is kept), then keeps it in the vault as the
/// key Topics and Send use. `limit`: at most this many topics are described.
pub async fn use_existing_key<V: KeyVault>(
    client: &Client,
    vault: &V,
    cluster: &ClusterRef,
    key_id: &str,
    secret: Secret,
    limit: usize,
) -> Result<KeyCheck, FlowError<V::Error>> {
    let checked = check_key(client, &cluster.auth(key_id, secret.clone()), limit)
        .await
        .map_err(|e| FlowError::Rest(e, key_id.to_string()))?;
    vault
        .keep(&cluster.cluster_id, key_id, &secret, true)
        .await
        .map_err(FlowError::Vault)?;
    Ok(checked)
}

/// What fixes a refusal, for the owner of the key that was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusalFix {
    pub key_id: String,
    /// The cluster's Kafka REST endpoint, for the fix's equivalents.
    pub rest_endpoint: String,
    pub account: Account,
    pub fix: Fix,
}

/// Names the owner of `key_id` (the refused key) and the preset that fixes `refused` for it.
pub async fn fix_for_refusal(
    client: &Client,
    cluster: &ClusterRef,
    refused: &Refused,
    key_id: String,
) -> Result<RefusalFix, ApiError> {
    let account = owner_of_key(client, &key_id).await?;
    Ok(RefusalFix {
        fix: fix_for(refused, &account.principal()),
        rest_endpoint: cluster.rest_endpoint.clone(),
        key_id,
        account,
    })
}

#[cfg(test)]
mod form_tests {
    use super::*;

    fn input(owner: &str, cluster: Option<&str>, env: Option<&str>, acls: usize) -> NewApiKeyInput {
        let acl = Preset::Producer.acls(
            "User:sa-1",
            &PresetTarget {
                topic: "orders".into(),
                prefixed: false,
                group: "g".into(),
                group_prefixed: false,
            },
        )[0]
        .clone();
        NewApiKeyInput {
            owner_id: owner.into(),
            cluster_id: cluster.map(Into::into),
            environment_id: env.map(Into::into),
            name: "  app  ".into(),
            description: " for the app ".into(),
            acls: vec![acl; acls],
        }
    }

    #[test]
    fn a_key_needs_an_owner() {
        let p = input("  ", None, None, 0).check().unwrap_err();
        assert_eq!(p["owner"], "Pick who owns the key.");
        assert_eq!(p.len(), 1);
        assert!(input("sa-1", None, None, 0).check().is_ok());
    }

    #[test]
    fn only_acls_need_the_clusters_rest_address() {
        assert_eq!(
            input("sa-1", Some("lkc-1"), Some("env-1"), 1).acl_cluster(),
            Some(("env-1", "lkc-1"))
        );
        assert_eq!(
            input("sa-1", Some("lkc-1"), Some("env-1"), 0).acl_cluster(),
            None
        );
        assert_eq!(input("sa-1", Some("lkc-1"), None, 1).acl_cluster(), None);
        assert_eq!(input("sa-1", None, Some("env-1"), 1).acl_cluster(), None);
    }

    #[test]
    fn orders_are_trimmed_and_address_their_cluster() {
        let resolved = ClusterRef {
            environment_id: "env-1".into(),
            cluster_id: "lkc-1".into(),
            rest_endpoint: "https://rest".into(),
        };
        let o = input(" sa-1 ", Some("lkc-1"), Some("env-1"), 2).order(Some(resolved.clone()));
        assert_eq!((o.owner_id.as_str(), o.name.as_str()), ("sa-1", "app"));
        assert_eq!(o.description, "for the app");
        assert_eq!(o.cluster, Some(resolved));
        assert_eq!(o.acls.len(), 2);

        let bare = input("sa-1", Some("lkc-1"), None, 0).order(None);
        let c = bare.cluster.unwrap();
        assert_eq!(
            (c.environment_id.as_str(), c.cluster_id.as_str()),
            ("", "lkc-1")
        );
        assert!(c.rest_endpoint.is_empty());
        assert!(input("sa-1", None, Some("env-1"), 0)
            .order(None)
            .cluster
            .is_none());
    }

    #[test]
    fn pasted_keys_need_both_parts() {
        let (id, secret) = pasted_key("  ABC ", " s3cret\n").unwrap();
        assert_eq!((id.as_str(), secret.expose()), ("ABC", "s3cret"));
        let msg = "Paste both the API key and its secret.";
        assert_eq!(pasted_key(" ", "s").unwrap_err()["key"], msg);
        assert_eq!(pasted_key(" ", " ").unwrap_err()["key"], msg);
        assert_eq!(pasted_key("ABC", " ").unwrap_err()["secret"], msg);
    }

    #[test]
    fn a_blank_probe_topic_is_none() {
        let auth = ClusterRef {
            environment_id: "env-1".into(),
            cluster_id: "lkc-1".into(),
            rest_endpoint: "http://127.0.0.1:9".into(),
        }
        .auth("K", Secret::new("s"));
        let client = || {
            Client::new(crate::Config::new(
                "http://127.0.0.1:9",
                "k",
                Secret::new("s"),
            ))
            .unwrap()
        };
        assert_eq!(
            KeyWait::new(client(), auth.clone(), Some("  ".into())).probe_topic(),
            None
        );
        assert_eq!(
            KeyWait::new(client(), auth.clone(), None).probe_topic(),
            None
        );
        assert_eq!(
            KeyWait::new(client(), auth, Some("orders".into())).probe_topic(),
            Some("orders")
        );
    }
}
