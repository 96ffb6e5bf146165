use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cluster_keys::ClusterKey;
use crate::error::Error;
use crate::model::Connection;

pub const CONFIG_FILE_NAME: &str = "config.json";
/// Bump when the file's shape changes, and teach [`ConfigFile::load`] to migrate the old one.
pub const SCHEMA_VERSION: u32 = 1;

/// The app's non-secret settings. Secrets are never in here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigFile {
    pub schema_version: u32,
    #[serde(default)]
    pub connections: Vec<Connection>,
    /// Added within schema 1: older files simply have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cluster_keys: Vec<ClusterKey>,
}

impl Default for ConfigFile {
    fn default() -> Self {
        ConfigFile {
            schema_version: SCHEMA_VERSION,
            connections: Vec::new(),
            cluster_keys: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
struct VersionOnly {
    schema_version: u32,
}

impl ConfigFile {
    /// Reads the file; a missing file is an empty config. A file from a newer Gureum or one that
    /// doesn't parse is an error, so that we never overwrite what we can't read.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = match fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => {
                return Err(Error::ConfigIo {
                    action: "read",
                    path: path.into(),
                    source,
                })
            }
        };
        let corrupt = |e: serde_json::Error| Error::ConfigCorrupt {
            path: path.into(),
            reason: e.to_string(),
        };
        let version: VersionOnly = serde_json::from_str(&text).map_err(corrupt)?;
        if version.schema_version > SCHEMA_VERSION {
            return Err(Error::ConfigTooNew {
                path: path.into(),
                found: version.schema_version,
                supported: SCHEMA_VERSION,
            });
        }
        // Version 1 is the first schema: nothing to migrate yet.
        serde_json::from_str(&text).map_err(corrupt)
    }

    /// Writes the whole file atomically: a temp file in the same dir, fsync, rename, fsync dir.
    /// A crash leaves either the old file or the new one, never half of one.
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let io = |action: &'static str, p: &Path| {
            let p = p.to_path_buf();
            move |source| Error::ConfigIo {
                action,
                path: p,
                source,
            }
        };
        fs::create_dir_all(&dir).map_err(io("create", &dir))?;
        let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io("write", path))?;
        let json = serde_json::to_vec_pretty(self).expect("config serialises");
        tmp.write_all(&json).map_err(io("write", path))?;
        tmp.write_all(b"\n").map_err(io("write", path))?;
        tmp.as_file().sync_all().map_err(io("write", path))?;
        tmp.persist(path).map_err(|e| Error::ConfigIo {
            action: "replace",
            path: path.into(),
            source: e.error,
        })?;
        #[cfg(unix)]
        if let Ok(d) = fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Endpoint;

    #[test]
    fn missing_file_is_empty_config() {
        let dir = tempfile::tempdir().unwrap();
        let c = ConfigFile::load(&dir.path().join(CONFIG_FILE_NAME)).unwrap();
        assert_eq!(c, ConfigFile::default());
    }

    #[test]
    fn save_then_load_round_trips_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join(CONFIG_FILE_NAME);
        let mut c = ConfigFile::default();
        c.connections.push(Connection {
            id: "c1".into(),
            name: "x".into(),
            endpoint: Endpoint::Sandbox,
        });
        c.save(&path).unwrap();
        assert_eq!(ConfigFile::load(&path).unwrap(), c);
        let names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from(CONFIG_FILE_NAME)]);
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE_NAME);
        fs::write(&path, r#"{"schema_version": 99, "connections": []}"#).unwrap();
        match ConfigFile::load(&path) {
            Err(Error::ConfigTooNew {
                found: 99,
                supported: SCHEMA_VERSION,
                ..
            }) => {}
            other => panic!("expected ConfigTooNew, got {other:?}"),
        }
    }

    #[test]
    fn corrupt_file_is_an_error_not_an_empty_config() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE_NAME);
        fs::write(&path, "{ not json").unwrap();
        assert!(matches!(
            ConfigFile::load(&path),
            Err(Error::ConfigCorrupt { .. })
        ));
    }
}
