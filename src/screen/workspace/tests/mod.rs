//! The workspace at the Message level: build it, send messages, run the
//! tasks' real disk work by hand, assert on state. No window.

use std::time::{Duration, Instant};

use super::*;
use crate::notes::store;

mod disk;
mod folders;
mod history;
mod list;
mod long_notes;
mod model;

/// A workspace over `dir`, listed as the app lists it: without words.
fn workspace(dir: &std::path::Path) -> Workspace {
    let listing = notes::read_listing(dir, notes::Vocabulary::shared(), notes::Indexing::Later);
    Workspace::new(dir.to_path_buf(), listing).0
}

/// Types `query` into search, and feeds back the words the first search
/// asks for (what `notes::index_all` finds).
fn search(workspace: &mut Workspace, query: &str) {
    let _ = workspace.update(Message::SearchChanged(query.to_owned()));
    find_words(workspace);
}

fn find_words(workspace: &mut Workspace) {
    if workspace.is_finding_words() {
        let found = notes::index_notes(
            &workspace.dir,
            workspace.lacking_words(),
            &workspace.vocabulary,
            true,
        );
        let _ = workspace.update(Message::Indexed(found, true));
    }
}

/// Opens a note, and feeds back the read of its file that `Select` starts.
fn open(workspace: &mut Workspace, name: &str) {
    let _ = workspace.update(Message::Select(NoteId::new(name)));
    read_selected(workspace);
}

fn read_selected(workspace: &mut Workspace) {
    if workspace.is_reading() {
        let id = workspace.selected().unwrap().id.clone();
        let files = reread(workspace, &[id]);
        let _ = workspace.update(Message::Reloaded(files));
    }
}

/// What `notes::reload` finds for these notes.
fn reread(workspace: &Workspace, ids: &[NoteId]) -> Vec<(NoteId, Option<Entry>)> {
    notes::reread(&workspace.dir, ids.to_vec(), &workspace.vocabulary)
}

fn type_text(workspace: &mut Workspace, text: &str) {
    for c in text.chars() {
        let edit = if c == '\n' {
            text_editor::Edit::Enter
        } else {
            text_editor::Edit::Insert(c)
        };
        let _ = workspace.update(Message::Edit(text_editor::Action::Edit(edit)));
    }
}

/// Performs the saves a tick would start, synchronously, and feeds the
/// results back.
fn autosave(workspace: &mut Workspace, now: Instant) {
    let dir = workspace.dir.clone();
    let _ = workspace.update(Message::Tick(now));
    let pending: Vec<_> = workspace
        .notes
        .iter()
        .filter_map(|note| {
            let text_note = note.as_text()?;
            let revision = text_note.session().saving?;
            Some((
                note.id.clone(),
                revision,
                text_note.session().draft.clone()?,
                text_note.disk,
            ))
        })
        .collect();
    for (id, revision, text, base) in pending {
        let result = notes::save_indexed(&dir, &id, &text, base, &workspace.vocabulary);
        let _ = workspace.update(Message::Saved {
            id,
            revision,
            text,
            result,
        });
    }
}

fn later() -> Instant {
    Instant::now() + Duration::from_secs(5)
}

/// The titles the list shows, in order.
fn listed(workspace: &Workspace) -> Vec<&str> {
    workspace.visible().map(|note| &*note.title).collect()
}

#[test]
fn opens_to_a_fresh_note_that_is_not_saved_until_typed_into() {
    let dir = tempfile::tempdir().unwrap();
    let mut workspace = workspace(dir.path());
    assert!(workspace.selected().is_some_and(Note::is_blank_draft));

    autosave(&mut workspace, later());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no empty files"
    );

    type_text(&mut workspace, "Groceries\nmilk");
    assert!(workspace.is_dirty());
    autosave(&mut workspace, later());
    assert!(!workspace.is_dirty());

    let id = workspace.selected().unwrap().id.clone();
    assert_eq!(
        std::fs::read_to_string(dir.path().join(id.as_str())).unwrap(),
        "Groceries\nmilk"
    );
    assert_eq!(&*workspace.visible().next().unwrap().title, "Groceries");
}

