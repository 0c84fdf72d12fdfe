//! The trash as a place to look in: the notes in `.trash` inside the notes
//! folder, when each was deleted, and deleting them for good (one, all, or
//! those deleted more than [`KEEP_FOR`] ago). Putting one back is
//! [`super::store::restore`].
//!
//! When a note was deleted is when its file was moved into the trash: the
//! file's status-change time on Unix (a rename sets it, nothing else in the
//! trash touches it); elsewhere, its modification time.

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::store::TRASH_DIR;
use super::{NoteId, StoreError, Trashed};

/// Trashed notes are deleted for good after this long.
pub const KEEP_FOR: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// A note in the trash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub trashed: Trashed,
    pub title: String,
    pub deleted: SystemTime,
}

fn deleted_at(metadata: &fs::Metadata) -> SystemTime {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let seconds = metadata.ctime();
        if let Ok(seconds) = u64::try_from(seconds) {
            return SystemTime::UNIX_EPOCH
                + Duration::from_secs(seconds)
                + Duration::from_nanos(u64::try_from(metadata.ctime_nsec()).unwrap_or(0));
        }
    }
    metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH)
}

/// The notes in the trash, the most recently deleted first. No trash
/// folder is an empty trash.
pub fn list(dir: &Path) -> Result<Vec<Entry>, StoreError> {
    let trash = dir.join(TRASH_DIR);
    match fs::symlink_metadata(&trash) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => {
            return Err(StoreError::Folder {
                path: trash,
                reason: error.to_string(),
            });
        }
        Ok(_) => {}
    }
    let mut found = Vec::new();
    // Notes keep the folder they were in (`.trash/Projects/Garden.md`).
    // Only what BrainDump puts there: notes (links are not followed).
    for entry in walkdir::WalkDir::new(&trash)
        .max_depth(super::store::MAX_DEPTH + 1)
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(name) = super::store::relative_id(&trash, entry.path()) else {
            continue;
        };
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        let text = fs::read(entry.path())
            .map(|bytes| String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).into_owned())
            .unwrap_or_default();
        found.push(Entry {
            title: super::title(&text).to_owned(),
            deleted: deleted_at(&metadata),
            trashed: Trashed {
                id: NoteId::new(name),
                path: entry.into_path(),
            },
        });
    }
    found.sort_by(|a, b| {
        b.deleted
            .cmp(&a.deleted)
            .then_with(|| a.trashed.id.as_str().cmp(b.trashed.id.as_str()))
    });
    Ok(found)
}

/// Deletes a trashed note for good, with what BrainDump kept of it (its
/// replies, its versions).
pub fn delete_forever(dir: &Path, trashed: &Trashed) -> Result<(), StoreError> {
    let name = trashed.file_name().to_owned();
    match fs::remove_file(&trashed.path) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => {
            return Err(StoreError::Move {
                name,
                reason: error.to_string(),
            });
        }
    }
    let runs = super::runs::trashed_path(dir, &name);
    if let Err(error) = fs::remove_file(&runs)
        && error.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!("a deleted note's replies could not be removed: {error}");
    }
    let history = super::history::trashed_folder(dir, &name);
    if let Err(error) = fs::remove_dir_all(&history)
        && error.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!("a deleted note's history could not be removed: {error}");
    }
    Ok(())
}

/// Deletes for good every note in the trash deleted before `now - age`
/// (all of them for `age` zero); returns their names there.
pub fn purge(dir: &Path, age: Duration, now: SystemTime) -> Result<Vec<String>, StoreError> {
    let mut gone = Vec::new();
    for entry in list(dir)? {
        let old = now
            .duration_since(entry.deleted)
            .is_ok_and(|since| since >= age);
        if old {
            delete_forever(dir, &entry.trashed)?;
            gone.push(entry.trashed.file_name().to_owned());
        }
    }
    Ok(gone)
}

pub async fn list_async(dir: std::path::PathBuf) -> Result<Vec<Entry>, String> {
    tokio::task::spawn_blocking(move || list(&dir).map_err(|error| error.to_string()))
        .await
        .unwrap_or_else(|error| Err(error.to_string()))
}

pub async fn delete_forever_async(dir: std::path::PathBuf, trashed: Trashed) -> Result<(), String> {
    tokio::task::spawn_blocking(move || {
        delete_forever(&dir, &trashed).map_err(|error| error.to_string())
    })
    .await
    .unwrap_or_else(|error| Err(error.to_string()))
}

pub async fn purge_async(dir: std::path::PathBuf, age: Duration) -> Result<Vec<String>, String> {
    tokio::task::spawn_blocking(move || {
        purge(&dir, age, SystemTime::now()).map_err(|error| error.to_string())
    })
    .await
    .unwrap_or_else(|error| Err(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::store;

    #[test]
    fn the_trash_lists_deletes_for_good_and_purges() {
        let dir = tempfile::tempdir().unwrap();
        assert!(list(dir.path()).unwrap().is_empty(), "no trash folder yet");
        for (name, text) in [("a.md", "Alpha\nbody"), ("b.md", "Beta")] {
            fs::write(dir.path().join(name), text).unwrap();
            store::trash(dir.path(), &NoteId::new(name), None).unwrap();
            std::thread::sleep(Duration::from_millis(20));
        }
        // A second "a.md" goes in under a numbered name.
        fs::write(dir.path().join("a.md"), "Alpha again").unwrap();
        store::trash(dir.path(), &NoteId::new("a.md"), None).unwrap();
        // Not BrainDump's: left alone.
        fs::create_dir(dir.path().join(TRASH_DIR).join("folder")).unwrap();

        let listed = list(dir.path()).unwrap();
        let names: Vec<&str> = listed
            .iter()
            .map(|entry| entry.trashed.file_name())
            .collect();
        assert_eq!(
            names,
            ["a 2.md", "b.md", "a.md"],
            "the most recently deleted first"
        );
        assert_eq!(listed[1].title, "Beta");
        let now = SystemTime::now();
        assert!(
            listed
                .iter()
                .all(|entry| now.duration_since(entry.deleted).unwrap() < Duration::from_secs(60))
        );

        // Its replies and history go with it.
        let replies = crate::notes::runs::trashed_path(dir.path(), "b.md");
        fs::create_dir_all(replies.parent().unwrap()).unwrap();
        fs::write(&replies, "[]").unwrap();
        delete_forever(dir.path(), &listed[1].trashed).unwrap();
        assert!(!listed[1].trashed.path.exists());
        assert!(!replies.exists());
        assert_eq!(list(dir.path()).unwrap().len(), 2);

        // Nothing is 30 days old yet; everything is, a month on.
        assert!(purge(dir.path(), KEEP_FOR, now).unwrap().is_empty());
        let mut gone = purge(
            dir.path(),
            KEEP_FOR,
            now + KEEP_FOR + Duration::from_secs(1),
        )
        .unwrap();
        gone.sort();
        assert_eq!(gone, ["a 2.md", "a.md"]);
        assert!(list(dir.path()).unwrap().is_empty());
        assert!(dir.path().join(TRASH_DIR).join("folder").exists());
    }
}
