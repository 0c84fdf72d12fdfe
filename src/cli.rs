//! The command line: `braindump` opens the app; `--help`, `--version`;
//! `braindump new [TEXT]` saves a note without opening a window (from
//! standard input when TEXT is `-`, or absent and input is piped), so a
//! thought can get in from a terminal, a script or a desktop shortcut;
//! `braindump PATH` opens a note (or offers to import a file from
//! elsewhere), in the running BrainDump if there is one.
//! Parsed with `lexopt` (small, no macros, strict about unknown options).

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use crate::notes::{self, NoteId, SaveOutcome};
use crate::paths::Paths;

/// What the command line asks for.
#[derive(Debug, PartialEq)]
pub enum Command {
    /// Open the app.
    Run,
    Help,
    Version,
    /// Save a note: its text, or `None` to read standard input.
    New(Option<String>),
    /// Open the app at this file (as given: made absolute by `main`).
    Open(PathBuf),
    /// Open the app with a fresh note (the launcher's "New note").
    NewNote,
    /// `--capture`: the quick-capture window (for a desktop shortcut).
    Capture,
}

pub const HELP: &str = "\
BrainDump: get thoughts out of your head; let Claude make sense of them.

Usage:
  braindump              open the app
  braindump PATH         open the note PATH (a file from elsewhere is offered for import)
  braindump --new-note   open the app with a fresh note
  braindump --capture    open the quick-capture window (bind it to a key in
                         your desktop's keyboard settings where BrainDump's
                         own shortcut, Ctrl+Alt+Space, cannot work)
  braindump new TEXT     save TEXT as a new note and print its path
  braindump new [-]      the same, with the text read from standard input
  braindump --help       this help
  braindump --version    the version

Notes are Markdown files in the notes folder chosen in Settings
(BRAINDUMP_NOTES_DIR overrides it); a running BrainDump lists a new note at once.
";

pub fn version() -> String {
    format!("braindump {}", env!("CARGO_PKG_VERSION"))
}

/// Reads the command line (without the program name).
pub fn parse(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<Command, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let hint = "(see braindump --help)";
    let Some(first) = parser.next().map_err(|error| format!("{error} {hint}"))? else {
        return Ok(Command::Run);
    };
    let command = match first {
        Short('h') | Long("help") => Command::Help,
        Short('V') | Long("version") => Command::Version,
        Long("new-note") => Command::NewNote,
        Long("capture") => Command::Capture,
        Value(word) if word == "new" => {
            let mut words = Vec::new();
            while let Some(arg) = parser.next().map_err(|error| format!("{error} {hint}"))? {
                match arg {
                    Value(word) => words.push(
                        word.into_string()
                            .map_err(|_| "the note's text is not valid UTF-8".to_owned())?,
                    ),
                    Short('h') | Long("help") => return Ok(Command::Help),
                    other => return Err(format!("{} {hint}", other.unexpected())),
                }
            }
            match words.as_slice() {
                [] => Command::New(None),
                [dash] if dash == "-" => Command::New(None),
                _ => Command::New(Some(words.join(" "))),
            }
        }
        Value(word) if looks_like_a_file(&word) => Command::Open(PathBuf::from(word)),
        Value(word) => {
            return Err(format!(
                "unknown command {:?}: to open a file of that name, write ./{} {hint}",
                word.to_string_lossy(),
                word.to_string_lossy()
            ));
        }
        other => return Err(format!("{} {hint}", other.unexpected())),
    };
    // Nothing may follow --help, --version or a file: one note at a time
    // (the launcher entry passes one file per launch).
    if let Some(extra) = parser.next().map_err(|error| format!("{error} {hint}"))? {
        return Err(format!("{} {hint}", extra.unexpected()));
    }
    Ok(command)
}

/// A word that names a file rather than a mistyped command: a path with a
/// folder in it, a note's extension, or a file that is there.
fn looks_like_a_file(word: &std::ffi::OsStr) -> bool {
    let path = std::path::Path::new(word);
    path.components().count() > 1
        || path.is_absolute()
        || crate::notes::store::is_note_name(&word.to_string_lossy())
        || path.exists()
}

/// `braindump new`: the text given, or standard input when it is piped.
pub fn new_note(paths: &Paths, text: Option<String>) -> Result<PathBuf, String> {
    let text = match text {
        Some(text) => text,
        None if std::io::stdin().is_terminal() => {
            return Err(
                "nothing to save: give the text (braindump new \"…\") or pipe it in (… | braindump new)"
                    .to_owned(),
            );
        }
        None => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|error| format!("standard input could not be read: {error}"))?;
            text
        }
    };
    if text.trim().is_empty() {
        return Err("nothing to save: the text is empty".to_owned());
    }
    let settings = crate::settings::load_blocking(&paths.settings_file()).settings;
    let dir = paths.notes_dir(settings.notes_dir.as_ref());
    save_new(&dir, &text)
}

/// Saves `text` as a new note in `dir` under a name nobody holds, and
/// says where (`braindump new`, quick capture).
pub fn save_new(dir: &std::path::Path, text: &str) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|error| {
        format!(
            "the notes folder {} could not be made: {error}",
            dir.display()
        )
    })?;
    let zone = crate::time::read_system_zone();
    // A name nobody holds; if another program takes it first, the next.
    for _ in 0..100 {
        let id = NoteId::fresh(crate::time::now_in(&zone), |name| {
            std::fs::symlink_metadata(dir.join(name)).is_ok()
        });
        match notes::store::save(dir, &id, text, None) {
            Ok(SaveOutcome::Saved { .. }) => return Ok(dir.join(id.as_str())),
            Ok(SaveOutcome::Conflict { .. }) => continue,
            Err(error) => return Err(format!("the note could not be saved: {error}")),
        }
    }
    Err("no free name for the note".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(std::ffi::OsString::from))
    }

    #[test]
    fn commands_and_options() {
        assert_eq!(parsed(&[]), Ok(Command::Run));
        assert_eq!(parsed(&["--help"]), Ok(Command::Help));
        assert_eq!(parsed(&["-h"]), Ok(Command::Help));
        assert_eq!(parsed(&["--version"]), Ok(Command::Version));
        assert_eq!(parsed(&["-V"]), Ok(Command::Version));
        assert_eq!(parsed(&["--new-note"]), Ok(Command::NewNote));
        assert_eq!(parsed(&["--capture"]), Ok(Command::Capture));
        assert_eq!(parsed(&["new"]), Ok(Command::New(None)));
        assert_eq!(parsed(&["new", "-"]), Ok(Command::New(None)));
        assert_eq!(
            parsed(&["new", "buy", "milk"]),
            Ok(Command::New(Some("buy milk".into())))
        );
        assert_eq!(
            parsed(&["new", "--", "--not an option"]),
            Ok(Command::New(Some("--not an option".into())))
        );
        assert_eq!(
            parsed(&["ideas.md"]),
            Ok(Command::Open(PathBuf::from("ideas.md")))
        );
        assert_eq!(
            parsed(&["/home/me/notes/todo"]),
            Ok(Command::Open(PathBuf::from("/home/me/notes/todo")))
        );
        assert_eq!(
            parsed(&["./new"]),
            Ok(Command::Open(PathBuf::from("./new")))
        );
        for wrong in [
            &["--frobnicate"][..],
            &["open"],
            &["--help", "extra"],
            &["new", "--color"],
            &["notes/a.md", "notes/b.md"],
        ] {
            let error = parsed(wrong).unwrap_err();
            assert!(error.contains("braindump --help"), "{wrong:?}: {error}");
        }
    }
}