#[test]
fn delete_moves_to_trash_and_undo_brings_back_unsaved_text_too() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Keep me").unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "a.md");
    type_text(&mut workspace, "!");

    let _ = workspace.update(Message::Delete);
    assert!(
        workspace
            .notes()
            .iter()
            .all(|note| note.id.as_str() != "a.md")
    );
    // What the trash task does: the unsaved text goes into the trash too.
    let result = store::trash(dir.path(), &NoteId::new("a.md"), Some("!Keep me"));
    let _ = workspace.update(Message::Trashed(NoteId::new("a.md"), result));
    assert!(!dir.path().join("a.md").exists());
    assert!(workspace.can_undo());

    let _ = workspace.update(Message::Undo);
    let trashed = workspace.undo.as_ref().unwrap().trashed.clone().unwrap();
    let restored = store::restore(dir.path(), &trashed);
    let _ = workspace.update(Message::Restored(trashed.file_name().to_owned(), restored));
    assert_eq!(workspace.selected().unwrap().text(), Some("!Keep me"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "!Keep me"
    );
    assert!(!workspace.is_dirty(), "what came back is what is on disk");
}

#[test]
fn quitting_saves_everything_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut workspace = workspace(dir.path());
    type_text(&mut workspace, "last words");
    assert!(!workspace.ready_to_quit());
    let _ = workspace.begin_quit();
    assert!(
        workspace.is_saving(),
        "saving starts at once, without waiting for a pause"
    );
    autosave(&mut workspace, Instant::now());
    assert!(workspace.ready_to_quit());
}

#[test]
fn drafts_move_to_a_new_folder() {
    let old = tempfile::tempdir().unwrap();
    let new = tempfile::tempdir().unwrap();
    let mut workspace = workspace(old.path());
    type_text(&mut workspace, "unsaved thought");
    let drafts = workspace.take_drafts();

    let mut moved = super::tests::workspace(new.path());
    moved.adopt_drafts(drafts);
    autosave(&mut moved, later());
    let files: Vec<_> = std::fs::read_dir(new.path()).unwrap().collect();
    assert_eq!(files.len(), 1);
    assert_eq!(
        std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap(),
        "unsaved thought"
    );
}

#[test]
fn shortcuts() {
    use keyboard::{Key, Modifiers};
    let ctrl = Modifiers::CTRL;
    assert!(matches!(
        Workspace::shortcut(&Key::Character("n".into()), ctrl),
        Some(Message::NewNote)
    ));
    assert!(matches!(
        Workspace::shortcut(&Key::Character("f".into()), ctrl),
        Some(Message::FocusSearch)
    ));
    assert!(Workspace::shortcut(&Key::Character("n".into()), Modifiers::empty()).is_none());
}

#[test]
fn a_listed_note_is_small() {
    // Thousands are listed: what only an open, edited or saving note needs
    // is boxed (see `TextNote::session`). And no bigger than the entry it
    // is made from, so that the listing's allocation is reused for it.
    let (note, entry) = (std::mem::size_of::<Note>(), std::mem::size_of::<Entry>());
    // 96 bytes, and 16 for its tags (one string, never allocated for a
    // note without any).
    assert!(note <= 112, "{note} bytes");
    assert!(
        note <= entry,
        "a note ({note} bytes) outgrows its entry ({entry})"
    );
}

#[test]
fn only_the_open_note_holds_its_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Plan the garden").unwrap();
    std::fs::write(dir.path().join("b.md"), "Call the plumber").unwrap();
    let mut workspace = workspace(dir.path());
    assert!(
        workspace
            .notes()
            .iter()
            .filter(|note| !note.is_blank_draft())
            .all(|note| note.text().is_none()),
        "listed, not held"
    );

    open(&mut workspace, "a.md");
    assert_eq!(workspace.editor().text(), "Plan the garden");
    open(&mut workspace, "b.md");
    assert_eq!(workspace.editor().text(), "Call the plumber");
    let held: Vec<_> = workspace
        .notes()
        .iter()
        .filter(|note| note.text().is_some())
        .map(|note| note.id.as_str())
        .collect();
    assert_eq!(held, ["b.md"]);
    let with_session: Vec<_> = workspace
        .notes()
        .iter()
        .filter(|note| note.as_text().is_some_and(TextNote::has_session))
        .map(|note| note.id.as_str())
        .collect();
    assert_eq!(with_session, ["b.md"], "a note left keeps no session");

    // Found by its words all the same.
    search(&mut workspace, "gard");
    assert_eq!(
        workspace
            .visible()
            .map(|note| note.id.as_str())
            .collect::<Vec<_>>(),
        ["a.md"]
    );
}

