//! BrainDump's own JSON files (settings, the offline queue, each note's
//! runs): one way to read them, one way to write them, and one rule for a
//! file that cannot be read: it is moved aside to a dated `.damaged` copy
//! before anything writes a new one, so what it held is never overwritten.
//!
//! What can be recovered from a damaged file is recovered by its owner
//! with [`salvage_fields`], [`salvage_items`] and [`salvage_string`].

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why a state file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// It could not be read or parsed, and was moved aside.
    #[error("{} could not be read ({reason}); it was kept as {}", path.display(), kept.display())]
    KeptAside {
        path: PathBuf,
        kept: PathBuf,
        reason: String,
    },
    /// It could not be read or parsed, nor moved aside: it is left where
    /// it is and BrainDump will not write over it.
    #[error(
        "{} could not be read ({reason}) nor moved aside ({why_not}); BrainDump will not write over it until you move or fix it",
        path.display()
    )]
    LeftInPlace {
        path: PathBuf,
        reason: String,
        why_not: String,
    },
}

/// What loading found.
#[derive(Debug)]
pub enum Loaded<T> {
    /// No file yet.
    Missing,
    Read(T),
    /// The file was damaged or unreadable; `bytes` is what could be read of
    /// it (empty when nothing could), for salvage.
    Damaged {
        problem: Problem,
        bytes: Vec<u8>,
    },
}

/// Paths whose damaged file could not be moved aside: never written.
static PROTECTED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

fn protected() -> std::sync::MutexGuard<'static, Option<HashSet<PathBuf>>> {
    PROTECTED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Reads `path` as JSON. A file that exists but cannot be read or parsed is
/// moved aside first (see the module's rule). Blocking: call from a Task.
pub fn load<T: DeserializeOwned>(path: &Path) -> Loaded<T> {
    let (reason, bytes) = match std::fs::read(path) {
        Ok(bytes) => match serde_json::from_slice(&bytes) {
            Ok(value) => {
                protected().get_or_insert_with(HashSet::new).remove(path);
                return Loaded::Read(value);
            }
            Err(error) => (format!("not valid: {error}"), bytes),
        },
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Loaded::Missing,
        Err(error) => (error.to_string(), Vec::new()),
    };
    let problem = match keep_aside(path) {
        Ok(kept) => {
            protected().get_or_insert_with(HashSet::new).remove(path);
            Problem::KeptAside {
                path: path.to_path_buf(),
                kept,
                reason,
            }
        }
        Err(why_not) => {
            protected()
                .get_or_insert_with(HashSet::new)
                .insert(path.to_path_buf());
            Problem::LeftInPlace {
                path: path.to_path_buf(),
                reason,
                why_not: why_not.to_string(),
            }
        }
    };
    tracing::warn!("{problem}");
    Loaded::Damaged { problem, bytes }
}

/// Moves `path` to `<name>.<local time>.damaged` beside it (numbered if
/// that is taken), and returns where it went.
pub fn keep_aside(path: &Path) -> std::io::Result<PathBuf> {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stamp = jiff::Zoned::now().strftime("%Y-%m-%d-%H%M%S").to_string();
    let folder = path.parent().unwrap_or(Path::new("."));
    let kept = crate::notes::store::free_path(folder, &format!("{name}.{stamp}.damaged"));
    std::fs::rename(path, &kept)?;
    Ok(kept)
}

/// Writes `value` as pretty JSON to `path`, atomically; of two saves, the one
/// whose `ticket` (see [`crate::atomic::ticket`]) was taken later wins. A
/// file that could not be read nor moved aside is not written over.
/// Blocking: call from a Task.
pub fn save<T: Serialize>(path: &Path, value: &T, ticket: u64) -> std::io::Result<()> {
    if protected().get_or_insert_with(HashSet::new).contains(path) {
        return Err(std::io::Error::other(format!(
            "{} could not be read and is kept as it is; move or fix it, then try again",
            path.display()
        )));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let json = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
    crate::atomic::write_in_order(path, &json, ticket)
}

/// From a damaged object, every field that still has a valid value, the
/// rest from `T::default()`. `None` when `bytes` is not a JSON object.
pub fn salvage_fields<T: DeserializeOwned + Serialize + Default>(bytes: &[u8]) -> Option<T> {
    let serde_json::Value::Object(damaged) = serde_json::from_slice(bytes).ok()? else {
        return None;
    };
    let serde_json::Value::Object(mut good) = serde_json::to_value(T::default()).ok()? else {
        return None;
    };
    for (field, value) in damaged {
        let before = good.insert(field.clone(), value);
        if serde_json::from_value::<T>(serde_json::Value::Object(good.clone())).is_err() {
            match before {
                Some(before) => good.insert(field, before),
                None => good.remove(&field),
            };
        }
    }
    serde_json::from_value(serde_json::Value::Object(good)).ok()
}

/// From a damaged array, or an object's array field `field`, every item
/// that is still valid.
pub fn salvage_items<T: DeserializeOwned>(bytes: &[u8], field: Option<&str>) -> Vec<T> {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return Vec::new();
    };
    let items = match field {
        Some(field) => value.get(field).cloned(),
        None => Some(value),
    };
    match items {
        Some(serde_json::Value::Array(items)) => items
            .into_iter()
            .filter_map(|item| serde_json::from_value(item).ok())
            .collect(),
        _ => Vec::new(),
    }
}

