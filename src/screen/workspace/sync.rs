//! Changes made to the notes folder by other programs.

use std::collections::{HashMap, HashSet};

use iced::Task;

use super::{Message, Note, Workspace};
use crate::notes::watch::Change;
use crate::notes::{self, Content, Entry, Listing, NoteId, history, undo};

impl Workspace {
    pub(super) fn folder_changed(&mut self, change: Change) -> Task<Message> {
        match change {
            Change::Notes(ids) => {
                let ids: Vec<_> = ids
                    .into_iter()
                    .filter(|id| !self.trashing.contains(id))
                    .collect();
                self.reread(ids)
            }
            Change::Unavailable(reason) => {
                tracing::warn!("watching the notes folder failed: {reason}; rescanning instead");
                Task::none()
            }
            Change::Rescan => Task::perform(
                notes::load_dir(self.dir.clone(), self.vocabulary.clone(), self.indexing()),
                Message::Rescanned,
            ),
        }
    }

    /// Files read again: changed on disk (by another program, or by our
    /// own saves), or read to open a note.
    pub(super) fn reloaded(&mut self, files: Vec<(NoteId, Option<Entry>)>) -> Task<Message> {
        let mut editor_text = None;
        // What the app showed, before another program replaced or deleted
        // it: kept in the note's history.
        let mut keep = Vec::new();
        // Where each note is, found at once for many (a folder looked at
        // again): one search each through 100,000 notes would take seconds.
        let places: Vec<Option<usize>> = if files.len() > 16 {
            let at: HashMap<&str, usize> = self
                .notes
                .iter()
                .enumerate()
                .map(|(index, note)| (note.id.as_str(), index))
                .collect();
            files
                .iter()
                .map(|(id, _)| at.get(id.as_str()).copied())
                .collect()
        } else {
            files
                .iter()
                .map(|(id, _)| self.notes.iter().position(|note| &note.id == id))
                .collect()
        };
        // Notes gone, taken out once all are seen (so that the places
        // above stay right).
        let mut gone = vec![false; self.notes.len()];
        // Kept both ways once all are seen: a copy goes to the top.
        let mut conflicts = Vec::new();
        for ((id, file), index) in files.into_iter().zip(places) {
            let index = index.filter(|&index| !gone[index]);
            let Some(index) = index else {
                // A file read just before it was moved to the trash is
                // not a new note: listed, it would come back from the dead.
                if let Some(file) = file.filter(|_| !self.trashing.contains(&id)) {
                    let mut note = Note::from_entry(file);
                    if let Some(text) = note.as_text_mut() {
                        text.release();
                    }
                    self.notes.push(note);
                }
                continue;
            };
            let note = &mut self.notes[index];
            if let Some(text_note) = note.as_text_mut().filter(|note| note.is_saving()) {
                // Our own save may be what changed it; look again after.
                text_note.session_mut().recheck = true;
                continue;
            }
            match file {
                None if note.is_dirty() || note.is_blank_draft() => {
                    // Deleted elsewhere while we hold text: it will be
                    // written back by autosave.
                    if let Some(text_note) = note.as_text_mut() {
                        text_note.disk = None;
                        text_note.words = None;
                        text_note.release();
                    }
                }
                None => {
                    gone[index] = true;
                    let note = &self.notes[index];
                    if self.selected.as_ref() == Some(&id) {
                        self.selected = None;
                        editor_text = Some(String::new());
                        if let Some(shown) = note.text() {
                            keep.push((id.clone(), shown.to_owned()));
                        }
                    }
                }
                Some(file) => {
                    let selected = self.selected.as_ref() == Some(&id);
                    if let (Content::Text(disk), Some(text_note)) =
                        (&file.content, note.as_text_mut())
                        && text_note.disk == Some(disk.stamp)
                    {
                        // Unchanged. Read to be opened: show it. (A folder
                        // rescan may list it without words: keep those.)
                        if disk.words.is_some() {
                            text_note.words = disk.words.clone();
                        }
                        if selected && text_note.text().is_none() {
                            text_note.session_mut().loaded = disk.text.clone();
                            editor_text = disk.text.clone();
                        }
                        if selected {
                            // Made read-only or writable: the text is the
                            // same, the mode is not.
                            text_note.session_mut().read_only = disk.read_only;
                        }
                        continue;
                    }
                    if note.is_dirty() {
                        conflicts.push(file);
                        continue;
                    }
                    let shown = selected.then(|| note.text().map(str::to_owned)).flatten();
                    *note = Note::from_entry(file);
                    if selected {
                        let text = note.text().unwrap_or("").to_owned();
                        // What the app showed can be had back with Undo,
                        // and from the note's history.
                        if let Some(shown) = shown {
                            self.histories.entry(id.clone()).or_default().record(
                                &shown,
                                &text,
                                undo::Kind::Other,
                                std::time::Instant::now(),
                            );
                            keep.push((id.clone(), shown));
                        }
                        editor_text = Some(text);
                    } else {
                        if let Some(text) = note.as_text_mut() {
                            text.release();
                        }
                        // Its history was of a text that is gone.
                        self.histories.remove(&id);
                    }
                }
            }
        }
        if gone.contains(&true) {
            let mut index = 0;
            self.notes.retain(|_| {
                index += 1;
                !gone.get(index - 1).copied().unwrap_or(false)
            });
        }
        for file in conflicts {
            self.conflict(file);
        }
        // Always: a save of ours, seen here, moves its note up the list.
        self.sort_notes();
        self.refresh_list();
        let mut replaced = Task::none();
        if let Some(text) = editor_text {
            self.show_text(&text);
            self.replay_pending_edits();
            replaced = self.apply_pending_replace();
        }
        let keep = Task::batch(keep.into_iter().map(|(id, text)| {
            Task::perform(
                history::keep_async(self.dir.clone(), id, text),
                Message::VersionKept,
            )
        }));
        if self.selected.is_none() {
            return Task::batch([keep, replaced, self.new_note()]);
        }
        // Changed on disk and not read yet (a folder rescan lists notes
        // without their text).
        Task::batch([keep, replaced, self.read_selected()])
    }

