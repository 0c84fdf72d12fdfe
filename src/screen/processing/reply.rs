//! A reply as it streams in: text, retries, the end (complete, stopped,
//! broken), and what is kept of it.

use std::time::Instant;

use iced::Task;
use iced::widget::markdown;

use super::{Action, Current, Message, Processing, append_run};
use crate::claude::stream::{self, Event};
use crate::claude::{self, ApiError, ErrorKind};
use crate::jobs::{self, Job};
use crate::notes::runs::{self, Exchange, Status};

impl Processing {
    pub(super) fn streamed(&mut self, event: Event) -> Action {
        let Some(current) = &mut self.current else {
            return Action::None;
        };
        match event {
            Event::Retrying { wait, error, .. } => {
                // The countdown is shown against `now`, which the ticks
                // move on only while a retry waits: taken afresh here, or
                // it would add the time since the last tick (9 s shown
                // for a wait of 4).
                let now = Instant::now();
                self.now = now;
                current.retry_at = Some(now + wait);
                current.sent_at = now + wait;
                self.failure = Some(error);
                Action::None
            }
            Event::Started {
                input_tokens,
                model,
                cache,
                ..
            } => {
                current.cache = cache;
                current.retry_at = None;
                current.started = true;
                self.failure = None;
                current.input_tokens = input_tokens;
                if !model.is_empty() {
                    current.run.model = model;
                }
                // Anthropic is reachable: the queue need not wait.
                self.queue_retry_at = None;
                Action::None
            }
            Event::Delta(text) => {
                current.answer.push_str(&text);
                self.content.push_str(&text);
                Action::None
            }
            Event::Usage { output_tokens } => {
                current.output_tokens = output_tokens;
                Action::None
            }
            Event::Finished { stop_reason } => {
                current.stop_reason = stop_reason.filter(|reason| stream::cut_short(reason));
                self.finish(Status::Complete)
            }
            Event::Failed(error) => self.failed(error),
        }
    }

    /// The reply ended (complete or not): keep it with the note.
    pub(super) fn finish(&mut self, status: Status) -> Action {
        let Some(current) = self.current.take() else {
            return Action::None;
        };
        let Current {
            note,
            dir,
            mut run,
            continues,
            extends,
            stop_reason,
            masks,
            question,
            answer,
            input_tokens,
            cache,
            output_tokens,
            generation,
            ..
        } = current;
        // What streamed in is what the run shows: keep it rather than parse
        // the whole reply again. The parser holds back a trailing `|` (it
        // may start a table row) until more text comes: parse those whole.
        // Placeholders that came back show the user's originals again (the
        // text streamed with them is parsed anew).
        let (answer, unmasked) = match &masks {
            Some(masks) if !masks.is_empty() => {
                let unmasked = masks.unmask(&answer);
                let changed = unmasked != answer;
                (unmasked, changed)
            }
            _ => (answer, false),
        };
        let streamed =
            !unmasked && generation == self.generation && !answer.trim_end().ends_with('|');
        let input = input_tokens + cache.written + cache.read;
        let model = run.model.clone();
        self.spent(
            &model,
            crate::prices::Tokens {
                input: input_tokens,
                output: output_tokens,
                cache_write: cache.written,
                cache_read: cache.read,
            },
        );
        run.input_tokens += input_tokens;
        run.cache_write_tokens += cache.written;
        run.cache_read_tokens += cache.read;
        run.output_tokens += output_tokens;
        run.status = status;
        run.stop_reason = stop_reason;
        match continues {
            None => run.exchanges[0].answer = answer,
            Some(_) if extends => {
                if let Some(last) = run.exchanges.last_mut() {
                    // A prefill was sent without its trailing space, and
                    // the rest starts right after it.
                    if stream::takes_prefill(&run.model) {
                        let kept = last.answer.trim_end().len();
                        last.answer.truncate(kept);
                        last.answer.push_str(&answer);
                    } else if last.answer.ends_with(char::is_whitespace) {
                        // Asked in words: the rest may start with the space
                        // the cut answer already ends with.
                        last.answer.push_str(answer.trim_start());
                    } else {
                        last.answer.push_str(&answer);
                    }
                }
            }
            Some(_) => run.exchanges.push(Exchange { question, answer }),
        }
        let usage = Action::Usage {
            input,
            output: output_tokens,
        };
        if self.note.as_ref() != Some(&note) || self.notes_dir.as_ref() != Some(&dir) {
            // The note (or the folder) was left while the reply streamed:
            // store it with its note, where it was asked.
            let stored = (dir.clone(), note.clone());
            let task = Task::perform(append_run(dir, note, run), move |_| {
                Message::JobStored(stored.0.clone(), stored.1.clone())
            });
            self.pending_save = Some(task);
            return usage;
        }
        let (index, edit) = match continues {
            Some(index) if index < self.runs.len() => {
                let edit = runs::Edit::Replace {
                    index,
                    started_at: self.runs[index].started_at,
                    run: run.clone(),
                };
                self.runs[index] = run;
                (index, edit)
            }
            _ => {
                self.runs.push(run.clone());
                (self.runs.len() - 1, runs::Edit::Append(run))
            }
        };
        if streamed {
            self.shown = Some(index);
        } else {
            self.show(index);
        }
        let save = self.save_runs(edit);
        match usage {
            Action::Usage { input, output } if input + output > 0 => {
                // The app adds to the total; saving runs alongside.
                self.pending_save = Some(save);
                Action::Usage { input, output }
            }
            _ => save.into(),
        }
    }

