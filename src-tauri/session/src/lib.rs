//! Gureum's session layer: for a saved connection (or the built-in sandbox), which Cloud API
//! client, which Kafka REST key and which data-plane settings to use — resolved once, cached, and
//! dropped when what they came from changes. Tauri-free: the app holds one [`Session`] and its
//! commands ask it; the tests here drive it against a real sandbox cloud.
//!
//! What invalidates what: a sandbox restart moves its REST port (the client is rebuilt on the
//! next call); saving or removing a connection drops its client ([`Session::forget`]); storing,
//! replacing or forgetting a cluster key drops the keys in use ([`Session::forget_keys`]);
//! deleting a cluster drops what was known of it ([`Session::forget_cluster`]).

mod error;
mod sandbox;
mod session;
mod target;

pub use error::SessionError;
pub use sandbox::{SandboxAccess, SandboxCloudApi};
pub use session::{ClusterInfo, Session};
pub use target::Target;
