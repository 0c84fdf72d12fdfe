//! Cost and privacy before sending, end to end: the processing panel's
//! real tasks (token counts, the stream) against the fake Anthropic
//! server, the request checked as the server received it.

mod support;

use std::path::PathBuf;

use braindump::claude::{BaseUrl, Client, Model};
use braindump::key::ApiKey;
use braindump::notes::NoteId;
use braindump::screen::processing::{Action, Context, Message, Processing};
use futures::StreamExt;
use support::FakeAnthropic;

const KEY: &str =
    "sk-ant-api03-cost-test-key-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV-AA";

struct Panel {
    processing: Processing,
    note: NoteId,
    text: String,
    key: ApiKey,
    dir: PathBuf,
}

impl Panel {
    async fn new(server: &FakeAnthropic, text: &str) -> Self {
        let dir = tempfile::tempdir().unwrap().keep();
        let client = Client::new(BaseUrl::parse(&server.url()).unwrap());
        let key = ApiKey::new(KEY);
        let models = client
            .models(&key, std::time::Duration::from_secs(5))
            .await
            .unwrap();
        let processing = Processing::new(client, dir.join("modes"), models, 4096);
        let notes = dir.join("notes");
        std::fs::create_dir_all(&notes).unwrap();
        let mut panel = Self {
            processing,
            note: NoteId::new("a.md"),
            text: text.to_owned(),
            key,
            dir: notes.clone(),
        };
        let task = panel.processing.set_notes_dir(notes);
        panel.run(task).await;
        let task = panel.processing.note_selected(Some(NoteId::new("a.md")));
        panel.run(task).await;
        panel
    }

    /// Sends `message` and everything its tasks answer, as iced would.
    async fn send(&mut self, message: Message) {
        let mut pending = vec![message];
        while let Some(message) = pending.pop() {
            let action = self.processing.update(
                message,
                Context {
                    key: Some(&self.key),
                    note: Some((&self.note, "Title", &self.text)),
                },
            );
            let task = match action {
                Action::Run(task) => task,
                Action::Usage { .. } | Action::Arrived { .. } => {
                    self.processing.take_pending_save()
                }
                _ => continue,
            };
            let mut answers = outputs(task).await;
            answers.reverse();
            pending.extend(answers);
        }
    }

    async fn run(&mut self, task: iced::Task<Message>) {
        for message in outputs(task).await {
            self.send(message).await;
        }
    }

    /// The note was typed into: counted after the pause.
    async fn typed(&mut self, text: &str, revision: u64) {
        self.text = text.to_owned();
        let task =
            self.processing
                .note_revision(Some((self.note.clone(), revision, self.text.len())));
        self.run(task).await;
    }
}

async fn outputs(task: iced::Task<Message>) -> Vec<Message> {
    let mut messages = Vec::new();
    let Some(mut stream) = iced_runtime::task::into_stream(task) else {
        return messages;
    };
    while let Some(action) = stream.next().await {
        if let iced_runtime::Action::Output(message) = action {
            messages.push(message);
        }
    }
    messages
}

fn server() -> FakeAnthropic {
    let server = FakeAnthropic::start();
    server.accept_key(KEY);
    server
}

fn message_bodies(server: &FakeAnthropic, path: &str) -> Vec<serde_json::Value> {
    server
        .requests()
        .iter()
        .filter(|request| request.path == path)
        .map(|request| serde_json::from_str(&request.body).unwrap())
        .collect()
}

#[tokio::test]
async fn the_estimate_comes_from_count_tokens_after_a_pause_and_is_cached() {
    let server = server();
    let mut panel = Panel::new(&server, "").await;
    panel
        .typed("I feel stuck about work and I do not know why.", 1)
        .await;
    let estimate = panel.processing.estimate().expect("counted");
    let counted = message_bodies(&server, "/v1/messages/count_tokens");
    assert_eq!(counted.len(), 1);
    assert_eq!(estimate.input, support::input_tokens(&counted[0]));
    // Sonnet 4.5 from the price table: the note in, 4,096 out at most.
    let at_most = (estimate.input as f64 * 3.0 + 4096.0 * 15.0) / 1e6;
    assert_eq!(estimate.max_output, 4096);
    assert!((estimate.at_most.unwrap() - at_most).abs() < 1e-9);
    assert!(
        estimate.words().starts_with(&format!(
            "≈ {} tokens in · up to 4,096 out · ≤ $0.06",
            estimate.input
        )),
        "{}",
        estimate.words()
    );

    // The same text again (typed away and back): no second count.
    panel.typed("I feel stuck", 2).await;
    panel
        .typed("I feel stuck about work and I do not know why.", 3)
        .await;
    assert_eq!(
        message_bodies(&server, "/v1/messages/count_tokens").len(),
        2
    );

    // A count that fails shows nothing, not an error.
    server.script(
        "/v1/messages/count_tokens",
        [support::Reply::error(529, "overloaded_error", "Overloaded")],
    );
    panel.typed("Something new", 4).await;
    assert!(panel.processing.estimate().is_none());
}

