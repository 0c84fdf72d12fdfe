//! Processing at the Message level: the stream's events are sent in as the
//! task would deliver them; no window, no network.

use super::*;
use crate::claude::{BaseUrl, ErrorKind};
use crate::notes::runs::Status;
use std::time::{Duration, Instant};

fn processing() -> Processing {
    let dir = tempfile::tempdir().unwrap().keep();
    let mut processing = Processing::new(
        Client::new(BaseUrl::default()),
        dir.join("modes"),
        vec![Model {
            id: "claude-sonnet-4-5".into(),
            display_name: "Claude Sonnet 4.5".into(),
            created_at: String::new(),
            ..Default::default()
        }],
        1024,
    );
    let _ = processing.set_notes_dir(dir.join("notes"));
    let _ = processing.note_selected(Some(NoteId::new("a.md")));
    processing
}

fn error(kind: ErrorKind) -> ApiError {
    ApiError {
        kind,
        status: None,
        message: "boom".into(),
        request_id: Some("req_7".into()),
        retry_after: None,
        should_retry: None,
    }
}

fn send(processing: &mut Processing, message: Message, key: Option<&ApiKey>) -> Action {
    let id = NoteId::new("a.md");
    processing.update(
        message,
        Context {
            key,
            note: Some((&id, "I feel stuck", "I feel stuck\nabout work")),
        },
    )
}

fn key() -> ApiKey {
    ApiKey::new("sk-ant-api03-test")
}

fn stream_reply(processing: &mut Processing, chunks: &[&str]) -> Action {
    let key = key();
    let _ = send(
        processing,
        Message::Stream(Event::Started {
            request_id: Some("req_1".into()),
            model: "claude-sonnet-4-5".into(),
            input_tokens: 12,
            cache: Default::default(),
        }),
        Some(&key),
    );
    for chunk in chunks {
        let _ = send(
            processing,
            Message::Stream(Event::Delta((*chunk).into())),
            Some(&key),
        );
    }
    let _ = send(
        processing,
        Message::Stream(Event::Usage { output_tokens: 9 }),
        Some(&key),
    );
    send(
        processing,
        Message::Stream(Event::Finished {
            stop_reason: Some("end_turn".into()),
        }),
        Some(&key),
    )
}

#[test]
fn without_a_key_process_leads_to_the_key_flow() {
    let mut processing = processing();
    assert!(matches!(
        send(&mut processing, Message::Process, None),
        Action::FixKey
    ));
}

#[test]
fn a_streamed_reply_becomes_a_run_with_its_usage() {
    let mut processing = processing();
    let key = key();
    let _ = send(&mut processing, Message::Process, Some(&key));
    assert!(processing.is_streaming());

    let action = stream_reply(
        &mut processing,
        &["It sounds ", "like work ", "weighs on you."],
    );
    assert!(matches!(
        action,
        Action::Usage {
            input: 12,
            output: 9
        }
    ));
    assert!(!processing.is_streaming());
    let run = &processing.runs()[0];
    assert_eq!(run.mode, "Reflect");
    assert_eq!(run.exchanges[0].question, "I feel stuck\nabout work");
    assert_eq!(
        run.exchanges[0].answer,
        "It sounds like work weighs on you."
    );
    assert_eq!(run.status, Status::Complete);
    assert!(
        !processing.content.items().is_empty(),
        "rendered as Markdown"
    );
}

#[test]
fn stop_keeps_the_partial_reply_marked_incomplete() {
    let mut processing = processing();
    let key = key();
    let _ = send(&mut processing, Message::Process, Some(&key));
    let _ = send(
        &mut processing,
        Message::Stream(Event::Delta("Half".into())),
        Some(&key),
    );
    let _ = send(&mut processing, Message::Stop, Some(&key));
    assert!(!processing.is_streaming());
    assert_eq!(processing.runs()[0].exchanges[0].answer, "Half");
    assert!(matches!(
        processing.runs()[0].status,
        Status::Incomplete { .. }
    ));
}

#[test]
fn a_broken_stream_keeps_its_text_and_offers_retry() {
    let mut processing = processing();
    let key = key();
    let _ = send(&mut processing, Message::Process, Some(&key));
    let _ = send(
        &mut processing,
        Message::Stream(Event::Delta("Part".into())),
        Some(&key),
    );
    let _ = send(
        &mut processing,
        Message::Stream(Event::Failed(error(ErrorKind::Interrupted))),
        Some(&key),
    );
    assert!(matches!(
        processing.runs()[0].status,
        Status::Incomplete { .. }
    ));
    let (_, _, next) = claude::advice(processing.failure.as_ref().unwrap());
    assert_eq!(next, claude::NextStep::Retry);

    let _ = send(&mut processing, Message::Retry, Some(&key));
    let current = processing.current.as_ref().expect("retry sends again");
    assert_eq!(current.continues, None, "the note, as a new run");
    assert_eq!(current.question, "I feel stuck\nabout work");
}

