//! The workspace driven through its real view with iced_test's headless
//! Simulator: clicks and keystrokes in, messages out, fed back to `update`.
//! Disk work that a `Task` would do is done here with the same store calls.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use braindump::notes::{self, NoteId, store};
use braindump::screen::workspace::{Claude, EDITOR_ID, Message, SEARCH_ID, Workspace};
use braindump::theme;
use iced::{Settings, Theme};
use iced_test::selector::id;
use iced_test::{Error, Simulator};

fn simulator(workspace: &Workspace) -> Simulator<'_, Message> {
    let settings = Settings {
        fonts: theme::fonts(),
        default_font: theme::FONT,
        ..Settings::default()
    };
    Simulator::with_size(settings, (1000.0, 640.0), workspace.view(Claude::NotSetUp))
}

fn open(dir: &Path) -> Workspace {
    let listing = notes::read_listing(dir, notes::Vocabulary::shared(), notes::Indexing::Later);
    Workspace::new(dir.to_path_buf(), listing).0
}

/// Opens a note, and feeds back the read of its file that `Select` starts.
fn select(workspace: &mut Workspace, name: &str) {
    let id = NoteId::new(name);
    let _ = workspace.update(Message::Select(id.clone()));
    let files = notes::reread(workspace.dir(), vec![id], workspace.vocabulary());
    let _ = workspace.update(Message::Reloaded(files));
}

/// The `n`th (from 0) text that `0` selects, in the widget tree's order.
struct Nth(&'static str, usize);

impl iced_test::Selector for Nth {
    type Output = iced_test::selector::Text;

    fn select(&mut self, candidate: iced_test::selector::Candidate<'_>) -> Option<Self::Output> {
        let found = self.0.select(candidate)?;
        if self.1 == 0 {
            return Some(found);
        }
        self.1 -= 1;
        None
    }

    fn description(&self) -> String {
        format!("match {} of {:?}", self.1, self.0)
    }
}

fn feed(workspace: &mut Workspace, messages: impl IntoIterator<Item = Message>) {
    for message in messages {
        let _ = workspace.update(message);
    }
}

/// What autosave's task does, run inline.
fn autosave(workspace: &mut Workspace) {
    let dir = workspace.dir().clone();
    let _ = workspace.update(Message::Tick(Instant::now() + Duration::from_secs(5)));
    let pending: Vec<_> = workspace
        .notes()
        .iter()
        .filter_map(|note| {
            let text = note.as_text()?;
            Some((
                note.id.clone(),
                text.session().saving?,
                text.session().draft.clone()?,
                text.disk,
            ))
        })
        .collect();
    for (id, revision, text, base) in pending {
        let result = notes::save_indexed(&dir, &id, &text, base, workspace.vocabulary());
        let _ = workspace.update(Message::Saved {
            id,
            revision,
            text,
            result,
        });
    }
}

#[test]
fn typing_a_note_lists_it_and_saves_it() -> Result<(), Error> {
    let dir = tempfile::tempdir().unwrap();
    let mut workspace = open(dir.path());

    let mut ui = simulator(&workspace);
    let _ = ui.click(id(EDITOR_ID))?;
    let _ = ui.typewrite("Call the plumber");
    let messages: Vec<_> = ui.into_messages().collect();
    assert!(!messages.is_empty(), "typing produced edits");
    feed(&mut workspace, messages);

    let mut ui = simulator(&workspace);
    let _ = ui.find("Call the plumber")?;
    drop(ui);

    autosave(&mut workspace);
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(files.len(), 1);
    let saved = std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap();
    assert_eq!(saved, "Call the plumber");
    Ok(())
}

#[test]
fn search_filters_the_list() -> Result<(), Error> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Groceries\nmilk, eggs").unwrap();
    std::fs::write(dir.path().join("b.md"), "Plumber\ncall about the sink").unwrap();
    let mut workspace = open(dir.path());

    let mut ui = simulator(&workspace);
    assert!(ui.find("Groceries").is_ok());
    assert!(ui.find("Plumber").is_ok());
    let _ = ui.click(id(SEARCH_ID))?;
    let _ = ui.typewrite("grcrs");
    let messages: Vec<_> = ui.into_messages().collect();
    feed(&mut workspace, messages);
    assert_eq!(workspace.query(), "grcrs");

    let mut ui = simulator(&workspace);
    assert!(ui.find("Groceries").is_ok());
    assert!(ui.find("Plumber").is_err(), "filtered out");
    Ok(())
}

