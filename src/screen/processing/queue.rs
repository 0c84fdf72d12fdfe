//! The offline queue, as the panel drives it: one job at a time, with
//! backoff, results stored with their notes.

use std::time::Instant;

use iced::Task;

use super::{Action, Context, Message, Processing, append_run};
use crate::claude::{self, ApiError};
use crate::jobs;
use crate::notes::NoteId;
use crate::notes::runs::Run;

impl Processing {
    pub(super) fn save_queue(&self) -> Task<Message> {
        match &self.notes_dir {
            Some(dir) => Task::perform(jobs::save(dir.clone(), self.queue.clone()), Message::Saved),
            None => Task::none(),
        }
    }

    pub(super) fn queue_tick(&mut self, now: Instant, context: Context<'_>) -> Action {
        self.now = now;
        let Some(key) = context.key else {
            return Action::None;
        };
        if self.queue_retry_at.is_some_and(|at| now < at) {
            return Action::None;
        }
        let Some(job) = self.queue.next().cloned() else {
            return Action::None;
        };
        if let Some(queued) = self.queue.job_mut(job.id) {
            queued.state = jobs::State::Sending;
        }
        let id = job.id;
        let send = Task::perform(
            jobs::send(self.client.clone(), key.clone(), job),
            move |result| Message::JobDone(id, result),
        );
        Task::batch([send, self.save_queue()]).into()
    }

    pub(super) fn job_done(&mut self, id: u64, result: Result<Run, ApiError>) -> Action {
        match result {
            Ok(run) => {
                let Some(job) = self.queue.remove(id) else {
                    return Action::None;
                };
                self.queue_retry_at = None;
                let (input, output) = (run.input_tokens, run.output_tokens);
                let note = NoteId::new(job.note);
                let store = match self.notes_dir.clone() {
                    Some(dir) => {
                        let stored = note.clone();
                        Task::perform(append_run(dir, note, run), move |_| {
                            Message::JobStored(stored.clone())
                        })
                    }
                    None => Task::none(),
                };
                self.pending_save = Some(Task::batch([store, self.save_queue()]));
                Action::Usage { input, output }
            }
            Err(error) => {
                let transient = jobs::is_transient(&error);
                if let Some(job) = self.queue.job_mut(id) {
                    job.attempts += 1;
                    job.state = if transient {
                        jobs::State::Pending
                    } else {
                        jobs::State::Failed {
                            reason: claude::advice(&error).0.to_owned(),
                        }
                    };
                    self.queue_retry_at = Some(Instant::now() + jobs::backoff(job.attempts));
                }
                self.save_queue().into()
            }
        }
    }
}
