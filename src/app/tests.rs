//! The app at the Message level: what arrives in which order at start-up.

use super::*;
use crate::paths::Paths;

fn boot(dir: &std::path::Path) -> App {
    boot_with_key(dir, Some(ApiKey::new("sk-ant-api03-test")))
}

/// Without a key in the environment, the key is read from the keychain.
fn boot_with_key(dir: &std::path::Path, env_key: Option<ApiKey>) -> App {
    let config = Config {
        paths: Paths {
            data_dir: dir.join("data"),
            config_dir: dir.join("config"),
            notes_dir_override: Some(dir.join("notes")),
        },
        base_url: Ok(BaseUrl::default()),
        env_key,
        keychain: Backend::Store(keyring_core::mock::Store::new().unwrap()),
        bench_frames: false,
        bench_search: None,
        #[cfg(unix)]
        instance: None,
        open: None,
        new_note: false,
        capture: false,
        settings: None,
    };
    App::boot(config).0
}

fn zone() -> jiff::tz::TimeZone {
    // Far from UTC, so a name in the wrong zone cannot pass by chance.
    jiff::tz::TimeZone::fixed(jiff::tz::offset(14))
}

/// An app over `dir` with its time zone and an empty listing in: the
/// workspace open on a fresh note. Returns it and its generation.
fn ready_with_an_empty_folder(dir: &std::path::Path) -> (App, u64) {
    let mut app = boot(dir);
    let generation = app.generation;
    let _ = app.update(Message::Zone(zone()));
    let _ = app.update(Message::NotesLoaded(
        generation,
        Ok(crate::notes::Listing::empty()),
    ));
    (app, generation)
}

/// A letter typed with no widget focused.
fn type_unfocused(app: &mut App, letter: &str) {
    let _ = app.update(Message::KeyIn(
        window::Id::unique(),
        keyboard::Key::Character(letter.into()),
        keyboard::Modifiers::empty(),
        Some(letter.into()),
    ));
}

#[test]
fn notes_read_before_the_time_zone_wait_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = boot(dir.path());
    let generation = app.generation;

    let _ = app.update(Message::NotesLoaded(
        generation,
        Ok(crate::notes::Listing::empty()),
    ));
    assert!(app.workspace().is_none(), "still opening: no zone yet");

    let _ = app.update(Message::Zone(zone()));
    let workspace = app.workspace().expect("opened once the zone is known");
    let expected = crate::time::now_in(&zone())
        .strftime("%Y-%m-%d %H")
        .to_string();
    let name = workspace.selected().expect("a fresh note").id.as_str();
    assert!(
        name.starts_with(&expected),
        "{name} is named in local time ({expected})"
    );
}

/// A big folder comes in parts; parts that come before the time zone
/// join the waiting listing, and the workspace then offers the folders of
/// all of them, not only of the first.
#[test]
fn parts_read_before_the_time_zone_join_the_waiting_listing() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    std::fs::create_dir_all(notes.join("Garden")).unwrap();
    std::fs::write(notes.join("a.md"), "Plan").unwrap();
    std::fs::write(notes.join("Garden/b.md"), "Beans").unwrap();
    let mut first = crate::notes::read_listing(
        &notes,
        crate::notes::Vocabulary::shared(),
        crate::notes::Indexing::Later,
    )
    .unwrap();
    let (more, top): (Vec<_>, Vec<_>) = first
        .entries
        .drain(..)
        .partition(|entry| entry.id.folder() == "Garden");
    first.entries = top;
    first.catalog = Some(crate::notes::Catalog::of_entries(&first.entries));
    first.complete = false;

    let mut app = boot(dir.path());
    let generation = app.generation;
    let _ = app.update(Message::NotesLoaded(generation, Ok(first)));
    let _ = app.update(Message::NotesListed(generation, more, true));
    let _ = app.update(Message::Zone(zone()));
    let workspace = app.workspace().expect("opened once the zone is known");
    assert_eq!(workspace.folders(), ["Garden"]);
    assert_eq!(
        workspace.notes().len(),
        2 + 1,
        "both notes and the fresh one"
    );
}

#[test]
fn notes_read_after_the_time_zone_open_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = boot(dir.path());
    let generation = app.generation;

    let _ = app.update(Message::Zone(zone()));
    let _ = app.update(Message::NotesLoaded(
        generation,
        Ok(crate::notes::Listing::empty()),
    ));
    assert!(app.workspace().is_some());
}

