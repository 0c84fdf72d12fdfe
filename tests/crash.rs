//! Kill a process that is autosaving, over and over, at random moments; every
//! note file must afterwards hold one whole version: never partial, never
//! empty.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use braindump::notes::{Body, NoteId, Stamp, store};
use rand::RngExt;

const DIR_ENV: &str = "BRAINDUMP_CRASH_TEST_DIR";
const NOTES: [&str; 3] = ["small.md", "medium.md", "large.md"];
const KILLS: usize = 120;

/// One version of a note: a header, a body whose length varies, and a
/// trailer that lets a reader tell whether the file is whole.
fn version(note: usize, n: u64) -> String {
    let length = [40, 4_000, 120_000][note] + (n as usize * 7919) % 1_000;
    let body: String = std::iter::repeat_n(char::from(b'a' + (n % 26) as u8), length).collect();
    format!("version {n}\n{body}\nend {n} {length}\n")
}

/// Which version a file holds, if it is whole.
fn parse(text: &str) -> Option<u64> {
    let n: u64 = text
        .lines()
        .next()?
        .strip_prefix("version ")?
        .parse()
        .ok()?;
    (0..NOTES.len())
        .any(|note| version(note, n) == text)
        .then_some(n)
}

/// The child: saves the three notes in a loop, as autosave does, until it is
/// killed.
#[test]
#[ignore = "run by `killed_while_autosaving_never_leaves_a_partial_file`"]
fn autosave_loop_child() {
    let Some(dir) = std::env::var_os(DIR_ENV) else {
        return;
    };
    let dir = Path::new(&dir);
    let texts: Vec<Option<String>> = NOTES
        .iter()
        .map(
            |name| match store::read_note(dir, &NoteId::new(*name)).map(|file| file.body) {
                Some(Body::Text(text)) => Some(text),
                _ => None,
            },
        )
        .collect();
    let mut n = texts
        .iter()
        .flatten()
        .filter_map(|text| parse(text))
        .max()
        .unwrap_or(0);
    let mut bases: Vec<Option<Stamp>> = texts
        .iter()
        .map(|text| text.as_deref().map(Stamp::of))
        .collect();
    let mut announced = false;
    loop {
        n += 1;
        for (note, name) in NOTES.iter().enumerate() {
            let text = version(note, n);
            store::save(dir, &NoteId::new(*name), &text, bases[note]).expect("saved");
            bases[note] = Some(Stamp::of(&text));
        }
        if !announced {
            println!("ready");
            announced = true;
        }
    }
}

#[test]
fn killed_while_autosaving_never_leaves_a_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand::rng();
    let mut versions_seen = std::collections::BTreeSet::new();

    for round in 0..KILLS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "autosave_loop_child",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DIR_ENV, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("child starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        loop {
            line.clear();
            if stdout.read_line(&mut line).unwrap() == 0 || line.trim_end().ends_with("ready") {
                break;
            }
        }
        assert!(
            line.trim_end().ends_with("ready"),
            "round {round}: the child did not start saving"
        );
        std::thread::sleep(Duration::from_micros(rng.random_range(0..30_000)));
        child.kill().unwrap(); // SIGKILL
        let _ = child.wait();

        for name in NOTES {
            let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
            assert!(!text.is_empty(), "round {round}: {name} is empty");
            let n = parse(&text).unwrap_or_else(|| {
                panic!("round {round}: {name} is partial ({} bytes)", text.len())
            });
            versions_seen.insert(n);
        }
        let stray: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| !NOTES.contains(&name.as_str()) && store::is_note_name(name))
            .collect();
        assert!(stray.is_empty(), "round {round}: stray files {stray:?}");
    }
    assert!(
        versions_seen.len() > KILLS / 2,
        "the child made progress between kills"
    );
}
