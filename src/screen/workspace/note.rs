//! A note as the workspace holds it: what is on disk, what is not saved yet,
//! and how saving it is going.

use std::time::{Duration, Instant, SystemTime};

use crate::notes::search::Haystack;
use crate::notes::{self, Content, Entry, NoteId, SaveError, Stamp, Tags, Unreadable, Words};

/// Autosave waits for a pause in typing this long...
pub const IDLE: Duration = Duration::from_millis(300);
/// ...but never lets unsaved text wait longer than this, even mid-sentence,
/// so a crash loses at most about a second of typing.
pub const MAX_WAIT: Duration = Duration::from_millis(700);

#[derive(Debug, Clone)]
pub struct Note {
    pub id: NoteId,
    pub title: Box<str>,
    /// Its tags as last saved or read (see `notes::tags`).
    pub tags: Tags,
    pub modified: SystemTime,
    pub kind: Kind,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Text(TextNote),
    /// Listed, shown as such, never written.
    Unreadable(Unreadable),
}

#[derive(Debug, Clone, Default)]
pub struct TextNote {
    /// What the file holds, as far as the app knows (`None`: no file yet).
    pub disk: Option<Stamp>,
    /// The words of what the file holds, for search; `None` until they are
    /// first asked for (see `notes::Indexing`).
    pub words: Option<Words>,
    /// What only a note that is open, edited or being saved has: boxed, and
    /// `None` for the rest (nearly every listed note), which keeps each
    /// listed note at about 100 bytes instead of 216.
    session: Option<Box<Session>>,
}

/// See [`TextNote::session`].
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// The file's text: held only while the note is open (it is read from
    /// the file when the note is opened).
    pub loaded: Option<String>,
    /// Text not saved yet.
    pub draft: Option<String>,
    /// Bumped on every edit; a save reports the revision it wrote.
    pub revision: u64,
    /// The revision being written now, if any.
    pub saving: Option<u64>,
    /// An external change arrived while saving; read the file again after.
    pub recheck: bool,
    pub last_edit: Option<Instant>,
    pub dirty_since: Option<Instant>,
    /// Boxed: rare, and every listed note carries the field.
    pub failure: Option<Box<Failure>>,
    /// The file may not be written (its mode, as last read): shown, and
    /// what is typed is kept until it is writable.
    pub read_only: bool,
}

/// The last save failed; the draft stays and saving is retried.
#[derive(Debug, Clone)]
pub struct Failure {
    pub error: SaveError,
    pub attempts: u32,
    pub retry_at: Instant,
}

impl Failure {
    /// 1 s, 2 s, 4 s, … up to 30 s between attempts.
    pub fn backoff(attempts: u32) -> Duration {
        Duration::from_secs(1 << attempts.saturating_sub(1).min(5)).min(Duration::from_secs(30))
    }
}

impl Note {
    pub fn new_draft(id: NoteId) -> Self {
        Self {
            id,
            title: Box::default(),
            tags: Tags::default(),
            modified: SystemTime::now(),
            kind: Kind::Text(TextNote::default()),
        }
    }

    pub fn from_entry(entry: Entry) -> Self {
        match entry.content {
            Content::Text(indexed) => Self {
                id: entry.id,
                title: indexed.title,
                tags: indexed.tags,
                modified: entry.modified,
                kind: Kind::Text(TextNote {
                    disk: Some(indexed.stamp),
                    words: indexed.words,
                    session: indexed.text.map(|text| {
                        Box::new(Session {
                            loaded: Some(text),
                            read_only: indexed.read_only,
                            ..Session::default()
                        })
                    }),
                }),
            },
            Content::Unreadable(reason) => Self {
                title: entry.id.name().into(),
                tags: Tags::default(),
                id: entry.id,
                modified: entry.modified,
                kind: Kind::Unreadable(reason),
            },
        }
    }

    /// The current text, if the app holds it: the draft if any, else what
    /// is on disk. `None` for a note whose text has not been read (or that
    /// cannot be).
    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            Kind::Text(note) => note.text(),
            Kind::Unreadable(_) => None,
        }
    }

    /// What search looks at in this note's body.
    pub fn haystack(&self) -> Haystack<'_> {
        match &self.kind {
            Kind::Text(note) => match (note.text(), &note.words) {
                (Some(text), _) => Haystack::Text(text),
                (None, Some(words)) => Haystack::Words(words),
                (None, None) => Haystack::Unknown,
            },
            Kind::Unreadable(_) => Haystack::Text(""),
        }
    }

    pub fn as_text(&self) -> Option<&TextNote> {
        match &self.kind {
            Kind::Text(note) => Some(note),
            Kind::Unreadable(_) => None,
        }
    }

    pub fn as_text_mut(&mut self) -> Option<&mut TextNote> {
        match &mut self.kind {
            Kind::Text(note) => Some(note),
            Kind::Unreadable(_) => None,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.as_text().is_some_and(TextNote::is_dirty)
    }

    pub fn is_saving(&self) -> bool {
        self.as_text().is_some_and(TextNote::is_saving)
    }

    /// A new note nobody has typed into: not worth a file.
    pub fn is_blank_draft(&self) -> bool {
        self.as_text().is_some_and(|note| {
            note.disk.is_none()
                && note.text().is_none_or(|text| text.trim().is_empty())
                && !note.is_saving()
        })
    }

    /// Records an edit made in the editor. Only a note whose text is held
    /// can be edited: the editor shows nothing else, and a draft made from
    /// an editor that is still empty would replace the file's text.
    pub fn edit(&mut self, text: String, now: Instant) {
        if self.text().is_none() {
            debug_assert!(false, "edit of a note whose text is not held");
            return;
        }
        self.title = notes::title(&text).into();
        self.modified = SystemTime::now();
        if let Some(note) = self.as_text_mut() {
            let session = note.session_mut();
            session.revision += 1;
            session.last_edit = Some(now);
            session.dirty_since.get_or_insert(now);
            session.draft = Some(text);
        }
    }
}

