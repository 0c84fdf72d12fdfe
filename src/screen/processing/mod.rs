//! Processing a note with Claude: the mode and model, the streamed reply,
//! follow-up questions, earlier runs, and the offline queue.
//!
//! Owned by the app and shown beside the editor. Network and disk work
//! leave `update` as Tasks; a streaming reply is a `Task::run` over the
//! client's event stream, kept abortable so Stop drops the request.

mod ask;
mod estimate;
mod export;
mod queue;
mod reply;
mod view;

use crate::widget::reply::is_safe_link;
use std::path::PathBuf;
use std::time::Instant;

use iced::widget::markdown;
use iced::{Task, task};

use crate::claude::stream::Event;
use crate::claude::{self, ApiError, Client, Model};
use crate::jobs::{self, Queue};
use crate::key::ApiKey;
use crate::modes::{self, Mode};
use crate::notes::NoteId;
use crate::notes::runs::{self, Run};

pub const DEFAULT_MAX_TOKENS: u32 = 4096;
/// Used when no model list is known yet (the key was never checked).
pub const FALLBACK_MODEL: &str = "claude-sonnet-4-5";
pub const FOLLOW_UP_ID: &str = "follow-up";
/// A reply that has not begun after this long is said to be late.
pub const STILL_WAITING: std::time::Duration = std::time::Duration::from_secs(15);
/// Told when another BrainDump process owns this folder's offline queue.
pub const ELSEWHERE: &str = "This notes folder is also open in another BrainDump window, which keeps its offline queue: requests that cannot reach Anthropic from here are not queued. Use that window, or close it and reopen this one.";

pub use estimate::Estimate;

pub struct Processing {
    client: Client,
    /// Token counts of what Process would send (see `estimate`).
    estimates: estimate::Estimates,
    /// This month's spending in this notes folder (`None` until read),
    /// and the monthly budget in dollars, if one is set.
    month: Option<crate::spending::Month>,
    budget: Option<f64>,
    /// Process was pressed with the budget used up: it waits for a word.
    over_budget: bool,
    /// The request Process (or the follow-up being typed) would send, as
    /// JSON, while the preview is open; refreshed when typing pauses.
    preview: Option<String>,
    /// A request held back because the privacy scan found something in
    /// it: it waits for the user's word (send as is, masked, or not).
    privacy: Option<ask::Held>,
    notes_dir: Option<PathBuf>,
    modes_dir: PathBuf,
    modes: Vec<Mode>,
    mode: String,
    models: Vec<Model>,
    model: Option<String>,
    max_tokens: u32,
    /// The note whose runs are shown.
    note: Option<NoteId>,
    runs: Vec<Run>,
    runs_problem: Option<String>,
    /// Which earlier run is shown (when nothing streams).
    shown: Option<usize>,
    /// The shown text, parsed as Markdown as it arrives.
    content: markdown::Content,
    /// Bumped whenever `content` is replaced (not appended to), so that the
    /// view re-renders blocks it kept from before.
    generation: u64,
    /// The last request was a follow-up (Retry asks it again).
    follow_up_asked: bool,
    current: Option<Current>,
    /// The last failure of the shown note, with the way on.
    failure: Option<ApiError>,
    follow_up: String,
    queue: Queue,
    queue_retry_at: Option<Instant>,
    notice: Option<String>,
    /// A queued request was answered: its note, and the words that say so
    /// (with Open), until dismissed or opened.
    arrived: Option<(NoteId, String)>,
    now: Instant,
    /// Disk work that goes with an `Action::Usage`.
    pending_save: Option<Task<Message>>,
    /// The queue of the current folder has been read (until then it is
    /// not saved, so as not to overwrite it).
    queue_loaded: bool,
    /// Whether this process owns the folder's queue (see `jobs::Owner`).
    queue_owner: jobs::Owner,
    /// Jobs that were being sent when their note went to the trash, with
    /// its name there: an answer goes to the trashed note's replies, a
    /// failure parks the job.
    trashed_while_sending: std::collections::HashMap<u64, String>,
    /// No file dialog here: the export path being typed, and what was wrong
    /// with the last one tried.
    export_path: Option<(String, Option<String>)>,
}