/// The string value of `"key": "…"` found anywhere in `bytes`, even when
/// the file around it is cut short or not JSON at all.
pub fn salvage_string(bytes: &[u8], key: &str) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let quoted = format!("\"{key}\"");
    let mut rest = &text[text.find(&quoted)? + quoted.len()..];
    rest = rest.trim_start().strip_prefix(':')?.trim_start();
    if !rest.starts_with('"') {
        return None;
    }
    // A JSON string literal ends at the first quote not escaped; let the
    // JSON parser read it, so escapes come out right.
    let mut escaped = false;
    for (index, character) in rest.char_indices().skip(1) {
        match character {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return serde_json::from_str(&rest[..=index]).ok(),
            _ => escaped = false,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq, Serialize, serde::Deserialize)]
    #[serde(default)]
    struct Sample {
        name: String,
        count: u32,
    }

    #[test]
    fn a_damaged_file_is_kept_aside_before_a_new_one_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        assert!(matches!(load::<Sample>(&path), Loaded::Missing));

        std::fs::write(&path, b"{\"name\": \"kept\", \"count\": ").unwrap();
        let Loaded::Damaged { problem, bytes } = load::<Sample>(&path) else {
            panic!("damaged");
        };
        let Problem::KeptAside { kept, .. } = &problem else {
            panic!("{problem}")
        };
        assert_eq!(
            std::fs::read(kept).unwrap(),
            b"{\"name\": \"kept\", \"count\": "
        );
        assert!(kept.to_string_lossy().ends_with(".damaged"));
        assert_eq!(salvage_string(&bytes, "name").as_deref(), Some("kept"));
        assert!(!path.exists());

        save(&path, &Sample::default(), crate::atomic::ticket()).unwrap();
        assert!(matches!(load::<Sample>(&path), Loaded::Read(_)));
        assert!(kept.exists(), "the damaged copy stays");
    }

    #[test]
    fn a_damaged_file_that_cannot_be_moved_is_never_written_over() {
        let dir = tempfile::tempdir().unwrap();
        // Root can rename in any folder, so the failed move itself cannot be
        // staged here; what is checked is the refusal that follows it.
        let path = dir.path().join("state.json");
        std::fs::write(&path, b"[1, 2").unwrap();
        protected()
            .get_or_insert_with(HashSet::new)
            .insert(path.clone());
        let refused = save(&path, &Sample::default(), crate::atomic::ticket());
        assert!(refused.unwrap_err().to_string().contains("move or fix it"));
        assert_eq!(std::fs::read(&path).unwrap(), b"[1, 2");
        protected().get_or_insert_with(HashSet::new).remove(&path);
    }

    #[test]
    fn salvage_keeps_what_is_still_valid() {
        let sample: Sample = salvage_fields(br#"{"name": "n", "count": "many"}"#).unwrap();
        assert_eq!(
            sample,
            Sample {
                name: "n".into(),
                count: 0
            }
        );
        assert_eq!(salvage_fields::<Sample>(b"[1]"), None);
        let items: Vec<Sample> = salvage_items(
            br#"{"jobs": [{"name": "a"}, 7, {"count": 2}]}"#,
            Some("jobs"),
        );
        assert_eq!(items.len(), 2);
        assert_eq!(
            salvage_string(br#"{"dir": "C:\\notes \"x\"", "#, "dir").as_deref(),
            Some("C:\\notes \"x\"")
        );
        assert_eq!(salvage_string(br#"{"dir": 3}"#, "dir"), None);
        assert_eq!(salvage_string(br#"{"dir": "cut"#, "dir"), None);
    }
}
