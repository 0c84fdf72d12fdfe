use std::fs;
use std::os::unix::fs::PermissionsExt;

use super::store::{self, MAX_NOTE_BYTES};
use super::*;

fn id(name: &str) -> NoteId {
    NoteId::new(name)
}

fn body(dir: &Path, name: &str) -> Body {
    store::read_note(dir, &id(name)).expect("listed").body
}

/// Root ignores file permissions, so permission tests only mean something
/// for other users.
fn running_as_root() -> bool {
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    fs::write(&probe, "x").unwrap();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).unwrap();
    fs::read(&probe).is_ok()
}

/// Permission tests run as root (as CI does) are run again as an
/// unprivileged user (`nobody`, by `setpriv`), where permissions hold:
/// returns whether the caller should run the test body (it is not root, or
/// it is that run); as root, it runs `test` as `nobody` and checks it
/// passed.
fn as_unprivileged_user(test: &str) -> bool {
    if !running_as_root() {
        return true;
    }
    let exe = std::env::current_exe().unwrap();
    let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups", "--"];
    let reachable = std::process::Command::new("setpriv")
        .args(nobody)
        .args(["test", "-x"])
        .arg(&exe)
        .status()
        .expect("setpriv (util-linux) runs the permission tests as another user")
        .success();
    // A test binary in a folder `nobody` cannot enter is copied out first.
    let copy = tempfile::tempdir().unwrap();
    let exe = if reachable {
        exe
    } else {
        fs::set_permissions(copy.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let copied = copy.path().join("tests");
        fs::copy(&exe, &copied).unwrap();
        copied
    };
    let output = std::process::Command::new("setpriv")
        .args(nobody)
        .arg(&exe)
        .args([test, "--exact", "--test-threads=1", "--nocapture"])
        .env("TMPDIR", "/tmp")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "{test} as nobody: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    false
}

#[test]
fn lists_notes_newest_first_and_skips_other_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("old.md"), "Old\nbody").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(dir.path().join("new.txt"), "New").unwrap();
    fs::write(dir.path().join(".hidden.md"), "swap").unwrap();
    fs::write(dir.path().join("picture.png"), [0u8, 1, 2]).unwrap();
    fs::write(dir.path().join("backup.md~"), "x").unwrap();

    let notes = store::load_dir(dir.path()).unwrap();
    let names: Vec<_> = notes.iter().map(|note| note.id.as_str()).collect();
    assert_eq!(names, ["new.txt", "old.md"]);
    assert_eq!(notes[1].body, Body::Text("Old\nbody".into()));
}

#[test]
fn creates_a_missing_notes_folder() {
    let dir = tempfile::tempdir().unwrap();
    let notes_dir = dir.path().join("a/b/notes");
    assert!(store::load_dir(&notes_dir).unwrap().is_empty());
    assert!(notes_dir.is_dir());
}

#[test]
fn invalid_utf8_is_listed_as_unreadable_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = [0x66, 0x6f, 0xff, 0xfe, 0x00];
    fs::write(dir.path().join("latin1.md"), bytes).unwrap();

    assert_eq!(
        body(dir.path(), "latin1.md"),
        Body::Unreadable(Unreadable::NotUtf8)
    );
    let outcome = store::save(
        dir.path(),
        &id("latin1.md"),
        "new text",
        Some(Stamp::of("")),
    )
    .unwrap();
    assert!(matches!(outcome, SaveOutcome::Conflict { .. }));
    assert_eq!(fs::read(dir.path().join("latin1.md")).unwrap(), bytes);
}

#[test]
fn permission_denied_is_unreadable() {
    if !as_unprivileged_user("notes::tests::permission_denied_is_unreadable") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.md");
    fs::write(&path, "x").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    assert_eq!(
        body(dir.path(), "secret.md"),
        Body::Unreadable(Unreadable::PermissionDenied)
    );
}

#[test]
fn huge_files_are_not_opened() {
    let dir = tempfile::tempdir().unwrap();
    let file = fs::File::create(dir.path().join("huge.md")).unwrap();
    file.set_len(MAX_NOTE_BYTES + 1).unwrap();
    assert_eq!(
        body(dir.path(), "huge.md"),
        Body::Unreadable(Unreadable::TooLarge {
            size: MAX_NOTE_BYTES + 1
        })
    );
}

