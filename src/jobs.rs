//! The offline queue: processing requests that could not reach Anthropic,
//! kept on disk (`.braindump/queue.json` in the notes folder) until they can.
//!
//! A queued job holds the note's text as it was when queued, so later edits
//! do not change what is sent; the workspace says so.

use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::StreamExt;
use serde::{Deserialize, Serialize};

use crate::claude::stream::{self, Event, Request, RetryPolicy, Role, Turn};
use crate::claude::{ApiError, Client, ErrorKind};
use crate::key::ApiKey;
use crate::notes::runs::{DATA_DIR, Exchange, Run, Status};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum State {
    #[default]
    Pending,
    Sending,
    /// Anthropic answered with an error that waiting will not fix.
    Failed {
        reason: String,
    },
    /// Its note is in the trash (under this file name there): not sent,
    /// unless the note comes back.
    Parked {
        trashed: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: u64,
    /// The note's file name.
    pub note: String,
    pub mode: String,
    pub model: String,
    pub max_tokens: u32,
    pub system: String,
    /// The note's text when it was queued.
    pub text: String,
    /// Sent with what the privacy scan finds masked (the user chose so
    /// before it was queued); the answer comes back with the originals.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub masked: bool,
    /// Unix seconds.
    pub queued_at: i64,
    pub attempts: u32,
    #[serde(flatten)]
    pub state: State,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub jobs: Vec<Job>,
    next_id: u64,
}

impl Queue {
    pub fn path(notes_dir: &Path) -> PathBuf {
        notes_dir.join(DATA_DIR).join("queue.json")
    }

    /// The saved queue; a job that was being sent when the app stopped is
    /// pending again. A damaged queue is kept aside (see [`state_file`]),
    /// and the jobs still readable in it are kept: the problem comes with
    /// them, to tell the user.
    ///
    /// [`state_file`]: crate::state_file
    pub fn load_blocking(notes_dir: &Path) -> (Self, Option<String>) {
        use crate::state_file::{self, Loaded};
        let (mut queue, problem) = match state_file::load::<Self>(&Self::path(notes_dir)) {
            Loaded::Missing => (Self::default(), None),
            Loaded::Read(queue) => (queue, None),
            Loaded::Damaged { problem, bytes } => {
                let jobs: Vec<Job> = state_file::salvage_items(&bytes, Some("jobs"));
                let next_id = jobs.iter().map(|job| job.id).max().unwrap_or(0);
                let saved = match jobs.len() {
                    0 => "no queued request could be recovered from it".to_owned(),
                    1 => "1 queued request was recovered from it".to_owned(),
                    n => format!("{n} queued requests were recovered from it"),
                };
                (Self { jobs, next_id }, Some(format!("{problem}; {saved}")))
            }
        };
        for job in &mut queue.jobs {
            if job.state == State::Sending {
                job.state = State::Pending;
            }
        }
        (queue, problem)
    }

    pub fn save_blocking(&self, notes_dir: &Path) -> Result<(), String> {
        self.save_in_order(notes_dir, crate::atomic::ticket())
    }

    fn save_in_order(&self, notes_dir: &Path, ticket: u64) -> Result<(), String> {
        crate::state_file::save(&Self::path(notes_dir), self, ticket)
            .map_err(|error| crate::notes::SaveError::from_io(&error).to_string())
    }

    pub fn push(&mut self, mut job: Job) -> u64 {
        self.next_id = self
            .next_id
            .max(self.jobs.iter().map(|job| job.id).max().unwrap_or(0))
            + 1;
        job.id = self.next_id;
        self.jobs.push(job);
        self.next_id
    }

    /// Jobs still to be sent (pending or being sent).
    pub fn pending(&self) -> usize {
        self.jobs
            .iter()
            .filter(|job| matches!(job.state, State::Pending | State::Sending))
            .count()
    }

    /// A note went to the trash as `trashed`: its jobs wait with it (a job
    /// being sent now is parked when it comes back unanswered; an answer
    /// that arrives is kept with the note's replies). Returns how many.
    pub fn park(&mut self, note: &str, trashed: &str) -> usize {
        let mut parked = 0;
        for job in self.jobs.iter_mut().filter(|job| job.note == note) {
            if job.state == State::Pending {
                job.state = State::Parked {
                    trashed: trashed.to_owned(),
                };
                parked += 1;
            }
        }
        parked
    }

    /// A note is now called `to` (moved to another folder): its jobs go
    /// with it. Returns how many.
    pub fn rename(&mut self, from: &str, to: &str) -> usize {
        let mut renamed = 0;
        for job in self.jobs.iter_mut().filter(|job| job.note == from) {
            job.note = to.to_owned();
            renamed += 1;
        }
        renamed
    }

    /// A trashed note came back as `note`: its jobs go on.
    pub fn unpark(&mut self, trashed: &str, note: &str) -> usize {
        let mut unparked = 0;
        for job in &mut self.jobs {
            if matches!(&job.state, State::Parked { trashed: parked } if parked == trashed) {
                job.state = State::Pending;
                job.note = note.to_owned();
                unparked += 1;
            }
        }
        unparked
    }

    /// A trashed note was deleted for good: its waiting jobs go too.
    /// Returns how many.
    pub fn drop_parked(&mut self, trashed: &str) -> usize {
        let before = self.jobs.len();
        self.jobs.retain(
            |job| !matches!(&job.state, State::Parked { trashed: parked } if parked == trashed),
        );
        before - self.jobs.len()
    }

    /// The next job to send, if none is being sent.
    pub fn next(&self) -> Option<&Job> {
        if self.jobs.iter().any(|job| job.state == State::Sending) {
            return None;
        }
        self.jobs.iter().find(|job| job.state == State::Pending)
    }

    pub fn job_mut(&mut self, id: u64) -> Option<&mut Job> {
        self.jobs.iter_mut().find(|job| job.id == id)
    }

    pub fn remove(&mut self, id: u64) -> Option<Job> {
        let index = self.jobs.iter().position(|job| job.id == id)?;
        Some(self.jobs.remove(index))
    }

    pub fn for_note(&self, note: &str) -> impl Iterator<Item = &Job> {
        self.jobs.iter().filter(move |job| job.note == note)
    }
}

/// How long to wait before trying a queue again after `attempts` failures:
/// 5 s, 10 s, 20 s, … up to 2 minutes.
pub fn backoff(attempts: u32) -> Duration {
    Duration::from_secs(5u64.saturating_mul(1 << attempts.min(5))).min(Duration::from_secs(120))
}

/// Sends a job and collects the whole reply. `Err` when Anthropic could not
/// be reached (try again later) or refused (see the error's kind).
pub async fn send(client: Client, key: ApiKey, job: Job) -> Result<Run, ApiError> {
    let mut masks = crate::privacy::Masks::default();
    let content = if job.masked {
        masks.mask(&job.text)
    } else {
        job.text.clone()
    };
    let request = Request {
        model: job.model.clone(),
        max_tokens: job.max_tokens,
        system: job.system.clone(),
        messages: vec![Turn {
            role: Role::User,
            content,
        }],
    };
    let mut events = Box::pin(stream::stream(client, key, request, RetryPolicy::default()));
    let mut answer = String::new();
    let (mut input_tokens, mut output_tokens) = (0, 0);
    let mut cache = stream::CacheUsage::default();
    let mut model = job.model.clone();
    while let Some(event) = events.next().await {
        match event {
            Event::Started {
                input_tokens: input,
                model: used,
                cache: used_cache,
                ..
            } => {
                input_tokens = input;
                cache = used_cache;
                if !used.is_empty() {
                    model = used;
                }
            }
            Event::Delta(text) => answer.push_str(&text),
            Event::Usage {
                output_tokens: output,
            } => output_tokens = output,
            Event::Finished { stop_reason } => {
                return Ok(Run {
                    mode: job.mode,
                    model,
                    started_at: jiff::Timestamp::now().as_second(),
                    exchanges: vec![Exchange {
                        question: job.text,
                        answer: masks.unmask(&answer),
                    }],
                    input_tokens,
                    output_tokens,
                    cache_write_tokens: cache.written,
                    cache_read_tokens: cache.read,
                    stop_reason: stop_reason.filter(|reason| stream::cut_short(reason)),
                    masked: job.masked,
                    status: Status::Complete,
                });
            }
            Event::Failed(error) => return Err(error),
            Event::Retrying { .. } => {}
        }
    }
    Err(ApiError::from_parts(0, &Default::default(), ""))
}

/// Whether a failure means "try again later" (offline, overloaded) rather
/// than "this job cannot succeed".
pub fn is_transient(error: &ApiError) -> bool {
    matches!(
        error.kind,
        ErrorKind::Connection
            | ErrorKind::TimedOut
            | ErrorKind::NotAnswering
            | ErrorKind::Overloaded
            | ErrorKind::Server
            | ErrorKind::GatewayTimeout
            | ErrorKind::RateLimited
            | ErrorKind::Interrupted
    )
}

/// The folder's queue, and a problem to tell about (it was damaged).
pub async fn load(notes_dir: PathBuf) -> (Queue, Option<String>) {
    tokio::task::spawn_blocking(move || Queue::load_blocking(&notes_dir))
        .await
        .unwrap_or_else(|error| (Queue::default(), Some(error.to_string())))
}

/// Who may write a folder's queue: one BrainDump process at a time, the
/// one holding `.braindump/queue.lock` (an advisory lock the system drops
/// when the process ends, however it ends).
#[derive(Debug, Clone)]
pub enum Owner {
    /// This process: the lock is held while this value lives.
    Us(std::sync::Arc<std::fs::File>),
    /// Another BrainDump process has this folder open.
    Elsewhere,
    /// Locks do not work here (say, a read-only folder): the queue is used
    /// as before, unlocked.
    Unlocked,
}

pub fn lock_blocking(notes_dir: &Path) -> Owner {
    let path = notes_dir.join(DATA_DIR).join("queue.lock");
    let file = std::fs::create_dir_all(notes_dir.join(DATA_DIR)).and_then(|()| {
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
    });
    let file = match file {
        Ok(file) => file,
        Err(error) => {
            tracing::warn!(
                "the queue of {} is not locked: {error}",
                notes_dir.display()
            );
            return Owner::Unlocked;
        }
    };
    match file.try_lock() {
        Ok(()) => Owner::Us(std::sync::Arc::new(file)),
        Err(std::fs::TryLockError::WouldBlock) => Owner::Elsewhere,
        Err(std::fs::TryLockError::Error(error)) => {
            tracing::warn!(
                "the queue of {} is not locked: {error}",
                notes_dir.display()
            );
            Owner::Unlocked
        }
    }
}

/// Takes the folder's queue lock, then (if it is ours) reads the queue.
pub async fn open(notes_dir: PathBuf) -> (Owner, Queue, Option<String>) {
    tokio::task::spawn_blocking(move || match lock_blocking(&notes_dir) {
        Owner::Elsewhere => (Owner::Elsewhere, Queue::default(), None),
        owner => {
            let (queue, problem) = Queue::load_blocking(&notes_dir);
            (owner, queue, problem)
        }
    })
    .await
    .unwrap_or_else(|error| (Owner::Unlocked, Queue::default(), Some(error.to_string())))
}

/// Saves the queue; of two saves, the one asked for later wins.
pub fn save(
    notes_dir: PathBuf,
    queue: Queue,
) -> impl std::future::Future<Output = Result<(), String>> {
    let ticket = crate::atomic::ticket();
    async move {
        tokio::task::spawn_blocking(move || queue.save_in_order(&notes_dir, ticket))
            .await
            .map_err(|error| error.to_string())?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(note: &str) -> Job {
        Job {
            id: 0,
            note: note.into(),
            mode: "Reflect".into(),
            model: "claude-sonnet-4-5".into(),
            max_tokens: 1024,
            system: "Reflect.".into(),
            text: "I feel stuck".into(),
            masked: false,
            queued_at: 1_700_000_000,
            attempts: 0,
            state: State::Pending,
        }
    }

    #[test]
    fn jobs_follow_a_note_moved_to_another_folder() {
        let mut queue = Queue::default();
        queue.push(job("a.md"));
        queue.push(job("b.md"));
        assert_eq!(queue.rename("a.md", "Work/a.md"), 1);
        assert_eq!(queue.for_note("Work/a.md").count(), 1);
        assert_eq!(queue.for_note("a.md").count(), 0);
        assert_eq!(queue.for_note("b.md").count(), 1);
    }

    #[test]
    fn jobs_of_a_note_deleted_for_good_go_with_it() {
        let mut queue = Queue::default();
        queue.push(job("a.md"));
        queue.push(job("b.md"));
        assert_eq!(queue.park("a.md", "a 2.md"), 1);
        assert_eq!(queue.drop_parked("other.md"), 0);
        assert_eq!(queue.drop_parked("a 2.md"), 1);
        assert_eq!(queue.jobs.len(), 1);
        assert_eq!(queue.jobs[0].note, "b.md");
    }

    #[test]
    fn the_queue_survives_a_restart_and_resumes_a_job_that_was_sending() {
        let dir = tempfile::tempdir().unwrap();
        let mut queue = Queue::default();
        let first = queue.push(job("a.md"));
        let second = queue.push(job("b.md"));
        assert_ne!(first, second);
        queue.job_mut(first).unwrap().state = State::Sending;
        assert_eq!(queue.next(), None, "one at a time");
        queue.save_blocking(dir.path()).unwrap();

        let (loaded, problem) = Queue::load_blocking(dir.path());
        assert_eq!(problem, None);
        assert_eq!(loaded.jobs.len(), 2);
        assert_eq!(loaded.next().map(|job| job.id), Some(first));
        assert_eq!(loaded.pending(), 2);
        let mut loaded = loaded;
        assert!(loaded.remove(first).is_some());
        assert_eq!(loaded.push(job("c.md")), second + 1, "ids are never reused");
    }

    #[test]
    fn a_damaged_queue_is_kept_aside_and_its_readable_jobs_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut queue = Queue::default();
        queue.push(job("a.md"));
        queue.push(job("b.md"));
        queue.save_blocking(dir.path()).unwrap();
        let path = Queue::path(dir.path());
        let mut json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        json["jobs"][0]["attempts"] = "many".into();
        json["next_id"] = serde_json::Value::Null;
        std::fs::write(&path, serde_json::to_vec(&json).unwrap()).unwrap();

        let (loaded, problem) = Queue::load_blocking(dir.path());
        let problem = problem.expect("told");
        assert!(
            problem.contains("1 queued request was recovered"),
            "{problem}"
        );
        assert_eq!(loaded.jobs.len(), 1);
        assert_eq!(loaded.jobs[0].note, "b.md");
        let kept: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.starts_with("queue.json.") && name.ends_with(".damaged"))
            .collect();
        assert_eq!(kept.len(), 1, "kept aside");
        let mut loaded = loaded;
        assert!(loaded.push(job("c.md")) > 2, "ids are never reused");
    }

    #[test]
    fn a_trashed_notes_jobs_wait_with_it_and_follow_it_back() {
        let mut queue = Queue::default();
        let kept = queue.push(job("b.md"));
        queue.push(job("a.md"));
        assert_eq!(queue.park("a.md", "a 2.md"), 1);
        assert_eq!(queue.pending(), 1);
        assert_eq!(queue.next().map(|job| job.id), Some(kept));
        queue.remove(kept);
        assert_eq!(queue.next(), None, "a parked job is not sent");
        assert_eq!(queue.unpark("a 2.md", "a 3.md"), 1);
        assert_eq!(queue.next().map(|job| job.note.as_str()), Some("a 3.md"));
    }

    #[test]
    fn one_process_at_a_time_owns_a_folders_queue() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock_blocking(dir.path());
        assert!(matches!(first, Owner::Us(_)));
        // A second open of the lock file stands for a second process: on
        // Linux these locks belong to the open file, not the process.
        assert!(matches!(lock_blocking(dir.path()), Owner::Elsewhere));
        drop(first);
        assert!(matches!(lock_blocking(dir.path()), Owner::Us(_)));
    }

    #[test]
    fn backoff_grows_to_two_minutes() {
        let seconds: Vec<u64> = (0..8).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(seconds, [5, 10, 20, 40, 80, 120, 120, 120]);
    }
}
