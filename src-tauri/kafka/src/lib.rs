//! Gureum's Kafka data plane: what the app does with records, over rdkafka (librdkafka, built
//! from source). Tauri-free.
//!
//! - `settings`: how to reach a cluster (Confluent Cloud and the sandbox: SASL_SSL + PLAIN with a
//!   cluster API key; any Kafka: PLAINTEXT, SSL, SASL PLAIN/SCRAM).
//! - `producer`: one warm producer per cluster and settings; single sends with their metadata.
//! - `bulk` and `template`: many records from a template or a file, with progress, cancel and a
//!   summary.
//! - `tail`: the last records of a topic, live.
//! - `topics`: topic names and partition counts from the cluster's metadata.
//! - `snippets`: the same connection as client code (Java, librdkafka, Python, Rust, kcat).
//! - `partitioner`: Kafka's murmur2 key partitioner (always built; the sandbox uses it too).

pub mod partitioner;

#[cfg(feature = "client")]
pub mod bulk;
#[cfg(feature = "client")]
mod error;
#[cfg(feature = "client")]
pub mod producer;
#[cfg(feature = "client")]
pub mod settings;
#[cfg(feature = "client")]
pub mod snippets;
#[cfg(feature = "client")]
pub mod tail;
#[cfg(feature = "client")]
pub mod template;
#[cfg(feature = "client")]
pub mod topics;

#[cfg(feature = "client")]
pub use error::{Access, Denied, ErrorKind, KafkaError};