#[test]
fn folders_and_pipes_named_like_notes_are_not_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("folder.md")).unwrap();
    let fifo = dir.path().join("pipe.md");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());

    assert_eq!(
        body(dir.path(), "folder.md"),
        Body::Unreadable(Unreadable::NotAFile)
    );
    // Reading a pipe would block forever; it must be recognised first.
    assert_eq!(
        body(dir.path(), "pipe.md"),
        Body::Unreadable(Unreadable::NotAFile)
    );
}

#[test]
fn symlinks_are_followed_and_loops_reported() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("real.md"), "Real").unwrap();
    std::os::unix::fs::symlink("real.md", dir.path().join("link.md")).unwrap();
    std::os::unix::fs::symlink("loop-b.md", dir.path().join("loop-a.md")).unwrap();
    std::os::unix::fs::symlink("loop-a.md", dir.path().join("loop-b.md")).unwrap();
    std::os::unix::fs::symlink("missing.md", dir.path().join("dangling.md")).unwrap();

    assert_eq!(body(dir.path(), "link.md"), Body::Text("Real".into()));
    assert_eq!(
        body(dir.path(), "loop-a.md"),
        Body::Unreadable(Unreadable::BrokenLink)
    );
    assert_eq!(
        body(dir.path(), "dangling.md"),
        Body::Unreadable(Unreadable::BrokenLink)
    );
    // The folder still loads as a whole.
    assert_eq!(store::load_dir(dir.path()).unwrap().len(), 5);
}

#[test]
fn saving_writes_the_whole_text_and_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let note = id("a.md");
    store::save(dir.path(), &note, "first", None).unwrap();
    store::save(dir.path(), &note, "second", Some(Stamp::of("first"))).unwrap();

    assert_eq!(
        fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "second"
    );
    // Beside the note, only BrainDump's own folder (the earlier version).
    let mut names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names, [super::runs::DATA_DIR, "a.md"]);
}

#[test]
fn a_file_changed_elsewhere_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let note = id("a.md");
    store::save(dir.path(), &note, "ours v1", None).unwrap();
    fs::write(dir.path().join("a.md"), "theirs").unwrap();

    let outcome = store::save(dir.path(), &note, "ours v2", Some(Stamp::of("ours v1"))).unwrap();
    match outcome {
        SaveOutcome::Conflict { disk } => assert_eq!(disk.body, Body::Text("theirs".into())),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "theirs"
    );
}

#[test]
fn a_new_note_never_replaces_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.md"), "already here").unwrap();
    let outcome = store::save(dir.path(), &id("a.md"), "new", None).unwrap();
    assert!(matches!(outcome, SaveOutcome::Conflict { .. }));
}

#[test]
fn a_read_only_folder_fails_with_a_clear_error_and_changes_nothing() {
    if !as_unprivileged_user(
        "notes::tests::a_read_only_folder_fails_with_a_clear_error_and_changes_nothing",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    store::save(dir.path(), &id("a.md"), "v1", None).unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o555)).unwrap();

    let error = store::save(dir.path(), &id("a.md"), "v2", Some(Stamp::of("v1"))).unwrap_err();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(error, SaveError::PermissionDenied);
    assert_eq!(fs::read_to_string(dir.path().join("a.md")).unwrap(), "v1");
}

#[test]
fn io_errors_map_to_what_the_user_should_do() {
    use std::io::{Error, ErrorKind};
    assert_eq!(
        SaveError::from_io(&Error::from(ErrorKind::StorageFull)),
        SaveError::DiskFull
    );
    assert_eq!(
        SaveError::from_io(&Error::from(ErrorKind::ReadOnlyFilesystem)),
        SaveError::ReadOnly
    );
    assert!(SaveError::DiskFull.to_string().contains("Free some space"));
}

#[test]
fn trash_and_restore_round_trip_even_when_the_name_was_taken() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.md"), "A").unwrap();
    let trashed = store::trash(dir.path(), &id("a.md"), None).unwrap();
    assert!(!dir.path().join("a.md").exists());
    assert_eq!(fs::read_to_string(&trashed.path).unwrap(), "A");
    assert!(
        store::load_dir(dir.path()).unwrap().is_empty(),
        "the trash is not listed"
    );

    fs::write(dir.path().join("a.md"), "someone else").unwrap();
    let restored = store::restore(dir.path(), &trashed).unwrap();
    assert_eq!(restored, id("a 2.md"));
    assert_eq!(fs::read_to_string(dir.path().join("a 2.md")).unwrap(), "A");
    assert_eq!(
        fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "someone else"
    );
}

