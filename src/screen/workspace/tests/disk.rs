//! Saving, and the disk changing under the app: failures, conflicts,
//! outside edits, unreadable files.

use super::*;

#[test]
fn deleting_a_note_while_it_is_being_saved_waits_for_the_save() {
    let dir = tempfile::tempdir().unwrap();
    let mut workspace = workspace(dir.path());
    type_text(&mut workspace, "first words");
    let _ = workspace.update(Message::Tick(later()));
    let (id, revision) = {
        let note = workspace.selected().unwrap();
        (
            note.id.clone(),
            note.as_text().unwrap().session().saving.unwrap(),
        )
    };
    let _ = workspace.update(Message::Delete);
    assert!(
        workspace.notes().iter().any(|note| note.id == id),
        "not yet"
    );

    let result = notes::save_indexed(dir.path(), &id, "first words", None, &workspace.vocabulary);
    let _ = workspace.update(Message::Saved {
        id: id.clone(),
        revision,
        text: "first words".into(),
        result,
    });
    assert!(
        workspace.notes().iter().all(|note| note.id != id),
        "deleted once saved"
    );
    assert!(
        workspace.trashing.contains(&id),
        "and on its way to the trash"
    );
}

#[test]
fn a_failed_save_keeps_the_draft_says_why_and_retries() {
    let dir = tempfile::tempdir().unwrap();
    let mut workspace = workspace(dir.path());
    type_text(&mut workspace, "precious");
    let _ = workspace.update(Message::Tick(later()));
    let (id, revision) = {
        let note = workspace.selected().unwrap();
        (
            note.id.clone(),
            note.as_text().unwrap().session().saving.unwrap(),
        )
    };
    let _ = workspace.update(Message::Saved {
        id: id.clone(),
        revision,
        text: "precious".into(),
        result: Err(SaveError::DiskFull),
    });
    assert!(workspace.is_dirty());
    assert_eq!(workspace.save_failure(), Some(&SaveError::DiskFull));
    assert_eq!(workspace.selected().unwrap().text(), Some("precious"));

    // Not retried at once...
    let _ = workspace.update(Message::Tick(Instant::now()));
    assert!(!workspace.selected().unwrap().as_text().unwrap().is_saving());
    // ...but after the backoff.
    autosave(&mut workspace, later());
    assert!(!workspace.is_dirty());
    assert_eq!(workspace.save_failure(), None);
    assert_eq!(
        std::fs::read_to_string(dir.path().join(id.as_str())).unwrap(),
        "precious"
    );
}

#[test]
fn an_outside_change_to_an_unedited_note_is_picked_up() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Before").unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "a.md");

    std::fs::write(dir.path().join("a.md"), "After").unwrap();
    std::fs::write(dir.path().join("new.md"), "Brand new").unwrap();
    let files = reread(&workspace, &[NoteId::new("a.md"), NoteId::new("new.md")]);
    let _ = workspace.update(Message::Reloaded(files));

    assert_eq!(workspace.editor().text(), "After");
    assert!(workspace.visible().any(|note| &*note.title == "Brand new"));

    std::fs::remove_file(dir.path().join("new.md")).unwrap();
    let _ = workspace.update(Message::Reloaded(vec![(NoteId::new("new.md"), None)]));
    assert!(!workspace.visible().any(|note| &*note.title == "Brand new"));
}

#[test]
fn an_outside_change_during_unsaved_edits_keeps_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Plan").unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "a.md");
    type_text(&mut workspace, "My ");

    std::fs::write(dir.path().join("a.md"), "Their plan").unwrap();
    let files = reread(&workspace, &[NoteId::new("a.md")]);
    let _ = workspace.update(Message::Reloaded(files));
    assert!(
        workspace
            .notice()
            .is_some_and(|notice| notice.text.contains("Both versions are kept"))
    );
    assert_eq!(
        workspace.editor().text(),
        "My Plan",
        "the editor keeps the user's text"
    );

    autosave(&mut workspace, later());
    let mut contents: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .collect();
    contents.sort();
    assert_eq!(contents, ["My Plan", "Their plan"]);
}

