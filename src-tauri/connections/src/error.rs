use std::path::PathBuf;

use gureum_secrets::SecretStoreError;

/// Field name → what is wrong with it, in words a person can act on (every form's one shape).
pub use gureum_forms::FieldProblems;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("some fields need attention")]
    Invalid(FieldProblems),
    #[error("no connection with id {0}")]
    NotFound(String),
    #[error("the built-in sandbox cloud can't be edited or removed")]
    BuiltinReadOnly,
    #[error(transparent)]
    Secret(#[from] SecretStoreError),
    #[error("{path} was written by a newer Gureum (schema {found}, this build reads up to {supported}); update Gureum")]
    ConfigTooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("{path} is not a valid Gureum config ({reason}); fix or move the file — Gureum will not overwrite it")]
    ConfigCorrupt { path: PathBuf, reason: String },
    #[error("could not {action} {path}: {source}")]
    ConfigIo {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}
