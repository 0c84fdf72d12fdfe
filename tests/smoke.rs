//! The real binary in a real X window (Xvfb), driven by xdotool, with a fresh
//! HOME: what is typed must reach the disk, in the default data folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

#[path = "support/xvfb.rs"]
mod xvfb;

use xvfb::{Guard, wait_for, xdotool};

#[path = "support/tools.rs"]
mod tools;

fn notes_in(dir: &Path) -> Vec<(PathBuf, String)> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|entry| entry.path().extension().is_some_and(|e| e == "md"))
                .map(|entry| {
                    let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                    (entry.path(), text)
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn typing_in_the_real_window_reaches_the_disk() {
    if !tools::need(&[
        ("Xvfb", "xvfb"),
        ("xdotool", "xdotool"),
        ("xprop", "x11-utils"),
    ]) {
        return;
    }
    let (display, _xvfb) = xvfb::start(140);

    let home = tempfile::tempdir().unwrap();
    let runtime = tempfile::tempdir().unwrap();

    // First run: a greeting; Esc means "just write", and the cursor is in
    // a fresh note at once.
    let (app, window) = launch(&display, home.path(), runtime.path());
    // The desktop matches the window to its launcher entry by WM_CLASS.
    let desktop = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("resources/linux/io.github.braindump.BrainDump.desktop"),
    )
    .unwrap();
    let wm_class = desktop
        .lines()
        .find_map(|line| line.strip_prefix("StartupWMClass="))
        .expect("the .desktop file names its window class");
    let xprop = Command::new("xprop")
        .env("DISPLAY", &display)
        .args(["-id", &window, "WM_CLASS"])
        .output()
        .expect("xprop runs (apt-get install x11-utils)");
    let said = String::from_utf8_lossy(&xprop.stdout);
    assert_eq!(
        said.trim(),
        format!("WM_CLASS(STRING) = \"{wm_class}\", \"{wm_class}\""),
    );
    xdotool(&display, &["key", "Escape"]);
    std::thread::sleep(Duration::from_millis(300));
    xdotool(&display, &["type", "--delay", "20", "Smoke test note"]);
    xdotool(&display, &["key", "Return"]);
    xdotool(
        &display,
        &["type", "--delay", "20", "typed in a real window"],
    );
    let notes = home.path().join(".local/share/braindump/notes");
    let expected = "Smoke test note\ntyped in a real window";
    let (path, _) = wait_for("the note on disk", Duration::from_secs(10), || {
        notes_in(&notes)
            .into_iter()
            .find(|(_, text)| text == expected)
    });
    assert_eq!(notes_in(&notes).len(), 1, "one note, no stray files");
    assert!(path.file_name().unwrap().to_string_lossy().ends_with(".md"));

    // Select all and one letter: saved, and undone on disk with Ctrl+Z;
    // redone with Ctrl+Shift+Z, undone again.
    let holds = |what: &str, text: &str| {
        wait_for(what, Duration::from_secs(10), || {
            (std::fs::read_to_string(&path).ok()? == text).then_some(())
        })
    };
    xdotool(&display, &["key", "ctrl+a"]);
    xdotool(&display, &["type", "x"]);
    holds("the one letter saved", "x");
    xdotool(&display, &["key", "ctrl+z"]);
    holds("the note back after Ctrl+Z", expected);
    xdotool(&display, &["key", "ctrl+shift+z"]);
    holds("the letter again after Ctrl+Shift+Z", "x");
    xdotool(&display, &["key", "ctrl+z"]);
    holds("the note back once more", expected);

    // A second launch on the same notes hands over to this one and exits:
    // still one window.
    let mut second = Guard(
        app_command(&display, home.path(), runtime.path())
            .spawn()
            .expect("the second launch starts"),
    );
    let status = wait_for("the second launch to exit", Duration::from_secs(10), || {
        second.0.try_wait().unwrap()
    });
    assert!(status.success(), "{status:?}");
    let windows = xdotool(&display, &["search", "--name", "^BrainDump$"]);
    assert_eq!(windows.lines().count(), 1, "one window: {windows:?}");

    // `braindump new` beside the running app, then `braindump PATH` of
    // that note: handed over, and the running window opens it.
    let new = app_command(&display, home.path(), runtime.path())
        .args(["new", "Opened by path"])
        .stdout(Stdio::piped())
        .output()
        .expect("braindump new runs");
    assert!(new.status.success(), "{new:?}");
    let opened = PathBuf::from(String::from_utf8(new.stdout).unwrap().trim());
    let mut third = Guard(
        app_command(&display, home.path(), runtime.path())
            .arg(&opened)
            .spawn()
            .expect("the launch with a path starts"),
    );
    let status = wait_for(
        "the launch with a path to exit",
        Duration::from_secs(10),
        || third.0.try_wait().unwrap(),
    );
    assert!(status.success(), "{status:?}");
    std::thread::sleep(Duration::from_millis(500));
    xdotool(&display, &["windowfocus", "--sync", &window]);
    xdotool(&display, &["type", "--delay", "20", "zq"]);
    wait_for(
        "typing in the note opened by path",
        Duration::from_secs(10),
        || {
            let text = std::fs::read_to_string(&opened).ok()?;
            (text.contains("zq") && text.contains("Opened by path")).then_some(())
        },
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        expected,
        "the note open before is left as it was"
    );
    assert_eq!(
        xdotool(&display, &["search", "--name", "^BrainDump$"])
            .lines()
            .count(),
        1
    );
    // Killed without a chance to clean up: its socket stays behind, and
    // the next launch must replace it.
    drop(app);

    // Second run: "just write" was remembered; straight to a cursor.
    let (mut app, window) = launch(&display, home.path(), runtime.path());
    xdotool(&display, &["type", "--delay", "20", "Second run"]);
    wait_for("the second note", Duration::from_secs(10), || {
        notes_in(&notes)
            .into_iter()
            .find(|(_, text)| text == "Second run")
    });
    assert_eq!(notes_in(&notes).len(), 3);

    // Moved, resized and zoomed, then quit with Ctrl+Q: the next run
    // opens the window where and as it was left.
    xdotool(&display, &["windowmove", &window, "70", "50"]);
    xdotool(&display, &["windowsize", &window, "900", "640"]);
    std::thread::sleep(Duration::from_millis(300));
    xdotool(&display, &["windowfocus", "--sync", &window]);
    xdotool(&display, &["key", "ctrl+equal"]);
    xdotool(&display, &["key", "ctrl+q"]);
    let status = wait_for("Ctrl+Q to quit", Duration::from_secs(10), || {
        app.0.try_wait().unwrap()
    });
    assert!(status.success(), "{status:?}");
    let settings =
        std::fs::read_to_string(home.path().join(".config/braindump/settings.json")).unwrap();
    assert!(settings.contains("\"zoom\": 1.1"), "{settings}");
    let (_app, window) = launch(&display, home.path(), runtime.path());
    let geometry = xdotool(&display, &["getwindowgeometry", &window]);
    assert!(
        geometry.contains("Position: 70,50") && geometry.contains("Geometry: 900x640"),
        "{geometry}\n{settings}"
    );

    // Quick capture: Ctrl+Alt+Space with the main window unfocused opens
    // the capture window; Enter saves the line as a note, and the window
    // goes.
    let root = Command::new("xwininfo")
        .env("DISPLAY", &display)
        .arg("-root")
        .output()
        .expect("xwininfo runs");
    let root = String::from_utf8_lossy(&root.stdout)
        .split_whitespace()
        .find(|word| word.starts_with("0x"))
        .expect("the root window's id")
        .to_owned();
    xdotool(&display, &["windowfocus", &root]);
    xdotool(&display, &["key", "ctrl+alt+space"]);
    let capture = wait_for("the capture window", Duration::from_secs(10), || {
        let found = xdotool(&display, &["search", "--name", "^Quick capture"]);
        found.lines().last().map(str::to_owned)
    });
    std::thread::sleep(Duration::from_millis(500));
    xdotool(&display, &["windowfocus", "--sync", &capture]);
    xdotool(&display, &["type", "--delay", "20", "Captured thought"]);
    xdotool(&display, &["key", "Return"]);
    wait_for("the captured note", Duration::from_secs(10), || {
        notes_in(&notes)
            .into_iter()
            .find(|(_, text)| text == "Captured thought")
    });
    wait_for(
        "the capture window to close",
        Duration::from_secs(10),
        || {
            xdotool(&display, &["search", "--name", "^Quick capture"])
                .trim()
                .is_empty()
                .then_some(())
        },
    );

    // `braindump --capture` (what a desktop shortcut runs where no
    // shortcut can be held) opens it in the running app; Esc keeps what
    // was typed as a note all the same.
    let status = app_command(&display, home.path(), runtime.path())
        .arg("--capture")
        .status()
        .expect("braindump --capture runs");
    assert!(status.success(), "{status:?}");
    let capture = wait_for("the capture window again", Duration::from_secs(10), || {
        let found = xdotool(&display, &["search", "--name", "^Quick capture"]);
        found.lines().last().map(str::to_owned)
    });
    std::thread::sleep(Duration::from_millis(500));
    xdotool(&display, &["windowfocus", "--sync", &capture]);
    xdotool(&display, &["type", "--delay", "20", "Half a thought"]);
    xdotool(&display, &["key", "Escape"]);
    wait_for("the draft kept", Duration::from_secs(10), || {
        notes_in(&notes)
            .into_iter()
            .find(|(_, text)| text == "Half a thought")
    });
    assert_eq!(notes_in(&notes).len(), 5);
}

/// The app, with a fresh HOME and no keychain, on `display`.
fn app_command(display: &str, home: &Path, runtime: &Path) -> Command {
    let mut app = Command::new(env!("CARGO_BIN_EXE_braindump"));
    for variable in [
        "BRAINDUMP_NOTES_DIR",
        "BRAINDUMP_CONFIG_DIR",
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "WAYLAND_DISPLAY",
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_BASE_URL",
    ] {
        app.env_remove(variable);
    }
    app.env("HOME", home)
        // No keychain: a first run, whatever keys this machine holds.
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/braindump-smoke",
        )
        .env("XDG_RUNTIME_DIR", runtime)
        .env("DISPLAY", display)
        .env("ICED_BACKEND", "tiny-skia")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    app
}

/// Starts the app with a fresh HOME and waits for its window, focused.
fn launch(display: &str, home: &Path, runtime: &Path) -> (Guard, String) {
    let app = Guard(
        app_command(display, home, runtime)
            .spawn()
            .expect("the app starts"),
    );
    let window = wait_for("the BrainDump window", Duration::from_secs(30), || {
        let found = xdotool(display, &["search", "--name", "^BrainDump$"]);
        found.lines().last().map(str::to_owned)
    });
    std::thread::sleep(Duration::from_millis(800));
    xdotool(display, &["windowfocus", "--sync", &window]);
    (app, window)
}