#[test]
fn claudes_replies_go_to_the_trash_and_back_with_their_note() {
    use super::runs::{self, Edit, Exchange, Run, Status};
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.md"), "A").unwrap();
    let run = Run {
        mode: "Reflect".into(),
        model: "claude-sonnet-4-5".into(),
        started_at: 1,
        exchanges: vec![Exchange {
            question: "A".into(),
            answer: "About A".into(),
        }],
        input_tokens: 1,
        output_tokens: 2,
        cache_write_tokens: 0,
        cache_read_tokens: 0,
        stop_reason: None,
        masked: false,
        status: Status::Complete,
    };
    runs::edit_blocking(dir.path(), &id("a.md"), Edit::Append(run.clone())).unwrap();
    let trashed = store::trash(dir.path(), &id("a.md"), None).unwrap();

    // A new note under the old name starts with no replies of the old one.
    fs::write(dir.path().join("a.md"), "someone else").unwrap();
    assert_eq!(runs::load_blocking(dir.path(), &id("a.md")).0, Vec::new());

    let restored = store::restore(dir.path(), &trashed).unwrap();
    assert_eq!(restored, id("a 2.md"));
    assert_eq!(runs::load_blocking(dir.path(), &restored).0, vec![run]);
    assert_eq!(runs::load_blocking(dir.path(), &id("a.md")).0, Vec::new());
}

#[test]
fn titles_come_from_the_first_non_blank_line() {
    assert_eq!(title("\n\n# Shopping list \nmilk"), "Shopping list");
    assert_eq!(title("   "), "");
    assert_eq!(title("plain"), "plain");
    let paragraph = "Word ".repeat(500);
    assert_eq!(title(&paragraph), "Word ".repeat(20).trim_end());
    let accents = "é".repeat(300);
    assert_eq!(
        title(&accents).chars().count(),
        TITLE_CHARS,
        "cut between characters"
    );
}

#[test]
fn fresh_ids_do_not_collide() {
    let now: jiff::Zoned = "2026-11-26T22:50:12[UTC]".parse().unwrap();
    let taken = |name: &str| name == "2026-11-26 22.50.12.md";
    assert_eq!(
        NoteId::fresh(now.clone(), |_| false).as_str(),
        "2026-11-26 22.50.12.md"
    );
    assert_eq!(
        NoteId::fresh(now.clone(), taken).as_str(),
        "2026-11-26 22.50.12 2.md"
    );
    assert_eq!(
        id("plan.md").conflict_copy(now, |_| false).as_str(),
        "plan (BrainDump copy 2026-11-26 22.50).md"
    );
}

#[test]
fn trash_keeps_unsaved_text_even_for_a_note_never_saved() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.md"), "saved").unwrap();
    let trashed = store::trash(dir.path(), &id("a.md"), Some("saved, and more")).unwrap();
    assert_eq!(
        fs::read_to_string(&trashed.path).unwrap(),
        "saved, and more"
    );
    // What the file held (here, the last save; it may be another program's
    // words) is not written over: it is in the trashed note's history.
    let kept: Vec<_> = fs::read_dir(super::history::trashed_folder(dir.path(), "a.md"))
        .unwrap()
        .map(|entry| fs::read_to_string(entry.unwrap().path()).unwrap())
        .collect();
    assert_eq!(kept, ["saved"]);

    let trashed = store::trash(dir.path(), &id("new.md"), Some("only in memory")).unwrap();
    assert_eq!(fs::read_to_string(&trashed.path).unwrap(), "only in memory");
    assert!(store::trash(dir.path(), &id("nothing.md"), None).is_err());
}

