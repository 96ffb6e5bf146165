//! One sandbox cloud for a test binary, in process on a runtime of its own (tests come and go
//! with their runtimes; the sandbox's tasks must outlive them), with an environment, a Standard
//! cluster, a cluster API key of the org's user (full access, as "My account" makes one) and a
//! service account (which, as on Confluent Cloud, may do only what ACLs allow) — made through the
//! Cloud API like any client.
//! Run under `tests/with-keyring.sh`: the sandbox keeps its secrets in the OS keyring.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use gureum_confluent::{Client, ClusterConfig, Config, KafkaRestAuth, NewApiKey, NewCluster};
use gureum_kafka::settings::ClientSettings;
use gureum_sandbox::{Sandbox, SandboxConfig};
use gureum_secrets::{KeyringStore, Secret};

pub struct World {
    pub runtime: tokio::runtime::Runtime,
    pub sandbox: Sandbox,
    pub client: Client,
    pub env: String,
    pub cluster: String,
    pub bootstrap: String,
    pub sa: String,
    pub rest: KafkaRestAuth,
    pub ca: PathBuf,
    _dir: tempfile::TempDir,
}

impl World {
    /// Settings for the cluster with its key, as the app builds them.
    pub fn settings(&self) -> ClientSettings {
        ClientSettings::confluent(
            &self.bootstrap,
            &self.rest.key,
            self.rest.secret.clone(),
            Some(self.ca.clone()),
        )
    }

    /// A topic made through Kafka REST v3. (REST calls run on the sandbox's runtime: its HTTP
    /// pool lives there, while each test's runtime ends with the test.)
    pub async fn topic(&self, name: &str, partitions: i32, configs: &[(&str, &str)]) {
        let (client, rest, name) = (self.client.clone(), self.rest.clone(), name.to_string());
        let configs: Vec<(String, String)> = configs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self.runtime
            .spawn(async move {
                let configs: Vec<(&str, &str)> = configs
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                client
                    .create_topic(&rest, &name, Some(partitions), &configs)
                    .await
                    .unwrap_or_else(|e| panic!("topic {name}: {e}"));
            })
            .await
            .unwrap();
    }

    /// Another key of the cluster, the service account's (no ACLs unless a test adds some):
    /// (id, secret).
    pub async fn new_key(&self, name: &str) -> (String, Secret) {
        let new = NewApiKey {
            display_name: name.into(),
            description: "test".into(),
            owner_id: self.sa.clone(),
            resource_id: Some(self.cluster.clone()),
            resource_environment: Some(self.env.clone()),
        };
        let client = self.client.clone();
        let key = self
            .runtime
            .spawn(async move { client.create_api_key(&new).await })
            .await
            .unwrap()
            .unwrap();
        (key.id.clone().unwrap(), key.secret().unwrap().clone())
    }

    pub async fn delete_key(&self, id: &str) {
        let (client, id) = (self.client.clone(), id.to_string());
        self.runtime
            .spawn(async move { client.delete_api_key(&id).await })
            .await
            .unwrap()
            .unwrap();
    }
}

/// The program the sandbox's brokers run as (the `gureum-sandbox` of this build).
pub fn broker_bin() -> PathBuf {
    gureum_sandbox::built_sandbox_program()
}

pub fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    // Built on a thread of its own: tests call this from inside their runtime.
    WORLD.get_or_init(|| std::thread::spawn(make).join().expect("the sandbox world"))
}

fn make() -> World {
    {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let broker_bin = broker_bin();
        let sandbox = runtime
            .block_on(Sandbox::start(SandboxConfig::local(
                dir.path().join("sandbox"),
                broker_bin,
                Arc::new(KeyringStore::new(format!(
                    "gureum-test-kafka-{}",
                    std::process::id()
                ))),
            )))
            .expect("the sandbox starts (is a keyring running? use tests/with-keyring.sh)");
        let (key, secret) = sandbox.cloud_credentials().unwrap();
        let client = Client::new(Config::new(sandbox.rest_url(), key, secret)).unwrap();
        let ca = sandbox.ca_path();
        let (env, cluster, sa, rest, bootstrap) = runtime.block_on(async {
            let env = client
                .create_environment("data-plane", None)
                .await
                .unwrap()
                .id
                .unwrap();
            let created = client
                .create_cluster(&NewCluster {
                    display_name: "data-plane".into(),
                    environment_id: env.clone(),
                    cloud: "AWS".into(),
                    region: "us-east-1".into(),
                    availability: "SINGLE_ZONE".into(),
                    config: ClusterConfig::Standard { max_ecku: None },
                })
                .await
                .unwrap();
            let id = created.id.clone().unwrap();
            let deadline = Instant::now() + Duration::from_secs(60);
            let cluster = loop {
                let c = client.get_cluster(&env, &id).await.unwrap();
                if c.phase() == Some("PROVISIONED") {
                    break c;
                }
                assert!(Instant::now() < deadline, "cluster not provisioned");
                tokio::time::sleep(Duration::from_millis(100)).await;
            };
            let sa = client
                .create_service_account("data-plane", "tests")
                .await
                .unwrap()
                .id
                .unwrap();
            // The key the tests use acts as the org's user: a service account's would be
            // refused everything until ACLs allowed it (sandbox_acls.rs tests that).
            let me = gureum_confluent::access::my_account(&client).await.unwrap();
            let key = client
                .create_api_key(&NewApiKey {
                    display_name: "data-plane".into(),
                    description: "tests".into(),
                    owner_id: me.id.clone(),
                    resource_id: Some(id.clone()),
                    resource_environment: Some(env.clone()),
                })
                .await
                .unwrap();
            let rest = KafkaRestAuth {
                endpoint: cluster.rest_endpoint().unwrap().to_string(),
                cluster_id: id.clone(),
                key: key.id.clone().unwrap(),
                secret: key.secret().unwrap().clone(),
            };
            let bootstrap = cluster.bootstrap().unwrap().to_string();
            (env, id, sa, rest, bootstrap)
        });
        World {
            runtime,
            sandbox,
            client,
            env,
            cluster,
            bootstrap,
            sa,
            rest,
            ca,
            _dir: dir,
        }
    }
}