#[test]
fn a_conflict_found_while_saving_keeps_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Plan").unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "a.md");
    type_text(&mut workspace, "My ");
    // Changed on disk, and the watcher has not told us yet.
    std::fs::write(dir.path().join("a.md"), "Their plan").unwrap();

    autosave(&mut workspace, later());
    autosave(&mut workspace, later());
    assert!(!workspace.is_dirty());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "Their plan"
    );
    let copy = workspace.selected().unwrap().id.clone();
    assert!(copy.as_str().contains("BrainDump copy"), "{copy}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join(copy.as_str())).unwrap(),
        "My Plan"
    );
}

#[test]
fn unreadable_files_are_listed_and_never_edited() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bin.md"), [0xff, 0xfe, 0x00]).unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "bin.md");
    assert!(matches!(
        workspace.selected().unwrap().kind,
        Kind::Unreadable(_)
    ));

    type_text(&mut workspace, "oops");
    autosave(&mut workspace, later());
    assert_eq!(
        std::fs::read(dir.path().join("bin.md")).unwrap(),
        [0xff, 0xfe, 0x00]
    );
}

#[test]
fn a_note_changed_on_disk_while_it_was_being_opened_shows_the_change() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Listed version").unwrap();
    let mut workspace = workspace(dir.path());
    let _ = workspace.update(Message::Select(NoteId::new("a.md")));
    std::fs::write(dir.path().join("a.md"), "Newer version").unwrap();
    read_selected(&mut workspace);
    assert_eq!(workspace.editor().text(), "Newer version");
    search(&mut workspace, "newer");
    assert_eq!(workspace.visible().count(), 1, "its words are the new ones");

    // And a save goes over the version it read, not the one it listed.
    let _ = workspace.update(Message::SearchChanged(String::new()));
    type_text(&mut workspace, "Edited. ");
    autosave(&mut workspace, later());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "Edited. Newer version"
    );
    assert!(workspace.notice().is_none(), "no conflict");
}

#[test]
fn a_delete_during_a_save_that_conflicts_trashes_nothing_later() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Plan").unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "a.md");
    type_text(&mut workspace, "My ");
    let _ = workspace.update(Message::Tick(later()));
    let revision = workspace
        .selected()
        .unwrap()
        .as_text()
        .unwrap()
        .session()
        .saving
        .unwrap();
    let _ = workspace.update(Message::Delete);
    // Another program changed it meanwhile: the save finds a conflict.
    std::fs::write(dir.path().join("a.md"), "Their plan").unwrap();
    let base = workspace
        .notes()
        .iter()
        .find(|n| n.id.as_str() == "a.md")
        .unwrap();
    let base = base.as_text().unwrap().disk;
    let id = NoteId::new("a.md");
    let result = notes::save_indexed(dir.path(), &id, "My Plan", base, &workspace.vocabulary);
    assert!(matches!(result, Ok(Saved::Conflict { .. })));
    let _ = workspace.update(Message::Saved {
        id: id.clone(),
        revision,
        text: "My Plan".into(),
        result,
    });
    assert_eq!(workspace.delete_after_save, None);

    // Editing and saving the other version later does not trash it.
    open(&mut workspace, "a.md");
    type_text(&mut workspace, "Still ");
    autosave(&mut workspace, later());
    assert!(workspace.trashing.is_empty());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "Still Their plan"
    );
}

