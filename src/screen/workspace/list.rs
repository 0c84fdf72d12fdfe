//! The notes list: search, ranking, moving through it, and keeping the
//! open note's row in view.

use iced::Task;
use iced::widget::{operation, scrollable};

use super::{LIST_CHROME, LIST_ID, Message, Note, ROW_HEIGHT, Workspace};
use crate::notes::index;
use crate::notes::search::Haystack;

impl Workspace {
    /// The window was opened or resized to this height.
    pub fn set_window_height(&mut self, height: f32) {
        self.window_height = height;
    }

    #[cfg(test)]
    pub(crate) fn window_height(&self) -> f32 {
        self.window_height
    }

    /// How tall the list is: as last scrolled, else at most the window.
    pub(super) fn list_height(&self) -> f32 {
        match self.list_viewport.1 {
            height if height > 0.0 => height,
            _ if self.window_height > 0.0 => (self.window_height - LIST_CHROME).max(ROW_HEIGHT),
            // Not told yet: a tall window.
            _ => 2000.0,
        }
    }

    pub(super) fn search(&mut self, query: String) -> Task<Message> {
        // Typing on: a note that matches the longer query matched the
        // shorter one (each word only grows, or a word is added), so only
        // the notes listed now are searched again. A trailing backslash
        // could escape the space typed next, joining two words into one.
        let narrower = !self.query.trim().is_empty()
            && query.starts_with(self.query.as_str())
            && !self.query.ends_with('\\');
        self.query = query;
        if narrower {
            let listed = std::mem::take(&mut self.visible);
            self.rank(Some(listed));
        } else {
            self.refresh_list();
        }
        // Keep the open note if it still matches; else open the best match.
        let selected_visible = self
            .selected
            .as_ref()
            .is_some_and(|id| self.visible().any(|note| &note.id == id));
        match self.visible.first() {
            Some(&best) if !selected_visible => self.select(self.notes[best].id.clone(), false),
            _ => Task::none(),
        }
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    pub(super) fn navigate(&mut self, step: isize) -> Task<Message> {
        if self.visible.is_empty() {
            return Task::none();
        }
        let current = self
            .selected
            .as_ref()
            .and_then(|id| self.visible.iter().position(|&i| &self.notes[i].id == id));
        let next = match current {
            Some(current) => current
                .saturating_add_signed(step)
                .min(self.visible.len() - 1),
            None => 0,
        };
        self.select(self.notes[self.visible[next]].id.clone(), false)
    }

    pub(super) fn scroll_to_selected(&self) -> Task<Message> {
        match self.scroll_target() {
            Some(target) => operation::scroll_to(
                LIST_ID,
                scrollable::AbsoluteOffset {
                    x: None,
                    y: Some(target),
                },
            ),
            None => Task::none(),
        }
    }

    /// Where to scroll the list so that the open note's row is in view;
    /// `None` if it is already.
    pub(super) fn scroll_target(&self) -> Option<f32> {
        let row = self
            .selected
            .as_ref()
            .and_then(|id| self.visible().position(|note| &note.id == id))?;
        let offset = self.list_viewport.0;
        let height = self.list_height();
        let top = row as f32 * ROW_HEIGHT;
        if top < offset {
            Some(top)
        } else if top + ROW_HEIGHT > offset + height {
            Some(top + ROW_HEIGHT - height)
        } else {
            None
        }
    }

    pub(super) fn sort_notes(&mut self) {
        self.notes
            .sort_by_key(|note| std::cmp::Reverse(note.modified));
    }

    pub(super) fn refresh_list(&mut self) {
        self.rank(None);
    }

    /// Lists the notes that match the query, best first: all of them, or
    /// only those `among` (positions in `notes`).
    pub(super) fn rank(&mut self, among: Option<Vec<usize>>) {
        fn item(note: &Note) -> (&str, Haystack<'_>) {
            (note.title.as_str(), note.haystack())
        }
        let notes = &self.notes;
        let vocabulary = index::Vocabulary::lock(&self.vocabulary);
        let mut visible = match among {
            None => self
                .searcher
                .rank(&self.query, &vocabulary, notes.iter().map(item)),
            Some(mut among) => {
                // In the notes' own order, which breaks ties. (Every change
                // to `notes` ranks them all again, so these are current.)
                among.retain(|&index| index < notes.len());
                among.sort_unstable();
                let found = self.searcher.rank(
                    &self.query,
                    &vocabulary,
                    among.iter().map(|&index| item(&notes[index])),
                );
                found.into_iter().map(|position| among[position]).collect()
            }
        };
        // A blank new note only shows while there is no search.
        if !self.query.trim().is_empty() {
            visible.retain(|&i| !notes[i].is_blank_draft());
        }
        drop(vocabulary);
        self.visible = visible;
    }
}
