//! Subfolders and tags in the list, at the Message level.

use super::*;

fn titles(workspace: &Workspace) -> Vec<&str> {
    let mut titles: Vec<&str> = workspace
        .visible()
        .map(|note| &*note.title)
        .filter(|title| !title.is_empty())
        .collect();
    titles.sort_unstable();
    titles
}

fn folder_of_notes(dir: &std::path::Path) {
    for (name, text) in [
        ("inbox.md", "Inbox #todo"),
        ("Work/plan.md", "Plan\n#work/q3 and #todo"),
        ("Work/Old/report.md", "---\ntags: [work]\n---\nReport"),
        ("Home/garden.md", "Garden #home"),
        (".obsidian/cache.md", "Hidden"),
    ] {
        std::fs::create_dir_all(dir.join(name).parent().unwrap()).unwrap();
        std::fs::write(dir.join(name), text).unwrap();
    }
}

#[test]
fn the_list_shows_every_folder_and_narrows_to_one() {
    let dir = tempfile::tempdir().unwrap();
    folder_of_notes(dir.path());
    let mut workspace = workspace(dir.path());
    assert_eq!(
        titles(&workspace),
        ["Garden #home", "Inbox #todo", "Plan", "Report"]
    );
    assert_eq!(workspace.folders(), ["Home", "Work", "Work/Old"]);
    assert_eq!(workspace.all_tags(), ["home", "todo", "work", "work/q3"]);

    let _ = workspace.update(Message::ViewFolder("Work".into()));
    assert_eq!(
        titles(&workspace),
        ["Plan", "Report"],
        "with its subfolders"
    );
    search(&mut workspace, "rep");
    assert_eq!(titles(&workspace), ["Report"]);
    search(&mut workspace, "");

    // A new note goes into the folder being viewed, and is saved there.
    let _ = workspace.update(Message::NewNote);
    assert_eq!(workspace.selected().unwrap().id.folder(), "Work");
    type_text(&mut workspace, "Fresh idea");
    autosave(&mut workspace, later());
    let id = workspace.selected().unwrap().id.clone();
    assert_eq!(
        std::fs::read_to_string(dir.path().join(id.as_str())).unwrap(),
        "Fresh idea"
    );

    let _ = workspace.update(Message::ViewFolder(String::new()));
    assert_eq!(titles(&workspace).len(), 5);
}

#[test]
fn typing_a_tag_filters_by_it_and_combines_with_words() {
    let dir = tempfile::tempdir().unwrap();
    folder_of_notes(dir.path());
    let mut workspace = workspace(dir.path());
    search(&mut workspace, "#work ");
    assert_eq!(
        titles(&workspace),
        ["Plan", "Report"],
        "#work/q3 is in #work"
    );
    search(&mut workspace, "#work plan");
    assert_eq!(titles(&workspace), ["Plan"]);
    search(&mut workspace, "#to");
    assert_eq!(
        titles(&workspace),
        ["Inbox #todo", "Plan"],
        "a tag being typed"
    );
    search(&mut workspace, "#todo #home");
    assert!(titles(&workspace).is_empty(), "every tag asked for");

    // The tag list adds the tag to the search.
    search(&mut workspace, "");
    let _ = workspace.update(Message::FilterTag("home".into()));
    assert_eq!(workspace.query(), "#home ");
    assert_eq!(titles(&workspace), ["Garden #home"]);

    // A tag typed into a note is offered once it is saved.
    open(&mut workspace, "Home/garden.md");
    let _ = workspace.update(Message::Edit(text_editor::Action::Move(
        text_editor::Motion::DocumentEnd,
    )));
    type_text(&mut workspace, " #seeds");
    autosave(&mut workspace, later());
    assert!(workspace.all_tags().iter().any(|tag| tag == "seeds"));
}

#[test]
fn moving_a_note_carries_its_pin_and_its_requests_name() {
    let dir = tempfile::tempdir().unwrap();
    folder_of_notes(dir.path());
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "inbox.md");
    let _ = workspace.update(Message::TogglePin);
    let _ = workspace.update(Message::AskMove);
    let _ = workspace.update(Message::MoveInput("Home/Later".into()));
    let _ = workspace.update(Message::ConfirmMove);
    let from = NoteId::new("inbox.md");
    let result = store::move_note(dir.path(), &from, "Home/Later");
    let _ = workspace.update(Message::Moved(from, result));

    let moved = NoteId::new("Home/Later/inbox.md");
    assert_eq!(workspace.selected().unwrap().id, moved);
    assert!(workspace.is_pinned(&moved));
    assert!(dir.path().join("Home/Later/inbox.md").exists());
    assert!(!dir.path().join("inbox.md").exists());
    assert!(
        workspace
            .folders()
            .iter()
            .any(|folder| folder == "Home/Later")
    );

    // A refused move says so and leaves the note where it was.
    let _ = workspace.update(Message::AskMove);
    let _ = workspace.update(Message::MoveInput(".git".into()));
    let _ = workspace.update(Message::ConfirmMove);
    let result = store::move_note(dir.path(), &moved, ".git");
    let _ = workspace.update(Message::Moved(moved.clone(), result));
    assert!(workspace.notice().unwrap().danger);
    assert_eq!(workspace.selected().unwrap().id, moved);
}

/// The Move bar is for the note it was opened on: opening another note
/// (or trashing this one) closes it, so Enter cannot move the wrong note.
#[test]
fn the_move_bar_closes_when_another_note_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    folder_of_notes(dir.path());
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "inbox.md");
    let _ = workspace.update(Message::AskMove);
    let _ = workspace.update(Message::MoveInput("Elsewhere".into()));
    assert!(workspace.has_overlay());
    let other = workspace
        .notes()
        .iter()
        .find(|note| note.id.as_str() != "inbox.md" && !note.is_blank_draft())
        .unwrap()
        .id
        .clone();
    open(&mut workspace, other.as_str());
    assert!(!workspace.has_overlay(), "the bar went with its note");
    let _ = workspace.update(Message::ConfirmMove);
    assert!(!dir.path().join("Elsewhere").exists(), "nothing was moved");
}
