//! `braindump PATH`: a file named on the command line, or handed over by a
//! later launch, or dropped on the launcher. A note in the notes folder is
//! opened; a file from elsewhere is offered for import as a copy (the
//! original is never moved or changed). Blocking: run these in a `Task`.

use std::path::{Path, PathBuf};

use crate::notes::store::{self, MAX_NOTE_BYTES};
use crate::notes::{NoteId, SaveOutcome};

/// What a path turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A note in the notes folder, by its name there.
    Note(NoteId),
    /// A file outside the notes folder: it can be imported.
    Outside(PathBuf),
}

/// Finds where `path` (absolute) is, next to `notes_dir`. Errors here and
/// in [`import`] are whole sentences for the user.
pub fn resolve(path: &Path, notes_dir: &Path) -> Result<Target, String> {
    let shown = path.display();
    let metadata = std::fs::metadata(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => format!("{shown} was not found."),
        _ => format!("{shown} could not be opened: {error}."),
    })?;
    if metadata.is_dir() {
        return Err(format!(
            "{shown} is a folder. To keep notes there, choose it as the notes folder in Settings."
        ));
    }
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The folder the file is in, with links followed; the file itself may
    // be a link (a note symlinked into the folder is a note).
    let folder = path
        .parent()
        .and_then(|parent| std::fs::canonicalize(parent).ok());
    let notes = std::fs::canonicalize(notes_dir).ok();
    // In the notes folder, or in one of its listed subfolders.
    if let (Some(folder), Some(notes)) = (&folder, &notes)
        && let Ok(within) = folder.strip_prefix(notes)
    {
        let inside = notes.join(within).join(&name);
        return match store::relative_id(notes, &inside) {
            Some(id) => Ok(Target::Note(NoteId::new(id))),
            None if !store::is_note_name(&name) => Err(format!(
                "{shown} is not a note: BrainDump opens .md, .markdown and .txt files."
            )),
            // In a hidden folder (.trash, .git…): not listed, so a copy.
            None => Ok(Target::Outside(path.to_path_buf())),
        };
    }
    Ok(Target::Outside(path.to_path_buf()))
}

/// Copies the text of `path` into `notes_dir` as a new note, under the
/// file's own name when it is free (with `.md` added when the name is not
/// a note's), numbered when not. Saved atomically; returns the new note.
pub fn import(path: &Path, notes_dir: &Path) -> Result<NoteId, String> {
    let shown = path.display();
    let size = std::fs::metadata(path)
        .map_err(|error| format!("{shown} could not be read: {error}."))?
        .len();
    if size > MAX_NOTE_BYTES {
        return Err(format!(
            "{shown} is {} MB: BrainDump opens notes of up to {} MB.",
            size / (1024 * 1024),
            MAX_NOTE_BYTES / (1024 * 1024)
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|error| format!("{shown} could not be read: {error}."))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        format!("{shown} is not a text file (it is not UTF-8), so it was not imported.")
    })?;
    std::fs::create_dir_all(notes_dir).map_err(|error| {
        format!(
            "The notes folder {} could not be made: {error}.",
            notes_dir.display()
        )
    })?;
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .unwrap_or_else(|| "Imported.md".to_owned());
    let name = if store::is_note_name(&name) {
        name
    } else {
        format!("{name}.md")
    };
    // A name nobody holds; if another program takes it first, the next.
    for _ in 0..100 {
        let id = NoteId::new(store::numbered(&name, |candidate| {
            std::fs::symlink_metadata(notes_dir.join(candidate)).is_ok()
        }));
        match store::save(notes_dir, &id, &text, None) {
            Ok(SaveOutcome::Saved { .. }) => return Ok(id),
            Ok(SaveOutcome::Conflict { .. }) => continue,
            Err(error) => return Err(format!("The copy could not be saved: {error}.")),
        }
    }
    Err("There is no free name for the copy in the notes folder.".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_in_the_folder_is_opened_and_a_file_elsewhere_offered() {
        let root = tempfile::tempdir().unwrap();
        let notes = root.path().join("notes");
        std::fs::create_dir(&notes).unwrap();
        std::fs::write(notes.join("plans.md"), "plans").unwrap();
        std::fs::write(notes.join("photo.png"), [0x89, b'P']).unwrap();
        let elsewhere = root.path().join("elsewhere.md");
        std::fs::write(&elsewhere, "from elsewhere").unwrap();

        assert_eq!(
            resolve(&notes.join("plans.md"), &notes),
            Ok(Target::Note(NoteId::new("plans.md")))
        );
        // The same folder by another way (a link to it, `..`) is the same.
        std::os::unix::fs::symlink(&notes, root.path().join("link")).unwrap();
        assert_eq!(
            resolve(&root.path().join("link/plans.md"), &notes),
            Ok(Target::Note(NoteId::new("plans.md")))
        );
        assert_eq!(
            resolve(&notes.join("../notes/plans.md"), &notes),
            Ok(Target::Note(NoteId::new("plans.md")))
        );
        assert_eq!(
            resolve(&elsewhere, &notes),
            Ok(Target::Outside(elsewhere.clone()))
        );
        // A note in a subfolder is that note; one in a hidden folder is not.
        std::fs::create_dir_all(notes.join("Work/.git")).unwrap();
        std::fs::write(notes.join("Work/plan.md"), "plan").unwrap();
        std::fs::write(notes.join("Work/.git/x.md"), "x").unwrap();
        assert_eq!(
            resolve(&notes.join("Work/plan.md"), &notes),
            Ok(Target::Note(NoteId::new("Work/plan.md")))
        );
        assert_eq!(
            resolve(&notes.join("Work/.git/x.md"), &notes),
            Ok(Target::Outside(notes.join("Work/.git/x.md")))
        );
        let missing = resolve(&notes.join("gone.md"), &notes).unwrap_err();
        assert!(missing.ends_with("gone.md was not found."), "{missing}");
        let folder = resolve(&notes, &notes).unwrap_err();
        assert!(folder.contains("is a folder"), "{folder}");
        let other = resolve(&notes.join("photo.png"), &notes).unwrap_err();
        assert!(other.contains("not a note"), "{other}");
    }

    #[test]
    fn an_import_is_a_copy_under_a_free_name() {
        let root = tempfile::tempdir().unwrap();
        let notes = root.path().join("notes");
        std::fs::create_dir(&notes).unwrap();
        std::fs::write(notes.join("ideas.md"), "mine").unwrap();
        let outside = root.path().join("ideas.md");
        std::fs::write(&outside, "theirs").unwrap();

        let id = import(&outside, &notes).unwrap();
        assert_eq!(id.as_str(), "ideas 2.md");
        assert_eq!(
            std::fs::read_to_string(notes.join("ideas.md")).unwrap(),
            "mine"
        );
        assert_eq!(
            std::fs::read_to_string(notes.join("ideas 2.md")).unwrap(),
            "theirs"
        );
        assert_eq!(
            std::fs::read_to_string(&outside).unwrap(),
            "theirs",
            "left as it was"
        );

        let plain = root.path().join("TODO");
        std::fs::write(&plain, "a list").unwrap();
        assert_eq!(import(&plain, &notes).unwrap().as_str(), "TODO.md");

        let binary = root.path().join("blob.md");
        std::fs::write(&binary, [0xff, 0xfe, 0x00]).unwrap();
        let error = import(&binary, &notes).unwrap_err();
        assert!(error.contains("not a text file"), "{error}");
        assert!(!notes.join("blob.md").exists());
    }
}
