//! The offline queue against the fake server: a job queued while Anthropic
//! cannot be reached is sent once it can; a queue saved before a restart is
//! picked up and drained after it.

mod support;

use braindump::claude::{BaseUrl, Client, ErrorKind};
use braindump::jobs::{self, Job, Queue, State};
use braindump::key::ApiKey;
use braindump::notes::runs::Status;

const KEY: &str =
    "sk-ant-api03-queue-test-key-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-AA";

fn job() -> Job {
    Job {
        id: 0,
        note: "a.md".into(),
        mode: "Summarize".into(),
        model: "claude-sonnet-4-5".into(),
        max_tokens: 512,
        system: "Summarize.".into(),
        text: "Text as it was when queued".into(),
        masked: false,
        queued_at: 1_700_000_000,
        attempts: 0,
        state: State::Pending,
    }
}

#[tokio::test]
async fn offline_then_online_drains_the_queue() {
    let mut queue = Queue::default();
    let id = queue.push(job());

    // Offline: nothing listens.
    let offline = Client::new(BaseUrl::parse(&support::refused_url()).unwrap());
    let error = jobs::send(offline, ApiKey::new(KEY), queue.next().unwrap().clone())
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Connection);
    assert!(jobs::is_transient(&error), "kept for later");
    assert_eq!(queue.pending(), 1);

    // Online again.
    let server = support::FakeAnthropic::start();
    server.accept_key(KEY);
    let online = Client::new(BaseUrl::parse(&server.url()).unwrap());
    let run = jobs::send(online, ApiKey::new(KEY), queue.next().unwrap().clone())
        .await
        .unwrap();
    queue.remove(id);
    assert_eq!(queue.pending(), 0);
    assert_eq!(run.status, Status::Complete);
    assert_eq!(run.mode, "Summarize");
    assert_eq!(
        run.exchanges[0].answer,
        "You wrote: Text as it was when queued"
    );

    let body: serde_json::Value = serde_json::from_str(&server.requests()[0].body).unwrap();
    assert_eq!(
        support::text_of_content(&body["messages"][0]["content"]),
        "Text as it was when queued"
    );
    assert_eq!(support::text_of_content(&body["system"]), "Summarize.");
}

#[tokio::test]
async fn a_queued_job_survives_a_restart() {
    let notes = tempfile::tempdir().unwrap();
    let mut queue = Queue::default();
    queue.push(job());
    jobs::save(notes.path().to_path_buf(), queue).await.unwrap();

    // A new process: the queue comes back from disk.
    let (queue, problem) = jobs::load(notes.path().to_path_buf()).await;
    assert_eq!(problem, None);
    let pending = queue.next().expect("the job is still queued").clone();
    let server = support::FakeAnthropic::start();
    server.accept_key(KEY);
    let client = Client::new(BaseUrl::parse(&server.url()).unwrap());
    let run = jobs::send(client, ApiKey::new(KEY), pending).await.unwrap();
    assert_eq!(run.exchanges[0].question, "Text as it was when queued");
}

#[tokio::test]
async fn a_job_anthropic_refuses_is_not_retried_forever() {
    let server = support::FakeAnthropic::start();
    let client = Client::new(BaseUrl::parse(&server.url()).unwrap());
    let error = jobs::send(client, ApiKey::new(KEY), job())
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Authentication);
    assert!(!jobs::is_transient(&error));
}