#[tokio::test]
async fn a_model_without_a_price_shows_tokens_only() {
    let server = server();
    let mut panel = Panel::new(&server, "").await;
    panel.processing.set_models(vec![Model {
        id: "claude-future-9".into(),
        display_name: "Claude Future 9".into(),
        max_input_tokens: Some(20),
        ..Model::default()
    }]);
    panel.typed("A note of some words that are more than twenty tokens long, as the fake counts them: about four characters each.", 1).await;
    let estimate = panel.processing.estimate().expect("counted");
    assert_eq!(estimate.at_most, None, "never a made-up price");
    assert!(!estimate.words().contains('$'));
    // Above the model's max_input_tokens: told, and nothing is sent.
    assert_eq!(estimate.over_limit, Some(20));
    panel.send(Message::Process).await;
    assert!(message_bodies(&server, "/v1/messages").is_empty());
    assert!(panel.processing.runs().is_empty());
}

#[tokio::test]
async fn what_the_scan_finds_goes_masked_and_comes_back_as_written() {
    let server = server();
    let note = "Ask ana.lopez@example.org about the offer; my key is sk-ant-api03-NotMyRealKey0123456789abcdef.";
    let mut panel = Panel::new(&server, note).await;
    panel.send(Message::Process).await;
    assert!(
        message_bodies(&server, "/v1/messages").is_empty(),
        "nothing goes before the user's word"
    );
    let found = panel.processing.privacy_findings().expect("held").to_vec();
    assert_eq!(found.len(), 2);

    panel.send(Message::SendMasked).await;
    let sent = message_bodies(&server, "/v1/messages");
    assert_eq!(sent.len(), 1);
    let wire = sent[0].to_string();
    assert!(!wire.contains("ana.lopez@example.org"), "{wire}");
    assert!(!wire.contains("sk-ant-api03-NotMyRealKey"), "{wire}");
    assert!(
        wire.contains("[email 1]") && wire.contains("[Anthropic key 1]"),
        "{wire}"
    );
    // The fake echoes the note: the reply shows the originals again.
    let run = panel.processing.runs().last().expect("a run").clone();
    assert_eq!(run.exchanges[0].answer, format!("You wrote: {note}"));
    assert!(run.masked);

    // Cancel sends nothing.
    let mut panel = Panel::new(&server, note).await;
    panel.send(Message::Process).await;
    panel.send(Message::CancelSend).await;
    assert_eq!(message_bodies(&server, "/v1/messages").len(), 1);
    assert!(panel.processing.privacy_findings().is_none());
}

#[tokio::test]
async fn a_reply_cut_at_the_limit_continues_into_the_same_answer() {
    let server = server();
    let mut panel = Panel::new(&server, "one two three four five six seven").await;
    panel.processing.set_max_tokens(3);
    panel.send(Message::Process).await;
    let run = panel.processing.runs()[0].clone();
    assert_eq!(run.stop_reason.as_deref(), Some("max_tokens"));
    assert_eq!(run.exchanges[0].answer, "You wrote: one ");

    panel.send(Message::RaiseLimit(100)).await;
    panel.send(Message::Continue).await;
    let sent = message_bodies(&server, "/v1/messages");
    let last = sent.last().unwrap();
    let messages = last["messages"].as_array().unwrap();
    assert_eq!(messages.last().unwrap()["role"], "assistant", "a prefill");
    assert_eq!(last["max_tokens"], 100);
    let runs = panel.processing.runs();
    assert_eq!(runs.len(), 1, "the same run");
    assert_eq!(runs[0].exchanges.len(), 1, "the same answer, longer");
    assert_eq!(
        runs[0].exchanges[0].answer,
        "You wrote: one two three four five six seven"
    );
    assert_eq!(runs[0].stop_reason, None);
}

#[tokio::test]
async fn follow_ups_read_the_note_from_the_cache_and_the_month_counts_it() {
    let server = server();
    let note = "A long week, written out at length. ".repeat(150);
    let mut panel = Panel::new(&server, &note).await;
    panel.send(Message::Process).await;
    panel
        .send(Message::FollowUpChanged("What first?".into()))
        .await;
    panel.send(Message::AskFollowUp).await;
    let run = panel.processing.runs()[0].clone();
    assert_eq!(run.exchanges.len(), 2);
    assert!(run.cache_write_tokens >= support::CACHE_MINIMUM, "{run:?}");
    assert!(run.cache_read_tokens >= support::CACHE_MINIMUM, "{run:?}");
    let month = panel.processing.month().expect("read at start");
    let tokens = month.tokens();
    assert_eq!(tokens.cache_read, run.cache_read_tokens);
    assert_eq!(tokens.output, run.output_tokens);
    // And read again from the kept runs, the same.
    let again = braindump::spending::this_month(panel.dir.clone()).await;
    assert_eq!(again.tokens(), tokens);
}

