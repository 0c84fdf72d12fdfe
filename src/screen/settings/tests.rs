//! Settings at the Message level: what each control asks of the app.

use super::*;

#[test]
fn without_a_folder_dialog_the_path_is_typed() {
    let mut state = State {
        picking: true,
        ..State::default()
    };
    assert!(matches!(
        state.update(Message::FolderChosen(Chosen::NoDialog)),
        Action::Run(_)
    ));
    assert!(!state.picking);
    assert!(state.typed_folder.is_some(), "a field to type it in");

    let _ = state.update(Message::TypeFolder("notes".into()));
    assert!(matches!(
        state.update(Message::UseTypedFolder),
        Action::None
    ));
    let problem = state.typed_folder.as_ref().and_then(|(_, p)| p.clone());
    assert!(problem.unwrap().contains("not a full path"));

    let _ = state.update(Message::TypeFolder("/srv/notes".into()));
    assert_eq!(state.typed_folder, Some(("/srv/notes".into(), None)));
    match state.update(Message::UseTypedFolder) {
        Action::SetNotesDir(Some(folder)) => assert_eq!(folder, PathBuf::from("/srv/notes")),
        _ => panic!("the typed folder is used"),
    }
    assert!(state.typed_folder.is_none());

    let _ = state.update(Message::FolderChosen(Chosen::NoDialog));
    let _ = state.update(Message::CancelTypedFolder);
    assert!(state.typed_folder.is_none());
    assert!(matches!(
        state.update(Message::FolderChosen(Chosen::Cancelled)),
        Action::None
    ));
    assert!(
        state.typed_folder.is_none(),
        "a cancelled dialog asks nothing"
    );
}

#[test]
fn a_new_capture_shortcut_is_checked_before_it_is_used() {
    let mut state = State::default();
    let _ = state.update(Message::ShortcutTyped("space".into()));
    assert!(matches!(state.update(Message::UseShortcut), Action::None));
    let problem = state.shortcut.as_ref().and_then(|(_, p)| p.clone());
    assert!(problem.unwrap().contains("add Ctrl, Alt or Super"));
    let _ = state.update(Message::ShortcutTyped("Super+Shift+N".into()));
    match state.update(Message::UseShortcut) {
        Action::SetShortcut(shortcut) => assert_eq!(shortcut, "super+shift+n"),
        _ => panic!("the shortcut is used"),
    }
    assert!(state.shortcut.is_none());
    assert!(matches!(
        state.update(Message::ResetShortcut),
        Action::SetShortcut(shortcut) if shortcut == crate::capture::DEFAULT_SHORTCUT
    ));
}

#[test]
fn remove_key_asks_first() {
    let mut state = State::default();
    assert!(matches!(state.update(Message::RemoveKey), Action::None));
    assert!(state.confirm_remove);
    assert!(matches!(
        state.update(Message::CancelRemoveKey),
        Action::None
    ));
    assert!(!state.confirm_remove, "kept");
    let _ = state.update(Message::RemoveKey);
    assert!(matches!(
        state.update(Message::ConfirmRemoveKey),
        Action::RemoveKey
    ));
    assert!(!state.confirm_remove);
}

#[test]
fn a_budget_reads_as_people_type_it() {
    for (typed, read) in [
        ("10", "10"),
        ("$12.50", "12.50"),
        ("12,50", "12.50"),
        ("1,000", "1000"),
        ("1,000.75", "1000.75"),
        (" $ 5 ", "5"),
    ] {
        assert_eq!(super::budget_number(typed), read, "{typed}");
    }
    let mut state = State::default();
    assert!(matches!(
        state.update(Message::Budget("1,000".into())),
        Action::SetBudget(Some(value)) if value == 1000.0
    ));
    assert!(matches!(
        state.update(Message::Budget(String::new())),
        Action::SetBudget(None)
    ));
    assert!(matches!(
        state.update(Message::Budget("ten".into())),
        Action::None
    ));
}
