//! The workspace at the Message level: build it, send messages, run the
//! tasks' real disk work by hand, assert on state. No window.

use std::time::{Duration, Instant};

use super::*;
use crate::notes::store;

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
        );
        let _ = workspace.update(Message::Indexed(found));
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
fn search_filters_and_navigation_moves_through_matches() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Groceries\nmilk").unwrap();
    std::fs::write(dir.path().join("b.md"), "Plumber\ncall about the sink").unwrap();
    std::fs::write(dir.path().join("c.md"), "Sink ideas").unwrap();
    let mut workspace = workspace(dir.path());
    assert_eq!(
        workspace.visible().count(),
        4,
        "three notes and the fresh one"
    );

    search(&mut workspace, "sink");
    let titles: Vec<_> = workspace.visible().map(|note| &*note.title).collect();
    assert_eq!(titles, ["Sink ideas", "Plumber"]);
    assert_eq!(
        &*workspace.selected().unwrap().title,
        "Sink ideas",
        "the best match opens"
    );

    let _ = workspace.update(Message::Navigate(1));
    assert_eq!(&*workspace.selected().unwrap().title, "Plumber");
    let _ = workspace.update(Message::Navigate(1));
    assert_eq!(
        &*workspace.selected().unwrap().title,
        "Plumber",
        "stops at the end"
    );
    let _ = workspace.update(Message::Navigate(-5));
    assert_eq!(&*workspace.selected().unwrap().title, "Sink ideas");

    let _ = workspace.update(Message::SearchChanged(String::new()));
    assert_eq!(
        workspace.visible().count(),
        3,
        "the untouched fresh note went away"
    );
}

fn listed(workspace: &Workspace) -> Vec<&str> {
    workspace.visible().map(|note| &*note.title).collect()
}

#[test]
fn the_first_search_reads_the_words_and_bodies_match_once_they_are_in() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Plumber\ncall about the sink").unwrap();
    std::fs::write(dir.path().join("b.md"), "Sink ideas").unwrap();
    let mut workspace = workspace(dir.path());
    assert!(
        workspace
            .notes()
            .iter()
            .filter_map(Note::as_text)
            .all(|note| note.words.is_none()),
        "listed without their words"
    );
    assert_eq!(workspace.indexing(), notes::Indexing::Later);

    let _ = workspace.update(Message::SearchChanged("sink".into()));
    assert!(workspace.is_finding_words());
    assert_eq!(listed(&workspace), ["Sink ideas"], "titles match at once");
    let _ = workspace.update(Message::SearchChanged("sink i".into()));
    assert_eq!(listed(&workspace), ["Sink ideas"]);

    find_words(&mut workspace);
    assert!(!workspace.is_finding_words());
    let _ = workspace.update(Message::SearchChanged("sink".into()));
    assert_eq!(listed(&workspace), ["Sink ideas", "Plumber"]);
    assert_eq!(
        workspace.indexing(),
        notes::Indexing::Now,
        "the folder is listed with words from now on"
    );
}

#[test]
fn words_that_land_rank_the_list_again() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Plumber\ncall about the sink").unwrap();
    let mut workspace = workspace(dir.path());
    let _ = workspace.update(Message::SearchChanged("sink".into()));
    assert!(listed(&workspace).is_empty(), "no title matches");
    find_words(&mut workspace);
    assert_eq!(listed(&workspace), ["Plumber"], "without another keystroke");
    assert_eq!(
        &*workspace.selected().unwrap().title,
        "Plumber",
        "and it opens"
    );
}

#[test]
fn ctrl_f_starts_reading_the_words() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Plumber\ncall about the sink").unwrap();
    let mut workspace = workspace(dir.path());
    let _ = workspace.update(Message::FocusSearch);
    assert!(workspace.is_finding_words());
    find_words(&mut workspace);
    assert!(workspace.lacking_words().is_empty());
    let _ = workspace.update(Message::FocusSearch);
    assert!(!workspace.is_finding_words(), "once is enough");
}

#[test]
fn a_note_changed_since_it_was_listed_is_searched_in_its_new_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Plumber\ncall about the sink").unwrap();
    let mut workspace = workspace(dir.path());
    let _ = workspace.update(Message::SearchChanged("sink".into()));
    std::fs::write(dir.path().join("a.md"), "Plumber\ncall about the roof").unwrap();
    find_words(&mut workspace);
    assert!(listed(&workspace).is_empty(), "not the words it had");

    // The watcher reports the change; the note is read with its words.
    let files = reread(&workspace, &[NoteId::new("a.md")]);
    let _ = workspace.update(Message::Reloaded(files));
    search(&mut workspace, "roof");
    assert_eq!(listed(&workspace), ["Plumber"]);
}

