//! The crate's integration tests as one test binary: one link instead of three, and one sandbox
//! cloud (support::world) for every test that needs it.

mod support;

mod plain_kafka;
mod sandbox;
mod sandbox_acls;