#[test]
fn text_typed_with_nothing_focused_reaches_the_note_but_not_under_settings() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = ready_with_an_empty_folder(dir.path());
    type_unfocused(&mut app, "a");
    assert_eq!(app.workspace().unwrap().editor().text(), "a");

    app.settings_screen = Some(settings_screen::State::default());
    type_unfocused(&mut app, "b");
    assert_eq!(app.workspace().unwrap().editor().text(), "a");
}

/// Esc in a focused field (which iced's field takes, to unfocus itself)
/// still closes the Move bar the field is in, but leaves a search alone.
#[test]
fn escape_in_a_field_closes_the_move_bar_but_keeps_a_search() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, generation) = ready_with_an_empty_folder(dir.path());
    type_unfocused(&mut app, "a");
    let _ = app.update(Message::Workspace(generation, workspace::Message::AskMove));
    assert!(
        app.workspace().unwrap().has_overlay(),
        "the Move bar is open"
    );
    let _ = app.update(Message::EscapeInField(window::Id::unique()));
    assert!(!app.workspace().unwrap().has_overlay(), "Esc closed it");

    let _ = app.update(Message::Workspace(
        generation,
        workspace::Message::SearchChanged("a".into()),
    ));
    let _ = app.update(Message::EscapeInField(window::Id::unique()));
    assert_eq!(app.workspace().unwrap().query(), "a", "the search stays");
}

#[test]
fn the_workspace_knows_the_windows_height() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = boot(dir.path());
    let generation = app.generation;
    let _ = app.update(Message::WindowResizedIn(
        window::Id::unique(),
        iced::Size::new(800.0, 500.0),
    ));
    let _ = app.update(Message::Zone(zone()));
    let _ = app.update(Message::NotesLoaded(
        generation,
        Ok(crate::notes::Listing::empty()),
    ));
    assert_eq!(app.workspace().unwrap().window_height(), 500.0);
    let _ = app.update(Message::WindowResizedIn(
        window::Id::unique(),
        iced::Size::new(800.0, 900.0),
    ));
    assert_eq!(app.workspace().unwrap().window_height(), 900.0);
}

fn boot_from_keychain(dir: &std::path::Path) -> App {
    boot_with_key(dir, None)
}

#[test]
fn a_slow_keychain_is_waited_for_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = boot_from_keychain(dir.path());
    assert!(!app.keychain_waiting);

    let _ = app.update(Message::KeychainSlow);
    assert!(app.keychain_waiting, "still no answer: say we wait");

    let _ = app.update(Message::KeyLoaded(Ok(Some(ApiKey::new("sk-ant-api03-x")))));
    assert!(!app.keychain_waiting);
    assert!(app.key.is_some(), "the key that came late is used");
    assert!(app.problem.is_none());
}

#[test]
fn a_keychain_that_answers_in_time_shows_no_wait() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = boot_from_keychain(dir.path());
    let _ = app.update(Message::KeyLoaded(Ok(None)));
    let _ = app.update(Message::KeychainSlow);
    assert!(!app.keychain_waiting);
}

#[test]
fn a_keychain_that_failed_at_start_can_be_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = boot_from_keychain(dir.path());
    let _ = app.update(Message::KeychainSlow);
    let _ = app.update(Message::KeyLoaded(Err(keychain::Error::TimedOut)));
    assert!(!app.keychain_waiting);
    assert!(app.keychain_failed);
    let problem = app.problem.as_deref().unwrap();
    assert!(problem.contains("could not be read"), "{problem}");
    assert!(problem.contains("Try again"), "{problem}");
    assert!(!problem.contains("session only"), "{problem}");

    let _ = app.update(Message::ReloadKey);
    assert!(!app.keychain_failed);
    assert!(!app.key_loaded, "reading again");
    assert!(app.problem.is_none());

    let _ = app.update(Message::KeyLoaded(Ok(Some(ApiKey::new("sk-ant-api03-x")))));
    assert!(app.key.is_some());
}

#[test]
fn an_answer_from_claude_confirms_an_unchecked_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = boot(dir.path());
    assert!(
        !app.key.as_ref().unwrap().verified,
        "a key from the environment starts unchecked"
    );
    app.used_tokens(42, 61);
    assert!(app.key.as_ref().unwrap().verified);
    assert_eq!((app.settings.tokens_in, app.settings.tokens_out), (42, 61));
    assert_eq!(
        app.settings.key_checked_at, None,
        "the environment's key is not the keychain's: Settings' date stays"
    );

    let mut app = boot_from_keychain(dir.path());
    let _ = app.update(Message::KeyLoaded(Ok(Some(ApiKey::new("sk-ant-api03-x")))));
    assert!(!app.key.as_ref().unwrap().verified);
    app.used_tokens(1, 1);
    assert!(app.key.as_ref().unwrap().verified);
    assert!(app.settings.key_checked_at.is_some());
}

