//! The real binary's command line: help, version, wrong options, and
//! `braindump new` saving a note without a window (from its arguments and
//! from standard input).

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn braindump(args: &[&str], notes: &std::path::Path, input: Option<&str>) -> Output {
    let config = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_braindump"))
        .args(args)
        .env("BRAINDUMP_NOTES_DIR", notes)
        .env("BRAINDUMP_CONFIG_DIR", config.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = input {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_version_and_wrong_options() {
    let notes = tempfile::tempdir().unwrap();
    let help = braindump(&["--help"], notes.path(), None);
    assert!(help.status.success());
    assert!(text(&help.stdout).contains("braindump new TEXT"));

    let version = braindump(&["--version"], notes.path(), None);
    assert!(version.status.success());
    assert_eq!(
        text(&version.stdout),
        format!("braindump {}\n", env!("CARGO_PKG_VERSION"))
    );

    for wrong in [&["--frobnicate"][..], &["frobnicate"], &["--version", "x"]] {
        let output = braindump(wrong, notes.path(), None);
        assert_eq!(output.status.code(), Some(2), "{wrong:?}");
        assert!(
            text(&output.stderr).contains("see braindump --help"),
            "{wrong:?}: {}",
            text(&output.stderr)
        );
    }
    assert_eq!(std::fs::read_dir(notes.path()).unwrap().count(), 0);
}

#[test]
fn new_saves_a_note_from_its_words_or_from_standard_input() {
    let notes = tempfile::tempdir().unwrap();
    let from_words = braindump(&["new", "call", "the", "dentist"], notes.path(), None);
    assert!(from_words.status.success(), "{}", text(&from_words.stderr));
    let path = text(&from_words.stdout).trim_end().to_owned();
    assert!(path.starts_with(&*notes.path().to_string_lossy()), "{path}");
    assert!(path.ends_with(".md"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "call the dentist");

    let piped = braindump(&["new"], notes.path(), Some("Idea\nfrom a pipe\n"));
    assert!(piped.status.success(), "{}", text(&piped.stderr));
    let second = text(&piped.stdout).trim_end().to_owned();
    assert_ne!(second, path, "a name of its own, even in the same second");
    assert_eq!(
        std::fs::read_to_string(&second).unwrap(),
        "Idea\nfrom a pipe\n"
    );

    // Nothing to save: said, and nothing written.
    let empty = braindump(&["new", "-"], notes.path(), Some("  \n"));
    assert_eq!(empty.status.code(), Some(1));
    assert!(text(&empty.stderr).contains("nothing to save"));
    assert_eq!(std::fs::read_dir(notes.path()).unwrap().count(), 2);
}
