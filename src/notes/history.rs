//! Version history: earlier texts of each note, kept as plain files in
//! `.braindump/history/<note file>/<Unix milliseconds>.<extension>`.
//!
//! A version is kept before the app overwrites a note whose text changed
//! substantially, at least every [`EVERY`] of editing, and before an outside
//! change replaces what the app showed. Versions are thinned as they age
//! (all of the last hour, one an hour for a day, one a day for 30 days,
//! none older), so a note's history stays small. A trashed note's history
//! waits beside the trash and comes back with it.
//!
//! Plain files rather than a compact store: each is readable and can be
//! copied back by hand without BrainDump, and a note's history costs a
//! small folder listing to look at.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::NoteId;
use super::runs::DATA_DIR;

/// A version is kept at least this often while a note is being edited.
pub const EVERY: Duration = Duration::from_secs(5 * 60);
/// Versions older than this are dropped.
pub const KEPT_FOR: Duration = Duration::from_secs(30 * 24 * 60 * 60);

const HOUR: u64 = 60 * 60 * 1000;
const DAY: u64 = 24 * HOUR;

/// One kept version of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub path: PathBuf,
    /// When it was kept, in Unix milliseconds.
    pub kept_at: i64,
    /// Its size in bytes.
    pub size: u64,
}

/// The folder of a note's versions.
pub fn folder(notes_dir: &Path, id: &NoteId) -> PathBuf {
    notes_dir.join(DATA_DIR).join("history").join(id.as_str())
}

/// Where a trashed note's versions wait, under its name in the trash.
pub fn trashed_folder(notes_dir: &Path, trashed_name: &str) -> PathBuf {
    notes_dir
        .join(DATA_DIR)
        .join("history")
        .join(super::store::TRASH_DIR)
        .join(trashed_name)
}

/// A note's versions, newest first. A missing folder means none.
pub fn list(notes_dir: &Path, id: &NoteId) -> io::Result<Vec<Version>> {
    list_folder(&folder(notes_dir, id))
}

fn list_folder(folder: &Path) -> io::Result<Vec<Version>> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    let mut versions: Vec<Version> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name();
            let stem = name.to_str()?.split('.').next()?;
            let kept_at = stem.parse().ok()?;
            let metadata = entry.metadata().ok().filter(fs::Metadata::is_file)?;
            Some(Version {
                path: entry.path(),
                kept_at,
                size: metadata.len(),
            })
        })
        .collect();
    versions.sort_by_key(|version| std::cmp::Reverse(version.kept_at));
    Ok(versions)
}

/// Whether replacing `old` with `new` changes it substantially: a good
/// part of it, or more than a few lines' worth, is removed or replaced.
pub fn is_substantial(old: &str, new: &str) -> bool {
    let (old_bytes, new_bytes) = (old.as_bytes(), new.as_bytes());
    let prefix = old_bytes
        .iter()
        .zip(new_bytes)
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = old_bytes[prefix..]
        .iter()
        .rev()
        .zip(new_bytes[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let replaced = old.len() - prefix - suffix;
    replaced >= 200 || (replaced >= 16 && replaced * 4 >= old.len())
}

fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis() as i64)
}

/// Called (blocking) before the app writes `new` over `old`: keeps `old`
/// as a version when the change is substantial or the newest version is
/// older than [`EVERY`]. Returns whether a version was kept.
pub fn before_overwrite(notes_dir: &Path, id: &NoteId, old: &str, new: &str) -> io::Result<bool> {
    if old.trim().is_empty() || old == new {
        return Ok(false);
    }
    let folder = folder(notes_dir, id);
    let versions = list_folder(&folder)?;
    let due = versions
        .first()
        .is_none_or(|newest| now_millis() - newest.kept_at >= EVERY.as_millis() as i64);
    if !due && !is_substantial(old, new) {
        return Ok(false);
    }
    keep_in(&folder, id, old, &versions)
}

/// Keeps `text` as a version of the note now (unless it is blank or the
/// same as the newest version), then thins the note's history.
pub fn keep(notes_dir: &Path, id: &NoteId, text: &str) -> io::Result<bool> {
    if text.trim().is_empty() {
        return Ok(false);
    }
    let folder = folder(notes_dir, id);
    let versions = list_folder(&folder)?;
    keep_in(&folder, id, text, &versions)
}

fn keep_in(folder: &Path, id: &NoteId, text: &str, versions: &[Version]) -> io::Result<bool> {
    if let Some(newest) = versions.first()
        && newest.size == text.len() as u64
        && fs::read(&newest.path).is_ok_and(|bytes| bytes == text.as_bytes())
    {
        return Ok(false);
    }
    fs::create_dir_all(folder)?;
    let extension = Path::new(id.as_str())
        .extension()
        .and_then(|extension| extension.to_str())
        .unwrap_or("txt");
    // Two versions within a millisecond get the next free one.
    let mut kept_at = now_millis().max(versions.first().map_or(0, |v| v.kept_at + 1));
    let path = loop {
        let path = folder.join(format!("{kept_at}.{extension}"));
        if fs::symlink_metadata(&path).is_err() {
            break path;
        }
        kept_at += 1;
    };
    crate::atomic::write(&path, text.as_bytes())?;
    thin(folder, now_millis())?;
    Ok(true)
}

/// Drops versions as they age: every one of the last hour stays; older,
/// the newest of each hour (up to a day) and of each day (up to
/// [`KEPT_FOR`]); none older than that.
pub fn thin(folder: &Path, now: i64) -> io::Result<()> {
    let mut last_bucket = None;
    for version in list_folder(folder)? {
        let age = (now - version.kept_at).max(0) as u64;
        let bucket = if age < HOUR {
            None
        } else if age < DAY {
            Some((1, version.kept_at as u64 / HOUR))
        } else if age < KEPT_FOR.as_millis() as u64 {
            Some((2, version.kept_at as u64 / DAY))
        } else {
            fs::remove_file(&version.path)?;
            continue;
        };
        // Newest first: the first of a bucket is kept, the rest go.
        if bucket.is_some() && bucket == last_bucket {
            fs::remove_file(&version.path)?;
        }
        last_bucket = bucket.or(last_bucket);
    }
    Ok(())
}