fn set_read_only(path: &std::path::Path, read_only: bool) {
    let mut permissions = std::fs::metadata(path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(read_only);
    std::fs::set_permissions(path, permissions).unwrap();
}

fn read_only_shown(workspace: &Workspace) -> bool {
    workspace
        .selected()
        .and_then(Note::as_text)
        .is_some_and(|note| note.session().read_only)
}

#[test]
fn a_read_only_note_is_shown_as_such_and_typing_into_it_is_kept_until_it_is_writable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.md");
    std::fs::write(&path, "Kept as is").unwrap();
    set_read_only(&path, true);
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "a.md");
    assert!(read_only_shown(&workspace), "shown as read-only");

    // Typed into anyway: kept, never written, and the user is told how.
    let _ = workspace.update(Message::Edit(text_editor::Action::Move(
        text_editor::Motion::DocumentEnd,
    )));
    type_text(&mut workspace, "!");
    autosave(&mut workspace, later());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "Kept as is");
    let failure = workspace.save_failure().expect("a save failure is shown");
    assert!(failure.to_string().contains("chmod u+w"), "{failure}");

    // Made writable: the app sees the mode change and saves what was typed.
    set_read_only(&path, false);
    let _ = workspace.update(Message::FolderChanged(Change::Notes(vec![NoteId::new(
        "a.md",
    )])));
    read_selected(&mut workspace);
    let files = reread(&workspace, &[NoteId::new("a.md")]);
    let _ = workspace.update(Message::Reloaded(files));
    assert!(!read_only_shown(&workspace), "writable now");
    let _ = workspace.update(Message::SaveNow);
    autosave(&mut workspace, later() + Duration::from_secs(60));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "Kept as is!");
}

#[test]
fn a_conflict_copy_is_marked_compared_and_one_kept() {
    let dir = tempfile::tempdir().unwrap();
    let copy_name = "Plan (BrainDump copy 2026-12-03 10.30).md";
    std::fs::write(dir.path().join("Plan.md"), "Plan\nthe note's words").unwrap();
    std::fs::write(dir.path().join(copy_name), "Plan\nthe copy's words").unwrap();
    std::fs::write(dir.path().join("Other.md"), "Other").unwrap();
    let mut workspace = workspace(dir.path());
    let copy = NoteId::new(copy_name);
    assert_eq!(
        workspace
            .conflict_original(&copy)
            .map(|note| note.id.as_str()),
        Some("Plan.md"),
        "marked as a copy of its note"
    );
    assert!(
        workspace
            .conflict_original(&NoteId::new("Other.md"))
            .is_none()
    );

    // Compare, then keep the copy's text: it becomes the note's, and the
    // copy goes to the trash.
    open(&mut workspace, copy_name);
    let _ = workspace.update(Message::Compare);
    let _ = workspace.update(Message::OriginalRead(Ok("Plan\nthe note's words".into())));
    let _ = workspace.update(Message::KeepCopy);
    read_selected(&mut workspace);
    let selected = workspace.selected().unwrap();
    assert_eq!(selected.id.as_str(), "Plan.md");
    assert_eq!(selected.text(), Some("Plan\nthe copy's words"));
    assert!(workspace.note(&copy).is_none(), "the copy left the list");
    let trashed = store::trash(dir.path(), &copy, Some("Plan\nthe copy's words"));
    let _ = workspace.update(Message::Trashed(copy.clone(), trashed));
    assert!(!dir.path().join(copy_name).exists());
    assert!(
        dir.path().join(".trash").join(copy_name).exists(),
        "in the trash, restorable"
    );
    // One undoable edit of the note (Ctrl+Z first brings the copy back
    // from the trash while that is offered).
    assert_eq!(workspace.can_undo_edit(), (true, false));
    assert!(workspace.can_undo(), "the copy's delete can be undone");
}

#[test]
fn keeping_the_original_sends_the_copy_to_the_trash() {
    let dir = tempfile::tempdir().unwrap();
    let copy_name = "Plan.sync-conflict-20261203-103000-ABCDEFG.md";
    std::fs::write(dir.path().join("Plan.md"), "Plan\nmine").unwrap();
    std::fs::write(dir.path().join(copy_name), "Plan\ntheirs").unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, copy_name);
    let _ = workspace.update(Message::Compare);
    let _ = workspace.update(Message::KeepOriginal);
    read_selected(&mut workspace);
    assert_eq!(workspace.selected().unwrap().text(), Some("Plan\nmine"));
    let copy = NoteId::new(copy_name);
    assert!(workspace.note(&copy).is_none());
    let trashed = store::trash(dir.path(), &copy, None);
    let _ = workspace.update(Message::Trashed(copy, trashed));
    assert!(workspace.can_undo(), "the copy's delete can be undone");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Plan.md")).unwrap(),
        "Plan\nmine"
    );
}
