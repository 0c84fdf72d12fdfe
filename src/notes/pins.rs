//! Pinned notes: kept at the top of the list. Kept in
//! `.braindump/pins.json` inside the notes folder (a list of file names),
//! not in the notes: pinning changes nothing in a note, so no other editor
//! or sync tool sees a change. A damaged file is kept aside (see
//! `state_file`) and its readable names kept.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::NoteId;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct File {
    pinned: Vec<String>,
}

pub fn path(notes_dir: &Path) -> PathBuf {
    notes_dir.join(super::runs::DATA_DIR).join("pins.json")
}

/// The pinned notes, and a problem to tell about.
pub fn load_blocking(notes_dir: &Path) -> (Vec<NoteId>, Option<String>) {
    use crate::state_file::{self, Loaded};
    match state_file::load::<File>(&path(notes_dir)) {
        Loaded::Missing => (Vec::new(), None),
        Loaded::Read(file) => (file.pinned.into_iter().map(NoteId::new).collect(), None),
        Loaded::Damaged { problem, bytes } => {
            let names: Vec<String> = state_file::salvage_items(&bytes, Some("pinned"));
            (
                names.into_iter().map(NoteId::new).collect(),
                Some(format!(
                    "The pinned notes could not all be read ({problem})"
                )),
            )
        }
    }
}

pub async fn load(notes_dir: PathBuf) -> (Vec<NoteId>, Option<String>) {
    tokio::task::spawn_blocking(move || load_blocking(&notes_dir))
        .await
        .unwrap_or_else(|error| (Vec::new(), Some(error.to_string())))
}

/// Writes the pins, atomically; the later of two saves wins.
pub async fn save(notes_dir: PathBuf, pinned: Vec<NoteId>) -> Result<(), String> {
    let ticket = crate::atomic::ticket();
    tokio::task::spawn_blocking(move || {
        let file = File {
            pinned: pinned.iter().map(|id| id.as_str().to_owned()).collect(),
        };
        crate::state_file::save(&path(&notes_dir), &file, ticket).map_err(|error| error.to_string())
    })
    .await
    .unwrap_or_else(|error| Err(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pins_are_kept_and_a_damaged_file_is_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load_blocking(dir.path()), (Vec::new(), None));
        save(
            dir.path().to_path_buf(),
            vec![NoteId::new("b.md"), NoteId::new("a.md")],
        )
        .await
        .unwrap();
        assert_eq!(
            load_blocking(dir.path()).0,
            [NoteId::new("b.md"), NoteId::new("a.md")]
        );
        std::fs::write(path(dir.path()), br#"{"pinned": ["a.md", 7]}"#).unwrap();
        let (pinned, problem) = load_blocking(dir.path());
        assert_eq!(pinned, [NoteId::new("a.md")], "what could be read");
        assert!(problem.is_some());
        let kept: Vec<_> = std::fs::read_dir(dir.path().join(".braindump"))
            .unwrap()
            .flatten()
            .filter(|entry| entry.file_name().to_string_lossy().contains("damaged"))
            .collect();
        assert_eq!(
            kept.len(),
            1,
            "the damaged file is kept aside, not written over"
        );
    }
}