/// Moves a note's versions along with it (trashed, restored, renamed);
/// versions already under the new name are kept beside them.
pub fn move_folder(from: &Path, to: &Path) -> io::Result<()> {
    if !from.exists() {
        return Ok(());
    }
    if !to.exists() {
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent)?;
        }
        return fs::rename(from, to);
    }
    for version in list_folder(from)? {
        // Two versions kept in the same millisecond: the later gets the
        // next free one, so the name still says when it was kept.
        let extension = version
            .path
            .extension()
            .map(|extension| extension.to_string_lossy().into_owned())
            .unwrap_or_default();
        let target = (version.kept_at..)
            .map(|at| to.join(format!("{at}.{extension}")))
            .find(|path| fs::symlink_metadata(path).is_err())
            .expect("some millisecond is free");
        fs::rename(&version.path, target)?;
    }
    fs::remove_dir(from)
}

pub async fn list_async(notes_dir: PathBuf, id: NoteId) -> Result<Vec<Version>, String> {
    tokio::task::spawn_blocking(move || list(&notes_dir, &id).map_err(|error| error.to_string()))
        .await
        .map_err(|error| error.to_string())?
}

pub async fn keep_async(notes_dir: PathBuf, id: NoteId, text: String) -> Result<bool, String> {
    tokio::task::spawn_blocking(move || {
        keep(&notes_dir, &id, &text).map_err(|error| error.to_string())
    })
    .await
    .map_err(|error| error.to_string())?
}

/// A version's text (lossy: a version is a note BrainDump could read).
pub async fn read_async(path: PathBuf) -> Result<String, String> {
    tokio::task::spawn_blocking(move || {
        fs::read(&path)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .map_err(|error| error.to_string())
    })
    .await
    .map_err(|error| error.to_string())?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(dir: &Path, id: &NoteId) -> Vec<String> {
        list(dir, id)
            .unwrap()
            .iter()
            .map(|version| fs::read_to_string(&version.path).unwrap())
            .collect()
    }

    #[test]
    fn a_substantial_change_keeps_the_text_it_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let id = NoteId::new("a.md");
        let long = "A paragraph I worked on for a long time. ".repeat(10);

        // The first overwrite is always due (no version yet).
        assert!(before_overwrite(dir.path(), &id, &long, &format!("{long}more")).unwrap());
        // Typing on at the end is not substantial, and a version is fresh.
        let typed = format!("{long}more words");
        assert!(!before_overwrite(dir.path(), &id, &format!("{long}more"), &typed).unwrap());
        // Select all, type one letter: substantial.
        assert!(before_overwrite(dir.path(), &id, &typed, "x").unwrap());
        assert_eq!(texts(dir.path(), &id), [typed.clone(), long.clone()]);
        // The same text twice is kept once.
        assert!(!keep(dir.path(), &id, &typed).unwrap());
    }

    #[test]
    fn substantial_means_a_good_part_or_many_lines() {
        assert!(
            !is_substantial("naïve café", "naïve cafés"),
            "not cut mid-letter"
        );
        assert!(!is_substantial("hello world", "hello world!"));
        assert!(!is_substantial("hello", "help"), "too small to matter");
        assert!(is_substantial(&"x".repeat(100), "x"));
        assert!(is_substantial(
            &format!("{}{}", "a".repeat(10_000), "b".repeat(300)),
            &"a".repeat(10_000)
        ));
        assert!(!is_substantial(
            &format!("{}{}", "a".repeat(10_000), "b".repeat(30)),
            &"a".repeat(10_000)
        ));
    }

    #[test]
    fn history_is_thinned_as_it_ages() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("h");
        fs::create_dir_all(&folder).unwrap();
        let now = 100 * DAY as i64;
        let ages = [
            1_000,              // minutes old: kept
            2_000,              // kept
            2 * HOUR + 1_000,   // newest of its hour: kept
            2 * HOUR + 2_000,   // same hour: dropped
            3 * DAY + 5_000,    // newest of its day: kept
            3 * DAY + 9 * HOUR, // same day: dropped
            31 * DAY,           // too old: dropped
        ];
        for age in ages {
            fs::write(folder.join(format!("{}.md", now - age as i64)), "v").unwrap();
        }
        thin(&folder, now).unwrap();
        let kept: Vec<_> = list_folder(&folder)
            .unwrap()
            .iter()
            .map(|version| (now - version.kept_at) as u64)
            .collect();
        assert_eq!(kept, [1_000, 2_000, 2 * HOUR + 1_000, 3 * DAY + 5_000]);
    }

    #[test]
    fn versions_follow_their_note() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (NoteId::new("a.md"), NoteId::new("b.md"));
        keep(dir.path(), &a, "old a").unwrap();
        keep(dir.path(), &b, "old b").unwrap();
        // Kept in the same millisecond, under both names.
        fs::write(folder(dir.path(), &a).join("5.md"), "a at 5").unwrap();
        fs::write(folder(dir.path(), &b).join("5.md"), "b at 5").unwrap();
        move_folder(&folder(dir.path(), &a), &folder(dir.path(), &b)).unwrap();
        let mut both = texts(dir.path(), &b);
        both.sort();
        assert_eq!(both, ["a at 5", "b at 5", "old a", "old b"]);
        assert!(!folder(dir.path(), &a).exists());
    }
}