#[test]
fn typing_while_the_open_note_is_read_is_kept_and_never_overwrites_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Precious words").unwrap();
    let mut workspace = workspace(dir.path());
    let _ = workspace.update(Message::Select(NoteId::new("a.md")));
    assert!(workspace.is_reading());
    assert_eq!(workspace.editor().text(), "");

    type_text(&mut workspace, "Kept ");
    assert!(!workspace.is_dirty(), "no draft from an empty editor");
    autosave(&mut workspace, later());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "Precious words"
    );

    // The text lands: what was typed meanwhile is done on it.
    read_selected(&mut workspace);
    assert!(!workspace.is_reading());
    assert_eq!(workspace.editor().text(), "Kept Precious words");
    autosave(&mut workspace, later());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "Kept Precious words"
    );
}

/// Deletes the open note, and does what the trash task does.
fn delete_open_note(workspace: &mut Workspace) {
    let id = workspace.selected().unwrap().id.clone();
    let _ = workspace.update(Message::Delete);
    let result = store::trash(&workspace.dir, &id, None);
    let _ = workspace.update(Message::Trashed(id, result));
}

fn ctrl_z(workspace: &mut Workspace) {
    let _ = workspace.update(Message::UndoEdit);
}

fn editor_action(workspace: &mut Workspace, action: text_editor::Action) {
    let _ = workspace.update(Message::Edit(action));
}

#[test]
fn select_all_and_a_letter_is_undone_on_screen_and_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "A week of thoughts\nand more").unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "a.md");

    editor_action(&mut workspace, text_editor::Action::SelectAll);
    type_text(&mut workspace, "x");
    autosave(&mut workspace, later());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "x"
    );

    ctrl_z(&mut workspace);
    assert_eq!(workspace.editor().text(), "A week of thoughts\nand more");
    autosave(&mut workspace, later());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "A week of thoughts\nand more"
    );

    let _ = workspace.update(Message::RedoEdit);
    assert_eq!(workspace.editor().text(), "x");
    assert_eq!(workspace.can_undo_edit(), (true, false));
}

#[test]
fn undo_goes_a_run_of_typing_at_a_time_and_keeps_across_switching_notes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "").unwrap();
    std::fs::write(dir.path().join("b.md"), "Other").unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "a.md");
    type_text(&mut workspace, "one");
    // A cursor move ends the run.
    editor_action(
        &mut workspace,
        text_editor::Action::Move(text_editor::Motion::DocumentEnd),
    );
    type_text(&mut workspace, " two");
    let _ = workspace.update(Message::Edit(text_editor::Action::Edit(
        text_editor::Edit::Backspace,
    )));
    autosave(&mut workspace, later());

    open(&mut workspace, "b.md");
    open(&mut workspace, "a.md");
    assert_eq!(workspace.editor().text(), "one tw");
    ctrl_z(&mut workspace);
    assert_eq!(workspace.editor().text(), "one two");
    ctrl_z(&mut workspace);
    assert_eq!(workspace.editor().text(), "one");
    assert_eq!(workspace.editor().cursor().position.column, 3);
    ctrl_z(&mut workspace);
    assert_eq!(workspace.editor().text(), "");
    ctrl_z(&mut workspace);
    assert_eq!(workspace.editor().text(), "", "nothing more to undo");
}

#[test]
fn insert_into_note_is_undoable() {
    let dir = tempfile::tempdir().unwrap();
    let mut workspace = workspace(dir.path());
    type_text(&mut workspace, "My note");
    let _ = workspace.insert_text("Claude's reply");
    assert_eq!(workspace.editor().text(), "My note\n\nClaude's reply");
    ctrl_z(&mut workspace);
    assert_eq!(workspace.editor().text(), "My note");
}