#[test]
fn removing_the_key_says_when_the_keychain_is_slow() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = boot_from_keychain(dir.path());
    let _ = app.update(Message::KeyLoaded(Ok(Some(ApiKey::new("sk-ant-api03-x")))));
    app.settings_screen = Some(settings_screen::State::default());

    let _ = app.update(Message::Settings(settings_screen::Message::RemoveKey));
    assert!(app.key.is_some(), "Remove asks first");
    let _ = app.update(Message::Settings(
        settings_screen::Message::ConfirmRemoveKey,
    ));
    assert_eq!(
        app.key_message.as_deref(),
        Some("Removing the key from the keychain…")
    );
    let _ = app.update(Message::KeychainSlow);
    assert_eq!(app.key_message.as_deref(), Some(keychain::WAITING));
    assert!(!app.keychain_waiting, "the start-up banner is not for this");

    let _ = app.update(Message::KeyRemoved(Ok(())));
    assert!(app.key.is_none());
    let _ = app.update(Message::KeychainSlow);
    assert_eq!(
        app.key_message.as_deref(),
        Some("The key was removed from the keychain."),
        "a late timer changes nothing"
    );
}

/// `main` reads Settings once, before the window, to find the notes folder
/// to claim; a damaged file that read kept aside must still be told.
#[test]
fn settings_read_before_the_window_still_report_a_damaged_file() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths {
        data_dir: dir.path().join("data"),
        config_dir: dir.path().join("config"),
        notes_dir_override: Some(dir.path().join("notes")),
    };
    std::fs::create_dir_all(&paths.config_dir).unwrap();
    std::fs::write(paths.settings_file(), b"{\"notes_dir\": \"/x\", broken").unwrap();
    let loaded = crate::settings::load_blocking(&paths.settings_file());
    assert!(
        !paths.settings_file().exists(),
        "kept aside by the first read"
    );

    let config = Config {
        paths,
        base_url: Ok(BaseUrl::default()),
        env_key: None,
        keychain: Backend::Store(keyring_core::mock::Store::new().unwrap()),
        bench_frames: false,
        bench_search: None,
        #[cfg(unix)]
        instance: None,
        open: None,
        new_note: false,
        capture: false,
        settings: Some(loaded),
    };
    let (mut app, task) = App::boot(config);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut stream = iced_runtime::task::into_stream(task).expect("boot has work");
    let loaded = runtime.block_on(async {
        use futures::StreamExt;
        let wait = async {
            while let Some(action) = stream.next().await {
                if let iced_runtime::Action::Output(message @ Message::SettingsLoaded(_)) = action {
                    return Some(message);
                }
            }
            None
        };
        tokio::time::timeout(std::time::Duration::from_secs(5), wait)
            .await
            .ok()
            .flatten()
    });
    let _ = app.update(loaded.expect("boot hands over the settings it was given"));
    let problem = app.problem.clone().unwrap_or_default();
    assert!(
        problem.starts_with("Settings:") && problem.contains("/x"),
        "the damage is told, with what was recovered: {problem:?}"
    );
}

/// Runs the app's tasks as iced would (all at once, each message handed
/// to `update` as it comes), until `done` or ten seconds have passed.
fn drive(app: &mut App, task: Task<Message>, done: impl Fn(&App) -> bool) -> bool {
    use futures::StreamExt;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut running = futures::stream::SelectAll::new();
        if let Some(stream) = iced_runtime::task::into_stream(task) {
            running.push(stream);
        }
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        while !done(app) {
            let next = tokio::time::timeout_at(deadline, running.next()).await;
            match next {
                Ok(Some(iced_runtime::Action::Output(message))) => {
                    if let Some(stream) = iced_runtime::task::into_stream(app.update(message)) {
                        running.push(stream);
                    }
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => return false,
            }
        }
        true
    })
}

fn boot_opening(dir: &std::path::Path, open: PathBuf) -> (App, Task<Message>) {
    let config = Config {
        paths: Paths {
            data_dir: dir.join("data"),
            config_dir: dir.join("config"),
            notes_dir_override: Some(dir.join("notes")),
        },
        base_url: Ok(BaseUrl::default()),
        env_key: Some(ApiKey::new("sk-ant-api03-test")),
        keychain: Backend::Store(keyring_core::mock::Store::new().unwrap()),
        bench_frames: false,
        bench_search: None,
        #[cfg(unix)]
        instance: None,
        open: Some(open),
        new_note: false,
        capture: false,
        settings: None,
    };
    App::boot(config)
}

