//! Gureum's Kafka data plane: what the app does with records, over rdkafka (librdkafka, built
//! from source). Tauri-free.
//!
//! - `settings`: how to reach a cluster (Confluent Cloud and the sandbox: SASL_SSL + PLAIN with a
//!   cluster API key; any Kafka: PLAINTEXT, SSL, SASL PLAIN/SCRAM).
//! - `producer`: one warm producer per cluster and settings; single sends with their metadata.
//! - `bulk` and `template`: many records from a template or a file, with progress, cancel and a
//!   summary.
//! - `send_form`: the Send screen's forms (one record, a bulk run), checked field by field.
//! - `tail`: the last records of a topic, live.
//! - `topics`: topic names and partition counts from the cluster's metadata.
//! - `lessons`: what the Learn lessons try on a cluster (ways in, a service account's tries).
//! - `snippets`: the same connection as client code (Java, librdkafka, Python, Rust, kcat).
//! - `partitioner`: Kafka's murmur2 key partitioner (the `gureum-partitioner` crate, which the
//!   sandbox uses without the rest of this one).

pub use gureum_partitioner as partitioner;

pub mod bulk;
mod error;
pub mod lessons;
pub mod producer;
pub mod send_form;
pub mod settings;
pub mod snippets;
pub mod tail;
pub mod template;
pub mod topics;

pub use error::{Access, Denied, ErrorKind, KafkaError};
