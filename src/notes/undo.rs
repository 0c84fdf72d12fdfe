//! Undo and redo of a note's text, kept per note while the app runs.
//!
//! iced 0.14's `text_editor` keeps no history, and no crate keeps one for
//! it: this is our own. Each edit is recorded as the one span of text it
//! replaced (found by comparing the text before and after), so a step costs
//! the size of what changed, not of the note. Steps are grouped the way
//! editors group them: a run of typing, a run of deleting, and each paste
//! or programmatic change (Insert into note, a version restored) on its
//! own. No iced in here: the workspace turns editor actions into [`Kind`]s.

use std::time::{Duration, Instant};

/// Steps kept per note; the oldest go first.
pub const MAX_STEPS: usize = 1_000;
/// A pause this long in typing starts a new step.
pub const PAUSE: Duration = Duration::from_secs(1);

/// What sort of edit a change was, for grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A character typed (not a line break).
    Typing,
    /// Backspace or Delete.
    Deleting,
    /// Anything else: a paste, a line break, indenting, a change the app
    /// made. Always a step of its own.
    Other,
}

/// One undoable change: at byte `at`, `removed` was replaced by `inserted`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Step {
    at: usize,
    removed: String,
    inserted: String,
    kind: Kind,
}

/// The undo and redo stacks of one note.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// When the last step was recorded; `None` once the group is closed
    /// (the cursor moved, or the last step may not grow).
    open: Option<Instant>,
}

/// The text after an undo or redo, and where the cursor goes (a byte
/// offset into it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    pub cursor: usize,
}

impl History {
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// The next edit starts a step of its own (the cursor moved, say).
    pub fn close_group(&mut self) {
        self.open = None;
    }

    /// Records that `before` became `after` by an edit of `kind`.
    pub fn record(&mut self, before: &str, after: &str, kind: Kind, now: Instant) {
        let Some(step) = diff(before, after, kind) else {
            return;
        };
        self.redo.clear();
        let recent = self
            .open
            .is_some_and(|at| now.saturating_duration_since(at) < PAUSE);
        if recent
            && let Some(last) = self.undo.last_mut()
            && merge(last, &step)
        {
            self.open = Some(now);
            return;
        }
        self.undo.push(step);
        if self.undo.len() > MAX_STEPS {
            self.undo.remove(0);
        }
        self.open = (kind != Kind::Other).then_some(now);
    }

    /// Undoes the last step of `text`; `None` when there is none (or the
    /// history no longer fits the text, when it is dropped rather than
    /// applied to the wrong place).
    pub fn undo(&mut self, text: &str) -> Option<Applied> {
        self.apply(text, Direction::Undo)
    }

    /// Redoes the last undone step of `text`.
    pub fn redo(&mut self, text: &str) -> Option<Applied> {
        self.apply(text, Direction::Redo)
    }

    fn apply(&mut self, text: &str, direction: Direction) -> Option<Applied> {
        let (from, to) = match direction {
            Direction::Undo => (&mut self.undo, &mut self.redo),
            Direction::Redo => (&mut self.redo, &mut self.undo),
        };
        let step = from.pop()?;
        let (old, new) = match direction {
            Direction::Undo => (&step.inserted, &step.removed),
            Direction::Redo => (&step.removed, &step.inserted),
        };
        self.open = None;
        let Some(text) = replace(text, step.at, old, new) else {
            *self = Self::default();
            return None;
        };
        let cursor = step.at + new.len();
        to.push(step);
        Some(Applied { text, cursor })
    }
}

#[derive(Debug, Clone, Copy)]
enum Direction {
    Undo,
    Redo,
}

/// `text` with `old` at `at` replaced by `new`, if `old` is there.
fn replace(text: &str, at: usize, old: &str, new: &str) -> Option<String> {
    let end = at.checked_add(old.len())?;
    if text.get(at..end)? != old {
        return None;
    }
    let mut out = String::with_capacity(text.len() - old.len() + new.len());
    out.push_str(&text[..at]);
    out.push_str(new);
    out.push_str(&text[end..]);
    Some(out)
}

/// The one span that differs between `before` and `after`.
fn diff(before: &str, after: &str, kind: Kind) -> Option<Step> {
    if before == after {
        return None;
    }
    let mut prefix = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !before.is_char_boundary(prefix) || !after.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let most = before.len().min(after.len()) - prefix;
    let mut suffix = before
        .bytes()
        .rev()
        .zip(after.bytes().rev())
        .take(most)
        .take_while(|(a, b)| a == b)
        .count();
    while !before.is_char_boundary(before.len() - suffix)
        || !after.is_char_boundary(after.len() - suffix)
    {
        suffix -= 1;
    }
    Some(Step {
        at: prefix,
        removed: before[prefix..before.len() - suffix].to_owned(),
        inserted: after[prefix..after.len() - suffix].to_owned(),
        kind,
    })
}

/// Grows `last` by `next` when both are one run of typing or deleting.
fn merge(last: &mut Step, next: &Step) -> bool {
    if last.kind != next.kind {
        return false;
    }
    match next.kind {
        Kind::Typing if next.removed.is_empty() && next.at == last.at + last.inserted.len() => {
            last.inserted.push_str(&next.inserted);
            true
        }
        // Backspace: the next deletion ends where the last one began.
        Kind::Deleting
            if next.inserted.is_empty()
                && last.inserted.is_empty()
                && next.at + next.removed.len() == last.at =>
        {
            last.removed.insert_str(0, &next.removed);
            last.at = next.at;
            true
        }
        // Delete: the next deletion starts where the last one did.
        Kind::Deleting
            if next.inserted.is_empty() && last.inserted.is_empty() && next.at == last.at =>
        {
            last.removed.push_str(&next.removed);
            true
        }
        _ => false,
    }
}

