//! Subfolders and tags in the notes list: narrowing the list to a folder
//! or a tag, and moving a note to another folder.
//!
//! The folders and tags offered are those of the listed notes, worked out
//! when the notes change (not at every search keystroke, nor in `view`).

use iced::Task;
use iced::widget::operation;

use super::{Message, Notice, Workspace};
use crate::notes::{self, NoteId, StoreError};

pub const MOVE_INPUT_ID: &str = "move-to-folder";
/// The folder and tag lists' row above the notes list.
const FILTERS_HEIGHT: f32 = 36.0;

/// The Move to folder bar, while it is open.
#[derive(Debug, Clone, Default)]
pub struct Move {
    /// The folder typed (or picked), inside the notes folder.
    pub folder: String,
    /// Being moved now.
    pub moving: bool,
}

/// The query split into the tags asked for (`#garden`) and its words.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Lowercased, without `#`; each with whether it was finished (a space
    /// after it: matched as itself or what is nested in it) or is still
    /// being typed (matched as the start of a tag).
    pub tags: Vec<(String, bool)>,
    pub words: String,
}

impl Query {
    pub fn parse(query: &str) -> Self {
        let mut parsed = Self::default();
        let finished = query.ends_with(char::is_whitespace);
        let parts: Vec<&str> = query.split_whitespace().collect();
        let mut words = Vec::new();
        for (position, part) in parts.iter().enumerate() {
            match part.strip_prefix('#') {
                Some(tag) if notes::tags::is_tag(tag.trim_end_matches('/')) || tag.is_empty() => {
                    if !tag.is_empty() {
                        let done = finished || position + 1 < parts.len();
                        parsed.tags.push((tag.to_lowercase(), done));
                    }
                }
                _ => words.push(*part),
            }
        }
        parsed.words = words.join(" ");
        parsed
    }

    /// Does a note with `tags` have every tag asked for?
    pub fn admits(&self, tags: &notes::Tags) -> bool {
        self.tags.iter().all(|(tag, done)| {
            if *done {
                tags.has_lowercase(tag)
            } else {
                tags.iter().any(|own| {
                    let mut own = own.chars().flat_map(char::to_lowercase);
                    tag.chars().all(|c| own.next() == Some(c))
                })
            }
        })
    }
}

impl Workspace {
    /// The folder the list is narrowed to (`""`: every note).
    pub fn folder(&self) -> &str {
        &self.folder
    }

    /// Every folder holding a listed note (and the folders above them).
    pub fn folders(&self) -> &[String] {
        &self.folders
    }

    /// Every tag of the listed notes, as first written, by name.
    pub fn all_tags(&self) -> &[String] {
        &self.all_tags
    }

    /// How tall the folder and tag lists above the notes are (none without
    /// subfolders or tags).
    pub(super) fn filters_height(&self) -> f32 {
        if self.folders.is_empty() && self.all_tags.is_empty() && self.folder.is_empty() {
            0.0
        } else {
            FILTERS_HEIGHT
        }
    }

    /// Works out the folders and tags offered, from the notes.
    pub(super) fn refresh_catalog(&mut self) {
        let catalog =
            crate::notes::Catalog::of(self.notes.iter().map(|note| (&note.id, &note.tags)));
        self.folders = catalog.folders;
        self.all_tags = catalog.tags;
    }

    /// A note's tags changed (it was saved): offer the new ones.
    pub(super) fn tags_changed(&mut self) {
        self.refresh_catalog();
    }

    /// Narrows the list to `folder` (`""`: every note). New notes go there.
    pub(super) fn view_folder(&mut self, folder: String) -> Task<Message> {
        self.folder = folder;
        self.refresh_list();
        self.follow_results()
    }

    /// Adds `#tag` to the search (the tag list's choice).
    pub(super) fn filter_tag(&mut self, tag: &str) -> Task<Message> {
        let wanted = format!("#{tag}");
        if self
            .query
            .split_whitespace()
            .any(|part| part.eq_ignore_ascii_case(&wanted))
        {
            return Task::none();
        }
        let mut query = self.query.trim_end().to_owned();
        if !query.is_empty() {
            query.push(' ');
        }
        query.push_str(&wanted);
        query.push(' ');
        self.search(query)
    }

    /// Opens the Move to folder bar for the open note (Ctrl+Shift+M).
    pub(super) fn ask_move(&mut self) -> Task<Message> {
        let Some(note) = self.selected().filter(|note| !note.is_blank_draft()) else {
            return Task::none();
        };
        self.moving = Some(Move {
            folder: note.id.folder().to_owned(),
            moving: false,
        });
        Task::batch([
            operation::focus(MOVE_INPUT_ID),
            operation::select_all(MOVE_INPUT_ID),
        ])
    }

