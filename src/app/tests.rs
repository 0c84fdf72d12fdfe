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
        settings: None,
    };
    App::boot(config).0
}

fn zone() -> jiff::tz::TimeZone {
    // Far from UTC, so a name in the wrong zone cannot pass by chance.
    jiff::tz::TimeZone::fixed(jiff::tz::offset(14))
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
fn the_workspace_knows_the_windows_height() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = boot(dir.path());
    let generation = app.generation;
    let _ = app.update(Message::WindowResized(500.0));
    let _ = app.update(Message::Zone(zone()));
    let _ = app.update(Message::NotesLoaded(
        generation,
        Ok(crate::notes::Listing::empty()),
    ));
    assert_eq!(app.workspace().unwrap().window_height(), 500.0);
    let _ = app.update(Message::WindowResized(900.0));
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
