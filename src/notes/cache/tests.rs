//! The listing and words caches, against real files in a temporary folder.

use super::super::{FIRST_WAIT, Indexing, Part, index_notes, list_in_parts, read_listing};
use super::*;

fn titles(dir: &Path) -> Vec<(String, String)> {
    let listing = read_listing(dir, Vocabulary::shared(), Indexing::Later).unwrap();
    let mut titles: Vec<(String, String)> = listing
        .entries
        .iter()
        .map(|entry| match &entry.content {
            Content::Text(indexed) => (entry.id.to_string(), indexed.title.to_string()),
            Content::Unreadable(reason) => (entry.id.to_string(), reason.to_string()),
        })
        .collect();
    titles.sort();
    titles
}

/// A listing cache of `dir` as the app would write it some seconds
/// from now (so that notes written by the test are not too recent to
/// keep), with each title as `title` makes it.
fn keep_listing(dir: &Path, title: impl Fn(&str) -> String) {
    let listing = read_listing(dir, Vocabulary::shared(), Indexing::Later).unwrap();
    let mut making = Making::new(SystemTime::now() + Duration::from_secs(10));
    for mut entry in listing.entries {
        let seen = Seen::of(&fs::metadata(dir.join(entry.id.as_str())).unwrap());
        if let Content::Text(indexed) = &mut entry.content {
            indexed.title = title(&indexed.title).into();
        }
        making.add(&entry, &seen);
    }
    making.write(dir).unwrap();
}

/// The parts `dir` is listed in, the first sent after `wait`.
fn parts(dir: &Path, wait: Duration) -> Vec<Part> {
    let mut parts = Vec::new();
    list_in_parts(dir, Vocabulary::shared(), Indexing::Later, wait, |part| {
        parts.push(part);
        true
    });
    parts
}

fn damaged_copies(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir.join(DATA_DIR))
        .unwrap()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".damaged"))
        .collect();
    names.sort();
    names
}

#[test]
fn a_note_is_taken_from_the_cache_only_while_its_file_is_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.md"), "Alpha\nbody").unwrap();
    fs::write(dir.path().join("b.md"), "Beta\nbody").unwrap();
    // The cache says otherwise than the files: what is listed is what
    // it says, so it was used and the files were not read.
    keep_listing(dir.path(), |title| format!("{title} (kept)"));
    assert_eq!(
        titles(dir.path()),
        [
            ("a.md".into(), "Alpha (kept)".into()),
            ("b.md".into(), "Beta (kept)".into())
        ]
    );
    // The same size, and its modification time set back: its change
    // time tells it changed, and it is read again.
    let modified = fs::metadata(dir.path().join("b.md"))
        .unwrap()
        .modified()
        .unwrap();
    fs::write(dir.path().join("b.md"), "Bet!\nbody").unwrap();
    fs::File::options()
        .write(true)
        .open(dir.path().join("b.md"))
        .unwrap()
        .set_modified(modified)
        .unwrap();
    fs::write(dir.path().join("c.md"), "Gamma").unwrap();
    assert_eq!(
        titles(dir.path()),
        [
            ("a.md".into(), "Alpha (kept)".into()),
            ("b.md".into(), "Bet!".into()),
            ("c.md".into(), "Gamma".into()),
        ]
    );
}

#[test]
fn notes_changed_just_before_the_listing_are_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.md"), "Alpha").unwrap();
    let mut making = Making::new(SystemTime::now());
    let listing = read_listing(dir.path(), Vocabulary::shared(), Indexing::Later).unwrap();
    let seen = Seen::of(&fs::metadata(dir.path().join("a.md")).unwrap());
    making.add(&listing.entries[0], &seen);
    assert!(
        making.is_empty(),
        "a file changed a moment ago may change again unseen"
    );
}

#[test]
fn a_damaged_cache_is_set_aside_and_built_again() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.md"), "Alpha").unwrap();
    keep_listing(dir.path(), |title| format!("{title} (kept)"));
    let path = listing_path(dir.path());
    let mut bytes = fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x55;
    fs::write(&path, &bytes).unwrap();
    assert_eq!(titles(dir.path()), [("a.md".into(), "Alpha".into())]);
    assert_eq!(damaged_copies(dir.path()), ["listing.damaged"]);
    // Built again, by the next listing (this one's note changed too
    // recently to be kept).
    keep_listing(dir.path(), |title| format!("{title} (kept again)"));
    assert_eq!(
        titles(dir.path()),
        [("a.md".into(), "Alpha (kept again)".into())]
    );
    // One from another version, or not a cache at all: the same.
    fs::write(&path, b"BDLIST99 whatever").unwrap();
    assert_eq!(titles(dir.path()), [("a.md".into(), "Alpha".into())]);
    fs::write(words_path(dir.path()), b"").unwrap();
    let vocabulary = Vocabulary::shared();
    let listed = vec![(NoteId::new("a.md"), Stamp::of("Alpha"))];
    assert_eq!(index_notes(dir.path(), listed, &vocabulary, true).len(), 1);
    assert_eq!(
        damaged_copies(dir.path()),
        ["listing.damaged", "words.damaged"]
    );
}

