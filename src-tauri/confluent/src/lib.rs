//! Gureum's typed client for Confluent Cloud: the control plane (org/v2, cmk/v2, iam/v2) and the
//! Metrics API v2 with a Cloud API key, and Kafka REST v3 on a cluster's `http_endpoint` with that cluster's API key.
//! Tauri-free. The rules it follows (pagination, error envelopes, retries, key propagation) are
//! those of `docs/confluent-cloud-api.md`; every failure is one [`ApiError`] with a stable [`ErrorKind`].

pub mod access;
mod acls;
pub mod cluster_forms;
mod config;
mod control_plane;
mod error;
mod http;
mod kafka_rest;
pub mod metric_chart;
pub mod metrics;
mod models;
mod produce;
pub mod rules;
pub mod sample;
mod summary;
pub mod topic_forms;

pub use acls::{Acl, AclFilter, Preset, PresetTarget, User};
pub use config::{Config, KafkaRestAuth, RetryPolicy};
pub use error::{ApiError, ErrorKind};
pub use http::Client;
pub use kafka_rest::{ConfigChange, KeyReadiness, Payload, Record, WaitProgress};
pub use models::*;
pub use produce::Sent;
pub use summary::TopicSummary;
