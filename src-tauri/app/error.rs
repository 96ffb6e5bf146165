//! The one error type that crosses the bridge: `{code, message, detail?, fields?}`.
//! Codes are stable; the frontend switches on them, so the tests below pin the JSON.

use std::collections::BTreeMap;

use gureum_connections::{Error as ConnError, SecretStoreError};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// Input failed validation; `fields` says which field and why.
    Validation,
    NotFound,
    /// The built-in sandbox connection can't be edited or removed.
    BuiltinReadOnly,
    /// No OS keyring (Secret Service / Keychain / Credential Manager) could be reached.
    KeyringUnavailable,
    KeyringLocked,
    KeyringError,
    /// The config file comes from a newer Gureum.
    ConfigTooNew,
    /// The config file can't be parsed; Gureum won't overwrite it.
    ConfigCorrupt,
    /// Reading or writing the config dir failed.
    ConfigIo,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct BridgeError {
    pub code: ErrorCode,
    /// One sentence for people: what happened and what to do.
    pub message: String,
    /// Extra technical detail, when there is any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Per-field messages for forms (code `VALIDATION`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
}

impl BridgeError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        BridgeError {
            code,
            message: message.into(),
            detail: None,
            fields: None,
        }
    }
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

impl From<ConnError> for BridgeError {
    fn from(e: ConnError) -> Self {
        let message = e.to_string();
        match e {
            ConnError::Invalid(fields) => BridgeError {
                code: ErrorCode::Validation,
                message: "Some fields need attention.".into(),
                detail: None,
                fields: Some(fields),
            },
            ConnError::NotFound(_) => BridgeError::new(ErrorCode::NotFound, message),
            ConnError::BuiltinReadOnly => BridgeError::new(ErrorCode::BuiltinReadOnly, message),
            ConnError::Secret(s) => s.into(),
            ConnError::ConfigTooNew { .. } => BridgeError::new(ErrorCode::ConfigTooNew, message),
            ConnError::ConfigCorrupt { .. } => BridgeError::new(ErrorCode::ConfigCorrupt, message),
            ConnError::ConfigIo { .. } => BridgeError::new(ErrorCode::ConfigIo, message),
        }
    }
}

impl From<SecretStoreError> for BridgeError {
    fn from(e: SecretStoreError) -> Self {
        let code = match e {
            SecretStoreError::Unavailable(_) => ErrorCode::KeyringUnavailable,
            SecretStoreError::Locked => ErrorCode::KeyringLocked,
            SecretStoreError::Other(_) => ErrorCode::KeyringError,
        };
        BridgeError::new(code, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn validation_errors_carry_fields() {
        let e: BridgeError =
            ConnError::Invalid(BTreeMap::from([("name".into(), "Give it a name.".into())])).into();
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"code": "VALIDATION", "message": "Some fields need attention.", "fields": {"name": "Give it a name."}})
        );
    }

    #[test]
    fn codes_are_stable() {
        let codes = [
            (ErrorCode::Validation, "VALIDATION"),
            (ErrorCode::NotFound, "NOT_FOUND"),
            (ErrorCode::BuiltinReadOnly, "BUILTIN_READ_ONLY"),
            (ErrorCode::KeyringUnavailable, "KEYRING_UNAVAILABLE"),
            (ErrorCode::KeyringLocked, "KEYRING_LOCKED"),
            (ErrorCode::KeyringError, "KEYRING_ERROR"),
            (ErrorCode::ConfigTooNew, "CONFIG_TOO_NEW"),
            (ErrorCode::ConfigCorrupt, "CONFIG_CORRUPT"),
            (ErrorCode::ConfigIo, "CONFIG_IO"),
            (ErrorCode::Internal, "INTERNAL"),
        ];
        for (code, text) in codes {
            assert_eq!(serde_json::to_value(code).unwrap(), json!(text));
        }
    }

    #[test]
    fn keyring_errors_say_how_to_fix_them() {
        let e: BridgeError = ConnError::Secret(SecretStoreError::Locked).into();
        assert_eq!(e.code, ErrorCode::KeyringLocked);
        assert!(e.message.contains("Unlock it"));
        let e: BridgeError = SecretStoreError::Unavailable("no bus".into()).into();
        assert_eq!(
            serde_json::to_value(&e).unwrap()["code"],
            "KEYRING_UNAVAILABLE"
        );
        assert!(e.message.contains("gnome-keyring"));
    }
}
