//! Asking: processing the open note, and follow-up questions, as a
//! streamed, abortable request.

use iced::Task;
use iced::widget::markdown;

use super::{Action, Context, Current, Message, Processing, display};
use crate::claude::stream::{self, Request, RetryPolicy, Role, Turn};
use crate::key::ApiKey;
use crate::notes::NoteId;
use crate::notes::runs::{Exchange, Run, Status};

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
        if let Some(estimate) = self.estimate()
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
        let request = self.process_request(text);
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
        let request = Request {
            model: run.model.clone(),
            max_tokens: self.max_tokens_for(&run.model),
            system: self.mode_prompt(&run.mode),
            messages,
        };
        let question = last.question.clone();
        let action = self.start(key, id, run, Some(index), question, request);
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
        }
        action
    }

    pub(super) fn start(
        &mut self,
        key: &ApiKey,
        note: NoteId,
        run: Run,
        continues: Option<usize>,
        question: String,
        request: Request,
    ) -> Action {
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
            note,
            dir,
            input_tokens: 0,
            cache: Default::default(),
            run,
            continues,
            extends: false,
            stop_reason: None,
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
