//! What Process would cost, shown beside it before anything is sent:
//! "≈ 1,240 tokens in · up to 4,096 out · ≤ $0.07".
//!
//! The input is counted by Anthropic (`count_tokens`, free) off the UI
//! thread, a moment after typing stops, and cached by the exact request,
//! so going back to a text already counted asks nothing. A count that
//! fails (offline, 429) shows nothing rather than an error.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::time::Duration;

use iced::Task;

use super::{Context, Message, Processing};
use crate::claude::stream::{self, Request, Role, Turn};
use crate::notes::NoteId;
use crate::prices::{self, Tokens};

/// How long typing must pause before the note is counted again.
pub const DEBOUNCE: Duration = Duration::from_millis(800);
/// The shortest prompt Anthropic caches (Sonnet's and Opus's minimum;
/// Haiku's is longer, so this errs on the dear side).
const CACHEABLE: u64 = 1024;
/// Counts kept (by request): enough for a session's worth of notes.
const KEPT: usize = 256;

#[derive(Debug, Default)]
pub(super) struct Estimates {
    /// The note and its revision last scheduled for counting.
    seen: Option<(NoteId, u64, usize)>,
    /// Bumped for each change; only the latest due count is made.
    due: u64,
    /// The request being shown, by hash, and its count when known.
    shown: Option<u64>,
    counts: HashMap<u64, u64>,
}

/// What the panel shows beside Process.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub input: u64,
    pub max_output: u32,
    /// `None`: the model is not in the price table.
    pub at_most: Option<f64>,
    /// More input than the model takes (its `max_input_tokens`).
    pub over_limit: Option<u64>,
}

impl Estimate {
    pub fn words(&self) -> String {
        let mut words = format!(
            "≈ {} tokens in · up to {} out",
            prices::thousands(self.input),
            prices::thousands(u64::from(self.max_output))
        );
        if let Some(cost) = self.at_most {
            words.push_str(&format!(" · ≤ {}", prices::dollars(cost)));
        }
        words
    }
}

/// Texts in the preview longer than this are cut, saying so.
const PREVIEW_TEXT: usize = 4_000;

fn shorten(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) if text.len() > PREVIEW_TEXT => {
            let mut cut = PREVIEW_TEXT;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            let rest = text[cut..].chars().count();
            text.truncate(cut);
            text.push_str(&format!(" … [{rest} more characters, sent in full]"));
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(shorten),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(shorten),
        _ => {}
    }
}

pub(super) fn hash(body: &serde_json::Value) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.to_string().hash(&mut hasher);
    hasher.finish()
}

impl Processing {
    /// The open note is `note` at `revision` (with `len` bytes): when that
    /// is new, a count is due after a pause.
    pub fn note_revision(&mut self, note: Option<(NoteId, u64, usize)>) -> Task<Message> {
        if self.estimates.seen == note {
            return Task::none();
        }
        let changed_note =
            self.estimates.seen.as_ref().map(|seen| &seen.0) != note.as_ref().map(|note| &note.0);
        self.estimates.seen = note;
        if changed_note {
            self.estimates.shown = None;
        }
        self.count_soon()
    }

    /// Counts again after [`DEBOUNCE`] (the mode, the model or the note
    /// changed).
    pub(super) fn count_soon(&mut self) -> Task<Message> {
        self.estimates.due += 1;
        let due = self.estimates.due;
        // The timer is made inside the task, where the runtime is.
        Task::perform(async { tokio::time::sleep(DEBOUNCE).await }, move |()| {
            Message::CountDue(due)
        })
    }

    /// The request Process would send for `text` now.
    pub(super) fn process_request(&self, text: &str) -> Request {
        Request {
            max_tokens: self.max_tokens_for(&self.model()),
            model: self.model(),
            system: self.mode_prompt(&self.mode),
            messages: vec![Turn {
                role: Role::User,
                content: text.to_owned(),
            }],
        }
    }

