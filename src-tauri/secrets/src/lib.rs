//! Secrets for Gureum: a `Secret` that never prints, and the OS keyring behind a small trait.

use std::fmt;

use serde::Deserialize;

/// A secret string. Its `Debug` is masked and it has no `Serialize`, so it can't slip into logs,
/// error texts or responses to the frontend by accident.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Why the OS secret store refused. The messages say how to fix it; none contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretStoreError {
    #[error("the OS keyring is not available ({0}). On Linux, start a Secret Service such as gnome-keyring or KWallet in your desktop session; Gureum never stores secrets in plain files instead")]
    Unavailable(String),
    #[error("the OS keyring is locked. Unlock it (for example by logging in again, or with your desktop's Passwords and Keys app) and try again")]
    Locked,
    #[error("the OS keyring refused: {0}")]
    Other(String),
}

/// Where secrets live. The app uses [`KeyringStore`]; the trait exists so tests can inject faults
/// around the real keyring.
pub trait SecretStore: Send + Sync {
    fn set(&self, account: &str, secret: &Secret) -> Result<(), SecretStoreError>;
    fn get(&self, account: &str) -> Result<Option<Secret>, SecretStoreError>;
    /// Deleting a missing entry is not an error.
    fn delete(&self, account: &str) -> Result<(), SecretStoreError>;
}

/// The OS keyring via the `keyring` crate: Secret Service on Linux, Keychain on macOS,
/// Credential Manager on Windows.
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
compile_error!("Gureum needs a native OS keyring; this platform has none wired up");

impl KeyringStore {
    /// `service` names Gureum's entries in the keyring ("gureum" in the app; tests use their own).
    pub fn new(service: impl Into<String>) -> Self {
        KeyringStore {
            service: service.into(),
        }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry, SecretStoreError> {
        keyring::Entry::new(&self.service, account).map_err(classify)
    }
}

impl SecretStore for KeyringStore {
    fn set(&self, account: &str, secret: &Secret) -> Result<(), SecretStoreError> {
        self.entry(account)?
            .set_password(secret.expose())
            .map_err(classify)
    }

    fn get(&self, account: &str) -> Result<Option<Secret>, SecretStoreError> {
        match self.entry(account)?.get_password() {
            Ok(s) => Ok(Some(Secret(s))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(classify(e)),
        }
    }

    fn delete(&self, account: &str) -> Result<(), SecretStoreError> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(classify(e)),
        }
    }
}

/// Turns keyring's errors into ones a person can act on. The platform errors carry D-Bus or OS
/// texts; we look for the known ones (measured: no bus, locked collection, no service).
fn classify(e: keyring::Error) -> SecretStoreError {
    let text = error_chain(&e);
    let lower = text.to_lowercase();
    if lower.contains("islocked") || lower.contains("is locked") {
        return SecretStoreError::Locked;
    }
    match e {
        keyring::Error::NoStorageAccess(_) => SecretStoreError::Unavailable(short(&text)),
        keyring::Error::PlatformFailure(_)
            if lower.contains("serviceunknown")
                || lower.contains("autolaunch")
                || lower.contains("d-bus")
                || lower.contains("dbus") =>
        {
            SecretStoreError::Unavailable(short(&text))
        }
        _ => SecretStoreError::Other(short(&text)),
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn short(text: &str) -> String {
    text.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let s = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert!(!format!("{:?}", Some(s)).contains("hunter2"));
    }
}
