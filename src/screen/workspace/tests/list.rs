//! The notes list: search, the first search's words, moving and scrolling.

use super::*;

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

#[tokio::test]
async fn pinned_notes_stay_at_the_top_and_are_kept_beside_the_notes() {
    let dir = tempfile::tempdir().unwrap();
    let old = std::time::SystemTime::now() - Duration::from_secs(3600);
    for (name, text, age) in [
        ("a.md", "Oldest", 1),
        ("b.md", "Middle", 2),
        ("c.md", "Newest", 3),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(old + Duration::from_secs(age * 60))
            .unwrap();
    }
    let mut workspace = workspace(dir.path());
    let titles = |workspace: &Workspace| -> Vec<String> {
        workspace
            .visible()
            .filter(|note| !note.is_blank_draft())
            .map(|note| note.title.to_string())
            .collect()
    };
    assert_eq!(titles(&workspace), ["Newest", "Middle", "Oldest"]);

    open(&mut workspace, "a.md");
    let Action::Run(save) = workspace.update(Message::TogglePin) else {
        panic!("the pins are saved");
    };
    let _ = save;
    assert!(workspace.is_pinned(&NoteId::new("a.md")));
    assert_eq!(
        titles(&workspace),
        ["Oldest", "Newest", "Middle"],
        "pinned first"
    );
    assert!(matches!(
        Workspace::shortcut(
            &keyboard::Key::Character("P".into()),
            keyboard::Modifiers::CTRL | keyboard::Modifiers::SHIFT
        ),
        Some(Message::TogglePin)
    ));

    // A search ranks by the words alone.
    search(&mut workspace, "middle");
    assert_eq!(titles(&workspace), ["Middle"]);
    let _ = workspace.update(Message::SearchChanged(String::new()));
    assert_eq!(titles(&workspace)[0], "Oldest");

    // Kept in .braindump/pins.json; read back when the folder opens.
    notes::pins::save(dir.path().to_path_buf(), vec![NoteId::new("b.md")])
        .await
        .unwrap();
    let mut again = super::workspace(dir.path());
    let loaded = notes::pins::load(dir.path().to_path_buf()).await;
    let _ = again.update(Message::PinsLoaded(loaded));
    assert_eq!(titles(&again), ["Middle", "Newest", "Oldest"]);
    assert!(
        std::fs::read_to_string(dir.path().join("b.md")).unwrap() == "Middle",
        "the note itself is untouched"
    );

    // Unpinned again.
    open(&mut again, "b.md");
    let _ = again.update(Message::TogglePin);
    assert_eq!(titles(&again), ["Newest", "Middle", "Oldest"]);
}

/// Typing in the open note while a search is active ranks only that note
/// again; the list must come out exactly as ranking every note would.
#[test]
fn typing_in_a_note_during_a_search_lists_it_where_a_full_ranking_would() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Plumber\ncall about the sink").unwrap();
    std::fs::write(dir.path().join("b.md"), "Sink ideas\na new sink").unwrap();
    std::fs::write(dir.path().join("c.md"), "Kitchen\nthe sink leaks").unwrap();
    std::fs::write(dir.path().join("d.md"), "Roof\ngutters").unwrap();
    let mut workspace = workspace(dir.path());
    search(&mut workspace, "sink");
    let ranked_again = |workspace: &mut Workspace| {
        let (visible, scores) = (workspace.visible.clone(), workspace.scores.clone());
        workspace.refresh_list();
        assert_eq!(
            (&visible, &scores),
            (&workspace.visible, &workspace.scores),
            "as a full ranking"
        );
        listed(workspace)
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ranked_again(&mut workspace),
        ["Sink ideas", "Plumber", "Kitchen"]
    );

    // The roof note comes to match (its body, then its title too).
    open(&mut workspace, "d.md");
    editor_action(
        &mut workspace,
        text_editor::Action::Move(text_editor::Motion::DocumentEnd),
    );
    type_text(&mut workspace, " and the sink");
    assert_eq!(
        ranked_again(&mut workspace),
        ["Sink ideas", "Plumber", "Kitchen", "Roof"]
    );
    editor_action(
        &mut workspace,
        text_editor::Action::Move(text_editor::Motion::DocumentStart),
    );
    type_text(&mut workspace, "Sink ");
    assert_eq!(
        ranked_again(&mut workspace)[..2],
        ["Sink ideas", "Sink Roof"]
    );

    // And stops matching: out of the list, still open.
    let _ = workspace.update(Message::Edit(text_editor::Action::SelectAll));
    type_text(&mut workspace, "gutters only");
    assert_eq!(
        ranked_again(&mut workspace),
        ["Sink ideas", "Plumber", "Kitchen"]
    );
    assert_eq!(&*workspace.selected().unwrap().title, "gutters only");

    // With no search, an edit leaves the order as it was.
    let _ = workspace.update(Message::SearchChanged(String::new()));
    type_text(&mut workspace, "!");
    ranked_again(&mut workspace);
}

