//! Every file the sandbox writes is replaced whole (temp file, fsync, rename): a crash leaves the
//! old contents or the new, never half.

use std::io::Write;
use std::path::Path;

pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = atomic_write_file::AtomicWriteFile::options().open(path)?;
    file.write_all(bytes)?;
    file.commit()
}