/// The session of a note that has none.
static NO_SESSION: Session = Session {
    loaded: None,
    draft: None,
    revision: 0,
    saving: None,
    recheck: false,
    last_edit: None,
    dirty_since: None,
    failure: None,
    read_only: false,
};

impl Session {
    /// Nothing held, nothing pending: as if there were none. (Revisions
    /// only tell saves in flight apart, so with none in flight, starting
    /// again from 0 is the same.)
    fn is_idle(&self) -> bool {
        self.loaded.is_none()
            && self.draft.is_none()
            && self.saving.is_none()
            && !self.recheck
            && self.failure.is_none()
    }
}

impl TextNote {
    /// Its text, its draft and how saving it is going.
    pub fn session(&self) -> &Session {
        self.session.as_deref().unwrap_or(&NO_SESSION)
    }

    pub fn session_mut(&mut self) -> &mut Session {
        self.session.get_or_insert_with(Box::default)
    }

    #[cfg(test)]
    pub fn has_session(&self) -> bool {
        self.session.is_some()
    }

    /// Takes the draft out, if any (without making a session for a note
    /// that has none).
    pub fn take_draft(&mut self) -> Option<String> {
        self.session.as_mut()?.draft.take()
    }

    /// The last save's failure, if any, to change when it is retried.
    pub fn failure_mut(&mut self) -> Option<&mut Failure> {
        self.session.as_mut()?.failure.as_deref_mut()
    }

    /// Lets go of a session that holds nothing any more.
    pub fn settle(&mut self) {
        if self.session.as_deref().is_some_and(Session::is_idle) {
            self.session = None;
        }
    }

    pub fn text(&self) -> Option<&str> {
        let session = self.session();
        match (&session.draft, &session.loaded, &self.disk) {
            (Some(text), _, _) | (None, Some(text), _) => Some(text),
            (None, None, None) => Some(""),
            (None, None, Some(_)) => None,
        }
    }

    /// Lets go of the file's text (the note is no longer open). A draft
    /// stays until it is saved.
    pub fn release(&mut self) {
        if let Some(session) = &mut self.session {
            session.loaded = None;
        }
        self.settle();
    }

    pub fn is_dirty(&self) -> bool {
        self.session().draft.is_some()
    }

    pub fn is_saving(&self) -> bool {
        self.session().saving.is_some()
    }

    /// A file whose words search does not know yet.
    pub fn lacks_words(&self) -> bool {
        self.disk.is_some() && self.words.is_none()
    }

    /// Should a save of this note start now?
    pub fn save_due(&self, now: Instant, hurry: bool) -> bool {
        let session = self.session();
        let Some(draft) = &session.draft else {
            return false;
        };
        if session.saving.is_some() || (self.disk.is_none() && draft.trim().is_empty()) {
            return false;
        }
        if let Some(failure) = &session.failure {
            return now >= failure.retry_at;
        }
        hurry
            || session
                .last_edit
                .is_none_or(|at| now.duration_since(at) >= IDLE)
            || session
                .dirty_since
                .is_none_or(|at| now.duration_since(at) >= MAX_WAIT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autosave_waits_for_a_pause_but_not_for_long() {
        let start = Instant::now();
        let mut note = Note::new_draft(NoteId::new("a.md"));
        note.edit("h".into(), start);
        let text = note.as_text().unwrap();
        assert!(!text.save_due(start, false), "not while typing");
        assert!(text.save_due(start + IDLE, false), "after a pause");
        assert!(text.save_due(start, true), "at once when hurried");

        // Typing without pause: due by MAX_WAIT all the same.
        let mut at = start;
        while at < start + MAX_WAIT {
            at += Duration::from_millis(100);
            note.edit("hh".into(), at);
        }
        assert!(note.as_text().unwrap().save_due(at, false));
    }

    #[test]
    fn a_blank_new_note_is_never_saved() {
        let mut note = Note::new_draft(NoteId::new("a.md"));
        note.edit("  \n".into(), Instant::now());
        assert!(note.is_blank_draft());
        assert!(
            !note
                .as_text()
                .unwrap()
                .save_due(Instant::now() + MAX_WAIT, true)
        );
    }

    #[test]
    fn backoff_doubles_up_to_thirty_seconds() {
        let seconds: Vec<u64> = (1..=8).map(|n| Failure::backoff(n).as_secs()).collect();
        assert_eq!(seconds, [1, 2, 4, 8, 16, 30, 30, 30]);
    }
}
