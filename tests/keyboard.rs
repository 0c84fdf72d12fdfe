//! First launch to a validated key with the keyboard alone, in the real
//! binary in a real X window (Xvfb, xdotool), against the fake Anthropic
//! server and the real keychain of `make test`'s private session. No
//! pointer moves and nothing is clicked: Enter takes each step's main
//! action, Esc goes back, a key typed on "Get an API key" goes to the key
//! field, and at the end the cursor is in a note. Then Settings: Tab
//! reaches its buttons, and Remove (which asks first) removes the key; and
//! the Claude panel: Ctrl+Enter processes, Tab and Enter insert the reply.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

#[path = "support/xvfb.rs"]
mod xvfb;

#[path = "support/tools.rs"]
mod tools;

use braindump::key::keychain::{self, Backend};
use xvfb::{Guard, wait_for, xdotool};

const GOOD: &str = "sk-ant-api03-accepted-by-the-fake-server-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR-AA";

/// Presses one key and lets the app take it in.
fn press(display: &str, key: &str) {
    xdotool(display, &["key", key]);
    std::thread::sleep(Duration::from_millis(400));
}

fn notes_containing(dir: &Path, needle: &str) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|entry| {
            std::fs::read_to_string(entry.path()).is_ok_and(|text| text.contains(needle))
        })
    })
}

#[test]
fn first_launch_to_a_validated_key_with_the_keyboard_alone() {
    let keyring = std::env::var_os("BRAINDUMP_TEST_KEYRING").is_some();
    if !keyring {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run this inside scripts/test-session (make test)"
        );
        eprintln!("skipped: needs the private keyring session of scripts/test-session");
        return;
    }
    if !tools::need(&[("Xvfb", "xvfb"), ("xdotool", "xdotool")]) {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime
        .block_on(keychain::remove(Backend::Platform))
        .unwrap();
    let server = support::FakeAnthropic::start();
    server.accept_key(GOOD);
    let (display, _xvfb) = xvfb::start(460);
    let home = tempfile::tempdir().unwrap();
    let run = tempfile::tempdir().unwrap();

    let mut command = Command::new(env!("CARGO_BIN_EXE_braindump"));
    for variable in [
        "BRAINDUMP_NOTES_DIR",
        "BRAINDUMP_CONFIG_DIR",
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "WAYLAND_DISPLAY",
        "ANTHROPIC_API_KEY",
    ] {
        command.env_remove(variable);
    }
    let _app = Guard(
        command
            .env("HOME", home.path())
            .env("XDG_RUNTIME_DIR", run.path())
            .env("DISPLAY", &display)
            .env("ICED_BACKEND", "tiny-skia")
            .env("ANTHROPIC_BASE_URL", server.url())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the app starts"),
    );
    let window = wait_for("the BrainDump window", Duration::from_secs(30), || {
        let found = xdotool(&display, &["search", "--name", "^BrainDump$"]);
        found.lines().last().map(str::to_owned)
    });
    std::thread::sleep(Duration::from_millis(1500));
    xdotool(&display, &["windowfocus", "--sync", &window]);

    // Welcome: Enter sets up Claude; on "Get an API key", Esc goes back
    // and Enter comes forward again.
    press(&display, "Return");
    press(&display, "Escape");
    press(&display, "Return");
    // A key typed there goes to the key field; Enter checks it.
    xdotool(&display, &["type", "--delay", "5", GOOD]);
    std::thread::sleep(Duration::from_millis(400));
    press(&display, "Return");

    let stored = wait_for("the key in the keychain", Duration::from_secs(20), || {
        runtime
            .block_on(keychain::load(Backend::Platform))
            .ok()
            .flatten()
    });
    assert_eq!(stored.expose(), GOOD);
    let keys: Vec<_> = server
        .requests()
        .iter()
        .filter_map(|request| request.headers.get("x-api-key").cloned())
        .collect();
    assert_eq!(keys, [GOOD], "checked once, when Enter was pressed");

    // Done: the cursor is in a note.
    std::thread::sleep(Duration::from_millis(500));
    xdotool(&display, &["type", "--delay", "20", "Keyboard only"]);
    let notes = home.path().join(".local/share/braindump/notes");
    wait_for("the note on disk", Duration::from_secs(10), || {
        notes_containing(&notes, "Keyboard only").then_some(())
    });

    // The Claude panel with the keyboard: Ctrl+Enter processes the note;
    // Tab reaches "Insert into note", Enter puts the reply in the note.
    press(&display, "ctrl+Return");
    wait_for("Claude's reply", Duration::from_secs(20), || {
        server
            .requests()
            .iter()
            .any(|request| request.path.ends_with("/v1/messages"))
            .then_some(())
    });
    std::thread::sleep(Duration::from_millis(1000));
    // From the editor: the mode, Process, the model, Copy, Insert.
    for _ in 0..5 {
        press(&display, "Tab");
    }
    press(&display, "Return");
    wait_for(
        "the reply inserted into the note",
        Duration::from_secs(10),
        || notes_containing(&notes, "You wrote: Keyboard only").then_some(()),
    );

    // Settings with the keyboard: Tab reaches the buttons (the "Claude is
    // ready" notice's close button above the screen, then Back, Replace,
    // Re-check, Remove), Enter on Remove asks first, Tab and Enter confirm.
    press(&display, "ctrl+comma");
    for _ in 0..5 {
        press(&display, "Tab");
    }
    press(&display, "Return");
    assert!(
        runtime
            .block_on(keychain::load(Backend::Platform))
            .unwrap()
            .is_some(),
        "Remove asks before the key goes"
    );
    press(&display, "Tab");
    press(&display, "Return");
    wait_for("the key removed", Duration::from_secs(20), || {
        runtime
            .block_on(keychain::load(Backend::Platform))
            .ok()
            .and_then(|key| key.is_none().then_some(()))
    });

    runtime
        .block_on(keychain::remove(Backend::Platform))
        .unwrap();
}