#[test]
fn a_rescan_keeps_the_words_it_does_not_bring() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Plumber\ncall about the sink").unwrap();
    let mut workspace = workspace(dir.path());
    // A rescan started before the first search lists no words...
    let listing = notes::read_listing(
        dir.path(),
        workspace.vocabulary.clone(),
        notes::Indexing::Later,
    );
    search(&mut workspace, "sink");
    assert_eq!(listed(&workspace), ["Plumber"]);
    // ...and landing after it, takes none away.
    let _ = workspace.update(Message::Rescanned(listing));
    assert_eq!(listed(&workspace), ["Plumber"]);
    // A note it found changed lacks words again; the next keystroke reads them.
    std::fs::write(dir.path().join("a.md"), "Plumber\nthe sink and the tap").unwrap();
    let listing = notes::read_listing(
        dir.path(),
        workspace.vocabulary.clone(),
        notes::Indexing::Later,
    );
    let _ = workspace.update(Message::Rescanned(listing));
    search(&mut workspace, "sink tap");
    assert_eq!(listed(&workspace), ["Plumber"]);
}

#[test]
fn typing_a_query_on_lists_what_searching_it_afresh_lists() {
    let dir = tempfile::tempdir().unwrap();
    let notes = [
        ("a.md", "Garden plan\nbeans and tomatoes"),
        ("b.md", "Plumber\nthe garden tap drips"),
        ("c.md", "Gardening books\nborrow from Ann"),
        ("d.md", "Tax form\ndue Friday"),
        ("e.md", "Groceries\nbeans, rice, gardenia for Ann"),
    ];
    for (name, text) in notes {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let mut typed = workspace(dir.path());
    let query = "garden ann";
    for end in 1..=query.len() {
        search(&mut typed, &query[..end]);
        let mut fresh = workspace(dir.path());
        search(&mut fresh, &query[..end]);
        assert_eq!(listed(&typed), listed(&fresh), "after {:?}", &query[..end]);
    }
    assert_eq!(
        listed(&typed),
        ["Gardening books", "Garden plan", "Groceries"],
        "titles first (\"ann\" fuzzily in \"Garden plan\"), then bodies"
    );

    // Deleting widens the search again.
    search(&mut typed, "garden");
    assert_eq!(listed(&typed).len(), 4);
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
    let _ = workspace.update(Message::Restored(restored));
    assert_eq!(workspace.selected().unwrap().text(), Some("!Keep me"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "!Keep me"
    );
    assert!(!workspace.is_dirty(), "what came back is what is on disk");
}

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
fn only_the_rows_in_view_are_built() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..300 {
        std::fs::write(dir.path().join(format!("{i:03}.md")), format!("Note {i}")).unwrap();
    }
    let mut workspace = workspace(dir.path());
    assert_eq!(workspace.visible.len(), 301);

    // Not told the window's height yet: a generous guess, not everything.
    let (first, last) = workspace.rows_in_view();
    assert_eq!(first, 0);
    assert!(last < 301 && last * ROW_HEIGHT as usize >= 2000);

    // A window 10 rows tall, never scrolled: those rows and a few more.
    workspace.set_window_height(10.0 * ROW_HEIGHT + LIST_CHROME);
    assert_eq!(workspace.rows_in_view(), (0, 16));
    // Scrolled: the list's own height and offset.
    workspace.list_viewport = (100.0 * ROW_HEIGHT, 8.0 * ROW_HEIGHT);
    assert_eq!(workspace.rows_in_view(), (94, 114));
    workspace.list_viewport = (295.0 * ROW_HEIGHT, 8.0 * ROW_HEIGHT);
    assert_eq!(workspace.rows_in_view(), (289, 301));
}

#[test]
fn moving_down_the_list_before_it_is_scrolled_keeps_the_open_note_in_view() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..30 {
        std::fs::write(dir.path().join(format!("{i:02}.md")), format!("Note {i}")).unwrap();
    }
    let mut workspace = workspace(dir.path());
    workspace.set_window_height(10.0 * ROW_HEIGHT + LIST_CHROME);
    // (The first step leaves the fresh blank note, which goes away.)
    for _ in 0..10 {
        let _ = workspace.update(Message::Navigate(1));
    }
    assert_eq!(workspace.scroll_target(), None, "row 10 is still in view");
    let _ = workspace.update(Message::Navigate(1));
    assert_eq!(workspace.scroll_target(), Some(ROW_HEIGHT), "row 11 is not");
}

#[test]
fn a_listed_note_is_small() {
    // Thousands are listed: what only an open, edited or saving note needs
    // is boxed (see `TextNote::session`). And no bigger than the entry it
    // is made from, so that the listing's allocation is reused for it.
    let (note, entry) = (std::mem::size_of::<Note>(), std::mem::size_of::<Entry>());
    assert!(note <= 96, "{note} bytes");
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
fn typing_before_the_open_note_is_read_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Precious words").unwrap();
    let mut workspace = workspace(dir.path());
    let _ = workspace.update(Message::Select(NoteId::new("a.md")));
    assert!(workspace.is_reading());
    assert_eq!(workspace.editor().text(), "");

    type_text(&mut workspace, "oops");
    assert!(!workspace.is_dirty(), "no draft from an empty editor");
    autosave(&mut workspace, later());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "Precious words"
    );

    read_selected(&mut workspace);
    assert!(!workspace.is_reading());
    assert_eq!(workspace.editor().text(), "Precious words");
    type_text(&mut workspace, "More ");
    autosave(&mut workspace, later());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "More Precious words"
    );
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
