//! Asking: processing the open note, and follow-up questions, as a
//! streamed, abortable request.

use iced::Task;
use iced::widget::markdown;

use super::{Action, Context, Current, Message, Processing, display};
use crate::claude::stream::{self, Request, RetryPolicy, Role, Turn};
use crate::key::ApiKey;
use crate::notes::NoteId;
use crate::notes::runs::{Exchange, Run, Status};

/// A request the privacy scan held back, as it would have been sent.
#[derive(Debug)]
pub(crate) struct Held {
    pub(super) findings: Vec<crate::privacy::Finding>,
    note: NoteId,
    run: Run,
    continues: Option<usize>,
    question: String,
    request: Request,
}

impl Held {
    /// The finds are in the note (not in a follow-up's question).
    pub(super) fn in_note(&self) -> bool {
        self.continues.is_none()
    }
}

impl Processing {
    pub(super) fn process(&mut self, context: Context<'_>) -> Action {
        if context.key.is_some()
            && self.current.is_none()
            && let Some((spent, budget)) = self.budget_used()
            && spent >= budget
        {
            // The budget is used up: ask first.
            self.over_budget = true;
            return Action::None;
        }
        self.send_process(context)
    }

    /// Process, past the budget's question.
    pub(super) fn send_process(&mut self, context: Context<'_>) -> Action {
        let Some(key) = context.key else {
            return Action::FixKey;
        };
        let Some((id, _, text)) = context.note else {
            return Action::None;
        };
        if self.current.is_some() {
            return Action::None;
        }
        if text.trim().is_empty() {
            self.notice = Some("Write something first: there is nothing to send yet.".to_owned());
            return Action::None;
        }
        let request = self.process_request(text);
        // Only a count of this very text (not one from before the last
        // edit, or for another model) can stop it.
        if let Some(estimate) = self.estimate_of(&request)
            && let Some(limit) = estimate.over_limit
        {
            let name = self
                .chosen_model()
                .map_or_else(|| self.model(), |model| model.name().to_owned());
            self.notice = Some(format!(
                "This note is about {} tokens, more than {name} takes ({}). Nothing was sent: split the note, or choose a model that takes more.",
                crate::prices::thousands(estimate.input),
                crate::prices::thousands(limit),
            ));
            return Action::None;
        }
        let run = Run {
            mode: self.mode.clone(),
            model: request.model.clone(),
            started_at: jiff::Timestamp::now().as_second(),
            exchanges: vec![Exchange {
                question: text.to_owned(),
                answer: String::new(),
            }],
            input_tokens: 0,
            output_tokens: 0,
            cache_write_tokens: 0,
            cache_read_tokens: 0,
            stop_reason: None,
            masked: false,
            status: Status::Incomplete {
                reason: "still arriving".into(),
            },
        };
        self.start(key, id.clone(), run, None, text.to_owned(), request)
    }

    /// Try again: a follow-up that broke is asked again in its place; a
    /// follow-up that failed before any answer (its question is back in the
    /// field) is asked again; anything else sends the note again.
    pub(super) fn retry(&mut self, context: Context<'_>) -> Action {
        self.failure = None;
        if let Some(index) = self.shown.filter(|_| self.current.is_none())
            && let Some(run) = self.runs.get(index)
            && run.exchanges.len() > 1
            && !matches!(run.status, Status::Complete)
        {
            let mut run = run.clone();
            let broken = run.exchanges.pop().expect("more than one");
            if self.follow_up.trim() == broken.question.trim() {
                self.follow_up.clear();
            }
            return self.continue_run(context, index, run, broken.question);
        }
        if self.follow_up_asked && !self.follow_up.trim().is_empty() {
            return self.ask_follow_up(context);
        }
        self.process(context)
    }

    pub(super) fn ask_follow_up(&mut self, context: Context<'_>) -> Action {
        let question = self.follow_up.trim().to_owned();
        let Some(index) = self.shown else {
            return Action::None;
        };
        if question.is_empty() || self.current.is_some() {
            return Action::None;
        }
        let Some(run) = self.runs.get(index).cloned() else {
            return Action::None;
        };
        if context.key.is_some() {
            self.follow_up.clear();
        }
        self.continue_run(context, index, run, question)
    }