#[test]
fn the_first_search_says_it_is_looking_inside_the_notes() -> Result<(), Error> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Groceries\nmilk, eggs").unwrap();
    std::fs::write(dir.path().join("b.md"), "Plumber\ncall about the sink").unwrap();
    let mut workspace = open(dir.path());
    let _ = workspace.update(Message::SearchChanged("sink".into()));

    {
        let mut ui = simulator(&workspace);
        assert!(ui.find("Searching inside your notes…").is_ok());
        assert!(ui.find("Searching inside 2 notes…").is_ok());
        assert!(ui.find("No notes match.").is_err());
    }

    // What the app's task finds, fed back: the body matches.
    let found = notes::index_notes(
        workspace.dir(),
        workspace.lacking_words(),
        workspace.vocabulary(),
        true,
    );
    let _ = workspace.update(Message::Indexed(found, true));
    let mut ui = simulator(&workspace);
    assert!(ui.find("Plumber").is_ok());
    assert!(ui.find("Searching inside 2 notes…").is_err());
    Ok(())
}

#[test]
fn delete_and_undo() -> Result<(), Error> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Doomed note").unwrap();
    let mut workspace = open(dir.path());

    let mut ui = simulator(&workspace);
    let _ = ui.click("Doomed note")?;
    let messages: Vec<_> = ui.into_messages().collect();
    feed(&mut workspace, messages);
    assert_eq!(&*workspace.selected().unwrap().title, "Doomed note");

    // The trash button in the toolbar (the second trash icon: the first
    // opens the Trash view, under the list).
    let mut ui = simulator(&workspace);
    let _ = ui.click(Nth("\u{e18e}", 1))?;
    let messages: Vec<_> = ui.into_messages().collect();
    assert!(
        messages
            .iter()
            .any(|message| matches!(message, Message::Delete))
    );
    feed(&mut workspace, messages);
    let trashed = store::trash(dir.path(), &NoteId::new("a.md"), None);
    feed(
        &mut workspace,
        [Message::Trashed(NoteId::new("a.md"), trashed.clone())],
    );
    assert!(!dir.path().join("a.md").exists());

    let mut ui = simulator(&workspace);
    assert!(ui.find("Doomed note").is_err(), "gone from the list");
    let _ = ui.click("Undo  (Ctrl+Z)")?;
    let messages: Vec<_> = ui.into_messages().collect();
    assert!(
        messages
            .iter()
            .any(|message| matches!(message, Message::Undo))
    );
    feed(&mut workspace, messages);
    let trashed = trashed.unwrap();
    let restored = store::restore(dir.path(), &trashed);
    feed(
        &mut workspace,
        [Message::Restored(trashed.file_name().to_owned(), restored)],
    );

    let mut ui = simulator(&workspace);
    assert!(ui.find("Doomed note").is_ok(), "back in the list");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "Doomed note"
    );
    Ok(())
}