struct Current {
    note: NoteId,
    /// The notes folder the note is in.
    dir: PathBuf,
    /// Input tokens of this request alone (full price), and the cache's.
    input_tokens: u64,
    cache: crate::claude::stream::CacheUsage,
    /// The run as it was before (a follow-up continues it) or a new one.
    run: Run,
    /// Index in `runs` of the run a follow-up continues.
    continues: Option<usize>,
    /// Continue: the reply goes on from the last answer (an assistant
    /// prefill), and is added to it rather than as a new exchange.
    extends: bool,
    stop_reason: Option<String>,
    /// What was masked in the request, to put back in the answer.
    masks: Option<crate::privacy::Masks>,
    question: String,
    answer: String,
    output_tokens: u64,
    handle: task::Handle,
    retry_at: Option<Instant>,
    /// When the current attempt went out, and whether its reply has begun:
    /// from [`STILL_WAITING`] on, the panel says how long it has waited.
    sent_at: Instant,
    started: bool,
    /// When the request is given up on if its reply has not begun.
    gives_up: std::time::Duration,
    /// The content generation the reply streams into.
    generation: u64,
}

#[derive(Debug, Clone)]
pub enum Message {
    SelectMode(String),
    SelectModel(String),
    Process,
    Stop,
    Stream(Event),
    Retry,
    FollowUpChanged(String),
    AskFollowUp,
    ShowRun(usize),
    Copy,
    Insert,
    RunsLoaded(NoteId, (Vec<Run>, Option<String>)),
    Saved(Result<(), String>),
    ModesLoaded(Vec<Mode>),
    QueueLoaded(PathBuf, jobs::Owner, (Queue, Option<String>)),
    QueueTick(Instant),
    JobDone(PathBuf, u64, Result<Run, ApiError>),
    JobStored(PathBuf, NoteId),
    CancelJob(u64),
    FixKey,
    OpenBilling,
    Link(markdown::Uri),
    Export,
    Exported(Result<Option<PathBuf>, String>),
    /// No file dialog here; the path to offer instead.
    NoExportDialog(String),
    ExportPath(String),
    ExportTyped,
    CancelExport,
    TypedExportDone(Result<PathBuf, String>),
    DismissNotice,
    /// Typing paused: count the tokens of what Process would send, if this
    /// is still the latest change.
    CountDue(u64),
    /// The count for a request (by hash); `None` when it failed.
    Counted(u64, Option<u64>),
    /// Open the note a queued request's reply went to.
    OpenArrived,
    /// This month's spending in a folder, read from its kept runs.
    SpendingLoaded(PathBuf, crate::spending::Month),
    /// The shown reply was cut short (the length limit, a pause): ask
    /// for the rest.
    Continue,
    /// Raise the reply limit to this, from a reply cut at the old one.
    RaiseLimit(u32),
    /// Over the budget: send this one all the same, or not.
    SendAnyway,
    CancelSend,
    /// The privacy scan found something: send as it is, or masked.
    SendAsIs,
    SendMasked,
    /// Show (or hide) exactly what would be sent; nothing is sent.
    TogglePreview,
}

/// What only the app can do.
pub enum Action {
    None,
    Run(Task<Message>),
    /// Open the key flow; the note stays as it is.
    FixKey,
    InsertIntoNote(String),
    /// Tokens spent, for the running total.
    Usage {
        input: u64,
        output: u64,
    },
    /// A queued request's reply was stored with `note`, after spending
    /// these tokens: the app marks the note and names it (see
    /// [`Processing::reply_arrived`]).
    Arrived {
        note: NoteId,
        input: u64,
        output: u64,
    },
    /// Open this note.
    OpenNote(NoteId),
    /// The longest reply is now this (kept in the settings).
    SetMaxTokens(u32),
}

impl From<Task<Message>> for Action {
    fn from(task: Task<Message>) -> Self {
        Self::Run(task)
    }
}

/// What processing needs from the rest of the app, for one update.
pub struct Context<'a> {
    pub key: Option<&'a ApiKey>,
    /// The open note: its id, title and current text.
    pub note: Option<(&'a NoteId, &'a str, &'a str)>,
}