    /// Asks `question` after the exchanges of `run` (shown at `index`); the
    /// answer is added to that run when it ends.
    fn continue_run(
        &mut self,
        context: Context<'_>,
        index: usize,
        run: Run,
        question: String,
    ) -> Action {
        let Some(key) = context.key else {
            return Action::FixKey;
        };
        let Some(id) = self.note.clone() else {
            return Action::None;
        };
        if self.current.is_some() {
            return Action::None;
        }
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
            content: question.clone(),
        });
        let request = Request {
            model: run.model.clone(),
            max_tokens: self.max_tokens_for(&run.model),
            system: self.mode_prompt(&run.mode),
            messages,
        };
        self.start(key, id, run, Some(index), question, request)
    }

    /// Continue a reply cut short: the conversation so far, ending with
    /// the answer as Claude's own unfinished turn (a prefill), so that it
    /// writes the rest; the rest is added to that answer.
    pub(super) fn continue_reply(&mut self, context: Context<'_>) -> Action {
        let Some(key) = context.key else {
            return Action::FixKey;
        };
        let (Some(index), Some(id)) = (self.shown, self.note.clone()) else {
            return Action::None;
        };
        if self.current.is_some() {
            return Action::None;
        }
        let Some(run) = self.runs.get(index).cloned() else {
            return Action::None;
        };
        let Some(last) = run.exchanges.last() else {
            return Action::None;
        };
        let mut messages = Vec::new();
        for exchange in &run.exchanges {
            messages.push(Turn {
                role: Role::User,
                content: exchange.question.clone(),
            });
            messages.push(Turn {
                role: Role::Assistant,
                // The API refuses a final assistant turn that ends in
                // white space.
                content: exchange.answer.trim_end().to_owned(),
            });
        }
        if !stream::takes_prefill(&run.model) {
            // Claude 4.6 and later take no prefill: asked in words instead,
            // the answer still added to the one that was cut.
            messages.push(Turn {
                role: Role::User,
                content: stream::CONTINUE_INSTRUCTION.to_owned(),
            });
        }
        let request = Request {
            model: run.model.clone(),
            max_tokens: self.max_tokens_for(&run.model),
            system: self.mode_prompt(&run.mode),
            messages,
        };
        let question = last.question.clone();
        // Nothing new of the user's goes: sent as the run was.
        let masked = run.masked;
        let action = self.send(key, id, run, Some(index), question, request, masked);
        // What is shown already holds the answer so far; the rest streams
        // in after it.
        let shown = self
            .current
            .as_ref()
            .map(|current| display(&current.run).trim_end().to_owned());
        if let Some(shown) = shown {
            self.replace_content(markdown::Content::parse(&shown));
            let generation = self.generation;
            if let Some(current) = &mut self.current {
                current.extends = true;
                current.generation = generation;
            }
            // Retry is not "ask the question again".
            self.follow_up_asked = false;
        }
        action
    }

    /// Sends `request`, unless the privacy scan finds something in what
    /// the user wrote and the run was not sent masked before: then it is
    /// held until the user says how (see [`Held`]).
    pub(super) fn start(
        &mut self,
        key: &ApiKey,
        note: NoteId,
        run: Run,
        continues: Option<usize>,
        question: String,
        request: Request,
    ) -> Action {
        if run.masked {
            return self.send(key, note, run, continues, question, request, true);
        }
        // Only what the user wrote: the note, the questions. (Claude's
        // answers were shown with the originals, and go back masked along
        // with them when masking is chosen.)
        let findings = match (continues, request.messages.last()) {
            (None, Some(turn)) => crate::privacy::scan(&turn.content),
            (Some(_), _) => crate::privacy::scan(&question),
            (None, None) => Vec::new(),
        };
        if findings.is_empty() {
            return self.send(key, note, run, continues, question, request, false);
        }
        if continues.is_some() && self.follow_up.trim().is_empty() {
            // The question waits in its field, not lost if the user says no.
            self.follow_up = question.clone();
        }
        self.privacy = Some(Held {
            findings,
            note,
            run,
            continues,
            question,
            request,
        });
        Action::None
    }

    /// The user's word on a held request.
    pub(super) fn release_held(&mut self, context: Context<'_>, masked: bool) -> Action {
        let Some(key) = context.key else {
            return Action::FixKey;
        };
        let Some(held) = self.privacy.take() else {
            return Action::None;
        };
        if self.current.is_some() || self.note.as_ref() != Some(&held.note) {
            return Action::None;
        }
        if held.continues.is_some() && self.follow_up.trim() == held.question.trim() {
            self.follow_up.clear();
        }
        self.send(
            key,
            held.note,
            held.run,
            held.continues,
            held.question,
            held.request,
            masked,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn send(
        &mut self,
        key: &ApiKey,
        note: NoteId,
        mut run: Run,
        continues: Option<usize>,
        question: String,
        mut request: Request,
        masked: bool,
    ) -> Action {
        let masks = masked.then(|| {
            let mut masks = crate::privacy::Masks::default();
            for turn in &mut request.messages {
                turn.content = masks.mask(&turn.content);
            }
            masks
        });
        run.masked = masked;
        let bytes = request.system.len()
            + request
                .messages
                .iter()
                .map(|turn| turn.content.len())
                .sum::<usize>();
        let events = stream::stream(
            self.client.clone(),
            key.clone(),
            request,
            RetryPolicy::default(),
        );
        let (task, handle) = Task::run(events, Message::Stream).abortable();
        self.follow_up_asked = continues.is_some();
        self.failure = None;
        self.notice = None;
        self.replace_content(markdown::Content::parse(
            &self.prefix(&run, continues, &question),
        ));
        let Some(dir) = self.notes_dir.clone() else {
            return Action::None;
        };
        let now = std::time::Instant::now();
        self.now = now;
        self.current = Some(Current {
            sent_at: now,
            started: false,
            gives_up: RetryPolicy::default().first_byte_limit(bytes),
            note,
            dir,
            input_tokens: 0,
            cache: Default::default(),
            run,
            continues,
            extends: false,
            stop_reason: None,
            masks,
            question,
            answer: String::new(),
            output_tokens: 0,
            handle,
            retry_at: None,
            generation: self.generation,
        });
        task.into()
    }

    /// The Markdown shown above a follow-up's answer: the earlier exchanges.
    pub(super) fn prefix(&self, run: &Run, continues: Option<usize>, question: &str) -> String {
        match continues {
            None => String::new(),
            Some(_) => format!("{}\n\n---\n\n**You asked:** {question}\n\n", display(run)),
        }
    }
}