#[test]
fn an_outside_change_to_the_open_note_can_be_undone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Mine").unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "a.md");
    std::fs::write(dir.path().join("a.md"), "Theirs").unwrap();
    let files = reread(&workspace, &[NoteId::new("a.md")]);
    let _ = workspace.update(Message::Reloaded(files));
    assert_eq!(workspace.editor().text(), "Theirs");
    ctrl_z(&mut workspace);
    assert_eq!(workspace.editor().text(), "Mine");
}

#[test]
fn undo_of_a_delete_is_offered_for_a_few_seconds_only() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Old note").unwrap();
    std::fs::write(dir.path().join("b.md"), "Another").unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "a.md");
    delete_open_note(&mut workspace);
    assert!(workspace.can_undo());
    assert!(workspace.needs_ticks(), "the offer is taken down on time");

    let _ = workspace.update(Message::Tick(Instant::now() + UNDO_DELETE_FOR));
    assert!(!workspace.can_undo());
    assert!(!workspace.needs_ticks());

    // Ctrl+Z minutes later, in another note, undoes typing there and
    // brings back nothing.
    open(&mut workspace, "b.md");
    type_text(&mut workspace, "!");
    ctrl_z(&mut workspace);
    assert_eq!(workspace.editor().text(), "Another");
    assert!(
        workspace
            .notes()
            .iter()
            .all(|note| note.id.as_str() != "a.md")
    );
    assert!(dir.path().join(".trash/a.md").exists());
}

#[test]
fn the_next_action_takes_the_undo_offer_away() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Old note").unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "a.md");
    delete_open_note(&mut workspace);
    // Ctrl+Z while it is offered undoes the delete.
    assert!(workspace.can_undo());
    type_text(&mut workspace, "x");
    assert!(!workspace.can_undo(), "typing took it away");
}

#[test]
fn a_read_that_lands_after_moving_on_is_not_shown() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "First").unwrap();
    std::fs::write(dir.path().join("b.md"), "Second").unwrap();
    let mut workspace = workspace(dir.path());
    let _ = workspace.update(Message::Select(NoteId::new("a.md")));
    let late = reread(&workspace, &[NoteId::new("a.md")]);
    open(&mut workspace, "b.md");

    let _ = workspace.update(Message::Reloaded(late));
    assert_eq!(workspace.editor().text(), "Second");
    assert_eq!(workspace.selected().unwrap().id.as_str(), "b.md");
    let a = workspace
        .notes()
        .iter()
        .find(|note| note.id.as_str() == "a.md")
        .unwrap();
    assert_eq!(a.text(), None, "not held: it is not open");
}

// Found by the model-based test (`model.rs`).

/// Whether an update started a task (not `Task::none()`).
fn starts_work(action: Action) -> bool {
    match action {
        Action::Run(task) => iced_runtime::task::into_stream(task).is_some(),
        _ => true,
    }
}

#[test]
fn undo_asked_while_the_note_is_on_its_way_to_the_trash_brings_it_back_once_there() {
    let dir = tempfile::tempdir().unwrap();
    let mut workspace = workspace(dir.path());
    type_text(&mut workspace, "Never saved, then deleted");
    let id = workspace.selected().unwrap().id.clone();
    let _ = workspace.update(Message::Delete);
    // Undo before the move has landed: nothing is put back yet (the move
    // would take the file from under it)...
    assert!(!starts_work(workspace.update(Message::Undo)));
    assert!(workspace.notes().iter().all(|note| note.id != id));
    // ...but as soon as it has.
    let result = store::trash(dir.path(), &id, Some("Never saved, then deleted"));
    assert!(
        starts_work(workspace.update(Message::Trashed(id.clone(), result))),
        "the note is put back"
    );
    let trashed = workspace.undo.as_ref().unwrap().trashed.clone().unwrap();
    let restored = store::restore(dir.path(), &trashed);
    let _ = workspace.update(Message::Restored(trashed.file_name().to_owned(), restored));
    assert_eq!(
        workspace.selected().unwrap().text(),
        Some("Never saved, then deleted")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join(id.as_str())).unwrap(),
        "Never saved, then deleted"
    );
}

