//! The offline queue, as the panel drives it: one job at a time, with
//! backoff, results stored with their notes.

use std::time::Instant;

use iced::Task;

use super::{Action, Context, Message, Processing, append_run};
use crate::claude::{self, ApiError, ErrorKind};
use crate::jobs;
use crate::notes::NoteId;
use crate::notes::runs::{self, Run};

impl Processing {
    pub(super) fn save_queue(&self) -> Task<Message> {
        if !self.queue_loaded {
            return Task::none();
        }
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
        let Some(dir) = self.notes_dir.clone() else {
            return Action::None;
        };
        let send = Task::perform(
            jobs::send(self.client.clone(), key.clone(), job),
            move |result| Message::JobDone(dir.clone(), id, result),
        );
        Task::batch([send, self.save_queue()]).into()
    }

    /// A job of another folder's queue finished after that folder was left:
    /// its run is stored there, and it is taken off that queue.
    pub(super) fn store_elsewhere(
        &mut self,
        dir: std::path::PathBuf,
        id: u64,
        result: Result<Run, ApiError>,
    ) -> Action {
        let Ok(run) = result else {
            return Action::None;
        };
        let tokens = run.tokens();
        let (input, output) = (tokens.all_input(), tokens.output);
        self.pending_save = Some(Task::perform(
            async move {
                // A damaged queue there is kept aside on load, and its
                // readable jobs are what is saved back.
                let (mut queue, problem) = jobs::load(dir.clone()).await;
                if let Some(job) = queue.remove(id) {
                    append_run(dir.clone(), NoteId::new(job.note), run).await?;
                    jobs::save(dir, queue).await?;
                }
                problem.map_or(Ok(()), Err)
            },
            Message::Saved,
        ));
        Action::Usage { input, output }
    }

    pub(super) fn job_done(&mut self, id: u64, result: Result<Run, ApiError>) -> Action {
        match result {
            Ok(run) => {
                let Some(job) = self.queue.remove(id) else {
                    return Action::None;
                };
                self.queue_retry_at = None;
                let tokens = run.tokens();
                let (input, output) = (tokens.all_input(), tokens.output);
                self.spent(&run.model.clone(), tokens);
                let note = NoteId::new(job.note);
                let stored_with = note.clone();
                let trashed = self.trashed_while_sending.remove(&id);
                let in_trash = trashed.is_some();
                let store = match (self.notes_dir.clone(), trashed) {
                    // Its note went to the trash meanwhile: the answer
                    // waits there with it.
                    (Some(dir), Some(trashed)) => Task::perform(
                        runs::edit_at(runs::trashed_path(&dir, &trashed), runs::Edit::Append(run)),
                        |result| Message::Saved(result.map(drop)),
                    ),
                    (Some(dir), None) => {
                        let stored = (dir.clone(), note.clone());
                        Task::perform(append_run(dir, note, run), move |_| {
                            Message::JobStored(stored.0.clone(), stored.1.clone())
                        })
                    }
                    (None, _) => Task::none(),
                };
                self.pending_save = Some(Task::batch([store, self.save_queue()]));
                // Anthropic is reachable again: the "can't reach" banner
                // from when the request was queued is over.
                if self.failure.as_ref().is_some_and(|error| {
                    matches!(error.kind, ErrorKind::Connection | ErrorKind::TimedOut)
                }) {
                    self.failure = None;
                }
                if in_trash {
                    return Action::Usage { input, output };
                }
                Action::Arrived {
                    note: stored_with,
                    input,
                    output,
                }
            }
            Err(error) => {
                let transient = jobs::is_transient(&error);
                let trashed = self.trashed_while_sending.remove(&id);
                if let Some(job) = self.queue.job_mut(id) {
                    job.attempts += 1;
                    job.state = if let Some(trashed) = trashed {
                        jobs::State::Parked { trashed }
                    } else if transient {
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
