//! One sandbox per data folder: an exclusive lock on `sandbox.lock` for the sandbox's life (the
//! OS drops it when the process ends, however it ends), and the holder's process id in
//! `sandbox.pid` so a second one can say who is in the way. Two sandboxes on one folder would run
//! two sets of brokers on one SQLite file and overwrite each other's state.

use std::fs::File;
use std::path::Path;

/// Held while the sandbox runs; dropping it releases the folder.
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
}

/// Who holds a folder: the other process's id and program, when it could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: Option<u32>,
    pub program: Option<String>,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.program, self.pid) {
            (Some(p), Some(pid)) => write!(f, "{p} (process {pid})"),
            (None, Some(pid)) => write!(f, "process {pid}"),
            _ => f.write_str("another process"),
        }
    }
}

pub enum Locked {
    Io(std::io::Error),
    Busy(Holder),
}

fn program_of(pid: u32) -> Option<String> {
    // Linux names it in /proc; elsewhere the pid alone has to do.
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

impl FolderLock {
    pub fn acquire(dir: &Path) -> Result<FolderLock, Locked> {
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join("sandbox.lock"))
            .map_err(Locked::Io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let pid = std::fs::read_to_string(dir.join("sandbox.pid"))
                    .ok()
                    .and_then(|s| s.trim().parse().ok());
                return Err(Locked::Busy(Holder {
                    pid,
                    program: pid.and_then(program_of),
                }));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Locked::Io(e)),
        }
        crate::atomic::write(
            &dir.join("sandbox.pid"),
            std::process::id().to_string().as_bytes(),
        )
        .map_err(Locked::Io)?;
        Ok(FolderLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_and_named_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let first = FolderLock::acquire(dir.path()).ok().expect("free folder");
        match FolderLock::acquire(dir.path()) {
            Err(Locked::Busy(h)) => assert_eq!(h.pid, Some(std::process::id())),
            _ => panic!("a second lock on the same folder must be refused"),
        }
        drop(first);
        assert!(FolderLock::acquire(dir.path()).is_ok());
    }
}