#[tokio::test]
async fn over_the_budget_process_asks_first() {
    let server = server();
    let mut panel = Panel::new(&server, "A thought.").await;
    panel.processing.set_budget(Some(0.000_001));
    panel.send(Message::Process).await;
    assert_eq!(
        message_bodies(&server, "/v1/messages").len(),
        1,
        "no spending yet: sent"
    );
    panel.send(Message::Process).await;
    assert_eq!(
        message_bodies(&server, "/v1/messages").len(),
        1,
        "the budget is used up: it asks"
    );
    panel.send(Message::SendAnyway).await;
    assert_eq!(message_bodies(&server, "/v1/messages").len(), 2);
}

#[tokio::test]
async fn offline_then_back_the_banner_goes_and_the_reply_is_named() {
    let server = server();
    let mut panel = Panel::new(&server, "Queued while offline.").await;
    // Nobody answers at first: the request is queued, and the panel says
    // Anthropic cannot be reached.
    panel.processing.set_client(Client::new(
        BaseUrl::parse(&support::refused_url()).unwrap(),
    ));
    panel
        .send(Message::QueueLoaded(
            panel.dir.clone(),
            braindump::jobs::Owner::Unlocked,
            Default::default(),
        ))
        .await;
    panel.send(Message::Process).await;
    assert_eq!(panel.processing.queued(), 1);
    assert_eq!(
        panel.processing.failure().map(|error| error.kind),
        Some(braindump::claude::ErrorKind::Connection)
    );
    // Another note is opened (after a restart, a new blank one) and
    // Anthropic is back: the queue gets through.
    let task = panel.processing.note_selected(Some(NoteId::new("new.md")));
    panel.run(task).await;
    panel.note = NoteId::new("new.md");
    panel
        .processing
        .set_client(Client::new(BaseUrl::parse(&server.url()).unwrap()));
    let later =
        std::time::Instant::now() + braindump::jobs::backoff(0) + std::time::Duration::from_secs(1);
    let action = panel.processing.update(
        Message::QueueTick(later),
        Context {
            key: Some(&panel.key),
            note: Some((&panel.note, "", "")),
        },
    );
    let Action::Run(task) = action else {
        panic!("the queued request is sent");
    };
    let done = outputs(task).await;
    let mut arrived = None;
    for message in done {
        if let Action::Arrived { note, .. } = panel.processing.update(
            message,
            Context {
                key: Some(&panel.key),
                note: Some((&panel.note, "", "")),
            },
        ) {
            arrived = Some(note);
        }
    }
    let note = arrived.expect("the app is told the reply arrived, and for which note");
    assert_eq!(note, NoteId::new("a.md"));
    panel
        .processing
        .reply_arrived(note, "Queued while offline.");
    assert!(
        panel.processing.failure().is_none(),
        "no stale can't-reach banner"
    );
    assert_eq!(panel.processing.queued(), 0);
    assert_eq!(
        panel.processing.arrived(),
        Some("Claude's reply to a queued request arrived, kept with “Queued while offline.”")
    );
    assert_eq!(message_bodies(&server, "/v1/messages").len(), 1);
}

#[tokio::test]
async fn on_a_model_without_prefill_continue_asks_in_words() {
    let server = server();
    let mut panel = Panel::new(&server, "one two three four five six seven").await;
    panel.processing.set_models(vec![Model {
        id: "claude-sonnet-4-6".into(),
        display_name: "Claude Sonnet 4.6".into(),
        max_tokens: Some(64_000),
        ..Model::default()
    }]);
    panel.processing.set_max_tokens(3);
    panel.send(Message::Process).await;
    assert_eq!(
        panel.processing.runs()[0].stop_reason.as_deref(),
        Some("max_tokens")
    );
    panel.send(Message::RaiseLimit(100)).await;
    panel.send(Message::Continue).await;
    let sent = message_bodies(&server, "/v1/messages");
    let messages = sent.last().unwrap()["messages"].as_array().unwrap().clone();
    let last = messages.last().unwrap();
    assert_eq!(last["role"], "user", "Claude 4.6 refuses a prefill");
    assert_eq!(
        support::text_of_content(&last["content"]),
        braindump::claude::stream::CONTINUE_INSTRUCTION
    );
    let runs = panel.processing.runs();
    assert_eq!(runs.len(), 1);
    assert_eq!(
        runs[0].exchanges[0].answer,
        "You wrote: one two three four five six seven"
    );
    assert!(panel.processing.failure().is_none());
}