/// The line and the byte column in that line of byte `offset` in `text`
/// (what iced's editor cursor takes).
pub fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |newline| newline + 1);
    (line, offset - start)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Types `text` into `history` one character at a time, `gap` apart.
    fn type_into(history: &mut History, doc: &mut String, text: &str, at: Instant, gap: Duration) {
        let mut now = at;
        for c in text.chars() {
            let before = doc.clone();
            doc.push(c);
            history.record(&before, doc, Kind::Typing, now);
            now += gap;
        }
    }

    #[test]
    fn a_run_of_typing_is_one_step() {
        let mut history = History::default();
        let mut doc = String::new();
        type_into(
            &mut history,
            &mut doc,
            "hello world",
            Instant::now(),
            Duration::from_millis(50),
        );
        let undone = history.undo(&doc).unwrap();
        assert_eq!(
            undone,
            Applied {
                text: String::new(),
                cursor: 0
            }
        );
        assert!(!history.can_undo());
        let redone = history.redo(&undone.text).unwrap();
        assert_eq!(redone.text, "hello world");
        assert_eq!(redone.cursor, 11);
    }

    #[test]
    fn a_pause_or_a_cursor_move_starts_a_new_step() {
        let start = Instant::now();
        let mut history = History::default();
        let mut doc = String::new();
        type_into(
            &mut history,
            &mut doc,
            "one",
            start,
            Duration::from_millis(10),
        );
        type_into(
            &mut history,
            &mut doc,
            " two",
            start + Duration::from_secs(5),
            Duration::from_millis(10),
        );
        history.close_group();
        type_into(
            &mut history,
            &mut doc,
            " three",
            start + Duration::from_secs(5),
            Duration::from_millis(10),
        );
        let text = history.undo(&doc).unwrap().text;
        assert_eq!(text, "one two");
        let text = history.undo(&text).unwrap().text;
        assert_eq!(text, "one");
    }

    #[test]
    fn select_all_and_type_is_undone_in_one_step() {
        let mut history = History::default();
        let before = "A long note the user cared about.\nSecond line.";
        history.record(before, "x", Kind::Typing, Instant::now());
        assert_eq!(history.undo("x").unwrap().text, before);
    }

    #[test]
    fn backspaces_and_deletes_group() {
        let now = Instant::now();
        let mut history = History::default();
        // Backspace three times from the end of "abcdef".
        history.record("abcdef", "abcde", Kind::Deleting, now);
        history.record("abcde", "abcd", Kind::Deleting, now);
        history.record("abcd", "abc", Kind::Deleting, now);
        // A paste is its own step.
        history.record("abc", "abcXYZ", Kind::Other, now);
        let applied = history.undo("abcXYZ").unwrap();
        assert_eq!(applied.text, "abc");
        let applied = history.undo("abc").unwrap();
        assert_eq!(
            applied,
            Applied {
                text: "abcdef".into(),
                cursor: 6
            }
        );

        // Delete (forward) twice at the start.
        let mut history = History::default();
        history.record("abc", "bc", Kind::Deleting, now);
        history.record("bc", "c", Kind::Deleting, now);
        assert_eq!(history.undo("c").unwrap().text, "abc");
    }

    #[test]
    fn a_new_edit_after_undo_drops_redo() {
        let now = Instant::now();
        let mut history = History::default();
        history.record("", "a", Kind::Other, now);
        let text = history.undo("a").unwrap().text;
        history.record(&text, "b", Kind::Other, now);
        assert!(!history.can_redo());
    }

    #[test]
    fn multibyte_text_is_split_on_character_boundaries() {
        let now = Instant::now();
        let mut history = History::default();
        // "é" and "è" share their first byte.
        history.record("café", "cafè", Kind::Typing, now);
        assert_eq!(history.undo("cafè").unwrap().text, "café");
        history.record("ab", "a😀b", Kind::Typing, now);
        assert_eq!(history.undo("a😀b").unwrap().text, "ab");
    }

    #[test]
    fn a_history_that_does_not_fit_the_text_is_dropped_not_applied() {
        let now = Instant::now();
        let mut history = History::default();
        history.record("hello", "hello!", Kind::Typing, now);
        assert_eq!(history.undo("something else"), None);
        assert!(!history.can_undo() && !history.can_redo());
    }

    #[test]
    fn at_most_max_steps_are_kept() {
        let now = Instant::now();
        let mut history = History::default();
        let mut doc = String::new();
        for _ in 0..MAX_STEPS + 10 {
            let before = doc.clone();
            doc.push('x');
            history.record(&before, &doc, Kind::Other, now);
        }
        let mut undone = 0;
        while let Some(applied) = history.undo(&doc) {
            doc = applied.text;
            undone += 1;
        }
        assert_eq!(undone, MAX_STEPS);
        assert_eq!(doc.len(), 10);
    }

    #[test]
    fn cursor_positions_are_line_and_byte_column() {
        assert_eq!(line_and_column("ab\ncdé\nf", 0), (0, 0));
        assert_eq!(line_and_column("ab\ncdé\nf", 3), (1, 0));
        assert_eq!(line_and_column("ab\ncdé\nf", 7), (1, 4));
        assert_eq!(line_and_column("ab", 99), (0, 2));
    }
}
