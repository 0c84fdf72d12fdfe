//! Editing the open note: what the editor does to it, its undo history,
//! and what is typed while its file is still being read.

use std::time::Instant;

use iced::Task;
use iced::widget::{operation, text_editor};

use super::{EDITOR_ID, Message, Workspace};

/// A text this long goes into the editor in two steps (`show_text`).
const LAZY_TEXT: usize = 64 * 1024;
/// The part of it shown at once: many screenfuls, at any window size.
const FIRST_PART: usize = 16 * 1024;
/// How much of the rest goes into the editor in one paste.
const PASTE_PIECE: usize = 32 * 1024;

/// Where the line that holds byte `at` of `text` ends: just after its line
/// break (so a `\r\n` is never cut in two). `None` if `at` is past the
/// last line break.
fn line_end_after(text: &str, at: usize) -> Option<usize> {
    let after = text.as_bytes().get(at..)?;
    after
        .iter()
        .position(|&byte| byte == b'\n')
        .map(|position| at + position + 1)
}
use crate::notes::{NoteId, undo};

impl Workspace {
    pub(super) fn edit(&mut self, action: text_editor::Action) -> Task<Message> {
        let Some(id) = self.selected.clone() else {
            return Task::none();
        };
        if self.is_reading() {
            // Kept, and done as soon as the text is there.
            self.pending_edits.push(action);
            return Task::none();
        }
        if self.note(&id).is_none_or(|note| note.text().is_none()) {
            return Task::none();
        }
        // Whatever the action, it acts on the whole note.
        self.fill_editor();
        let kind = undo_kind(&action);
        self.editor.perform(action);
        let Some(kind) = kind else {
            // The cursor moved: the next edit is a step of its own.
            if let Some(history) = self.histories.get_mut(&id) {
                history.close_group();
            }
            return Task::none();
        };
        let history = self.histories.entry(id.clone()).or_default();
        let text = self.editor.text();
        let now = Instant::now();
        if let Some(note) = self.notes.iter_mut().find(|note| note.id == id) {
            if let Some(before) = note.text() {
                history.record(before, &text, kind, now);
            }
            note.edit(text, now);
        }
        self.rerank_edited(&id);
        Task::none()
    }

    /// Undoes (or redoes) the open note's last edit.
    pub(super) fn undo_edit(&mut self, redo: bool) -> Task<Message> {
        let Some(id) = self.selected.clone() else {
            return Task::none();
        };
        let Some(note) = self.notes.iter_mut().find(|note| note.id == id) else {
            return Task::none();
        };
        let (Some(current), Some(history)) = (note.text(), self.histories.get_mut(&id)) else {
            return Task::none();
        };
        let applied = if redo {
            history.redo(current)
        } else {
            history.undo(current)
        };
        let Some(applied) = applied else {
            return Task::none();
        };
        let (line, column) = undo::line_and_column(&applied.text, applied.cursor);
        let cursor = text_editor::Cursor {
            position: text_editor::Position { line, column },
            selection: None,
        };
        note.edit(applied.text, Instant::now());
        // Shown as any note is (a long one in two steps), the cursor where
        // the change was, once the whole text is in.
        let text = self
            .selected()
            .and_then(|note| note.text())
            .unwrap_or("")
            .to_owned();
        self.show_text(&text);
        match &mut self.unfilled {
            Some((_, at)) => *at = Some(cursor),
            None => self.editor.move_to(cursor),
        }
        self.refresh_list();
        operation::focus(EDITOR_ID)
    }

    /// Keys typed while nothing had focus go into the open note at its
    /// cursor (as if the editor had had focus), and the editor takes focus.
    pub(super) fn type_into_note(&mut self, text: &str) -> Task<Message> {
        if self.history.is_some() || self.selected.is_none() {
            return Task::none();
        }
        self.withdraw_undo();
        for c in text.chars() {
            let _ = self.edit(text_editor::Action::Edit(text_editor::Edit::Insert(c)));
        }
        operation::focus(EDITOR_ID)
    }

