//! Long notes in the editor: shown in two steps (the first part at once,
//! the rest after a frame), and nothing ever acting on half of one.

use super::*;

/// A long note goes into the editor in two steps (its first part, the rest
/// after a frame); whatever happens in between, the editor ends up with the
/// note's whole text, line endings and all, and an edit made before the
/// rest is in is neither lost nor misplaced.
#[test]
fn a_long_note_is_filled_in_after_a_frame_and_edits_see_all_of_it() {
    for ending in ["\n", "\r\n"] {
        let dir = tempfile::tempdir().unwrap();
        let mut text = format!("Long note{ending}");
        let mut line = 0;
        while text.len() < 200 * 1024 {
            text.push_str(&format!(
                "line {line} of the long note, with ünïcode — and more{ending}"
            ));
            line += 1;
        }
        text.push_str("the end");
        std::fs::write(dir.path().join("long.md"), &text).unwrap();
        std::fs::write(dir.path().join("other.md"), "Other").unwrap();

        let mut workspace = workspace(dir.path());
        open(&mut workspace, "long.md");
        assert!(workspace.is_filling(), "the rest waits for a frame");
        assert!(workspace.editor().text().len() < text.len());
        let _ = workspace.update(Message::FillEditor);
        assert!(!workspace.is_filling());
        assert_eq!(
            workspace.editor().text(),
            text,
            "{ending:?}: the whole note"
        );
        assert_eq!(
            workspace.editor().cursor().position,
            text_editor::Position { line: 0, column: 0 },
            "the cursor stays at the start"
        );

        // Typed before the rest is in: at the cursor, with the rest after.
        open(&mut workspace, "other.md");
        open(&mut workspace, "long.md");
        assert!(workspace.is_filling());
        type_text(&mut workspace, "New: ");
        assert!(!workspace.is_filling(), "an edit fills the editor first");
        let expected = format!("New: {text}");
        assert_eq!(workspace.editor().text(), expected);
        assert_eq!(
            workspace.selected().unwrap().text(),
            Some(expected.as_str())
        );
    }
}

/// Undo in a long note shows it in two steps too, and puts the cursor
/// where the change was once the rest is in, even far below the first part.
#[test]
fn undo_at_the_end_of_a_long_note_goes_back_to_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("Long note\n");
    let mut line = 0;
    while text.len() < 200 * 1024 {
        text.push_str(&format!("line {line} of the long note\n"));
        line += 1;
    }
    text.push_str("the end");
    std::fs::write(dir.path().join("long.md"), &text).unwrap();
    let mut workspace = workspace(dir.path());
    open(&mut workspace, "long.md");
    let _ = workspace.update(Message::FillEditor);
    editor_action(
        &mut workspace,
        text_editor::Action::Move(text_editor::Motion::DocumentEnd),
    );
    let end = workspace.editor().cursor().position;
    type_text(&mut workspace, "!");
    assert_eq!(workspace.editor().text(), format!("{text}!"));

    let _ = workspace.update(Message::UndoEdit);
    assert!(workspace.is_filling(), "a long text goes in two steps");
    assert_eq!(workspace.selected().unwrap().text(), Some(text.as_str()));
    let _ = workspace.update(Message::FillEditor);
    assert_eq!(workspace.editor().text(), text);
    assert_eq!(workspace.editor().cursor().position, end, "at the change");
}