#[test]
fn a_rejected_key_says_fix_the_key_and_stores_nothing() {
    let mut processing = processing();
    let key = key();
    let _ = send(&mut processing, Message::Process, Some(&key));
    let _ = send(
        &mut processing,
        Message::Stream(Event::Failed(error(ErrorKind::Authentication))),
        Some(&key),
    );
    assert!(processing.runs().is_empty());
    let (headline, detail, next) = claude::advice(processing.failure.as_ref().unwrap());
    assert_eq!(next, claude::NextStep::FixKey);
    assert!(headline.contains("key"));
    assert!(detail.contains("req_7"));
    assert!(matches!(
        send(&mut processing, Message::FixKey, Some(&key)),
        Action::FixKey
    ));
}

#[test]
fn offline_queues_the_note_as_it_is_now() {
    let mut processing = processing();
    let key = key();
    let _ = send(&mut processing, Message::Process, Some(&key));
    let _ = send(
        &mut processing,
        Message::Stream(Event::Retrying {
            attempt: 1,
            wait: std::time::Duration::from_secs(2),
            error: error(ErrorKind::Connection),
        }),
        Some(&key),
    );
    assert!(processing.needs_ticks(true), "the countdown ticks");
    let _ = send(
        &mut processing,
        Message::Stream(Event::Failed(error(ErrorKind::Connection))),
        Some(&key),
    );
    assert!(!processing.is_streaming());
    assert_eq!(processing.queued(), 1);
    let job = &processing.queue.jobs[0];
    assert_eq!(job.text, "I feel stuck\nabout work");
    assert_eq!(job.note, "a.md");

    let id = job.id;
    let _ = send(&mut processing, Message::CancelJob(id), Some(&key));
    assert_eq!(processing.queued(), 0);
}

#[test]
fn a_trashed_notes_queued_request_waits_with_it_and_comes_back_with_it() {
    let mut processing = processing();
    let key = key();
    let _ = send(&mut processing, Message::Process, Some(&key));
    let _ = send(
        &mut processing,
        Message::Stream(Event::Failed(error(ErrorKind::Connection))),
        Some(&key),
    );
    assert_eq!(processing.queued(), 1);

    let _ = processing.note_trashed(&NoteId::new("a.md"), "a.md");
    assert_eq!(processing.queued(), 0);
    let _ = send(
        &mut processing,
        Message::QueueTick(Instant::now()),
        Some(&key),
    );
    assert!(
        !processing
            .queue
            .jobs
            .iter()
            .any(|job| job.state == jobs::State::Sending),
        "not sent while its note is in the trash"
    );

    let _ = processing.note_restored("a.md", &NoteId::new("a 2.md"));
    assert_eq!(processing.queued(), 1);
    assert_eq!(processing.queue.jobs[0].note, "a 2.md");
}

#[test]
fn a_request_in_flight_when_its_note_is_trashed_is_parked_if_it_fails() {
    let mut processing = processing();
    let key = key();
    let _ = send(&mut processing, Message::Process, Some(&key));
    let _ = send(
        &mut processing,
        Message::Stream(Event::Failed(error(ErrorKind::Connection))),
        Some(&key),
    );
    processing.queue_retry_at = None;
    let _ = send(
        &mut processing,
        Message::QueueTick(Instant::now()),
        Some(&key),
    );
    let id = processing.queue.jobs[0].id;
    assert_eq!(processing.queue.jobs[0].state, jobs::State::Sending);

    let _ = processing.note_trashed(&NoteId::new("a.md"), "a.md");
    let dir = processing.notes_dir.clone().unwrap();
    let _ = send(
        &mut processing,
        Message::JobDone(dir, id, Err(error(ErrorKind::Connection))),
        Some(&key),
    );
    assert_eq!(processing.queued(), 0, "parked, not retried");
}

