//! Secrets for Gureum: a `Secret` that never prints, and the OS keyring behind a small trait.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

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

/// Secrets held in this process's memory only, for a run without an OS keyring: never written
/// to disk, gone when the process exits.
#[derive(Debug, Default)]
pub struct SessionStore {
    entries: Mutex<HashMap<String, Secret>>,
}

impl SessionStore {
    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Secret>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecretStore for SessionStore {
    fn set(&self, account: &str, secret: &Secret) -> Result<(), SecretStoreError> {
        self.entries().insert(account.to_string(), secret.clone());
        Ok(())
    }

    fn get(&self, account: &str) -> Result<Option<Secret>, SecretStoreError> {
        Ok(self.entries().get(account).cloned())
    }

    fn delete(&self, account: &str) -> Result<(), SecretStoreError> {
        self.entries().remove(account);
        Ok(())
    }
}

/// Where one run of Gureum keeps its secrets, decided once at start ([`SecretVault::open`]):
/// the OS keyring when one answers, else this process's memory for the session. Clones share
/// one store, so the connections and the sandbox see the same secrets.
#[derive(Debug, Clone)]
pub struct SecretVault {
    backing: Arc<Backing>,
}

#[derive(Debug)]
enum Backing {
    Keyring(KeyringStore),
    Session { store: SessionStore, why: String },
}

/// How long the start-up probe waits for the keyring. A Secret Service that D-Bus is still
/// activating answers in well under a second; one that never registers would otherwise hold
/// the start for D-Bus's 25 s activation timeout.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

impl SecretVault {
    /// Asks the OS keyring once (a read of an entry that doesn't exist: no prompt, no write).
    /// Unreachable — no D-Bus, no Secret Service (`ServiceUnknown`), no answer within
    /// [`PROBE_TIMEOUT`] — means memory for this session. A *locked* keyring is still the
    /// keyring: the secrets saved before are in it, the desktop asks to unlock it when one is
    /// needed, and a refusal is reported as [`SecretStoreError::Locked`].
    pub fn open(service: impl Into<String>) -> SecretVault {
        let keyring = KeyringStore::new(service);
        let probe = keyring.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        // A thread of its own: a D-Bus call that hangs must not hold the caller past the timeout.
        let spawned = std::thread::Builder::new()
            .name("keyring-probe".into())
            .spawn(move || {
                let _ = tx.send(probe.get(PROBE_ACCOUNT));
            });
        let outcome = match spawned {
            Ok(_) => rx.recv_timeout(PROBE_TIMEOUT).unwrap_or_else(|_| {
                Err(SecretStoreError::Unavailable(format!(
                    "no answer within {} s",
                    PROBE_TIMEOUT.as_secs()
                )))
            }),
            Err(e) => Err(SecretStoreError::Other(e.to_string())),
        };
        match outcome {
            Ok(_) | Err(SecretStoreError::Locked) => SecretVault::keyring(keyring),
            Err(SecretStoreError::Unavailable(why)) | Err(SecretStoreError::Other(why)) => {
                SecretVault::session(in_words(&why))
            }
        }
    }

    /// The OS keyring, without probing.
    pub fn keyring(store: KeyringStore) -> SecretVault {
        SecretVault {
            backing: Arc::new(Backing::Keyring(store)),
        }
    }

    /// Memory for this session only; `why` says why there is no keyring.
    pub fn session(why: impl Into<String>) -> SecretVault {
        SecretVault {
            backing: Arc::new(Backing::Session {
                store: SessionStore::default(),
                why: why.into(),
            }),
        }
    }

    /// `Some(why)` when secrets are kept in memory for this session only.
    pub fn session_only(&self) -> Option<&str> {
        match &*self.backing {
            Backing::Keyring(_) => None,
            Backing::Session { why, .. } => Some(why),
        }
    }

    fn store(&self) -> &dyn SecretStore {
        match &*self.backing {
            Backing::Keyring(k) => k,
            Backing::Session { store, .. } => store,
        }
    }
}

/// Why the probe found no keyring, in a few words (the D-Bus texts repeat themselves at length).
fn in_words(error: &str) -> String {
    let lower = error.to_lowercase();
    if lower.contains("autolaunch")
        || lower.contains("dbus_session_bus_address")
        || lower.contains("failed to connect to socket")
    {
        "no D-Bus session bus".into()
    } else if lower.contains("not provided by any .service files")
        || lower.contains("serviceunknown")
    {
        "no Secret Service on the session bus".into()
    } else if lower.contains("no result found") {
        "the Secret Service has no keyring to keep secrets in".into()
    } else if lower.contains("no answer within") {
        format!(
            "the keyring did not answer within {} s",
            PROBE_TIMEOUT.as_secs()
        )
    } else {
        error.chars().take(120).collect()
    }
}

/// The entry the probe reads; nothing ever writes it.
const PROBE_ACCOUNT: &str = "probe/keyring-reachable";

impl SecretStore for SecretVault {
    fn set(&self, account: &str, secret: &Secret) -> Result<(), SecretStoreError> {
        self.store().set(account, secret)
    }
    fn get(&self, account: &str) -> Result<Option<Secret>, SecretStoreError> {
        self.store().get(account)
    }
    fn delete(&self, account: &str) -> Result<(), SecretStoreError> {
        self.store().delete(account)
    }
}

/// Turns keyring's errors into ones a person can act on. The platform errors carry D-Bus or OS
/// texts; we look for the known ones (measured: no bus, locked collection, no service).
fn classify(e: keyring::Error) -> SecretStoreError {
    let text = error_chain(&e);
    let lower = text.to_lowercase();
    // gnome-keyring says "IsLocked", "Cannot get secret of a locked object", "… a locked item".
    if lower.contains("islocked")
        || lower.contains("is locked")
        || lower.contains("locked item")
        || lower.contains("locked object")
    {
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

    #[test]
    fn a_session_store_keeps_secrets_in_memory_for_its_clones() {
        let vault = SecretVault::session("no Secret Service");
        assert_eq!(vault.session_only(), Some("no Secret Service"));
        let other = vault.clone();
        vault.set("a", &Secret::new("s1")).unwrap();
        assert_eq!(other.get("a").unwrap(), Some(Secret::new("s1")));
        other.delete("a").unwrap();
        assert_eq!(vault.get("a").unwrap(), None);
        assert!(!format!("{vault:?}").contains("s1"));
    }

    #[test]
    fn no_bus_means_a_session_vault() {
        // Its own process would be cleaner; the probe only reads this variable in this thread's
        // D-Bus connection attempt, and no other test here touches the keyring.
        std::env::set_var(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/gureum-probe-bus",
        );
        let vault = SecretVault::open("gureum-test-probe");
        #[cfg(target_os = "linux")]
        assert_eq!(
            vault.session_only(),
            Some("no D-Bus session bus"),
            "{vault:?}"
        );
        let _ = vault;
    }
}