#[test]
fn a_listing_without_words_and_the_words_found_later() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("a.md", "Alpha one"),
        ("b.md", "Beta two"),
        ("c.md", "Gamma three"),
        ("d.md", "Delta four"),
    ] {
        fs::write(dir.path().join(name), text).unwrap();
    }
    let vocabulary = Vocabulary::shared();
    let listing = read_listing(dir.path(), vocabulary.clone(), Indexing::Later).unwrap();
    let mut listed: Vec<(NoteId, Stamp)> = listing
        .entries
        .iter()
        .map(|entry| match &entry.content {
            Content::Text(indexed) => {
                assert!(indexed.words.is_none() && indexed.text.is_none());
                assert!(!indexed.title.is_empty());
                (entry.id.clone(), indexed.stamp)
            }
            Content::Unreadable(reason) => panic!("{reason}"),
        })
        .collect();
    listed.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(Vocabulary::lock(&vocabulary).is_empty());

    // One gone and one changed since: words for the two that still hold
    // what was listed, each paired with its own stamp.
    fs::remove_file(dir.path().join("b.md")).unwrap();
    fs::write(dir.path().join("c.md"), "Gamma changed").unwrap();
    let found = index_notes(dir.path(), listed.clone(), &vocabulary, true);
    let vocabulary = Vocabulary::lock(&vocabulary);
    let found: Vec<(&str, Stamp, Vec<&str>)> = found
        .iter()
        .map(|(id, stamp, words)| {
            let mut spelled: Vec<&str> = words.ids().map(|id| vocabulary.word(id)).collect();
            spelled.sort_unstable();
            (id.as_str(), *stamp, spelled)
        })
        .collect();
    assert_eq!(
        found,
        [
            ("a.md", listed[0].1, vec!["alpha", "one"]),
            ("d.md", listed[3].1, vec!["delta", "four"]),
        ]
    );
}

#[test]
fn a_note_that_is_a_symbolic_link_is_saved_through_to_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let real = elsewhere.path().join("real.md");
    fs::write(&real, "v1").unwrap();
    let link = dir.path().join("a.md");
    std::os::unix::fs::symlink(&real, &link).unwrap();

    let outcome = store::save(dir.path(), &id("a.md"), "v2", Some(Stamp::of("v1"))).unwrap();
    assert!(matches!(outcome, SaveOutcome::Saved { .. }));
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "still a link"
    );
    assert_eq!(
        fs::read_to_string(&real).unwrap(),
        "v2",
        "the real file got the edit"
    );
    // No temporary file left in either folder.
    assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 1);
    assert_eq!(
        fs::read_dir(dir.path())
            .unwrap()
            .filter(|entry| entry.as_ref().unwrap().file_name() != super::runs::DATA_DIR)
            .count(),
        1
    );
}

#[test]
fn a_read_only_note_is_never_written_and_says_how_to_make_it_writable() {
    // Read-only is the user's word, so it holds for root too (CI runs as
    // root).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.md");
    fs::write(&path, "v1").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();

    let error = store::save(dir.path(), &id("a.md"), "v2", Some(Stamp::of("v1"))).unwrap_err();
    assert_eq!(error, SaveError::ReadOnlyNote);
    assert!(error.to_string().contains("make it writable"), "{error}");
    assert_eq!(fs::read_to_string(&path).unwrap(), "v1");
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o444
    );

    // Made writable, the kept text is saved.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    store::save(dir.path(), &id("a.md"), "v2", Some(Stamp::of("v1"))).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "v2");
}

#[test]
fn notes_in_subfolders_are_listed_and_hidden_folders_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (name, text) in [
        ("top.md", "Top"),
        ("Projects/garden.md", "Garden"),
        ("Projects/Deep/deeper/bottom.txt", "Bottom"),
        (".obsidian/workspace.md", "not a note"),
        (".git/notes.md", "not a note"),
        ("Projects/.hidden/secret.md", "not a note"),
        ("node_modules/readme.md", "not a note"),
        ("Projects/picture.png", "not a note"),
    ] {
        fs::create_dir_all(root.join(name).parent().unwrap()).unwrap();
        fs::write(root.join(name), text).unwrap();
    }
    let mut names = store::note_names(root);
    names.sort();
    assert_eq!(
        names,
        [
            "Projects/Deep/deeper/bottom.txt",
            "Projects/garden.md",
            "top.md"
        ]
    );
    let note = store::read_note(root, &id("Projects/garden.md")).unwrap();
    assert_eq!(note.body, Body::Text("Garden".into()));
    assert_eq!(note.id.folder(), "Projects");
    assert_eq!(note.id.name(), "garden.md");
    assert!(note.id.is_within("Projects"));
    assert!(!note.id.is_within("Proj"));
}

