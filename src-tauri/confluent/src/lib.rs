//! Gureum's typed client for Confluent Cloud: the control plane (org/v2, cmk/v2, iam/v2) and the
//! Metrics API v2 with a Cloud API key, and Kafka REST v3 on a cluster's `http_endpoint` with that cluster's API key.
//! Tauri-free. The rules it follows (pagination, error envelopes, retries, key propagation) are
//! those of `docs/confluent-cloud-api.md`; every failure is one [`ApiError`] with a stable [`ErrorKind`].

pub mod access;
mod acls;
mod cloud;
mod config;
mod error;
mod http;
mod kafka;
pub mod metric_chart;
pub mod metrics;
mod models;
mod produce;
pub mod sample;
pub mod rules;
mod summary;
pub mod topic_forms;

pub use acls::{Acl, AclFilter, Preset, PresetTarget, User};
pub use config::{Config, KafkaRestAuth, RetryPolicy};
pub use error::{ApiError, ErrorKind};
pub use http::Client;
pub use kafka::{ConfigChange, KeyReadiness, Payload, Record, WaitProgress};
pub use produce::Sent;
pub use models::*;
pub use summary::TopicSummary;
