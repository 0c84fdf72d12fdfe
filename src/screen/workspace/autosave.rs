//! Autosave: when to write, what a save result means, and keeping both
//! versions when a file changed under unsaved edits.

use std::time::Instant;

use iced::Task;

use super::{Failure, Message, Note, Notice, TextNote, Workspace};
use crate::notes::{self, Entry, NoteId, SaveError, Saved};

impl Workspace {
    pub(super) fn tick(&mut self, now: Instant) -> Task<Message> {
        if let Some(undo) = &mut self.undo
            && undo.offered_until.is_some_and(|until| now >= until)
        {
            undo.offered_until = None;
        }
        let hurry = self.quitting;
        let dir = self.dir.clone();
        let vocabulary = &self.vocabulary;
        let tasks: Vec<_> = self
            .notes
            .iter_mut()
            .filter(|note| note.as_text().is_some_and(|text| text.save_due(now, hurry)))
            .filter_map(|note| {
                let id = note.id.clone();
                let text_note = note.as_text_mut()?;
                let session = text_note.session_mut();
                let text = session.draft.clone()?;
                session.saving = Some(session.revision);
                let revision = session.revision;
                let base = text_note.disk;
                let dir = dir.clone();
                Some(Task::perform(
                    notes::save(dir, id.clone(), text.clone(), base, vocabulary.clone()),
                    move |result| Message::Saved {
                        id: id.clone(),
                        revision,
                        text: text.clone(),
                        result,
                    },
                ))
            })
            .collect();
        Task::batch(tasks)
    }

    /// Retry failed saves at once (Ctrl+S, or the Retry button).
    pub(super) fn save_now(&mut self) -> Task<Message> {
        let now = Instant::now();
        for note in self.notes.iter_mut().filter_map(Note::as_text_mut) {
            if let Some(failure) = note.failure_mut() {
                failure.retry_at = now;
            }
        }
        let quitting = std::mem::replace(&mut self.quitting, true);
        let task = self.tick(now);
        self.quitting = quitting;
        task
    }

    pub(super) fn saved(
        &mut self,
        id: NoteId,
        revision: u64,
        text: String,
        result: Result<Saved, SaveError>,
    ) -> Task<Message> {
        let now = Instant::now();
        let selected = self.selected.as_ref() == Some(&id);
        let Some(note) = self.note_mut(&id) else {
            return Task::none();
        };
        let Some(text_note) = note.as_text_mut() else {
            return Task::none();
        };
        let session = text_note.session_mut();
        session.saving = None;
        let recheck = std::mem::take(&mut session.recheck);
        match result {
            Ok(Saved::Written {
                modified,
                stamp,
                words,
                tags,
            }) => {
                text_note.disk = Some(stamp);
                text_note.words = Some(words);
                let session = text_note.session_mut();
                // The open note keeps the text it shows; another lets it go.
                session.loaded = selected.then_some(text);
                session.failure = None;
                if session.revision == revision {
                    session.draft = None;
                    session.dirty_since = None;
                } else {
                    session.dirty_since = Some(now);
                }
                text_note.settle();
                note.modified = modified;
                if note.tags != tags {
                    note.tags = tags;
                    self.tags_changed();
                }
            }
            Ok(Saved::Conflict { disk }) => {
                // A delete asked for during this save is of the version
                // that was being saved, which lives on as a copy now: the
                // user sees both and decides again. Left set, the mark
                // would trash the note at its next save.
                if self.delete_after_save.as_ref() == Some(&id) {
                    self.delete_after_save = None;
                }
                self.conflict(disk);
                return Task::none();
            }
            Err(error) => {
                let session = text_note.session_mut();
                let attempts = session
                    .failure
                    .as_ref()
                    .map_or(1, |failure| failure.attempts + 1);
                session.failure = Some(Box::new(Failure {
                    error,
                    attempts,
                    retry_at: now + Failure::backoff(attempts),
                }));
            }
        }
        if self.delete_after_save.as_ref() == Some(&id) {
            self.delete_after_save = None;
            return self.delete_note(id);
        }
        if recheck {
            return self.reread(vec![id]);
        }
        Task::none()
    }

    /// The file of a note with unsaved edits changed on disk. Keep both: the
    /// file keeps the other version, the draft becomes a new note (and stays
    /// in the editor if it was open).
    pub(super) fn conflict(&mut self, disk: Entry) {
        let id = disk.id.clone();
        let Some(index) = self.notes.iter().position(|note| note.id == id) else {
            return;
        };
        // Names are checked against the notes known here, not the disk
        // (no disk work in `update`); should a file of that name appear
        // meanwhile, saving finds it and keeps both once more.
        let copy_id = NoteId::conflict_copy(&id, crate::time::now_in(&self.zone), |name| {
            self.notes.iter().any(|note| note.id.as_str() == name)
        });
        let mut copy = self.notes[index].clone();
        copy.id = copy_id.clone();
        if let Some(text) = copy.as_text_mut() {
            let draft = text.take_draft().unwrap_or_default();
            *text = TextNote::default();
            let session = text.session_mut();
            session.draft = Some(draft);
            session.revision = 1;
            session.dirty_since = Some(Instant::now());
        }
        let title = copy.title.clone();
        self.notes[index] = Note::from_entry(disk);
        if let Some(text) = self.notes[index].as_text_mut() {
            text.release();
        }
        self.notes.insert(0, copy);
        if self.selected.as_ref() == Some(&id) {
            // Same text, same cursor: only the file it goes to changes.
            self.selected = Some(copy_id.clone());
        }
        // The history is of the text the copy now holds.
        self.move_history(&id, &copy_id);
        self.notice = Some(Notice {
            text: format!(
                "“{}” was changed by another program while you were editing it. Both versions are kept: the other one in “{id}”, yours as “{copy_id}”.",
                if title.is_empty() {
                    id.as_str()
                } else {
                    &title
                }
            ),
            danger: false,
        });
        self.refresh_list();
    }
}