fn selected(app: &App) -> Option<String> {
    app.workspace()
        .and_then(|workspace| workspace.selected())
        .map(|note| note.id.as_str().to_owned())
}

#[test]
fn braindump_path_opens_that_note_once_the_notes_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(notes.join("plans.md"), "the plans").unwrap();
    std::fs::write(notes.join("newer.md"), "listed first").unwrap();
    let (mut app, task) = boot_opening(dir.path(), notes.join("plans.md"));
    assert!(
        drive(&mut app, task, |app| selected(app).as_deref()
            == Some("plans.md")
            && app.workspace().unwrap().editor().text() == "the plans"),
        "plans.md is open: {:?}",
        selected(&app)
    );
    assert!(app.import_offer.is_none() && app.problem.is_none());

    // Handed over later, while another note is open: that one comes up.
    let task = app.update(Message::OpenPath(notes.join("newer.md")));
    assert!(drive(&mut app, task, |app| selected(app).as_deref()
        == Some("newer.md")));

    // A file that is not there is said so, and nothing else changes.
    let task = app.update(Message::OpenPath(notes.join("gone.md")));
    assert!(drive(&mut app, task, |app| app.problem.is_some()));
    assert!(
        app.problem
            .as_deref()
            .unwrap()
            .ends_with("gone.md was not found.")
    );
    assert_eq!(selected(&app).as_deref(), Some("newer.md"));
}

#[test]
fn a_file_from_elsewhere_is_imported_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    let outside = dir.path().join("letter.md");
    std::fs::write(&outside, "dear diary").unwrap();
    let (mut app, task) = boot_opening(dir.path(), outside.clone());
    assert!(drive(&mut app, task, |app| app.import_offer.is_some()));
    assert_eq!(app.import_offer.as_deref(), Some(outside.as_path()));
    assert!(
        !notes.join("letter.md").exists(),
        "nothing copied before the word"
    );

    let _ = app.update(Message::CancelImport);
    assert!(app.import_offer.is_none());
    assert!(!notes.join("letter.md").exists());

    let task = app.update(Message::OpenPath(outside.clone()));
    assert!(drive(&mut app, task, |app| app.import_offer.is_some()));
    let task = app.update(Message::Import);
    assert!(
        drive(&mut app, task, |app| selected(app).as_deref()
            == Some("letter.md")
            && app.workspace().unwrap().editor().text() == "dear diary"),
        "the copy is open: {:?} {:?}",
        selected(&app),
        app.problem
    );
    assert_eq!(
        std::fs::read_to_string(notes.join("letter.md")).unwrap(),
        "dear diary"
    );
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "dear diary");
}

#[test]
fn ctrl_plus_minus_and_zero_zoom_the_whole_window_and_it_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = boot(dir.path());
    let _ = app.update(Message::SettingsLoaded(settings::Loaded {
        settings: Settings::default(),
        problem: None,
    }));
    let _ = app.update(Message::WindowResizedIn(
        window::Id::unique(),
        iced::Size::new(1000.0, 800.0),
    ));
    let ctrl = keyboard::Modifiers::CTRL;
    let key = |c: &str| keyboard::Key::Character(c.into());
    let _ = app.update(Message::KeyIn(window::Id::unique(), key("="), ctrl, None));
    let _ = app.update(Message::KeyIn(window::Id::unique(), key("="), ctrl, None));
    assert_eq!(app.settings.zoom, 1.25);
    assert_eq!(app.scale_factor(), 1.25);
    assert_eq!(
        app.window_size,
        iced::Size::new(800.0, 640.0),
        "the same window, in zoomed units"
    );
    let _ = app.update(Message::KeyIn(window::Id::unique(), key("-"), ctrl, None));
    assert_eq!(app.settings.zoom, 1.1);
    let _ = app.update(Message::TextScale(1.5));
    assert!(
        (app.scale_factor() - 1.65).abs() < 1e-6,
        "the desktop's text size too"
    );
    let _ = app.update(Message::KeyIn(window::Id::unique(), key("0"), ctrl, None));
    assert_eq!(app.scale_factor(), 1.5);

    // A zoom read back from a damaged or hand-edited file stays usable.
    let _ = app.update(Message::SettingsLoaded(settings::Loaded {
        settings: Settings {
            zoom: 40.0,
            ..Settings::default()
        },
        problem: None,
    }));
    assert_eq!(app.settings.zoom, 2.0);
}