#[test]
fn a_read_landing_while_its_note_goes_to_the_trash_does_not_bring_it_back() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Going").unwrap();
    let mut workspace = workspace(dir.path());
    let _ = workspace.update(Message::Select(NoteId::new("a.md")));
    let read = reread(&workspace, &[NoteId::new("a.md")]);
    let _ = workspace.update(Message::Delete);
    let _ = workspace.update(Message::Reloaded(read));
    assert!(
        workspace
            .notes()
            .iter()
            .all(|note| note.id.as_str() != "a.md"),
        "not listed again"
    );
    let result = store::trash(dir.path(), &NoteId::new("a.md"), None);
    let _ = workspace.update(Message::Trashed(NoteId::new("a.md"), result));
    assert!(
        workspace
            .notes()
            .iter()
            .all(|note| note.id.as_str() != "a.md")
    );
    assert!(!dir.path().join("a.md").exists());
}

#[test]
fn a_note_coming_back_from_the_trash_keeps_its_own_text_when_another_is_deleted_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Shopping").unwrap();
    std::fs::write(dir.path().join("b.md"), "Letter to Ana").unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "a.md");
    let _ = workspace.update(Message::Delete);
    let a = NoteId::new("a.md");
    let result = store::trash(dir.path(), &a, Some("Shopping"));
    let _ = workspace.update(Message::Trashed(a.clone(), result));
    // Undo starts the move back; before it lands, the user deletes b.
    assert!(starts_work(workspace.update(Message::Undo)));
    let trashed = workspace.undo.as_ref().unwrap().trashed.clone().unwrap();
    open(&mut workspace, "b.md");
    let _ = workspace.update(Message::Delete);
    let restored = store::restore(dir.path(), &trashed);
    let _ = workspace.update(Message::Restored(trashed.file_name().to_owned(), restored));
    // a is listed from its file, with its own words, not b's.
    let listed = workspace.notes().iter().find(|note| note.id == a);
    assert!(
        listed.is_none_or(|note| note.text().is_none_or(|text| text == "Shopping")),
        "a holds its own text"
    );
    assert_eq!(
        workspace.undo.as_ref().unwrap().note.id.as_str(),
        "b.md",
        "the offer is b's"
    );
    let read = reread(&workspace, std::slice::from_ref(&a));
    let _ = workspace.update(Message::Reloaded(read));
    assert!(
        workspace.notes().iter().any(|note| note.id == a),
        "a is back"
    );
    assert_ne!(workspace.selected().map(|note| note.id.clone()), Some(a));
}

#[test]
fn a_new_note_does_not_take_the_name_of_one_on_its_way_to_the_trash() {
    let dir = tempfile::tempdir().unwrap();
    let mut workspace = workspace(dir.path());
    type_text(&mut workspace, "one");
    autosave(&mut workspace, later());
    let first = workspace.selected().unwrap().id.clone();
    let _ = workspace.update(Message::NewNote);
    type_text(&mut workspace, "two");
    autosave(&mut workspace, later());
    let _ = workspace.update(Message::Select(first.clone()));
    // Both deleted, neither move landed yet: the undo offer is the
    // second's, and the first's file is still in the folder.
    let _ = workspace.update(Message::Delete);
    let _ = workspace.update(Message::Delete);
    let fresh = workspace.selected().unwrap();
    assert!(fresh.is_blank_draft());
    assert_ne!(fresh.id, first, "a late read of the first would fill it");
}

#[test]
fn keys_typed_while_nothing_has_focus_go_into_the_open_note_at_its_cursor() {
    let dir = tempfile::tempdir().unwrap();
    let mut workspace = workspace(dir.path());
    type_text(&mut workspace, "world");
    editor_action(
        &mut workspace,
        text_editor::Action::Move(text_editor::Motion::DocumentStart),
    );
    let _ = workspace.update(Message::TypeIntoNote("Hi ".into()));
    assert_eq!(workspace.editor().text(), "Hi world");
    assert!(
        workspace.selected().unwrap().is_dirty(),
        "saved like typing"
    );
    ctrl_z(&mut workspace);
    assert_eq!(workspace.editor().text(), "world", "and undone like typing");
}