    /// The preview: the request Process would send now (or the follow-up
    /// being typed, after the shown run), as the JSON that goes out. Long
    /// texts are shortened here, and say by how much.
    pub(super) fn preview_text(&self, context: &Context<'_>) -> String {
        let Some((_, _, text)) = context.note else {
            return "Open a note to see what would be sent.".to_owned();
        };
        let follow_up = self.follow_up.trim();
        let run = self.shown.and_then(|index| self.runs.get(index));
        let (what, request) = match run {
            Some(run) if !follow_up.is_empty() => {
                let mut messages = Vec::new();
                for exchange in &run.exchanges {
                    messages.push(Turn {
                        role: Role::User,
                        content: exchange.question.clone(),
                    });
                    messages.push(Turn {
                        role: Role::Assistant,
                        content: exchange.answer.clone(),
                    });
                }
                messages.push(Turn {
                    role: Role::User,
                    content: follow_up.to_owned(),
                });
                let request = Request {
                    model: run.model.clone(),
                    max_tokens: self.max_tokens_for(&run.model),
                    system: self.mode_prompt(&run.mode),
                    messages,
                };
                ("Ask (the follow-up)", request)
            }
            _ => ("Process", self.process_request(text)),
        };
        let mut body = stream::body(&request, true);
        shorten(&mut body);
        let json = serde_json::to_string_pretty(&body).unwrap_or_default();
        let masked = if run.is_some_and(|run| run.masked) && !follow_up.is_empty() {
            " What the privacy scan finds is masked before it goes."
        } else {
            ""
        };
        format!(
            "What {what} would send to POST /v1/messages, with your API key in the x-api-key header. Nothing is sent from here.{masked}\n\n{json}"
        )
    }

    pub(super) fn count_due(&mut self, due: u64, context: Context<'_>) -> Task<Message> {
        if due != self.estimates.due {
            return Task::none();
        }
        let (Some(key), Some((_, _, text))) = (context.key, context.note) else {
            self.estimates.shown = None;
            return Task::none();
        };
        if text.trim().is_empty() {
            self.estimates.shown = None;
            return Task::none();
        }
        let request = self.process_request(text);
        let wanted = hash(&stream::count_body(&request));
        self.estimates.shown = Some(wanted);
        if self.estimates.counts.contains_key(&wanted) {
            return Task::none();
        }
        let client = self.client.clone();
        let key = key.clone();
        Task::perform(
            async move { client.count_tokens(&key, &request).await.ok() },
            move |count| Message::Counted(wanted, count),
        )
    }

    pub(super) fn counted(&mut self, request: u64, count: Option<u64>) {
        let Some(count) = count else {
            return;
        };
        if self.estimates.counts.len() >= KEPT {
            self.estimates.counts.clear();
        }
        self.estimates.counts.insert(request, count);
    }

    /// The estimate of exactly `request`, if it has been counted.
    pub(super) fn estimate_of(&self, request: &Request) -> Option<Estimate> {
        let wanted = hash(&stream::count_body(request));
        self.estimates.counts.get(&wanted)?;
        self.estimate_by(wanted)
    }

    /// The estimate for the request being shown, once counted.
    pub fn estimate(&self) -> Option<Estimate> {
        self.estimate_by(self.estimates.shown?)
    }

    fn estimate_by(&self, request: u64) -> Option<Estimate> {
        let input = *self.estimates.counts.get(&request)?;
        let model = self.model();
        let limits = self.models.iter().find(|listed| listed.id == model);
        let max_output = self.max_tokens_for(&model);
        // The note is written to the prompt cache (1.25× its input price)
        // when it is long enough to be cached, so follow-ups read it at a
        // tenth: the estimate is the dearer of the two.
        let cached = input >= CACHEABLE;
        let at_most = prices::cost(
            &model,
            Tokens {
                input: if cached { 0 } else { input },
                output: u64::from(max_output),
                cache_write: if cached { input } else { 0 },
                cache_read: 0,
            },
        );
        let over_limit = limits
            .and_then(|model| model.max_input_tokens)
            .filter(|&limit| input > limit);
        Some(Estimate {
            input,
            max_output,
            at_most,
            over_limit,
        })
    }
}