#[test]
fn the_drain_loop_sends_one_job_at_a_time_backs_off_and_stores_the_answer() {
    let mut processing = processing();
    let key = key();
    let dir = processing.notes_dir.clone().unwrap();
    let _ = send(
        &mut processing,
        Message::QueueLoaded(dir.clone(), jobs::Owner::Unlocked, Default::default()),
        None,
    );
    for _ in 0..2 {
        let _ = send(&mut processing, Message::Process, Some(&key));
        let _ = send(
            &mut processing,
            Message::Stream(Event::Failed(error(ErrorKind::Connection))),
            Some(&key),
        );
    }
    assert_eq!(processing.queued(), 2);
    let sending = |processing: &Processing| {
        processing
            .queue
            .jobs
            .iter()
            .filter(|job| job.state == jobs::State::Sending)
            .map(|job| job.id)
            .collect::<Vec<_>>()
    };

    // Not before the backoff, and never without a key.
    let now = Instant::now();
    let _ = send(&mut processing, Message::QueueTick(now), Some(&key));
    assert!(sending(&processing).is_empty(), "waits out the backoff");
    let later = now + jobs::backoff(0) + std::time::Duration::from_secs(1);
    let _ = send(&mut processing, Message::QueueTick(later), None);
    assert!(sending(&processing).is_empty(), "no key, nothing sent");
    let _ = send(&mut processing, Message::QueueTick(later), Some(&key));
    let first = sending(&processing);
    assert_eq!(first.len(), 1, "one at a time");
    let _ = send(&mut processing, Message::QueueTick(later), Some(&key));
    assert_eq!(sending(&processing), first, "still one at a time");

    // Still offline: pending again, with a longer wait.
    let _ = send(
        &mut processing,
        Message::JobDone(dir.clone(), first[0], Err(error(ErrorKind::Connection))),
        Some(&key),
    );
    assert!(sending(&processing).is_empty());
    assert_eq!(processing.queue.job_mut(first[0]).unwrap().attempts, 1);
    let _ = send(&mut processing, Message::QueueTick(later), Some(&key));
    assert!(sending(&processing).is_empty(), "backs off again");

    // Back online: the answer is stored and the job leaves the queue.
    let much_later = later + jobs::backoff(1) + std::time::Duration::from_secs(1);
    let _ = send(&mut processing, Message::QueueTick(much_later), Some(&key));
    let id = sending(&processing)[0];
    let run = Run {
        mode: "Reflect".into(),
        model: "claude-sonnet-4-5".into(),
        started_at: 1,
        exchanges: vec![],
        input_tokens: 3,
        output_tokens: 4,
        cache_write_tokens: 0,
        cache_read_tokens: 0,
        stop_reason: None,
        masked: false,
        status: Status::Complete,
    };
    let action = send(
        &mut processing,
        Message::JobDone(dir, id, Ok(run)),
        Some(&key),
    );
    assert!(matches!(
        action,
        Action::Arrived {
            input: 3,
            output: 4,
            ..
        }
    ));
    assert_eq!(processing.queued(), 1, "the other job is still to send");
    assert!(processing.queue.job_mut(id).is_none());
    let _ = processing.take_pending_save();
}

#[tokio::test]
async fn a_second_window_on_a_folder_never_writes_its_queue() {
    let mut processing = processing();
    let dir = processing.notes_dir.clone().unwrap();
    // The first window holds the folder's queue.
    let first = jobs::lock_blocking(&dir);
    assert!(matches!(first, jobs::Owner::Us(_)));
    let (owner, queue, problem) = jobs::open(dir.clone()).await;
    assert!(matches!(owner, jobs::Owner::Elsewhere));
    let _ = send(
        &mut processing,
        Message::QueueLoaded(dir.clone(), owner, (queue, problem)),
        None,
    );
    assert_eq!(processing.notice.as_deref(), Some(ELSEWHERE));

    let key = key();
    let _ = send(&mut processing, Message::Process, Some(&key));
    let _ = send(
        &mut processing,
        Message::Stream(Event::Failed(error(ErrorKind::Connection))),
        Some(&key),
    );
    assert_eq!(processing.queued(), 0, "not queued here");
    assert!(processing.failure.is_some(), "and the user is told");
    assert!(
        !jobs::Queue::path(&dir).exists(),
        "the queue file is not touched"
    );
    drop(first);
}

/// Processes the note, gets "First answer.", then asks `question`.
fn ask_after_a_first_answer(processing: &mut Processing, key: &ApiKey, question: &str) {
    let _ = send(processing, Message::Process, Some(key));
    let _ = stream_reply(processing, &["First answer."]);
    let _ = send(
        processing,
        Message::FollowUpChanged(question.into()),
        Some(key),
    );
    let _ = send(processing, Message::AskFollowUp, Some(key));
}