#[test]
fn a_symlinked_folder_that_loops_is_listed_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("a/b")).unwrap();
    fs::write(root.join("a/b/note.md"), "Looped").unwrap();
    // a/b/up leads back to a: walked into, it would never end.
    std::os::unix::fs::symlink(root.join("a"), root.join("a/b/up")).unwrap();
    // A linked folder elsewhere is followed; a dangling link is listed.
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("far.md"), "Far").unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("linked")).unwrap();
    std::os::unix::fs::symlink(root.join("gone.md"), root.join("dangling.md")).unwrap();
    let mut names = store::note_names(root);
    names.sort();
    assert_eq!(names, ["a/b/note.md", "dangling.md", "linked/far.md"]);
    assert_eq!(
        body(root, "dangling.md"),
        Body::Unreadable(Unreadable::BrokenLink)
    );
}

#[test]
fn saving_a_new_note_in_a_folder_makes_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let note = NoteId::in_folder("Journal/2026", "today.md");
    assert_eq!(note.as_str(), "Journal/2026/today.md");
    store::save(dir.path(), &note, "Today", None).unwrap();
    assert_eq!(
        fs::read_to_string(dir.path().join("Journal/2026/today.md")).unwrap(),
        "Today"
    );
    let fresh = NoteId::fresh_in("Journal", jiff::Zoned::now(), |_| false);
    assert_eq!(fresh.folder(), "Journal");
}

#[test]
fn a_move_takes_the_note_its_replies_and_its_history_in_one_rename() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let note = id("plan.md");
    fs::write(root.join("plan.md"), "Plan v1").unwrap();
    store::save(
        root,
        &note,
        "Plan v2, a whole new plan with far more in it",
        Some(Stamp::of("Plan v1")),
    )
    .unwrap();
    assert_eq!(history::list(root, &note).unwrap().len(), 1, "v1 kept");
    let replies = runs::path(root, &note);
    fs::create_dir_all(replies.parent().unwrap()).unwrap();
    fs::write(&replies, "[]").unwrap();

    let moved = store::move_note(root, &note, "Work/Plans").unwrap();
    assert_eq!(moved.as_str(), "Work/Plans/plan.md");
    assert!(!root.join("plan.md").exists());
    assert!(root.join("Work/Plans/plan.md").exists());
    assert!(runs::path(root, &moved).exists(), "replies followed");
    assert!(!replies.exists());
    assert_eq!(
        history::list(root, &moved).unwrap().len(),
        1,
        "history followed"
    );

    // A name taken there gets a number; back to the top; no way out.
    fs::write(root.join("plan.md"), "Another plan").unwrap();
    let back = store::move_note(root, &moved, "").unwrap();
    assert_eq!(back.as_str(), "plan 2.md");
    assert!(store::move_note(root, &back, "../outside").is_err());
    assert!(store::move_note(root, &back, ".trash").is_err());
    assert!(root.join("plan 2.md").exists(), "a refused move leaves it");
    // `a//b/` is `a/b`.
    assert_eq!(
        store::move_note(root, &back, "/a//b/").unwrap().as_str(),
        "a/b/plan 2.md"
    );
}

#[test]
fn a_note_trashed_from_a_folder_goes_back_there() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let note = id("Projects/garden.md");
    fs::create_dir_all(root.join("Projects")).unwrap();
    fs::write(root.join("Projects/garden.md"), "Garden").unwrap();
    let trashed = store::trash(root, &note, None).unwrap();
    assert_eq!(trashed.file_name(), "Projects/garden.md");
    assert!(root.join(".trash/Projects/garden.md").exists());
    // The folder went meanwhile: made again.
    fs::remove_dir(root.join("Projects")).unwrap();
    let listed = trashed::list(root).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].trashed, trashed);
    assert_eq!(store::restore(root, &trashed).unwrap(), note);
    assert_eq!(
        fs::read_to_string(root.join("Projects/garden.md")).unwrap(),
        "Garden"
    );
}

#[test]
fn a_notes_tags_are_read_with_its_listing() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.md"),
        "---\ntags: [home]\n---\nFix the #sink",
    )
    .unwrap();
    let listing = read_listing(dir.path(), Vocabulary::shared(), Indexing::Later).unwrap();
    let Content::Text(indexed) = &listing.entries[0].content else {
        panic!("a text note");
    };
    assert_eq!(indexed.tags.shown(), "#home #sink");
}
