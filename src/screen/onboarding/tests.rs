//! The onboarding state machine, message by message (no window, no network:
//! the results that tasks would bring are sent in directly).

use super::*;
use crate::claude::{ApiError, BaseUrl, ErrorKind};

const GOOD: &str = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKlMnOpQ";

fn onboarding() -> Onboarding {
    Onboarding::new(
        Client::new(BaseUrl::default()),
        Backend::Store(keyring_core::mock::Store::new().unwrap()),
    )
}

fn error(kind: ErrorKind, status: Option<u16>) -> ApiError {
    ApiError {
        kind,
        status,
        message: "boom".into(),
        request_id: Some("req_42".into()),
        retry_after: None,
        should_retry: None,
    }
}

fn send(onboarding: &mut Onboarding, message: Message) -> Action {
    onboarding.update(message)
}

fn to_paste(onboarding: &mut Onboarding) {
    let _ = send(onboarding, Message::SetUp);
    assert!(matches!(onboarding.step(), Step::GetKey));
    let _ = send(onboarding, Message::HaveKey);
    assert!(matches!(onboarding.step(), Step::Paste(_)));
}

/// Up to "checking the good key with Anthropic".
fn submit_good(onboarding: &mut Onboarding) {
    to_paste(onboarding);
    let _ = send(onboarding, Message::Input(GOOD.into()));
    let _ = send(onboarding, Message::Submit);
    assert!(matches!(onboarding.step(), Step::Validating { .. }));
}

/// Up to "saving the good key in the keychain".
fn to_storing(onboarding: &mut Onboarding) {
    submit_good(onboarding);
    let _ = send(
        onboarding,
        Message::Validated(Validation::Valid(Vec::new())),
    );
    assert!(matches!(onboarding.step(), Step::Storing { .. }));
}

#[test]
fn a_good_key_is_validated_stored_and_handed_over() {
    let mut onboarding = onboarding();
    to_paste(&mut onboarding);
    let _ = send(&mut onboarding, Message::Input(format!("  \"{GOOD}\"\n")));
    let _ = send(&mut onboarding, Message::Submit);
    assert!(matches!(onboarding.step(), Step::Validating { key, .. } if key.expose() == GOOD));

    let _ = send(
        &mut onboarding,
        Message::Validated(Validation::Valid(Vec::new())),
    );
    assert!(matches!(onboarding.step(), Step::Storing { check, .. } if check.verified));

    match send(&mut onboarding, Message::Stored(Ok(()))) {
        Action::Finished(finished) => {
            assert_eq!(finished.key.expose(), GOOD);
            assert_eq!(finished.source, Source::Keychain);
        }
        _ => panic!("expected to finish"),
    }
}

#[test]
fn tokens_that_are_not_api_keys_never_reach_the_network() {
    let mut onboarding = onboarding();
    to_paste(&mut onboarding);
    for input in [
        "sk-ant-oat01-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
        "sk-proj-abcdefghijklmnopqrstuvwxyz",
        "sk-ant-api03-short",
    ] {
        let _ = send(&mut onboarding, Message::Input(input.into()));
        let _ = send(&mut onboarding, Message::Submit);
        assert!(matches!(onboarding.step(), Step::Paste(_)), "{input}");
    }
}

#[test]
fn a_rejected_key_goes_back_to_paste_with_the_reason() {
    let mut onboarding = onboarding();
    submit_good(&mut onboarding);
    let _ = send(
        &mut onboarding,
        Message::Validated(Validation::Rejected(error(
            ErrorKind::Authentication,
            Some(401),
        ))),
    );
    let Step::Paste(paste) = onboarding.step() else {
        panic!("back to paste");
    };
    let (headline, detail) = paste.refused.clone().unwrap();
    assert_eq!(headline, "Anthropic rejected this key.");
    assert!(detail.contains("req_42"));
    assert_eq!(paste.input, GOOD, "the text stays, to be corrected");

    // Typing clears the complaint.
    let _ = send(&mut onboarding, Message::Input("x".into()));
    assert!(matches!(onboarding.step(), Step::Paste(paste) if paste.refused.is_none()));
}

#[test]
fn offline_offers_to_keep_the_key_unverified() {
    let mut onboarding = onboarding();
    submit_good(&mut onboarding);
    let _ = send(
        &mut onboarding,
        Message::Validated(Validation::Offline(error(ErrorKind::Connection, None))),
    );
    assert!(matches!(onboarding.step(), Step::Unsure { .. }));
    let _ = send(&mut onboarding, Message::KeepUnverified);
    assert!(
        matches!(onboarding.step(), Step::Storing { check, .. } if !check.verified && check.notice.is_some())
    );
}

#[test]
fn anthropic_trouble_can_be_retried() {
    let mut onboarding = onboarding();
    submit_good(&mut onboarding);
    let _ = send(
        &mut onboarding,
        Message::Validated(Validation::ServiceTrouble(error(
            ErrorKind::Overloaded,
            Some(529),
        ))),
    );
    let _ = send(&mut onboarding, Message::Retry);
    assert!(matches!(onboarding.step(), Step::Validating { .. }));
}

