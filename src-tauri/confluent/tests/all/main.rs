//! The crate's integration tests as one test binary (one link instead of two): `recorded` against
//! canned Confluent Cloud answers, `sandbox` against the sandbox cloud's binary.

mod recorded;
mod sandbox;