    pub(super) fn move_input(&mut self, folder: String) {
        if let Some(bar) = &mut self.moving {
            bar.folder = folder;
        }
    }

    /// Moves the open note to the folder typed, on a blocking thread. Its
    /// text is saved first if it has to be: the file moved is the note.
    pub(super) fn confirm_move(&mut self) -> Task<Message> {
        let Some(folder) = self
            .moving
            .as_ref()
            .filter(|bar| !bar.moving)
            .map(|bar| bar.folder.clone())
        else {
            return Task::none();
        };
        let Some(note) = self.selected.clone() else {
            return Task::none();
        };
        let unsaved = self
            .selected()
            .and_then(super::Note::as_text)
            .is_none_or(|text| text.disk.is_none() || text.is_dirty() || text.is_saving());
        if unsaved {
            // Not on disk as shown yet: saved first, then moved.
            self.notice = Some(Notice {
                text: "Saving the note first; try Move again in a moment.".into(),
                danger: false,
            });
            return self.save_now();
        }
        if let Some(bar) = &mut self.moving {
            bar.moving = true;
        }
        let moved = note.clone();
        Task::perform(
            notes::move_note(self.dir.clone(), note, folder),
            move |result| Message::Moved(moved.clone(), result),
        )
    }

    pub(super) fn cancel_move(&mut self) -> Task<Message> {
        self.moving = None;
        operation::focus(super::EDITOR_ID)
    }

    /// A note was moved (or not) to another folder.
    pub(super) fn moved(
        &mut self,
        from: NoteId,
        result: Result<NoteId, StoreError>,
    ) -> Task<Message> {
        match result {
            Err(error) => {
                if let Some(bar) = &mut self.moving {
                    bar.moving = false;
                }
                self.notice = Some(Notice {
                    text: format!("BrainDump {error}. The note is where it was."),
                    danger: true,
                });
                Task::none()
            }
            Ok(to) => {
                self.moving = None;
                let pins = self.renamed(&from, &to);
                let folder = match to.folder() {
                    "" => "the top of the notes folder".to_owned(),
                    folder => format!("“{folder}”"),
                };
                self.notice = Some(Notice {
                    text: format!("Moved to {folder}."),
                    danger: false,
                });
                // The list may be narrowed to the folder it left: show the
                // one it went to, so it stays in view.
                if !to.is_within(&self.folder) {
                    self.folder = to.folder().to_owned();
                }
                self.refresh_list();
                Task::batch([
                    pins,
                    self.scroll_to_selected(),
                    operation::focus(super::EDITOR_ID),
                ])
            }
        }
    }

    /// A note's id changed from `from` to `to` (moved): everything the
    /// workspace keeps by id follows it. Returns the pins' save, if it was
    /// pinned.
    pub(super) fn renamed(&mut self, from: &NoteId, to: &NoteId) -> Task<Message> {
        if let Some(note) = self.note_mut(from) {
            note.id = to.clone();
        }
        if self.selected.as_ref() == Some(from) {
            self.selected = Some(to.clone());
        }
        if let Some(history) = self.histories.remove(from) {
            self.histories.insert(to.clone(), history);
        }
        if self.replies.remove(from) {
            self.replies.insert(to.clone());
        }
        if self.history.is_some() {
            self.history = None;
        }
        if self.pinned.remove(from) {
            self.pinned.insert(to.clone());
            return self.save_pins();
        }
        Task::none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_splits_into_tags_and_words() {
        let query = Query::parse("#Work plan #area/gar");
        assert_eq!(
            query.tags,
            [("work".to_owned(), true), ("area/gar".to_owned(), false)]
        );
        assert_eq!(query.words, "plan");
        // A lone `#` or a number is a word, not a tag.
        let query = Query::parse("# #2026 ");
        assert!(query.tags.is_empty());
        assert_eq!(query.words, "#2026");

        let tags = notes::Tags::of("#area/garden #work");
        assert!(Query::parse("#area ").admits(&tags), "nested");
        assert!(Query::parse("#gar").admits(&notes::Tags::of("#garden")));
        assert!(!Query::parse("#gar ").admits(&notes::Tags::of("#garden")));
        assert!(!Query::parse("#work #home").admits(&tags), "every tag");
    }
}
