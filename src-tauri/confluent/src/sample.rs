//! The welcome's one-click sample: an environment, a Basic cluster, an API key of that cluster and
//! a topic, ready to send to. The key is owned by the organisation's user (`u-…`, `GET
//! /iam/v2/users`), which may do everything on its clusters — what Confluent's own quick start
//! hands out; a service account's key could do nothing until given ACLs. Its secret goes to the
//! [`KeyVault`] like any key Gureum creates, and the sample waits until the cluster accepts it.
//! Running it again reuses whatever of it is already there.

use std::future::Future;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::access::{ClusterRef, KeyVault};
use crate::error::{ApiError, ErrorKind};
use crate::http::Client;
use crate::models::{Cluster, ClusterConfig, NewApiKey, NewCluster};

pub const SAMPLE_ENVIRONMENT: &str = "Sample";
pub const SAMPLE_CLUSTER: &str = "sample";
pub const SAMPLE_TOPIC: &str = "hello";
const SAMPLE_PARTITIONS: i32 = 3;

/// How long and how often the sample waits.
#[derive(Debug, Clone, Copy)]
pub struct SamplePatience {
    /// A Basic cluster provisions in a few seconds on the sandbox; Confluent Cloud takes minutes.
    pub provision: Duration,
    pub provision_poll: Duration,
    pub key_poll: Duration,
    pub key: Duration,
}