#[test]
fn words_are_taken_from_the_cache_for_the_text_they_were_found_in() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.md"), "Alpha one").unwrap();
    fs::write(dir.path().join("b.md"), "Beta two").unwrap();
    let listed = [
        (NoteId::new("a.md"), Stamp::of("Alpha one")),
        (NoteId::new("b.md"), Stamp::of("Beta two")),
    ];
    // Kept: other words than the files hold, for the texts they hold.
    let mut kept = Vocabulary::default();
    let found: Vec<(NoteId, Stamp, Words)> = listed
        .iter()
        .map(|(id, stamp)| (id.clone(), *stamp, kept.words(&format!("kept {id}"))))
        .collect();
    write_words(dir.path(), &kept, &found).unwrap();

    // b.md changed since: its words are read from the file.
    fs::write(dir.path().join("b.md"), "Beta three").unwrap();
    let now = vec![
        listed[0].clone(),
        (NoteId::new("b.md"), Stamp::of("Beta three")),
    ];
    let vocabulary = Vocabulary::shared();
    Vocabulary::lock(&vocabulary).words("something else first");
    let mut found = index_notes(dir.path(), now, &vocabulary, true);
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let vocabulary = Vocabulary::lock(&vocabulary);
    let spelled: Vec<Vec<&str>> = found
        .iter()
        .map(|(_, _, words)| {
            let mut spelled: Vec<&str> = words.ids().map(|id| vocabulary.word(id)).collect();
            spelled.sort_unstable();
            spelled
        })
        .collect();
    assert_eq!(spelled, [vec!["a.md", "kept"], vec!["beta", "three"]]);

    // Written again, whole, with what was found: read back the same.
    let again = index_notes(
        dir.path(),
        found
            .iter()
            .map(|(id, stamp, _)| (id.clone(), *stamp))
            .collect(),
        &Vocabulary::shared(),
        true,
    );
    assert_eq!(again.len(), 2);
}

#[test]
fn damaged_words_in_a_whole_file_are_not_used() {
    assert!(Words::from_bytes(vec![0x80]).checked_ids().is_none());
    assert!(Words::from_bytes(vec![0xff; 6]).checked_ids().is_none());
    assert!(Words::from_bytes(vec![3, 0]).checked_ids().is_none());
    assert_eq!(
        Words::from_bytes(vec![3, 0x81, 0x01]).checked_ids(),
        Some(vec![3, 132])
    );
}

#[test]
fn a_big_folder_is_listed_newest_first_in_parts() {
    let dir = tempfile::tempdir().unwrap();
    let start = SystemTime::now() - Duration::from_secs(100_000);
    for n in 0..250u64 {
        let path = dir.path().join(format!("{n:03}.md"));
        fs::write(&path, format!("Note {n}")).unwrap();
        let file = fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(start + Duration::from_secs(n)).unwrap();
    }
    // Sent as soon as a window's worth is read (not after the wait the
    // app gives a folder to be read whole).
    let parts = parts(dir.path(), Duration::ZERO);
    let mut names = Vec::new();
    for (position, part) in parts.into_iter().enumerate() {
        let entries = match part {
            Part::First(listing) if position == 0 => listing.unwrap().entries,
            Part::More(entries, _) if position > 0 => entries,
            _ => panic!("the first part first, and only once"),
        };
        if position == 0 {
            assert_eq!(entries.len(), 100, "a window's worth first");
        }
        names.extend(entries.into_iter().map(|entry| entry.id.to_string()));
    }
    let newest_first: Vec<String> = (0..250).rev().map(|n| format!("{n:03}.md")).collect();
    assert_eq!(names, newest_first);
    // Each note changed a moment ago, so none is kept yet.
    assert!(Kept::load(dir.path()).is_none());
}

#[test]
fn a_folder_listed_before_is_shown_as_kept_then_checked() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("a.md", "Alpha"), ("b.md", "Beta"), ("c.md", "Gamma")] {
        fs::write(dir.path().join(name), text).unwrap();
    }
    keep_listing(dir.path(), |title| format!("{title} (kept)"));
    fs::write(dir.path().join("b.md"), "Beta, changed").unwrap();
    fs::remove_file(dir.path().join("c.md")).unwrap();
    fs::write(dir.path().join("d.md"), "Delta").unwrap();

    let parts = parts(dir.path(), FIRST_WAIT);
    let [Part::First(Ok(shown)), Part::Checked(changed, gone)] = &parts[..] else {
        panic!("shown as kept, then checked: {parts:?}");
    };
    assert!(!shown.complete);
    let mut titles: Vec<String> = shown
        .entries
        .iter()
        .map(|entry| match &entry.content {
            Content::Text(indexed) => indexed.title.to_string(),
            Content::Unreadable(reason) => reason.to_string(),
        })
        .collect();
    titles.sort();
    assert_eq!(titles, ["Alpha (kept)", "Beta (kept)", "Gamma (kept)"]);
    let mut names: Vec<&str> = changed.iter().map(|entry| entry.id.as_str()).collect();
    names.sort();
    assert_eq!(names, ["b.md", "d.md"]);
    assert_eq!(gone, &[NoteId::new("c.md")]);

    // What the app ends with is what a listing without a cache finds.
    let mut listing = shown.clone();
    listing.checked(changed.clone(), gone.clone());
    assert!(listing.complete);
    let mut ids: Vec<&str> = listing
        .entries
        .iter()
        .map(|entry| entry.id.as_str())
        .collect();
    ids.sort();
    assert_eq!(ids, ["a.md", "b.md", "d.md"]);
}

#[test]
fn an_empty_folder_is_listed_in_one_part() {
    let dir = tempfile::tempdir().unwrap();
    let parts = parts(dir.path(), FIRST_WAIT);
    assert!(
        matches!(&parts[..], [Part::First(Ok(listing))] if listing.entries.is_empty()),
        "{parts:?}"
    );
}