/// A big folder comes in parts (see `notes::list_in_parts`): each part
/// joins the list in its place, a note the watcher brought in meanwhile is
/// not listed twice, and a search typed before a part came looks in it too.
#[test]
fn a_folder_listed_in_parts_joins_them_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let start = std::time::SystemTime::now() - Duration::from_secs(10_000);
    for (n, text) in ["Oldest\nthe sink", "Older\nthe tap", "New\nthe sink again"]
        .into_iter()
        .enumerate()
    {
        let path = dir.path().join(format!("{n}.md"));
        std::fs::write(&path, text).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(start + Duration::from_secs(n as u64))
            .unwrap();
    }
    let mut all = notes::read_listing(
        dir.path(),
        notes::Vocabulary::shared(),
        notes::Indexing::Later,
    )
    .unwrap();
    let rest = all.entries.split_off(1);
    let mut workspace = Workspace::new(dir.path().to_path_buf(), Ok(all)).0;
    // Under the fresh note it opens to.
    assert_eq!(listed(&workspace), ["", "New"]);
    search(&mut workspace, "sink");
    assert_eq!(listed(&workspace), ["New"]);

    // The watcher saw "Older" change while the folder was being listed.
    let files = reread(&workspace, &[NoteId::new("1.md")]);
    let _ = workspace.update(Message::Reloaded(files));
    let _ = workspace.update(Message::Listed(rest, true));
    find_words(&mut workspace);
    assert_eq!(listed(&workspace), ["New", "Oldest"]);
    let _ = workspace.update(Message::SearchChanged(String::new()));
    assert_eq!(listed(&workspace), ["New", "Older", "Oldest"]);
}

/// A workspace over `dir` as shown from its listing cache, before the
/// folder has been looked at again.
fn still_listing(dir: &std::path::Path) -> Workspace {
    let mut shown =
        notes::read_listing(dir, notes::Vocabulary::shared(), notes::Indexing::Later).unwrap();
    shown.complete = false;
    Workspace::new(dir.to_path_buf(), Ok(shown)).0
}

/// A folder shown as its cache had it, then looked at again: a note
/// changed since is shown as it is now, one gone leaves the list, and one
/// gone while it holds unsaved text stays, to be written back.
#[test]
fn a_folder_shown_from_its_cache_takes_in_what_the_check_found() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("a.md", "Alpha"), ("b.md", "Beta"), ("c.md", "Gamma")] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let mut workspace = still_listing(dir.path());
    open(&mut workspace, "a.md");
    type_text(&mut workspace, "My ");

    std::fs::write(dir.path().join("b.md"), "Beta, changed").unwrap();
    std::fs::remove_file(dir.path().join("a.md")).unwrap();
    std::fs::remove_file(dir.path().join("c.md")).unwrap();
    let changed = reread(&workspace, &[NoteId::new("b.md")])
        .into_iter()
        .filter_map(|(_, entry)| entry)
        .collect();
    let _ = workspace.update(Message::Checked(
        changed,
        vec![NoteId::new("a.md"), NoteId::new("c.md")],
    ));
    let mut titles = listed(&workspace);
    titles.sort();
    assert_eq!(titles, ["Beta, changed", "My Alpha"]);
}

/// A search typed while the folder is still being looked at reads words
/// for only some notes, and not whole: once the folder is listed whole,
/// all are asked for again to be kept for the next run, unless the words
/// cache had them all.
#[test]
fn words_are_kept_once_the_folder_is_listed_whole() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Alpha\nthe sink").unwrap();
    for read_files in [true, false] {
        let mut workspace = still_listing(dir.path());
        let _ = workspace.update(Message::SearchChanged("sink".into()));
        assert!(!workspace.words_kept, "not whole yet");
        let found = notes::index_notes(
            &workspace.dir,
            workspace.lacking_words(),
            &workspace.vocabulary,
            false,
        );
        let _ = workspace.update(Message::Indexed(found, read_files));
        assert_eq!(listed(&workspace), ["Alpha"]);
        let _ = workspace.update(Message::Checked(Vec::new(), Vec::new()));
        assert_eq!(workspace.words_kept, read_files);
    }
}