#[test]
fn a_follow_up_sends_the_conversation_and_extends_the_run() {
    let mut processing = processing();
    let key = key();
    ask_after_a_first_answer(&mut processing, &key, "Why?");
    assert!(processing.is_streaming());
    let _ = stream_reply(&mut processing, &["Because."]);

    assert_eq!(processing.runs().len(), 1, "the same run, continued");
    let exchanges = &processing.runs()[0].exchanges;
    assert_eq!(exchanges.len(), 2);
    assert_eq!(exchanges[1].question, "Why?");
    assert_eq!(exchanges[1].answer, "Because.");
    assert!(display(&processing.runs()[0]).contains("**You asked:** Why?"));
}

#[test]
fn insert_hands_the_latest_answer_to_the_note() {
    let mut processing = processing();
    let key = key();
    let _ = send(&mut processing, Message::Process, Some(&key));
    let _ = stream_reply(&mut processing, &["- [ ] call the plumber"]);
    match send(&mut processing, Message::Insert, Some(&key)) {
        Action::InsertIntoNote(text) => assert_eq!(text, "- [ ] call the plumber"),
        _ => panic!("expected an insert"),
    }
}

#[test]
fn the_default_model_is_a_sonnet_from_the_list() {
    let mut processing = processing();
    processing.set_models(vec![
        Model {
            id: "claude-haiku-4-5".into(),
            display_name: String::new(),
            created_at: String::new(),
            ..Default::default()
        },
        Model {
            id: "claude-sonnet-4-5-20250929".into(),
            display_name: String::new(),
            created_at: String::new(),
            ..Default::default()
        },
    ]);
    assert_eq!(processing.model(), "claude-sonnet-4-5-20250929");
    processing.set_models(Vec::new());
    assert_eq!(processing.model(), FALLBACK_MODEL);
}

#[test]
fn a_follow_up_that_fails_before_any_answer_gives_the_question_back() {
    let mut processing = processing();
    let key = key();
    ask_after_a_first_answer(&mut processing, &key, "And then?");
    assert_eq!(processing.follow_up, "", "sent");
    let _ = send(
        &mut processing,
        Message::Stream(Event::Failed(error(ErrorKind::Overloaded))),
        Some(&key),
    );
    assert_eq!(processing.follow_up, "And then?", "back in its field");
    assert_eq!(processing.runs()[0].exchanges.len(), 1);

    // Try again asks it again, from its field.
    let _ = send(&mut processing, Message::Retry, Some(&key));
    let current = processing.current.as_ref().expect("asked again");
    assert_eq!(current.continues, Some(0));
    assert_eq!(current.question, "And then?");
    assert_eq!(processing.follow_up, "", "taken from its field");
}

#[test]
fn a_follow_up_counts_only_its_own_input_tokens() {
    let mut processing = processing();
    let key = key();
    let _ = send(&mut processing, Message::Process, Some(&key));
    let _ = stream_reply(&mut processing, &["One."]);
    let _ = send(
        &mut processing,
        Message::FollowUpChanged("Two?".into()),
        Some(&key),
    );
    let _ = send(&mut processing, Message::AskFollowUp, Some(&key));
    let action = stream_reply(&mut processing, &["Two."]);
    assert!(matches!(
        action,
        Action::Usage {
            input: 12,
            output: 9
        }
    ));
    assert_eq!(processing.runs()[0].input_tokens, 24);
}

/// A run whose follow-up broke after "Partly": two exchanges, incomplete.
fn broken_follow_up(processing: &mut Processing, key: &ApiKey) {
    ask_after_a_first_answer(processing, key, "Why?");
    let _ = send(
        processing,
        Message::Stream(Event::Delta("Partly".into())),
        Some(key),
    );
    let _ = send(
        processing,
        Message::Stream(Event::Failed(error(ErrorKind::Interrupted))),
        Some(key),
    );
}

