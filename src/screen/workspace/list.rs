//! The notes list: search, ranking, moving through it, and keeping the
//! open note's row in view.

use iced::Task;
use iced::widget::{operation, scrollable};

use super::{Finding, LIST_CHROME, LIST_ID, Message, Note, ROW_HEIGHT, Workspace};
use crate::notes::search::Haystack;
use crate::notes::{self, NoteId, Stamp, Words, index};

impl Workspace {
    /// The window was opened or resized to this height.
    pub fn set_window_height(&mut self, height: f32) {
        self.window_height = height;
    }

    /// The notes list's width, as the user last dragged it.
    pub fn set_list_width(&mut self, width: f32) {
        self.list_width = width;
    }

    #[cfg(test)]
    pub(crate) fn window_height(&self) -> f32 {
        self.window_height
    }

    /// How tall the list is: as last scrolled, else at most the window.
    pub(super) fn list_height(&self) -> f32 {
        match self.list_viewport.1 {
            height if height > 0.0 => height,
            _ if self.window_height > 0.0 => {
                (self.window_height - LIST_CHROME - self.filters_height()).max(ROW_HEIGHT)
            }
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
            // The notes are the same: only their order and which show.
            self.rank(None);
        }
        let find = if self.query.trim().is_empty() {
            Task::none()
        } else {
            self.find_words()
        };
        Task::batch([self.follow_results(), find])
    }