#[test]
fn a_keychain_failure_offers_this_session_only() {
    let mut onboarding = onboarding();
    to_storing(&mut onboarding);
    let _ = send(
        &mut onboarding,
        Message::Stored(Err(keychain::Error::Locked("locked".into()))),
    );
    assert!(matches!(onboarding.step(), Step::StoreFailed { .. }));
    match send(&mut onboarding, Message::UseForSession) {
        Action::Finished(finished) => assert_eq!(finished.source, Source::Session),
        _ => panic!("expected to finish for the session"),
    }
}

#[test]
fn a_slow_keychain_is_waited_for_and_this_session_only_offered() {
    let mut onboarding = onboarding();
    to_storing(&mut onboarding);
    assert!(matches!(
        send(&mut onboarding, Message::UseForSession),
        Action::None
    ));
    assert!(
        matches!(onboarding.step(), Step::Storing { waiting: false, .. }),
        "not offered before the keychain is slow"
    );

    let _ = send(&mut onboarding, Message::StoreSlow);
    assert!(matches!(
        onboarding.step(),
        Step::Storing { waiting: true, .. }
    ));

    // The keychain answers while we wait (the person unlocked it).
    match send(&mut onboarding, Message::Stored(Ok(()))) {
        Action::Finished(finished) => assert_eq!(finished.source, Source::Keychain),
        _ => panic!("expected to finish"),
    }

    // Or the person does not wait for it.
    let mut onboarding = self::onboarding();
    to_storing(&mut onboarding);
    let _ = send(&mut onboarding, Message::StoreSlow);
    match send(&mut onboarding, Message::UseForSession) {
        Action::Finished(finished) => assert_eq!(finished.source, Source::Session),
        _ => panic!("expected to finish for the session"),
    }
    let _ = send(&mut onboarding, Message::Stored(Ok(())));
}

#[test]
fn cancel_and_back_work_at_every_step() {
    let mut onboarding = onboarding();
    submit_good(&mut onboarding);
    let _ = send(&mut onboarding, Message::Cancel);
    assert!(matches!(onboarding.step(), Step::Paste(paste) if paste.input == GOOD));
    let _ = send(&mut onboarding, Message::Back);
    assert!(matches!(onboarding.step(), Step::GetKey));
    let _ = send(&mut onboarding, Message::Back);
    assert!(matches!(onboarding.step(), Step::Welcome));
    assert!(matches!(
        send(&mut onboarding, Message::JustWrite),
        Action::JustWrite
    ));

    let mut replacing = Onboarding::replace(Client::new(BaseUrl::default()), Backend::default());
    assert!(matches!(
        send(&mut replacing, Message::Back),
        Action::Cancelled
    ));
}

#[test]
fn debug_output_of_the_whole_state_never_shows_the_key() {
    let mut onboarding = onboarding();
    to_storing(&mut onboarding);
    let shown = format!("{onboarding:?}");
    assert!(!shown.contains(&GOOD[15..]), "{shown}");

    let mut pasting = self::onboarding();
    to_paste(&mut pasting);
    let message = Message::Input(GOOD.into());
    let shown = format!("{message:?} {:?}", Message::Pasted(Some(GOOD.into())));
    let _ = send(&mut pasting, message);
    let shown = format!("{shown} {pasting:?}");
    assert!(!shown.contains(&GOOD[15..]), "{shown}");
}

#[test]
fn every_step_has_an_enter_and_a_key_can_be_typed_or_pasted_on_get_a_key() {
    let mut onboarding = onboarding();
    assert!(matches!(onboarding.enter(), Some(Message::SetUp)));
    let _ = send(&mut onboarding, Message::SetUp);
    assert!(matches!(onboarding.enter(), Some(Message::OpenConsole)));
    let _ = send(&mut onboarding, Message::Typed("sk-".into()));
    let Step::Paste(paste) = onboarding.step() else {
        panic!("typing a key goes to the key field");
    };
    assert_eq!(paste.input, "sk-");
    let _ = send(&mut onboarding, Message::Typed("ant".into()));
    assert!(matches!(onboarding.step(), Step::Paste(paste) if paste.input == "sk-ant"));
    assert!(matches!(onboarding.enter(), Some(Message::Submit)));

    let _ = send(&mut onboarding, Message::Back);
    assert!(matches!(onboarding.step(), Step::GetKey));
    let _ = send(&mut onboarding, Message::Pasted(Some(format!(" {GOOD}\n"))));
    assert!(
        matches!(onboarding.step(), Step::Validating { key, .. } if key.expose() == GOOD),
        "Ctrl+V on Get an API key pastes and checks the key"
    );
    assert!(onboarding.enter().is_none(), "nothing to do while checking");
    let typed = format!("{:?}", Message::Typed(GOOD.into()));
    assert!(!typed.contains("sk-ant"), "{typed}");
}