    /// The whole folder, read again (when watching it failed): notes found,
    /// changed and gone.
    pub(super) fn rescanned(&mut self, listing: Listing) -> Task<Message> {
        let files = listing.entries;
        let ids = files
            .iter()
            .map(|file| file.id.clone())
            .collect::<HashSet<_>>();
        let gone: Vec<_> = self
            .notes
            .iter()
            .filter(|note| {
                !ids.contains(&note.id) && note.as_text().is_none_or(|n| n.disk.is_some())
            })
            .map(|note| (note.id.clone(), None))
            .collect();
        let found = files
            .into_iter()
            .filter(|file| !self.trashing.contains(&file.id))
            .map(|file| (file.id.clone(), Some(file)));
        self.reloaded(found.chain(gone).collect())
    }

    /// The folder, shown as last listed, looked at again: what changed
    /// comes in as a change seen by the watcher would.
    pub(super) fn checked(&mut self, changed: Vec<Entry>, gone: Vec<NoteId>) -> Task<Message> {
        self.listing_complete = true;
        let keep = self.keep_words();
        if changed.is_empty() && gone.is_empty() {
            return keep;
        }
        let files = changed
            .into_iter()
            .map(|entry| (entry.id.clone(), Some(entry)))
            .chain(gone.into_iter().map(|id| (id, None)))
            .collect();
        Task::batch([self.reloaded(files), keep])
    }

    /// The folder is listed whole after a search began that read some
    /// words from files (the words cache is out of date): every note's
    /// words are asked for once more, to be kept in the words cache for the
    /// next run (see `notes::cache`). Most come from that cache; those the
    /// app has are not taken again.
    pub(super) fn keep_words(&mut self) -> Task<Message> {
        // (A search still finding words comes back here when it is done.)
        if !self.listing_complete
            || self.finding != super::Finding::Done
            || !self.words_read_from_files
            || self.words_kept
        {
            return Task::none();
        }
        self.words_kept = true;
        let all = self
            .notes
            .iter()
            .filter_map(|note| Some((note.id.clone(), note.as_text()?.disk?)))
            .collect();
        Task::perform(
            notes::index_all(self.dir.clone(), all, self.vocabulary.clone(), true),
            |(found, read_files)| Message::Indexed(found, read_files),
        )
    }

    /// More notes of the folder as it is being listed (see
    /// `notes::list_in_parts`). A note the app already has (a change seen
    /// by the watcher, read while the folder was being listed) is kept as
    /// the app has it.
    pub(super) fn listed(&mut self, entries: Vec<Entry>, last: bool) -> Task<Message> {
        self.listing_complete = last;
        let known: HashSet<&str> = self.notes.iter().map(|note| note.id.as_str()).collect();
        let fresh: Vec<Note> = entries
            .into_iter()
            .filter(|entry| {
                !known.contains(entry.id.as_str()) && !self.trashing.contains(&entry.id)
            })
            .map(Note::from_entry)
            .collect();
        drop(known);
        self.notes.extend(fresh);
        self.sort_notes();
        self.refresh_list();
        let keep = if last {
            self.keep_words()
        } else {
            Task::none()
        };
        if self.query.trim().is_empty() {
            keep
        } else {
            // A search typed meanwhile looks in these notes' words too.
            Task::batch([self.find_words(), keep])
        }
    }
}