#[test]
fn retrying_a_broken_follow_up_asks_it_again_in_its_place() {
    let mut processing = processing();
    let key = key();
    broken_follow_up(&mut processing, &key);
    let run = &processing.runs()[0];
    assert_eq!(run.exchanges.len(), 2);
    assert_eq!(run.exchanges[1].answer, "Partly");
    assert!(matches!(run.status, Status::Incomplete { .. }));

    let _ = send(&mut processing, Message::Retry, Some(&key));
    let current = processing.current.as_ref().expect("asked again");
    assert_eq!(current.continues, Some(0), "the same run, not a new one");
    assert_eq!(current.question, "Why?");
    assert_eq!(current.run.exchanges.len(), 1, "without the broken answer");
    let _ = stream_reply(&mut processing, &["Because."]);

    assert_eq!(processing.runs().len(), 1);
    let run = &processing.runs()[0];
    assert_eq!(run.status, Status::Complete);
    let answers: Vec<&str> = run.exchanges.iter().map(|e| e.answer.as_str()).collect();
    assert_eq!(answers, ["First answer.", "Because."]);
}

#[test]
fn only_web_and_mail_links_in_replies_open() {
    for safe in ["https://example.com/a", "HTTP://x", "mailto:a@b.c"] {
        assert!(super::is_safe_link(safe), "{safe}");
    }
    for unsafe_link in [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "vscode://open?x",
        "smb://host/share",
        "relative/path",
        "",
    ] {
        assert!(!super::is_safe_link(unsafe_link), "{unsafe_link}");
    }
}

/// Runs a task to its first message, as iced would.
async fn first_message(task: Task<Message>) -> Option<Message> {
    use futures::StreamExt;
    let mut stream = iced_runtime::task::into_stream(task)?;
    while let Some(action) = stream.next().await {
        if let iced_runtime::Action::Output(message) = action {
            return Some(message);
        }
    }
    None
}

async fn export_to(processing: &mut Processing, typed: &str) {
    let _ = send(processing, Message::ExportPath(typed.into()), None);
    let Action::Run(task) = send(processing, Message::ExportTyped, None) else {
        panic!("an export to {typed} is started");
    };
    let done = first_message(task).await.expect("the export ends");
    assert!(matches!(done, Message::TypedExportDone(_)));
    let _ = send(processing, done, None);
}

#[tokio::test]
async fn without_a_file_dialog_export_goes_to_a_typed_path_never_over_a_file() {
    let mut processing = processing();
    let _ = send(
        &mut processing,
        Message::NoExportDialog("~/Documents/I feel stuck.md".into()),
        None,
    );
    let (offered, _) = processing.export_path.clone().expect("a path field");
    assert_eq!(offered, "~/Documents/I feel stuck.md");

    let _ = send(&mut processing, Message::ExportPath("out.md".into()), None);
    let _ = send(&mut processing, Message::ExportTyped, None);
    let problem = processing.export_path.clone().and_then(|(_, p)| p);
    assert!(problem.unwrap().contains("not a full path"));

    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.md");
    export_to(&mut processing, target.to_str().unwrap()).await;
    assert!(processing.export_path.is_none(), "done: the field goes");
    assert_eq!(
        processing.notice,
        Some(format!("Exported to {}.", target.display()))
    );
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "I feel stuck\nabout work\n"
    );

    std::fs::write(&target, "mine").unwrap();
    let _ = send(
        &mut processing,
        Message::NoExportDialog("~/I feel stuck.md".into()),
        None,
    );
    export_to(&mut processing, target.to_str().unwrap()).await;
    let problem = processing.export_path.clone().and_then(|(_, p)| p);
    assert!(problem.unwrap().contains("already exists"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );

    export_to(
        &mut processing,
        dir.path().join("nowhere/out.md").to_str().unwrap(),
    )
    .await;
    let problem = processing.export_path.clone().and_then(|(_, p)| p);
    assert!(problem.unwrap().contains("does not exist"));
}

#[test]
fn a_retry_says_why_and_counts_down_from_the_true_wait() {
    let mut processing = processing();
    let key = key();
    let _ = send(&mut processing, Message::Process, Some(&key));
    // The clock the countdown is read against was last moved long ago.
    processing.now = Instant::now() - Duration::from_secs(5);
    let mut busy = error(ErrorKind::Overloaded);
    busy.status = Some(529);
    let _ = send(
        &mut processing,
        Message::Stream(Event::Retrying {
            attempt: 1,
            wait: Duration::from_secs(4),
            error: busy.clone(),
        }),
        Some(&key),
    );
    let at = processing.current.as_ref().unwrap().retry_at.unwrap();
    let shown = view::retrying_words(
        processing.failure.as_ref(),
        at.saturating_duration_since(processing.now),
    );
    assert_eq!(shown, "Anthropic is busy (529), retrying in 4 s…");
    assert_eq!(
        view::retrying_words(None, Duration::from_millis(300)),
        "Retrying in 1 s…"
    );
}