/// A fixed scene, compared with a committed hash of its pixels. In CI a
/// missing expected file is a failure, not a fresh baseline.
#[test]
fn the_workspace_looks_as_designed() -> Result<(), Error> {
    // The status line shows the folder's path: a fixed one, so the picture
    // is the same on every machine.
    let dir = Path::new("/tmp/braindump-ui-snapshot").to_path_buf();
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let june_2020 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_592_222_400);
    for (name, text) in [
        ("a.md", "Groceries\nmilk, eggs, coffee"),
        ("b.md", "# Weekly review\nWhat went well"),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(june_2020)
            .unwrap();
    }
    std::fs::write(dir.join("binary.md"), [0xff, 0xfe]).unwrap();
    std::fs::File::options()
        .write(true)
        .open(dir.join("binary.md"))
        .unwrap()
        .set_modified(june_2020 - Duration::from_secs(86_400 * 30))
        .unwrap();
    let mut workspace = open(&dir);
    select(&mut workspace, "a.md");

    for (theme, name) in [
        (theme::light(), "workspace-light"),
        (theme::dark(), "workspace-dark"),
    ] {
        let mut ui = simulator(&workspace);
        let snapshot = ui.snapshot(&theme)?;
        check_snapshot(&snapshot, name)?;
        let _: &Theme = &theme;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Compares a snapshot with its committed hash. A missing hash fails (the
/// Simulator would write it and pass); `BRAINDUMP_BLESS_SNAPSHOTS=1` writes
/// new ones, to be looked at and committed. On a mismatch, the picture is
/// written to the temporary folder to look at.
fn check_snapshot(snapshot: &iced_test::simulator::Snapshot, name: &str) -> Result<(), Error> {
    assert_eq!(
        std::env::var("ICED_TEST_BACKEND").as_deref(),
        Ok("tiny-skia"),
        "snapshots are of the tiny-skia renderer: run them through `make test` (or set ICED_TEST_BACKEND=tiny-skia)"
    );
    let base = format!("{}/tests/snapshots/{name}", env!("CARGO_MANIFEST_DIR"));
    let expected = Path::new(&format!("{base}-tiny-skia.sha256")).to_path_buf();
    if std::env::var_os("BRAINDUMP_BLESS_SNAPSHOTS").is_some() {
        let _ = std::fs::remove_file(&expected);
    }
    assert!(
        expected.exists() || std::env::var_os("BRAINDUMP_BLESS_SNAPSHOTS").is_some(),
        "{} is missing: run with BRAINDUMP_BLESS_SNAPSHOTS=1, look at the picture, and commit the file",
        expected.display()
    );
    let matches = snapshot.matches_hash(&base)?;
    // The picture, to look at (written because it is removed first).
    let picture = std::env::temp_dir().join(format!("braindump-{name}"));
    let _ = std::fs::remove_file(format!("{}-tiny-skia.png", picture.display()));
    let _ = snapshot.matches_image(&picture);
    assert!(
        matches,
        "{name} differs from its committed snapshot; the picture is at {}-tiny-skia.png",
        picture.display()
    );
    Ok(())
}

#[test]
fn the_list_builds_the_rows_that_fit_the_window() -> Result<(), Error> {
    let dir = tempfile::tempdir().unwrap();
    let newest = SystemTime::now();
    for i in 0..60 {
        let path = dir.path().join(format!("{i:02}.md"));
        std::fs::write(&path, format!("Row {i:02}")).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(newest - Duration::from_secs(60 * i))
            .unwrap();
    }
    let mut workspace = open(dir.path());
    workspace.set_window_height(640.0);
    let mut ui = simulator(&workspace);
    // 640 px tall: about ten rows in view, and a few more around them.
    assert!(ui.find("Row 00").is_ok());
    assert!(ui.find("Row 12").is_ok());
    assert!(
        ui.find("Row 30").is_err(),
        "a row far below the window is not built before the list is scrolled"
    );
    Ok(())
}

#[test]
fn the_history_view_lists_shows_and_restores_a_version() -> Result<(), Error> {
    use braindump::notes::history;

    let dir = Path::new("/tmp/braindump-ui-history").to_path_buf();
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.md"), "Plan\nx").unwrap();
    std::fs::File::options()
        .write(true)
        .open(dir.join("a.md"))
        .unwrap()
        .set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(1_592_222_400))
        .unwrap();
    let id = NoteId::new("a.md");
    let versions = history::folder(&dir, &id);
    std::fs::create_dir_all(&versions).unwrap();
    // Kept on 15 and 14 June 2020 (shown as dates, the same every day).
    std::fs::write(
        versions.join("1592222400000.md"),
        "Plan\nA long list of steps\nthat was deleted by mistake",
    )
    .unwrap();
    std::fs::write(versions.join("1592136000000.md"), "Plan").unwrap();
    let mut workspace = open(&dir);
    select(&mut workspace, "a.md");

    // What the toolbar's History button (or Ctrl+Shift+H) sends, and its
    // tasks bring back.
    let _ = workspace.update(Message::ToggleHistory);
    let listed = history::list(&dir, &id).map_err(|error| error.to_string());
    let newest = listed.as_ref().unwrap()[0].path.clone();
    feed(
        &mut workspace,
        [
            Message::HistoryListed(id.clone(), listed),
            Message::VersionRead(
                newest.clone(),
                Ok(std::fs::read_to_string(&newest).unwrap()),
            ),
        ],
    );

    let mut ui = simulator(&workspace);
    assert!(ui.find("15 Jun 2020").is_ok());
    assert!(ui.find("14 Jun 2020").is_ok());
    assert!(ui.find("53 bytes").is_ok());
    let snapshot = ui.snapshot(&theme::light())?;
    check_snapshot(&snapshot, "history-light")?;
    drop(ui);

    let mut ui = simulator(&workspace);
    let _ = ui.click("Restore this version")?;
    let messages: Vec<_> = ui.into_messages().collect();
    assert!(matches!(messages.as_slice(), [Message::RestoreVersion]));
    feed(&mut workspace, messages);
    assert_eq!(
        workspace.editor().text(),
        "Plan\nA long list of steps\nthat was deleted by mistake"
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The disk work of the Trash view's tasks, run inline: what `TrashListed`
/// would bring.
fn list_trash(workspace: &mut Workspace) {
    let listed = notes::trashed::list(workspace.dir()).map_err(|error| error.to_string());
    feed(workspace, [Message::TrashListed(listed)]);
}

#[test]
fn the_trash_lists_what_was_deleted_and_puts_a_note_back() -> Result<(), Error> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.md"), "Still here").unwrap();
    std::fs::write(dir.path().join("gone.md"), "Gone for now\nwith its words").unwrap();
    std::fs::write(dir.path().join("other.md"), "Another deleted one").unwrap();
    store::trash(dir.path(), &NoteId::new("gone.md"), None).unwrap();
    store::trash(dir.path(), &NoteId::new("other.md"), None).unwrap();
    let mut workspace = open(dir.path());

    // The Trash button under the list opens the view, which lists both.
    let mut ui = simulator(&workspace);
    let _ = ui.click("Trash")?;
    let messages: Vec<_> = ui.into_messages().collect();
    assert!(
        messages
            .iter()
            .any(|message| matches!(message, Message::ToggleTrash))
    );
    feed(&mut workspace, messages);
    list_trash(&mut workspace);
    let mut ui = simulator(&workspace);
    assert!(ui.find("Gone for now").is_ok());
    assert!(ui.find("Another deleted one").is_ok());
    assert!(ui.find("Still here").is_ok(), "the list of notes stays");

    // Delete forever asks first; Cancel keeps it.
    let _ = ui.click("Delete forever…")?;
    let messages: Vec<_> = ui.into_messages().collect();
    feed(&mut workspace, messages);
    let mut ui = simulator(&workspace);
    assert!(ui.find("Cancel").is_ok(), "it asks");
    let _ = ui.click("Cancel")?;
    let messages: Vec<_> = ui.into_messages().collect();
    feed(&mut workspace, messages);

    // Restore the most recently deleted (listed first): back in the
    // folder and in the list.
    let mut ui = simulator(&workspace);
    let _ = ui.click("Restore")?;
    let messages: Vec<_> = ui.into_messages().collect();
    let name = messages
        .iter()
        .find_map(|message| match message {
            Message::RestoreTrashed(name) => Some(name.clone()),
            _ => None,
        })
        .expect("Restore asks to put a note back");
    assert_eq!(
        name, "other.md",
        "the most recently deleted is listed first"
    );
    feed(&mut workspace, messages);
    let entry = notes::trashed::list(dir.path())
        .unwrap()
        .into_iter()
        .find(|entry| entry.trashed.file_name() == name)
        .unwrap();
    let restored = store::restore(dir.path(), &entry.trashed);
    assert_eq!(restored.as_ref().ok(), Some(&NoteId::new("other.md")));
    feed(&mut workspace, [Message::Restored(name, restored)]);
    let files = notes::reread(
        workspace.dir(),
        vec![NoteId::new("other.md")],
        workspace.vocabulary(),
    );
    feed(&mut workspace, [Message::Reloaded(files)]);
    list_trash(&mut workspace);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("other.md")).unwrap(),
        "Another deleted one"
    );
    let mut ui = simulator(&workspace);
    assert!(ui.find("Gone for now").is_ok(), "still in the trash");
    assert!(
        ui.find("“Another deleted one” is back in your notes.")
            .is_ok()
    );
    assert!(
        workspace
            .notes()
            .iter()
            .any(|note| note.id.as_str() == "other.md")
    );

    // Empty trash asks, then deletes the rest for good.
    let _ = ui.click("Empty trash…")?;
    let messages: Vec<_> = ui.into_messages().collect();
    feed(&mut workspace, messages);
    let mut ui = simulator(&workspace);
    let _ = ui.click("Empty trash")?;
    let messages: Vec<_> = ui.into_messages().collect();
    assert!(
        messages
            .iter()
            .any(|message| matches!(message, Message::ConfirmDeleteForever))
    );
    feed(&mut workspace, messages);
    let gone = notes::trashed::purge(dir.path(), Duration::ZERO, SystemTime::now());
    assert_eq!(gone.as_ref().ok().map(Vec::len), Some(1));
    list_trash(&mut workspace);
    let mut ui = simulator(&workspace);
    assert!(ui.find("Gone for now").is_err());
    assert!(ui.find("The trash is empty. Deleted notes wait here for 30 days before they are deleted for good.").is_ok());
    assert!(!dir.path().join(".trash").join("gone.md").exists());
    Ok(())
}