impl Processing {
    pub fn new(client: Client, modes_dir: PathBuf, models: Vec<Model>, max_tokens: u32) -> Self {
        let mut processing = Self {
            client,
            estimates: estimate::Estimates::default(),
            month: None,
            budget: None,
            over_budget: false,
            privacy: None,
            preview: None,
            notes_dir: None,
            modes_dir,
            modes: modes::builtin(),
            mode: "Reflect".to_owned(),
            models: Vec::new(),
            model: None,
            max_tokens,
            note: None,
            runs: Vec::new(),
            runs_problem: None,
            shown: None,
            content: markdown::Content::new(),
            generation: 0,
            follow_up_asked: false,
            current: None,
            failure: None,
            follow_up: String::new(),
            queue: Queue::default(),
            queue_retry_at: None,
            notice: None,
            arrived: None,
            now: Instant::now(),
            pending_save: None,
            queue_loaded: false,
            queue_owner: jobs::Owner::Unlocked,
            trashed_while_sending: std::collections::HashMap::new(),
            export_path: None,
        };
        processing.set_models(models);
        processing
    }

    /// Loads the user's modes; call at start and when the folder changes.
    pub fn load_modes(&self) -> Task<Message> {
        Task::perform(modes::load(self.modes_dir.clone()), Message::ModesLoaded)
    }

    pub fn modes_dir(&self) -> &PathBuf {
        &self.modes_dir
    }

    /// A (new) notes folder: its queue is loaded.
    pub fn set_notes_dir(&mut self, dir: PathBuf) -> Task<Message> {
        self.notes_dir = Some(dir.clone());
        self.note = None;
        self.runs.clear();
        // Another folder, another queue: nothing is saved over it before it
        // has been read.
        self.queue = Queue::default();
        self.queue_loaded = false;
        // The old folder's lock goes; the new one's is taken with its queue.
        self.queue_owner = jobs::Owner::Unlocked;
        self.month = None;
        let loaded = dir.clone();
        let spent = dir.clone();
        Task::batch([
            Task::perform(jobs::open(dir.clone()), move |(owner, queue, problem)| {
                Message::QueueLoaded(loaded.clone(), owner, (queue, problem))
            }),
            Task::perform(crate::spending::this_month(dir), move |month| {
                Message::SpendingLoaded(spent.clone(), month)
            }),
        ])
    }

    pub fn set_budget(&mut self, budget: Option<f64>) {
        self.budget = budget;
    }

    /// This month's spending, once read.
    pub fn month(&self) -> Option<&crate::spending::Month> {
        self.month.as_ref()
    }

    /// The share of the budget used, when there is a budget.
    pub fn budget_used(&self) -> Option<(f64, f64)> {
        let budget = self.budget.filter(|&budget| budget > 0.0)?;
        let (spent, _) = self.month.as_ref()?.cost();
        Some((spent, budget))
    }

    /// Adds what a request just spent to the month.
    pub(super) fn spent(&mut self, model: &str, tokens: crate::prices::Tokens) {
        if let Some(month) = &mut self.month {
            // A new month began since the folder was opened: it starts
            // from nothing.
            let now = crate::spending::Month::key(
                jiff::Timestamp::now().as_second(),
                &jiff::tz::TimeZone::system(),
            );
            if month.month != now {
                *month = crate::spending::Month::new(now);
            }
            month.add(model, tokens);
        }
    }

    pub fn set_client(&mut self, client: Client) {
        self.client = client;
    }

    pub fn set_max_tokens(&mut self, max_tokens: u32) {
        self.max_tokens = max_tokens;
    }

    /// The reply limit a request to `model` is sent with: the user's,
    /// within what the model can write (when the model list says).
    pub fn max_tokens_for(&self, model: &str) -> u32 {
        self.models
            .iter()
            .find(|listed| listed.id == model)
            .and_then(|listed| listed.max_tokens)
            .map_or(self.max_tokens, |most| self.max_tokens.min(most))
    }

    /// The chosen model as listed (its limits, its display name).
    pub fn chosen_model(&self) -> Option<&Model> {
        let chosen = self.model.as_deref()?;
        self.models.iter().find(|model| model.id == chosen)
    }

    /// The model list from the last key check; keeps the choice if it is
    /// still there, else picks a sensible default (the newest Sonnet).
    pub fn set_models(&mut self, models: Vec<Model>) {
        self.models = models;
        let still_there = self
            .model
            .as_ref()
            .is_some_and(|chosen| self.models.iter().any(|model| &model.id == chosen));
        if !still_there {
            self.model = self
                .models
                .iter()
                .find(|model| model.id.contains("sonnet"))
                .or_else(|| self.models.first())
                .map(|model| model.id.clone());
        }
    }

    pub fn model(&self) -> String {
        self.model
            .clone()
            .unwrap_or_else(|| FALLBACK_MODEL.to_owned())
    }