    /// Adds `text` at the end of the open note, as an edit (saved by
    /// autosave like typing).
    pub fn insert_text(&mut self, text: &str) -> Task<Message> {
        if self.selected().is_none_or(|note| note.text().is_none()) {
            return Task::none();
        }
        self.fill_editor();
        let current = self.editor.text();
        let separator = match current.trim_end_matches(' ').len() {
            0 => "",
            _ if current.ends_with("\n\n") => "",
            _ if current.ends_with('\n') => "\n",
            _ => "\n\n",
        };
        self.editor
            .perform(text_editor::Action::Move(text_editor::Motion::DocumentEnd));
        let _ = self.edit(text_editor::Action::Edit(text_editor::Edit::Paste(
            std::sync::Arc::new(format!("{separator}{}", text.trim_end())),
        )));
        operation::focus(EDITOR_ID)
    }

    /// The open note's text has been put in the editor: do what was typed
    /// while it was being read.
    /// Shows `text` in the editor. A long text goes in two steps: its
    /// first part at once, the rest at the next frame (`fill_editor`), once
    /// the editor has been laid out and knows its size. Given all of it
    /// before that, cosmic-text would shape and lay out every line of the
    /// note (a 2 MB note: 2 s and ~700 MB); filled after, it shapes only
    /// the lines in view, and the others as they are scrolled to.
    pub(super) fn show_text(&mut self, text: &str) {
        self.unfilled = None;
        let split = if text.len() >= LAZY_TEXT {
            line_end_after(text, FIRST_PART)
        } else {
            None
        };
        match split {
            Some(at) if at < text.len() => {
                self.editor = text_editor::Content::with_text(&text[..at]);
                self.unfilled = Some((text[at..].to_owned(), None));
            }
            _ => self.editor = text_editor::Content::with_text(text),
        }
    }

    /// Puts the rest of a long text into the editor (see `show_text`):
    /// at the next frame, or at once when anything needs the whole text.
    pub(super) fn fill_editor(&mut self) {
        let Some((rest, wanted)) = self.unfilled.take() else {
            return;
        };
        let cursor = wanted.unwrap_or_else(|| self.editor.cursor());
        // In pieces of whole lines: cosmic-text inserts each pasted line
        // at the same place, moving the lines pasted before it, so one
        // paste costs the square of its lines (2 MB in one paste: 1.6 s of
        // memmove; in pieces of 32 KB, a few milliseconds).
        let mut from = 0;
        while from < rest.len() {
            let to = line_end_after(&rest, from + PASTE_PIECE).unwrap_or(rest.len());
            self.editor
                .perform(text_editor::Action::Move(text_editor::Motion::DocumentEnd));
            self.editor
                .perform(text_editor::Action::Edit(text_editor::Edit::Paste(
                    std::sync::Arc::new(rest[from..to].to_owned()),
                )));
            from = to;
        }
        self.editor.move_to(cursor);
    }

    /// Is the rest of the open note still to be put in the editor?
    pub fn is_filling(&self) -> bool {
        self.unfilled.is_some()
    }

    pub(super) fn replay_pending_edits(&mut self) {
        for action in std::mem::take(&mut self.pending_edits) {
            let _ = self.edit(action);
        }
    }

    /// Can the open note's last edit be undone, or redone?
    #[cfg(test)]
    pub fn can_undo_edit(&self) -> (bool, bool) {
        self.selected
            .as_ref()
            .and_then(|id| self.histories.get(id))
            .map_or((false, false), |history| {
                (history.can_undo(), history.can_redo())
            })
    }

    /// A note's history follows it to its new name (a conflict copy, a
    /// note put back from the trash under a free name).
    pub(super) fn move_history(&mut self, from: &NoteId, to: &NoteId) {
        if let Some(history) = self.histories.remove(from) {
            self.histories.insert(to.clone(), history);
        }
    }
}

/// How an editor action groups in the undo history; `None` for what does
/// not change the text (moving, selecting).
fn undo_kind(action: &text_editor::Action) -> Option<undo::Kind> {
    use text_editor::{Action, Edit};

    match action {
        Action::Edit(Edit::Insert(c)) if *c != '\n' => Some(undo::Kind::Typing),
        Action::Edit(Edit::Backspace | Edit::Delete) => Some(undo::Kind::Deleting),
        Action::Edit(_) => Some(undo::Kind::Other),
        _ => None,
    }
}