impl Default for SamplePatience {
    fn default() -> Self {
        SamplePatience {
            provision: Duration::from_secs(180),
            provision_poll: Duration::from_millis(250),
            key_poll: Duration::from_millis(500),
            key: Duration::from_secs(300),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SampleStep {
    Environment,
    Cluster,
    Key,
    Topic,
}

/// What the sample made (or found): everything Send needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Sample {
    pub environment_id: String,
    pub cluster_id: String,
    pub cluster_name: String,
    pub key_id: String,
    pub topic: String,
}

/// Why the sample stopped.
#[derive(Debug)]
pub enum SampleError<E> {
    /// A Cloud API call failed.
    Api(ApiError),
    /// A Kafka REST call with the cluster's key (named) failed.
    Rest(ApiError, String),
    Vault(E),
    /// The cloud's answer lacked something, or the cluster failed to provision.
    Cloud(String),
    /// The cluster was not provisioned in time.
    TimedOut(String),
}

impl<E> From<ApiError> for SampleError<E> {
    fn from(e: ApiError) -> Self {
        SampleError::Api(e)
    }
}

fn missing<E>(what: &str) -> SampleError<E> {
    SampleError::Cloud(format!("The sandbox's answer carried no {what}."))
}

/// Runs the sample; `progress(step, done, detail)` says when each step starts and ends (with the
/// id made or found). Returns the sample and its cluster as last read.
pub async fn create<V: KeyVault>(
    client: &Client,
    vault: &V,
    progress: impl Fn(SampleStep, bool, Option<&str>),
    patience: SamplePatience,
) -> Result<(Sample, Cluster), SampleError<V::Error>> {
    let env_id = step(&progress, SampleStep::Environment, environment(client)).await?;
    let cluster = step(&progress, SampleStep::Cluster, async {
        let c = cluster(client, &env_id, patience).await?;
        Ok((c.id.clone().unwrap_or_default(), c))
    })
    .await?;
    let cluster_id = cluster.id.clone().unwrap_or_default();
    let rest_endpoint = cluster
        .rest_endpoint()
        .ok_or_else(|| missing("REST endpoint of the cluster"))?;
    let target = ClusterRef {
        environment_id: env_id.clone(),
        cluster_id: cluster_id.clone(),
        rest_endpoint: rest_endpoint.to_string(),
    };
    let auth = step(&progress, SampleStep::Key, async {
        let auth = key(client, vault, &target, patience).await?;
        Ok((auth.key.clone(), auth))
    })
    .await?;
    step(&progress, SampleStep::Topic, async {
        match client.get_topic(&auth, SAMPLE_TOPIC).await {
            Ok(_) => {}
            Err(e) if e.kind == ErrorKind::NotFound => {
                client
                    .create_topic(&auth, SAMPLE_TOPIC, Some(SAMPLE_PARTITIONS), &[])
                    .await
                    .map_err(|e| SampleError::Rest(e, auth.key.clone()))?;
            }
            Err(e) => return Err(SampleError::Rest(e, auth.key.clone())),
        }
        Ok((SAMPLE_TOPIC.to_string(), ()))
    })
    .await?;
    let sample = Sample {
        environment_id: env_id,
        cluster_id,
        cluster_name: SAMPLE_CLUSTER.into(),
        key_id: auth.key,
        topic: SAMPLE_TOPIC.into(),
    };
    Ok((sample, cluster))
}

/// Reports `which` started, runs it, and reports it done with the id it names.
async fn step<T, E>(
    progress: &impl Fn(SampleStep, bool, Option<&str>),
    which: SampleStep,
    work: impl Future<Output = Result<(String, T), SampleError<E>>>,
) -> Result<T, SampleError<E>> {
    progress(which, false, None);
    let (id, out) = work.await?;
    progress(which, true, Some(&id));
    Ok(out)
}

async fn environment<E>(client: &Client) -> Result<(String, String), SampleError<E>> {
    let found = client
        .list_environments()
        .await?
        .into_iter()
        .find(|e| e.display_name.as_deref() == Some(SAMPLE_ENVIRONMENT));
    let env = match found {
        Some(e) => e,
        None => client.create_environment(SAMPLE_ENVIRONMENT, None).await?,
    };
    let id = env.id.ok_or_else(|| missing("environment id"))?;
    Ok((id.clone(), id))
}

/// The sample cluster (one that failed is left alone), once provisioned.
async fn cluster<E>(
    client: &Client,
    env_id: &str,
    patience: SamplePatience,
) -> Result<Cluster, SampleError<E>> {
    let found = client.list_clusters(env_id).await?.into_iter().find(|c| {
        c.spec.as_ref().and_then(|s| s.display_name.as_deref()) == Some(SAMPLE_CLUSTER)
            && c.phase() != Some("FAILED")
    });
    let mut cluster = match found {
        Some(c) => c,
        None => {
            client
                .create_cluster(&NewCluster {
                    display_name: SAMPLE_CLUSTER.into(),
                    environment_id: env_id.to_string(),
                    cloud: "AWS".into(),
                    region: "us-east-1".into(),
                    availability: "SINGLE_ZONE".into(),
                    config: ClusterConfig::Basic { max_ecku: None },
                })
                .await?
        }
    };
    let id = cluster.id.clone().ok_or_else(|| missing("cluster id"))?;
    let started = Instant::now();
    while cluster.phase() != Some("PROVISIONED") {
        if cluster.phase() == Some("FAILED") {
            return Err(SampleError::Cloud(format!("The sample cluster {id} failed to provision; delete it under Clusters and try again.")));
        }
        if started.elapsed() > patience.provision {
            return Err(SampleError::TimedOut(format!(
                "The sample cluster {id} was not provisioned within {} s.",
                patience.provision.as_secs()
            )));
        }
        tokio::time::sleep(patience.provision_poll).await;
        cluster = client.get_cluster(env_id, &id).await?;
    }
    Ok(cluster)
}

/// The key the vault uses for the cluster, made (owned by the organisation's user) if it holds
/// none, once the cluster accepts it.
async fn key<V: KeyVault>(
    client: &Client,
    vault: &V,
    target: &ClusterRef,
    patience: SamplePatience,
) -> Result<crate::KafkaRestAuth, SampleError<V::Error>> {
    let cluster_id = &target.cluster_id;
    let held = vault.held(cluster_id).await.map_err(SampleError::Vault)?;
    let (key_id, secret) = match held.into_iter().next() {
        Some(k) => k,
        None => {
            let me = client
                .list_users()
                .await?
                .into_iter()
                .find_map(|u| u.id)
                .ok_or_else(|| missing("user (GET /iam/v2/users)"))?;
            let created = client
                .create_api_key(&NewApiKey {
                    display_name: format!("{SAMPLE_CLUSTER} key"),
                    description: "Made by Gureum's welcome sample: owned by you, so it may do everything on the cluster".into(),
                    owner_id: me,
                    resource_id: Some(cluster_id.clone()),
                    resource_environment: Some(target.environment_id.clone()),
                })
                .await?;
            let secret = created
                .secret()
                .cloned()
                .ok_or_else(|| missing("API key secret"))?;
            let key_id = created.id.clone().ok_or_else(|| missing("API key id"))?;
            vault
                .keep(cluster_id, &key_id, &secret, true)
                .await
                .map_err(SampleError::Vault)?;
            (key_id, secret)
        }
    };
    let auth = target.auth(&key_id, secret);
    client
        .wait_for_api_key(
            &auth,
            None,
            |_| {},
            &AtomicBool::new(false),
            patience.key_poll,
            patience.key,
        )
        .await
        .map_err(|e| SampleError::Rest(e, key_id))?;
    Ok(auth)
}