    /// Says that a queued request to `note` (titled `title`) was answered.
    /// Nothing is said for the note being looked at: the reply shows.
    pub fn reply_arrived(&mut self, note: NoteId, title: &str) {
        if self.note.as_ref() == Some(&note) {
            self.arrived = None;
            return;
        }
        let title = if title.trim().is_empty() {
            "an untitled note"
        } else {
            title
        };
        self.arrived = Some((
            note,
            format!("Claude's reply to a queued request arrived, kept with “{title}”"),
        ));
    }

    pub fn arrived(&self) -> Option<&str> {
        self.arrived.as_ref().map(|(_, words)| words.as_str())
    }

    /// What the privacy scan found in the request waiting for the user's
    /// word, if any (for the note's highlights).
    /// (Finds in a follow-up's question are not in the note: not given.)
    pub fn privacy_findings(&self) -> Option<&[crate::privacy::Finding]> {
        self.privacy
            .as_ref()
            .filter(|held| held.in_note())
            .map(|held| held.findings.as_slice())
    }

    /// The failure shown above the reply, if any.
    pub fn failure(&self) -> Option<&ApiError> {
        self.failure.as_ref()
    }

    pub fn is_streaming(&self) -> bool {
        self.current.is_some()
    }

    pub fn queued(&self) -> usize {
        self.queue.pending()
    }

    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    /// Whether time-driven work is due (queue retries, "retrying in N s",
    /// "still waiting").
    pub fn needs_ticks(&self, has_key: bool) -> bool {
        (has_key && self.queue.next().is_some())
            || self
                .current
                .as_ref()
                .is_some_and(|current| current.retry_at.is_some() || !current.started)
    }

    /// A note went to the trash as `trashed` (its file name there): its
    /// queued requests wait with it, unsent.
    pub fn note_trashed(&mut self, note: &NoteId, trashed: &str) -> Task<Message> {
        for job in self.queue.for_note(note.as_str()) {
            if job.state == jobs::State::Sending {
                self.trashed_while_sending
                    .insert(job.id, trashed.to_owned());
            }
        }
        if self.queue.park(note.as_str(), trashed) == 0 {
            return Task::none();
        }
        self.save_queue()
    }

    /// Trashed notes (their names there) were deleted for good: requests
    /// that waited with them go too.
    pub fn notes_deleted(&mut self, trashed: &[String]) -> Task<Message> {
        let mut dropped = 0;
        for name in trashed {
            self.trashed_while_sending.retain(|_, kept| kept != name);
            dropped += self.queue.drop_parked(name);
        }
        if dropped == 0 {
            return Task::none();
        }
        self.save_queue()
    }

    /// A note moved to another folder, `from` → `to`: its requests, the
    /// reply being written and the panel follow it.
    pub fn note_moved(&mut self, from: &NoteId, to: &NoteId) -> Task<Message> {
        if let Some(current) = &mut self.current
            && &current.note == from
        {
            current.note = to.clone();
        }
        if self.note.as_ref() == Some(from) {
            self.note = Some(to.clone());
        }
        if self.queue.rename(from.as_str(), to.as_str()) == 0 {
            return Task::none();
        }
        self.save_queue()
    }

    /// A trashed note came back as `note`: its requests go on.
    pub fn note_restored(&mut self, trashed: &str, note: &NoteId) -> Task<Message> {
        self.trashed_while_sending.retain(|_, name| name != trashed);
        if self.queue.unpark(trashed, note.as_str()) == 0 {
            return Task::none();
        }
        self.save_queue()
    }

    /// The open note changed: show its runs.
    pub fn note_selected(&mut self, id: Option<NoteId>) -> Task<Message> {
        if self.note == id {
            return Task::none();
        }
        self.note = id.clone();
        // What was said about the last note's request is not about this
        // one (the other window's queue still is).
        if self.notice.as_deref() != Some(ELSEWHERE) {
            self.notice = None;
        }
        self.privacy = None;
        self.over_budget = false;
        self.runs.clear();
        self.runs_problem = None;
        self.failure = None;
        self.shown = None;
        self.follow_up.clear();
        if self.current.is_none() {
            self.replace_content(markdown::Content::new());
        }
        match (id, &self.notes_dir) {
            (Some(id), Some(dir)) => {
                Task::perform(runs::load(dir.clone(), id.clone()), move |result| {
                    Message::RunsLoaded(id.clone(), result)
                })
            }
            _ => Task::none(),
        }
    }

