//! Deleting notes to the trash folder, and Undo.

use iced::Task;

use std::time::Instant;

use super::{Message, Notice, UNDO_DELETE_FOR, Undo, Workspace};
use crate::notes::{self, NoteId, StoreError, Trashed};

impl Workspace {
    pub(super) fn delete(&mut self) -> Task<Message> {
        let Some(id) = self.selected.clone() else {
            return Task::none();
        };
        self.delete_note(id)
    }

    /// Moves a note to the trash. A note being saved right now is deleted
    /// once its save has landed (a few milliseconds), so the save cannot
    /// bring the file back.
    pub(super) fn delete_note(&mut self, id: NoteId) -> Task<Message> {
        let Some(index) = self.notes.iter().position(|note| note.id == id) else {
            return Task::none();
        };
        if self.notes[index].is_saving() {
            self.delete_after_save = Some(id);
            return Task::none();
        }
        let position = self.visible.iter().position(|&i| i == index).unwrap_or(0);
        let note = self.notes.remove(index);
        let draft = note.as_text().and_then(|text| text.session().draft.clone());
        let on_disk = note.as_text().is_none_or(|text| text.disk.is_some()) || draft.is_some();
        // What the user deleted is what the trash holds: the text shown
        // (saved or not), even if another program changed the file a
        // moment ago (its version goes into the note's history).
        let shown = draft.or_else(|| note.text().map(str::to_owned));
        let blank = note.is_blank_draft();
        self.selected = None;
        self.refresh_list();
        if !blank {
            self.undo = Some(Undo {
                note,
                trashed: None,
                offered_until: Some(Instant::now() + UNDO_DELETE_FOR),
                asked: false,
            });
        }
        // Open the note that took its place, or a fresh one.
        let next = self
            .visible
            .get(position)
            .or_else(|| self.visible.last())
            .map(|&i| self.notes[i].id.clone());
        let select = match next {
            Some(next) => self.select(next, false),
            None => self.new_note(),
        };
        if on_disk && !blank {
            self.trashing.insert(id.clone());
            let trash = Task::perform(
                notes::trash(self.dir.clone(), id.clone(), shown),
                move |result| Message::Trashed(id.clone(), result),
            );
            Task::batch([select, trash])
        } else {
            select
        }
    }

    pub(super) fn trashed(
        &mut self,
        id: NoteId,
        result: Result<Trashed, StoreError>,
    ) -> Task<Message> {
        self.trashing.remove(&id);
        match result {
            Ok(trashed) => {
                if let Some(undo) = self.undo.as_mut().filter(|undo| undo.note.id == id) {
                    undo.trashed = Some(trashed);
                    if undo.asked {
                        return self.restore();
                    }
                }
            }
            Err(error) => {
                // Not moved: it is still a note.
                if let Some(mut undo) = self.undo.take_if(|undo| undo.note.id == id) {
                    if let Some(text) = undo.note.as_text_mut() {
                        text.release();
                    }
                    self.notes.insert(0, undo.note);
                    self.refresh_list();
                }
                self.notice = Some(Notice {
                    text: format!("The note was not deleted: {error}."),
                    danger: true,
                });
            }
        }
        Task::none()
    }

    pub(super) fn undo(&mut self) -> Task<Message> {
        if !self.can_undo() {
            return Task::none();
        }
        let Some(mut undo) = self.undo.take() else {
            return Task::none();
        };
        if self.trashing.contains(&undo.note.id) {
            // Its file is on its way to the trash: put back once there
            // (brought back now, the move would take the file from under
            // it).
            undo.asked = true;
            undo.offered_until = None;
            self.undo = Some(undo);
            return Task::none();
        }
        match undo.trashed {
            Some(_) => {
                self.undo = Some(undo);
                self.restore()
            }
            None => {
                let id = undo.note.id.clone();
                self.notes.insert(0, undo.note);
                self.refresh_list();
                self.select(id, true)
            }
        }
    }

    /// Moves the note just deleted back from the trash.
    fn restore(&mut self) -> Task<Message> {
        let Some(trashed) = self.undo.as_ref().and_then(|undo| undo.trashed.clone()) else {
            return Task::none();
        };
        let name = trashed.file_name().to_owned();
        Task::perform(notes::restore(self.dir.clone(), trashed), move |result| {
            Message::Restored(name.clone(), result)
        })
    }

    /// A note moved back from the trash (`name` is its file name there).
    pub(super) fn restored(
        &mut self,
        name: &str,
        result: Result<NoteId, StoreError>,
    ) -> Task<Message> {
        let ours = self.undo.as_ref().is_some_and(|undo| {
            undo.trashed
                .as_ref()
                .is_some_and(|trashed| trashed.file_name() == name)
        });
        let undo = if ours { self.undo.take() } else { None };
        let Some(mut undo) = undo else {
            // Put back from the Trash view, or another note was deleted
            // while this one was on its way back (the undo offer is that
            // note's now). It is back in the folder all the same; it is
            // listed from its file.
            let relist = self.list_trash();
            let title = self.trashed_title(name);
            return match result {
                Ok(id) => {
                    if self.is_trash_open() {
                        let what = title
                            .filter(|title| !title.trim().is_empty())
                            .map_or_else(|| id.as_str().to_owned(), |title| format!("“{title}”"));
                        self.notice = Some(super::Notice {
                            text: format!("{what} is back in your notes."),
                            danger: false,
                        });
                    }
                    Task::batch([self.reread(vec![id]), relist])
                }
                Err(error) => {
                    self.restore_failed(&error);
                    relist
                }
            };
        };
        match result {
            Ok(id) => {
                // Its undo history comes back with it, under its new name.
                self.move_history(&undo.note.id, &id);
                undo.note.id = id.clone();
                // The trashed file holds the draft too: it is saved now.
                // Its words come with a read of the file.
                let mut read = Task::none();
                if let Some(text) = undo.note.as_text_mut()
                    && let Some(draft) = text.take_draft()
                {
                    text.disk = Some(notes::Stamp::of(&draft));
                    let session = text.session_mut();
                    session.loaded = Some(draft);
                    session.dirty_since = None;
                    read = self.reread(vec![id.clone()]);
                }
                self.notes.retain(|note| note.id != id);
                self.notes.push(undo.note);
                self.sort_notes();
                self.refresh_list();
                Task::batch([self.select(id, true), read])
            }
            Err(error) => {
                self.restore_failed(&error);
                Task::none()
            }
        }
    }

    fn restore_failed(&mut self, error: &StoreError) {
        self.notice = Some(Notice {
            text: format!(
                "The note could not be put back: {error}. It is still in the .trash folder inside your notes folder."
            ),
            danger: true,
        });
    }
}
