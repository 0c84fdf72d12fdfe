//! The app at the Message level: what arrives in which order at start-up.

use super::*;
use crate::paths::Paths;

fn boot(dir: &std::path::Path) -> App {
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

    let _ = app.update(Message::NotesLoaded(generation, Ok(Vec::new())));
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
    let _ = app.update(Message::NotesLoaded(generation, Ok(Vec::new())));
    assert!(app.workspace().is_some());
}