    pub fn update(&mut self, message: Message, context: Context<'_>) -> Action {
        match message {
            Message::SelectMode(mode) => {
                self.mode = mode;
                self.count_soon().into()
            }
            Message::SelectModel(model) => {
                self.model = Some(model);
                self.count_soon().into()
            }
            Message::CountDue(due) => {
                if self.preview.is_some() {
                    self.preview = Some(self.preview_text(&context));
                }
                self.count_due(due, context).into()
            }
            Message::Counted(request, count) => {
                self.counted(request, count);
                Action::None
            }
            Message::Process => self.process(context),
            Message::Retry => self.retry(context),
            Message::Stop => self.stop(),
            Message::Stream(event) => self.streamed(event),
            Message::FollowUpChanged(text) => {
                self.follow_up = text;
                // A held question that is being changed is asked anew.
                if self.privacy.as_ref().is_some_and(|held| !held.in_note()) {
                    self.privacy = None;
                }
                if self.preview.is_some() {
                    return self.count_soon().into();
                }
                Action::None
            }
            Message::AskFollowUp => self.ask_follow_up(context),
            Message::ShowRun(index) => {
                self.show(index);
                Action::None
            }
            Message::Copy => match self.shown_text() {
                Some(text) => iced::clipboard::write(text).into(),
                None => Action::None,
            },
            Message::Insert => self
                .shown_answer()
                .map_or(Action::None, Action::InsertIntoNote),
            Message::RunsLoaded(id, (runs, problem)) => {
                if self.note.as_ref() == Some(&id) {
                    self.runs = runs;
                    self.runs_problem = problem;
                    if self.current.is_none() && !self.runs.is_empty() {
                        self.show(self.runs.len() - 1);
                    }
                }
                Action::None
            }
            Message::Saved(result) => {
                if let Err(problem) = result {
                    self.notice = Some(format!("The reply could not be saved: {problem}."));
                }
                Action::None
            }
            Message::ModesLoaded(modes) => {
                if !modes.iter().any(|mode| mode.name == self.mode) {
                    self.mode = modes
                        .first()
                        .map(|mode| mode.name.clone())
                        .unwrap_or_default();
                }
                self.modes = modes;
                Action::None
            }
            Message::QueueLoaded(dir, ..) if self.notes_dir.as_ref() != Some(&dir) => Action::None,
            Message::QueueLoaded(_, jobs::Owner::Elsewhere, _) => {
                self.queue_owner = jobs::Owner::Elsewhere;
                self.notice = Some(ELSEWHERE.to_owned());
                Action::None
            }
            Message::QueueLoaded(_, owner, (queue, problem)) => {
                self.queue_owner = owner;
                self.queue_loaded = true;
                self.queue = queue;
                if let Some(problem) = problem {
                    self.notice = Some(format!("The offline queue: {problem}."));
                }
                self.queue_retry_at = None;
                Action::None
            }
            Message::QueueTick(now) => self.queue_tick(now, context),
            Message::JobDone(dir, id, result) => {
                if self.notes_dir.as_ref() == Some(&dir) {
                    self.job_done(id, result)
                } else {
                    self.store_elsewhere(dir, id, result)
                }
            }
            Message::JobStored(dir, note) => {
                // Show the new run, without disturbing what is being typed.
                match &self.notes_dir {
                    Some(current) if current == &dir && self.note.as_ref() == Some(&note) => {
                        Task::perform(runs::load(dir, note.clone()), move |result| {
                            Message::RunsLoaded(note.clone(), result)
                        })
                        .into()
                    }
                    _ => Action::None,
                }
            }
            Message::CancelJob(id) => {
                self.queue.remove(id);
                self.save_queue().into()
            }
            Message::FixKey => Action::FixKey,
            Message::OpenBilling => open_link(claude::BILLING_URL.to_owned()).into(),
            Message::Link(uri) => open_link(uri.to_string()).into(),
            Message::Export => self.export(context).into(),
            Message::Exported(result) => {
                self.notice = match result {
                    Ok(Some(path)) => Some(format!("Exported to {}.", path.display())),
                    Ok(None) => None,
                    Err(problem) => Some(format!("The export failed: {problem}.")),
                };
                Action::None
            }
            Message::NoExportDialog(suggested) => self.offer_typed_export(suggested).into(),
            Message::ExportPath(typed) => {
                self.export_path = Some((typed, None));
                Action::None
            }
            Message::ExportTyped => self.export_typed(context).into(),
            Message::CancelExport => {
                self.export_path = None;
                Action::None
            }
            Message::TypedExportDone(result) => {
                match result {
                    Ok(path) => {
                        self.export_path = None;
                        self.notice = Some(format!("Exported to {}.", path.display()));
                    }
                    Err(problem) => {
                        if let Some((_, shown)) = &mut self.export_path {
                            *shown = Some(problem);
                        }
                    }
                }
                Action::None
            }
            Message::DismissNotice => {
                self.notice = None;
                self.arrived = None;
                Action::None
            }
            Message::SpendingLoaded(dir, month) => {
                if self.notes_dir.as_ref() == Some(&dir) {
                    self.month = Some(month);
                }
                Action::None
            }
            Message::Continue => self.continue_reply(context),
            Message::RaiseLimit(limit) => {
                self.max_tokens = limit;
                Action::SetMaxTokens(limit)
            }
            Message::SendAnyway => {
                self.over_budget = false;
                self.send_process(context)
            }
            Message::CancelSend => {
                self.over_budget = false;
                self.privacy = None;
                Action::None
            }
            Message::TogglePreview => {
                self.preview = match self.preview {
                    Some(_) => None,
                    None => Some(self.preview_text(&context)),
                };
                Action::None
            }
            Message::SendAsIs => self.release_held(context, false),
            Message::SendMasked => self.release_held(context, true),
            Message::OpenArrived => match self.arrived.take() {
                Some((note, _)) => Action::OpenNote(note),
                None => Action::None,
            },
        }
    }