#[test]
fn notes_in_subfolders_are_listed_and_a_tag_filters_them() -> Result<(), Error> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("Work/Plans")).unwrap();
    std::fs::create_dir_all(dir.path().join(".obsidian")).unwrap();
    std::fs::write(dir.path().join("inbox.md"), "Inbox\nsort this out").unwrap();
    std::fs::write(
        dir.path().join("Work/Plans/q3.md"),
        "Quarter plan\n#work/q3",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("Work/meeting.md"),
        "---\ntags: [work, people]\n---\nMeeting notes",
    )
    .unwrap();
    std::fs::write(dir.path().join(".obsidian/hidden.md"), "Hidden settings").unwrap();
    let mut workspace = open(dir.path());

    // Every note, each row saying its folder and tags; hidden folders not.
    let mut ui = simulator(&workspace);
    assert!(ui.find("Inbox").is_ok());
    assert!(ui.find("Quarter plan").is_ok());
    assert!(
        ui.find("Meeting notes").is_ok(),
        "its title is after the front matter"
    );
    assert!(ui.find("Hidden settings").is_err());
    let rows: Vec<String> = workspace.visible().map(|note| note.tags.shown()).collect();
    assert!(rows.contains(&"#work #people".to_owned()), "{rows:?}");

    // Typing a tag into search lists only the notes with it (nested ones
    // too), and words narrow it further.
    let _ = ui.click(id(SEARCH_ID))?;
    let _ = ui.typewrite("#work ");
    let messages: Vec<_> = ui.into_messages().collect();
    feed(&mut workspace, messages);
    assert_eq!(workspace.query(), "#work ");
    let mut ui = simulator(&workspace);
    assert!(ui.find("Quarter plan").is_ok(), "#work/q3 is in #work");
    assert!(ui.find("Meeting notes").is_ok());
    assert!(ui.find("Inbox").is_err(), "untagged: filtered out");

    let _ = ui.click(id(SEARCH_ID))?;
    let _ = ui.typewrite("meet");
    let messages: Vec<_> = ui.into_messages().collect();
    feed(&mut workspace, messages);
    let files: Vec<NoteId> = workspace
        .lacking_words()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let found = notes::index_notes(
        workspace.dir(),
        workspace.lacking_words(),
        workspace.vocabulary(),
        true,
    );
    assert!(!files.is_empty());
    feed(&mut workspace, [Message::Indexed(found, true)]);
    let mut ui = simulator(&workspace);
    assert!(ui.find("Meeting notes").is_ok());
    assert!(ui.find("Quarter plan").is_err(), "the words narrow it");

    // The folder list narrows to a folder.
    drop(ui);
    feed(&mut workspace, [Message::SearchChanged(String::new())]);
    // (A pick list draws its text itself: not found as a text widget.)
    assert_eq!(workspace.folders(), ["Work", "Work/Plans"]);
    feed(&mut workspace, [Message::ViewFolder("Work/Plans".into())]);
    let mut ui = simulator(&workspace);
    assert!(ui.find("Quarter plan").is_ok());
    assert!(ui.find("Meeting notes").is_err());
    assert!(ui.find("Inbox").is_err());
    Ok(())
}

#[test]
fn the_folder_and_tag_lists_look_as_designed() -> Result<(), Error> {
    // A fixed folder and fixed times, so the picture is the same anywhere.
    let dir = Path::new("/tmp/braindump-ui-folders").to_path_buf();
    let _ = std::fs::remove_dir_all(&dir);
    let june_2020 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_592_222_400);
    for (name, text) in [
        ("inbox.md", "Inbox\nsort this out"),
        ("Work/Plans/q3.md", "Quarter plan\n#work/q3 #todo"),
        (
            "Work/meeting.md",
            "---\ntags: [work, people]\n---\nMeeting notes",
        ),
    ] {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(june_2020)
            .unwrap();
    }
    let mut workspace = open(&dir);
    select(&mut workspace, "Work/meeting.md");
    feed(&mut workspace, [Message::AskMove]);
    let mut ui = simulator(&workspace);
    assert!(ui.find("Move to").is_ok(), "the Move bar is open");
    let snapshot = ui.snapshot(&theme::light())?;
    check_snapshot(&snapshot, "workspace-folders-light")?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