    /// Keeps the open note if it is listed; else opens the best match.
    pub(super) fn follow_results(&mut self) -> Task<Message> {
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

    /// Are the words of some notes being read for search? Until they are
    /// in, those notes can only match by their titles.
    pub fn is_finding_words(&self) -> bool {
        self.finding == Finding::Running
    }

    /// How to list the folder: with the notes' words once search has
    /// asked for them.
    pub(super) fn indexing(&self) -> notes::Indexing {
        match self.finding {
            Finding::NotAsked => notes::Indexing::Later,
            Finding::Running | Finding::Done => notes::Indexing::Now,
        }
    }

    /// Has the words of the notes listed without them read, for search:
    /// at the first search (or Ctrl+F), and for notes listed since by a
    /// folder rescan that started before it.
    pub(super) fn find_words(&mut self) -> Task<Message> {
        if self.finding == Finding::Running {
            return Task::none();
        }
        let lacking = self.lacking_words();
        if lacking.is_empty() {
            self.finding = Finding::Done;
            return Task::none();
        }
        // The first time once the folder is listed whole, every note's
        // words are asked for: what is found is kept for the next run's
        // first search (see `notes::cache`). (A search typed while a big
        // folder is still being listed the first time leaves that to the
        // next run.)
        let whole = self.listing_complete && !self.words_kept;
        self.words_kept |= whole;
        self.finding = Finding::Running;
        Task::perform(
            notes::index_all(self.dir.clone(), lacking, self.vocabulary.clone(), whole),
            |(found, read_files)| Message::Indexed(found, read_files),
        )
    }

    /// The notes whose words search does not know, with what their files
    /// held when listed.
    pub fn lacking_words(&self) -> Vec<(NoteId, Stamp)> {
        self.notes
            .iter()
            .filter_map(|note| {
                let text = note.as_text().filter(|text| text.lacks_words())?;
                Some((note.id.clone(), text.disk?))
            })
            .collect()
    }

    /// The words asked for by `find_words` are in. A note changed since it
    /// was listed is not given the words of its old text: its change comes
    /// in on its own, with its words.
    pub(super) fn indexed(&mut self, mut found: Vec<(NoteId, Stamp, Words)>) -> Task<Message> {
        self.finding = Finding::Done;
        // Sorted and searched rather than put in a map: a map of 10,000
        // notes would be 0.7 MB allocated here and freed, left behind in
        // the heap.
        found.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for note in &mut self.notes {
            let Ok(position) = found.binary_search_by(|(id, ..)| id.cmp(&note.id)) else {
                continue;
            };
            let (_, stamp, words) = &mut found[position];
            if let Some(text) = note.as_text_mut()
                && text.lacks_words()
                && text.disk == Some(*stamp)
            {
                text.words = Some(std::mem::take(words));
            }
        }
        // Bodies can match now: rank them all again.
        self.refresh_list();
        self.follow_results()
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

    /// The notes changed: list them again, and the folders and tags.
    pub(super) fn refresh_list(&mut self) {
        self.refresh_catalog();
        self.rank(None);
    }

    /// Lists the notes that match the query, best first: all of them, or
    /// only those `among` (positions in `notes`).
    pub(super) fn rank(&mut self, among: Option<Vec<usize>>) {
        fn item(note: &Note) -> (&str, Haystack<'_>) {
            (&*note.title, note.haystack())
        }
        let notes = &self.notes;
        // Tags (`#garden`) and the folder narrow the list; the words rank
        // what is left.
        let query = super::folders::Query::parse(&self.query);
        let folder = self.folder.as_str();
        let admits = |note: &Note| note.id.is_within(folder) && query.admits(&note.tags);
        let among = match among {
            Some(mut among) => {
                among.retain(|&index| notes.get(index).is_some_and(admits));
                Some(among)
            }
            None if folder.is_empty() && query.tags.is_empty() => None,
            None => Some(
                (0..notes.len())
                    .filter(|&index| admits(&notes[index]))
                    .collect(),
            ),
        };
        let vocabulary = index::Vocabulary::lock(&self.vocabulary);
        let mut scored = match among {
            None => self
                .searcher
                .rank_scored(&query.words, &vocabulary, notes.iter().map(item)),
            Some(mut among) => {
                // In the notes' own order, which breaks ties. (Every change
                // to `notes` ranks them all again, so these are current.)
                among.sort_unstable();
                let found = self.searcher.rank_scored(
                    &query.words,
                    &vocabulary,
                    among.iter().map(|&index| item(&notes[index])),
                );
                found
                    .into_iter()
                    .map(|(score, position)| (score, among[position]))
                    .collect()
            }
        };
        drop(vocabulary);
        // A blank new note only shows while there is no search.
        if !self.query.trim().is_empty() {
            scored.retain(|&(_, i)| !notes[i].is_blank_draft());
        } else if !self.pinned.is_empty() {
            // Pinned notes first, each group in its own order (newest
            // first); a search ranks by the words alone.
            scored.sort_by_key(|&(_, i)| !self.pinned.contains(&notes[i].id));
        }
        (self.scores, self.visible) = scored.into_iter().unzip();
    }

    /// The open note was edited: only its own place in the list can have
    /// changed (its title and text, not its folder or tags, which are read
    /// when it is saved), so only it is ranked again, not every note.
    pub(super) fn rerank_edited(&mut self, id: &NoteId) {
        if self.query.trim().is_empty() {
            // Every note the folder and tags admit, in the notes' order:
            // an edit moves none of them.
            return;
        }
        let Some(index) = self.notes.iter().position(|note| &note.id == id) else {
            return;
        };
        if let Some(at) = self.visible.iter().position(|&i| i == index) {
            self.visible.remove(at);
            self.scores.remove(at);
        }
        let note = &self.notes[index];
        let query = super::folders::Query::parse(&self.query);
        if !note.id.is_within(&self.folder) || !query.admits(&note.tags) || note.is_blank_draft() {
            return;
        }
        let vocabulary = index::Vocabulary::lock(&self.vocabulary);
        let score = self
            .searcher
            .score(&query.words, &vocabulary, &note.title, note.haystack());
        drop(vocabulary);
        if let Some(score) = score {
            // Best first, ties in the notes' order, as `rank` lists them.
            let at = self
                .scores
                .iter()
                .zip(&self.visible)
                .position(|(&other, &i)| {
                    (other, std::cmp::Reverse(i)) < (score, std::cmp::Reverse(index))
                })
                .unwrap_or(self.visible.len());
            self.visible.insert(at, index);
            self.scores.insert(at, score);
        }
    }
}