    fn mode_prompt(&self, name: &str) -> String {
        self.modes
            .iter()
            .find(|mode| mode.name == name)
            .or_else(|| self.modes.first())
            .map(|mode| mode.prompt.clone())
            .unwrap_or_default()
    }

    fn show(&mut self, index: usize) {
        if let Some(run) = self.runs.get(index) {
            self.shown = Some(index);
            self.replace_content(markdown::Content::parse(&display(run)));
        }
    }

    pub(super) fn replace_content(&mut self, content: markdown::Content) {
        self.content = content;
        self.generation += 1;
    }

    /// The text of what is shown: the streaming reply, or the shown run.
    fn shown_text(&self) -> Option<String> {
        match &self.current {
            Some(current) => Some(current.answer.clone()),
            None => self
                .shown
                .and_then(|index| self.runs.get(index))
                .map(display),
        }
    }

    /// The latest answer of the shown run, to insert into the note.
    fn shown_answer(&self) -> Option<String> {
        self.shown
            .and_then(|index| self.runs.get(index))
            .and_then(|run| run.exchanges.last())
            .map(|exchange| exchange.answer.clone())
    }

    /// Stores a change to the shown note's runs (see [`runs::edit`]).
    fn save_runs(&self, edit: runs::Edit) -> Task<Message> {
        match (&self.notes_dir, &self.note) {
            (Some(dir), Some(id)) => {
                Task::perform(runs::edit(dir.clone(), id.clone(), edit), |result| {
                    Message::Saved(result.map(drop))
                })
            }
            _ => Task::none(),
        }
    }

    /// The save that goes with a Usage action, for the app to run.
    pub fn take_pending_save(&mut self) -> Task<Message> {
        self.pending_save.take().unwrap_or_else(Task::none)
    }
}

/// Adds a run to a note's stored runs (for replies that finish while
/// another note is open, and for the offline queue).
pub(super) async fn append_run(dir: PathBuf, note: NoteId, run: Run) -> Result<(), String> {
    runs::edit(dir, note, runs::Edit::Append(run))
        .await
        .map(drop)
}

fn open_link(url: String) -> Task<Message> {
    if !is_safe_link(&url) {
        tracing::warn!("not opening a reply's link with another scheme than http, https or mailto");
        return Task::none();
    }
    Task::perform(
        async move {
            let _ = tokio::task::spawn_blocking(move || open::that_detached(url)).await;
        },
        |()| Message::DismissNotice,
    )
    .discard()
}

/// A run as Markdown: the answer, then each follow-up.
pub fn display(run: &Run) -> String {
    let mut text = String::new();
    for (index, exchange) in run.exchanges.iter().enumerate() {
        if index > 0 {
            text.push_str(&format!(
                "\n\n---\n\n**You asked:** {}\n\n",
                exchange.question
            ));
        }
        text.push_str(&exchange.answer);
    }
    text
}

#[cfg(test)]
mod tests;