    pub(super) fn failed(&mut self, error: ApiError) -> Action {
        let Some(current) = &self.current else {
            return Action::None;
        };
        let offline = matches!(error.kind, ErrorKind::Connection | ErrorKind::TimedOut);
        if offline
            && current.answer.is_empty()
            && current.continues.is_none()
            && matches!(self.queue_owner, jobs::Owner::Elsewhere)
        {
            // The queue belongs to the other window: nothing is queued,
            // and the user is told why.
            self.failure = Some(error);
            self.notice = Some(super::ELSEWHERE.to_owned());
            self.give_back_question();
            return Action::None;
        }
        if offline && current.answer.is_empty() && current.continues.is_none() {
            // Nothing arrived: queue it, with the note as it is now.
            let current = self.current.take().expect("checked");
            let job = Job {
                id: 0,
                note: current.note.as_str().to_owned(),
                mode: current.run.mode.clone(),
                model: current.run.model.clone(),
                max_tokens: self.max_tokens_for(&current.run.model),
                system: self.mode_prompt(&current.run.mode),
                text: current.run.exchanges[0].question.clone(),
                masked: current.masks.is_some(),
                queued_at: jiff::Timestamp::now().as_second(),
                attempts: 0,
                state: jobs::State::Pending,
            };
            self.queue.push(job);
            self.queue_retry_at = Some(Instant::now() + jobs::backoff(0));
            self.failure = Some(error);
            self.restore_shown();
            return self.save_queue().into();
        }
        self.failure = Some(error.clone());
        if current.answer.is_empty() {
            self.give_back_question();
            return Action::None;
        }
        self.finish(Status::Incomplete {
            reason: claude::advice(&error).0.to_owned(),
        })
    }

    pub(super) fn stop(&mut self) -> Action {
        let Some(current) = &self.current else {
            return Action::None;
        };
        current.handle.abort();
        if current.answer.is_empty() {
            self.give_back_question();
            return Action::None;
        }
        self.finish(Status::Incomplete {
            reason: "stopped".into(),
        })
    }

    /// A reply that never started: a follow-up question goes back into its
    /// field (nothing typed is lost), and the last run is shown again.
    fn give_back_question(&mut self) {
        if let Some(current) = self.current.take()
            && current.continues.is_some()
            && !current.extends
            && self.follow_up.trim().is_empty()
        {
            self.follow_up = current.question;
        }
        self.restore_shown();
    }

    /// Shows the last run again after a reply that never started.
    pub(super) fn restore_shown(&mut self) {
        match self.shown.filter(|&index| index < self.runs.len()) {
            Some(index) => self.show(index),
            None => self.replace_content(markdown::Content::new()),
        }
    }
}