#[test]
fn the_windows_size_and_place_are_kept_but_not_its_maximized_size() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = boot(dir.path());
    let _ = app.update(Message::SettingsLoaded(settings::Loaded {
        settings: Settings {
            zoom: 2.0,
            ..Settings::default()
        },
        problem: None,
    }));
    let _ = app.update(Message::WindowMaximized(
        false,
        iced::Size::new(900.0, 600.0),
    ));
    let _ = app.update(Message::WindowMovedIn(
        window::Id::unique(),
        iced::Point::new(10.0, 20.0),
    ));
    let kept = app.settings.window.unwrap();
    assert_eq!((kept.width, kept.height), (900.0, 600.0));
    assert_eq!(
        (kept.x, kept.y),
        (Some(20.0), Some(40.0)),
        "in the desktop's units"
    );
    assert!(!kept.maximized);

    let _ = app.update(Message::WindowMaximized(
        true,
        iced::Size::new(1920.0, 1080.0),
    ));
    let _ = app.update(Message::WindowMovedIn(
        window::Id::unique(),
        iced::Point::new(0.0, 0.0),
    ));
    let kept = app.settings.window.unwrap();
    assert!(kept.maximized);
    assert_eq!(
        (kept.width, kept.height, kept.x),
        (900.0, 600.0, Some(20.0)),
        "un-maximizing comes back to the size and place before"
    );

    // Closing asks where the window is (in the desktop's units already).
    let _ = app.update(Message::WindowMaximized(
        false,
        iced::Size::new(900.0, 600.0),
    ));
    let _ = app.update(Message::ClosePlaced(Some(geometry::Placed {
        position: Some(iced::Point::new(70.0, 50.0)),
        size: iced::Size::new(400.0, 300.0),
        maximized: false,
    })));
    let kept = app.settings.window.unwrap();
    assert_eq!((kept.x, kept.y), (Some(70.0), Some(50.0)));
    assert_eq!(
        (kept.width, kept.height),
        (800.0, 600.0),
        "the size asked of the window at close, in the desktop's units"
    );
}

#[test]
fn the_dividers_follow_the_pointer_within_bounds_and_the_widths_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = boot(dir.path());
    let _ = app.update(Message::SettingsLoaded(settings::Loaded {
        settings: Settings::default(),
        problem: None,
    }));
    let _ = app.update(Message::WindowResizedIn(
        window::Id::unique(),
        iced::Size::new(1200.0, 800.0),
    ));
    let half = crate::widget::DIVIDER_WIDTH / 2.0;

    let _ = app.update(Message::DragTo(300.0));
    assert_eq!(app.settings.panes.list, 280.0, "nothing is dragged yet");
    let _ = app.update(Message::StartDrag(geometry::Pane::List));
    let _ = app.update(Message::DragTo(350.0));
    assert_eq!(app.settings.panes.list, 350.0 - half);
    let _ = app.update(Message::DragTo(10.0));
    assert_eq!(
        app.settings.panes.list, 200.0,
        "not narrower than its least"
    );
    let _ = app.update(Message::DragTo(2000.0));
    assert_eq!(app.settings.panes.list, 480.0, "nor wider than its most");
    let _ = app.update(Message::DragEnded);
    assert!(app.dragging.is_none());

    let _ = app.update(Message::StartDrag(geometry::Pane::Claude));
    let _ = app.update(Message::DragTo(200.0));
    assert_eq!(
        app.settings.panes.claude,
        1200.0 - 480.0 - 240.0,
        "the editor keeps room"
    );
    let _ = app.update(Message::DragTo(800.0));
    assert_eq!(app.settings.panes.claude, 400.0 - half);
    let _ = app.update(Message::DragEnded);
}

#[test]
fn with_keep_running_closing_the_window_hides_it_and_a_launch_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = boot(dir.path());
    let _ = app.update(Message::SettingsLoaded(settings::Loaded {
        settings: Settings {
            keep_running: true,
            ..Settings::default()
        },
        problem: None,
    }));
    app.shortcut_enabled = true;
    let main = window::Id::unique();
    let _ = app.update(Message::WindowOpened(main));
    let _ = app.update(Message::CloseRequestedIn(main));
    assert!(app.hidden, "hidden, still running");
    let _ = app.update(Message::Activate);
    assert!(!app.hidden, "shown again by the next launch");

    app.settings.keep_running = false;
    let _ = app.update(Message::CloseRequestedIn(main));
    assert!(!app.hidden, "without it, closing quits as before");
}
