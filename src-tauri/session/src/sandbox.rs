//! What the session needs of the running sandbox cloud. The app's sandbox slot answers it (it
//! knows whether the sandbox is starting, stopped or failed, and says so in the error).

use std::future::Future;
use std::path::PathBuf;

use gureum_secrets::Secret;

use crate::SessionError;

/// The sandbox's Cloud API as a client reaches it.
pub struct SandboxCloudApi {
    pub url: String,
    pub key: String,
    pub secret: Secret,
}

pub trait SandboxAccess: Send + Sync + 'static {
    /// The running sandbox's Cloud API base URL (cheap: no keyring read).
    fn rest_url(&self) -> impl Future<Output = Result<String, SessionError>> + Send;
    /// Its URL and Cloud API key with the secret (one keyring read).
    fn cloud_api(&self) -> impl Future<Output = Result<SandboxCloudApi, SessionError>> + Send;
    /// The CA certificate its clusters' clients must trust, while it runs.
    fn ca_path(&self) -> impl Future<Output = Option<PathBuf>> + Send;
}