#[test]
fn a_reply_that_has_not_begun_after_15_s_is_said_to_be_late() {
    let mut processing = processing();
    let key = key();
    let _ = send(&mut processing, Message::Process, Some(&key));
    assert!(processing.needs_ticks(true), "the wait is watched");
    let sent = processing.current.as_ref().unwrap().sent_at;
    let words = |processing: &Processing| processing_status(processing);
    let _ = send(
        &mut processing,
        Message::QueueTick(sent + Duration::from_secs(3)),
        Some(&key),
    );
    assert_eq!(words(&processing), "Waiting for Claude…");
    let _ = send(
        &mut processing,
        Message::QueueTick(sent + Duration::from_secs(17)),
        Some(&key),
    );
    assert_eq!(
        words(&processing),
        "Still waiting for Claude: no answer for 17 s. Anthropic may be slow or having trouble; BrainDump gives up at 45 s, or press Stop."
    );
    // The reply begins: no more ticks needed for it.
    let _ = send(
        &mut processing,
        Message::Stream(Event::Started {
            request_id: None,
            model: String::new(),
            input_tokens: 1,
            cache: Default::default(),
        }),
        Some(&key),
    );
    assert!(!processing.needs_ticks(false));
    // Giving up: its own words, not queued (the server is reachable).
    let mut hung = error(ErrorKind::NotAnswering);
    hung.message = "nothing came back within 45 seconds".into();
    let _ = send(
        &mut processing,
        Message::Stream(Event::Failed(hung)),
        Some(&key),
    );
    assert_eq!(processing.queued(), 0);
    let (headline, ..) = claude::advice(processing.failure.as_ref().unwrap());
    assert_eq!(headline, "Anthropic is not answering.");
}

/// The status line's words, as the view builds them.
fn processing_status(processing: &Processing) -> String {
    let current = processing.current.as_ref().unwrap();
    let waited = processing.now.saturating_duration_since(current.sent_at);
    if waited >= STILL_WAITING {
        view::still_waiting_words(waited, current.gives_up)
    } else {
        "Waiting for Claude…".to_owned()
    }
}

#[test]
fn the_cant_reach_banner_goes_when_the_queued_reply_arrives_and_the_note_is_named() {
    let mut processing = processing();
    let key = key();
    let dir = processing.notes_dir.clone().unwrap();
    let _ = send(
        &mut processing,
        Message::QueueLoaded(dir.clone(), jobs::Owner::Unlocked, Default::default()),
        None,
    );
    let _ = send(&mut processing, Message::Process, Some(&key));
    let _ = send(
        &mut processing,
        Message::Stream(Event::Failed(error(ErrorKind::Connection))),
        Some(&key),
    );
    assert!(
        processing.failure.is_some(),
        "can't reach Anthropic is said"
    );
    let id = processing.queue.jobs[0].id;
    let run = Run {
        mode: "Reflect".into(),
        model: "claude-sonnet-4-5".into(),
        started_at: 1,
        exchanges: vec![],
        input_tokens: 3,
        output_tokens: 4,
        cache_write_tokens: 0,
        cache_read_tokens: 0,
        stop_reason: None,
        masked: false,
        status: Status::Complete,
    };
    let action = send(
        &mut processing,
        Message::JobDone(dir, id, Ok(run)),
        Some(&key),
    );
    assert!(processing.failure.is_none(), "the banner is over");
    let Action::Arrived {
        note,
        input: 3,
        output: 4,
    } = action
    else {
        panic!("the reply's arrival is told to the app");
    };
    assert_eq!(note, NoteId::new("a.md"));
    let _ = processing.take_pending_save();

    // Looking at the note: the reply shows there, nothing more is said.
    processing.reply_arrived(note.clone(), "I feel stuck");
    assert!(processing.arrived().is_none());
    // Looking at another note (after a restart, a new blank one): told.
    let _ = processing.note_selected(Some(NoteId::new("new.md")));
    processing.reply_arrived(note.clone(), "I feel stuck");
    assert_eq!(
        processing.arrived(),
        Some("Claude's reply to a queued request arrived, kept with “I feel stuck”")
    );
    let id = NoteId::new("new.md");
    let action = processing.update(
        Message::OpenArrived,
        Context {
            key: Some(&key),
            note: Some((&id, "", "")),
        },
    );
    assert!(matches!(action, Action::OpenNote(opened) if opened == note));
    assert!(processing.arrived().is_none());
}
