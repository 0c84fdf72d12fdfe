//! Whole-file writes that are never seen half done.

use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed to disk, then renamed over the target (and the folder synced), so
/// that after a crash the file holds either the old or the new content.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = atomic_write_file::AtomicWriteFile::options().open(path)?;
    file.write_all(bytes)?;
    file.commit()
}

/// Writes a new file at `path`, whole or not at all: a temporary file in
/// the same folder, flushed, then linked into place only if nothing is at
/// `path` yet (an error of kind `AlreadyExists` otherwise).
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".braindump-")
        .tempfile_in(folder)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist_noclobber(path).map_err(|error| error.error)?;
    Ok(())
}

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_TICKET: AtomicU64 = AtomicU64::new(1);
static LAST_WRITTEN: Mutex<Option<HashMap<PathBuf, u64>>> = Mutex::new(None);

/// A place in line for [`write_in_order`]; take it when the snapshot to be
/// written is taken (in `update`), not when the write runs.
pub fn ticket() -> u64 {
    NEXT_TICKET.fetch_add(1, Ordering::Relaxed)
}

/// Like [`write`], but a snapshot older than one already written to the same
/// file is dropped: writes run on a pool of threads and may finish out of
/// order, and the latest state must win (a queue, the token totals).
pub fn write_in_order(path: &Path, bytes: &[u8], ticket: u64) -> io::Result<()> {
    let mut last = LAST_WRITTEN
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let last = last.get_or_insert_with(HashMap::new);
    if last.get(path).is_some_and(|&written| written > ticket) {
        return Ok(());
    }
    write(path, bytes)?;
    last.insert(path.to_path_buf(), ticket);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_snapshot_never_overwrites_a_newer_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("queue.json");
        let (old, new) = (ticket(), ticket());
        write_in_order(&path, b"new", new).unwrap();
        write_in_order(&path, b"old", old).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
    }
}
