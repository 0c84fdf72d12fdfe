//! Version history as the workspace keeps and shows it.

use super::*;
use crate::notes::history;

/// Opens the History view, and feeds back its listing and the read of the
/// newest version, as their tasks would.
fn open_history(workspace: &mut Workspace) {
    let _ = workspace.update(Message::ToggleHistory);
    let id = workspace.selected().unwrap().id.clone();
    let versions = history::list(&workspace.dir, &id).map_err(|error| error.to_string());
    let _ = workspace.update(Message::HistoryListed(id, versions.clone()));
    if let Some(newest) = versions.unwrap().first() {
        let text = std::fs::read_to_string(&newest.path).map_err(|error| error.to_string());
        let _ = workspace.update(Message::VersionRead(newest.path.clone(), text));
    }
}

fn versions(dir: &std::path::Path, name: &str) -> Vec<String> {
    history::list(dir, &NoteId::new(name))
        .unwrap()
        .iter()
        .map(|version| std::fs::read_to_string(&version.path).unwrap())
        .collect()
}

#[test]
fn an_overwritten_text_is_in_history_and_restoring_it_is_undoable() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "A week of thoughts\nand more").unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "a.md");

    editor_action(&mut workspace, text_editor::Action::SelectAll);
    type_text(&mut workspace, "x");
    autosave(&mut workspace, later());
    assert_eq!(
        versions(dir.path(), "a.md"),
        ["A week of thoughts\nand more"]
    );

    open_history(&mut workspace);
    assert_eq!(workspace.history_versions(), Some(1));
    let _ = workspace.update(Message::RestoreVersion);
    assert_eq!(workspace.editor().text(), "A week of thoughts\nand more");
    assert_eq!(workspace.history_versions(), None, "the view closes");
    // What the restore replaced ("x") goes into history, by its own task.
    history::keep(dir.path(), &NoteId::new("a.md"), "x").unwrap();
    autosave(&mut workspace, later());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "A week of thoughts\nand more"
    );

    ctrl_z(&mut workspace);
    assert_eq!(workspace.editor().text(), "x", "the restore is one step");
    ctrl_z(&mut workspace);
    assert_eq!(workspace.editor().text(), "A week of thoughts\nand more");
}

#[test]
fn an_outside_change_keeps_what_the_app_showed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "What I saw").unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "a.md");

    std::fs::write(dir.path().join("a.md"), "Replaced by a sync tool").unwrap();
    let files = reread(&workspace, &[NoteId::new("a.md")]);
    let task = workspace.update(Message::Reloaded(files));
    assert!(matches!(task, Action::Run(_)), "a task keeps the version");
    // That task's work:
    history::keep(dir.path(), &NoteId::new("a.md"), "What I saw").unwrap();
    assert_eq!(workspace.editor().text(), "Replaced by a sync tool");
    open_history(&mut workspace);
    assert_eq!(workspace.history_versions(), Some(1));
    let _ = workspace.update(Message::RestoreVersion);
    assert_eq!(workspace.editor().text(), "What I saw");
}

#[test]
fn a_trashed_note_keeps_its_history() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "First draft of the plan").unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "a.md");
    editor_action(&mut workspace, text_editor::Action::SelectAll);
    type_text(&mut workspace, "y");
    autosave(&mut workspace, later());
    delete_open_note(&mut workspace);
    assert!(versions(dir.path(), "a.md").is_empty());

    // Someone makes a new a.md meanwhile: the old history is not its.
    std::fs::write(dir.path().join("a.md"), "Another note").unwrap();
    let _ = workspace.update(Message::Undo);
    let trashed = workspace.undo.as_ref().unwrap().trashed.clone().unwrap();
    let restored = store::restore(dir.path(), &trashed);
    let _ = workspace.update(Message::Restored(trashed.file_name().to_owned(), restored));
    assert_eq!(workspace.selected().unwrap().id.as_str(), "a 2.md");
    assert_eq!(versions(dir.path(), "a 2.md"), ["First draft of the plan"]);
    assert!(versions(dir.path(), "a.md").is_empty());
}

#[test]
fn escape_and_switching_notes_close_the_history() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "A").unwrap();
    std::fs::write(dir.path().join("b.md"), "B").unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "a.md");
    open_history(&mut workspace);
    assert_eq!(workspace.history_versions(), Some(0));
    let _ = workspace.update(Message::ClearSearch);
    assert_eq!(workspace.history_versions(), None);
    open_history(&mut workspace);
    open(&mut workspace, "b.md");
    assert_eq!(workspace.history_versions(), None);
}
