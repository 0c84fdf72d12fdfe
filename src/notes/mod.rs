//! Notes: plain Markdown files in a folder, readable by any other editor.
//!
//! No iced in here: plain data, and async functions that do their disk work
//! on tokio's blocking threads so the UI thread never waits for the disk.

pub mod cache;
pub mod conflict;
pub mod history;
pub mod index;
mod listing;
pub mod pins;
pub mod runs;
pub mod search;
pub mod store;
pub mod tags;
pub mod trashed;
pub mod undo;
pub mod watch;

pub use listing::{
    Catalog, FIRST_WAIT, Indexing, Listing, Part, list_in_parts, listing, load_dir, read_listing,
    sort_newest_first,
};

use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

pub use index::{Stamp, Vocabulary, Words};
pub use tags::Tags;

/// A note's path inside the notes folder, with `/` between folders
/// whatever the system: `2026-11-26 22.50.md`, or `Projects/Garden.md` for
/// a note in a subfolder.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NoteId(Box<str>);

impl NoteId {
    pub fn new(name: impl Into<String>) -> Self {
        Self(name.into().into_boxed_str())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A fresh id for a note created at `now` that collides with none of
    /// `taken`.
    pub fn fresh(now: jiff::Zoned, taken: impl Fn(&str) -> bool) -> Self {
        Self::fresh_in("", now, taken)
    }

    /// [`NoteId::fresh`], in `folder` (`""`: the notes folder itself).
    pub fn fresh_in(folder: &str, now: jiff::Zoned, taken: impl Fn(&str) -> bool) -> Self {
        let first = format!("{}.md", now.strftime("%Y-%m-%d %H.%M.%S"));
        Self::new(store::numbered(&join(folder, &first), taken))
    }

    /// `name` in `folder` (`""`: the notes folder itself).
    pub fn in_folder(folder: &str, name: &str) -> Self {
        Self::new(join(folder, name))
    }

    /// The file name: `Garden.md` of `Projects/Garden.md`.
    pub fn name(&self) -> &str {
        self.0.rsplit_once('/').map_or(&self.0, |(_, name)| name)
    }

    /// The folder it is in, inside the notes folder: `Projects` of
    /// `Projects/Garden.md`, `""` for a note at the top.
    pub fn folder(&self) -> &str {
        self.0.rsplit_once('/').map_or("", |(folder, _)| folder)
    }

    /// Whether it is in `folder` or one of its subfolders (`""`: any).
    pub fn is_within(&self, folder: &str) -> bool {
        folder.is_empty()
            || self
                .0
                .strip_prefix(folder)
                .is_some_and(|rest| rest.starts_with('/'))
    }

    /// The id under which a second version of this note is kept when two
    /// versions meet (see [`SaveOutcome::Conflict`]).
    pub fn conflict_copy(&self, now: jiff::Zoned, taken: impl Fn(&str) -> bool) -> Self {
        let (stem, _) = self.0.rsplit_once('.').unwrap_or((&self.0, ""));
        let first = format!(
            "{stem} (BrainDump copy {}).md",
            now.strftime("%Y-%m-%d %H.%M")
        );
        Self::new(store::numbered(&first, taken))
    }
}

fn join(folder: &str, name: &str) -> String {
    let folder = folder.trim_matches('/');
    if folder.is_empty() {
        name.to_owned()
    } else {
        format!("{folder}/{name}")
    }
}

impl std::fmt::Display for NoteId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A note file as found on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteFile {
    pub id: NoteId,
    pub modified: SystemTime,
    pub body: Body,
    /// The file (or the file a link leads to) may not be written: the app
    /// shows it as read-only and never changes it.
    pub read_only: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Text(String),
    Unreadable(Unreadable),
}

/// Why a file in the notes folder cannot be opened. Such a file is listed,
/// and never written to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    #[error("it is not UTF-8 text (perhaps a binary file, or another encoding)")]
    NotUtf8,
    #[error("permission to read it was denied")]
    PermissionDenied,
    #[error("it is too large to open ({} MB; notes can be up to {} MB)", size / 1_000_000, store::MAX_NOTE_BYTES / 1_000_000)]
    TooLarge { size: u64 },
    #[error("it is not a regular file (a folder, a device or a pipe)")]
    NotAFile,
    #[error("it is a symbolic link that leads nowhere or loops")]
    BrokenLink,
    #[error("reading it failed: {0}")]
    Io(String),
}

/// A note as the app keeps it: its title and [`Stamp`], its [`Words`] once
/// they are asked for, and its text only when asked for (see [`index`]).
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: NoteId,
    pub modified: SystemTime,
    pub content: Content,
}

#[derive(Debug, Clone)]
pub enum Content {
    Text(Indexed),
    Unreadable(Unreadable),
}

#[derive(Debug, Clone)]
pub struct Indexed {
    pub title: Box<str>,
    pub tags: Tags,
    pub stamp: Stamp,
    /// `None` when the folder was listed without its words (see
    /// [`read_listing`]).
    pub words: Option<Words>,
    pub text: Option<String>,
    /// See [`NoteFile::read_only`].
    pub read_only: bool,
}

impl NoteFile {
    /// Indexes the file's text; keeps the text itself only if `keep_text`.
    pub fn index(mut self, vocabulary: &index::Shared, keep_text: bool) -> Entry {
        self.entry(Some(vocabulary), keep_text)
    }

    /// Its title and stamp, and its words if a `vocabulary` is given. Its
    /// name (and its text if `keep_text`) move into the entry; the text
    /// stays otherwise, to be read over (see `store::read_dir_with`).
    fn entry(&mut self, vocabulary: Option<&index::Shared>, keep_text: bool) -> Entry {
        let content = match &mut self.body {
            Body::Text(text) => Content::Text(Indexed {
                title: title(text).into(),
                tags: Tags::of(text),
                stamp: Stamp::of(text),
                words: vocabulary.map(|vocabulary| Vocabulary::lock(vocabulary).words(text)),
                text: keep_text.then(|| std::mem::take(text)),
                read_only: self.read_only,
            }),
            Body::Unreadable(reason) => {
                Content::Unreadable(std::mem::replace(reason, Unreadable::NotAFile))
            }
        };
        Entry {
            id: self.take_id(),
            modified: self.modified,
            content,
        }
    }

    /// Its name, moved out (an empty one is left).
    fn take_id(&mut self) -> NoteId {
        std::mem::replace(&mut self.id, NoteId::new(String::new()))
    }
}

/// What a save did, with what the app keeps of the text it wrote.
#[derive(Debug, Clone)]
pub enum Saved {
    Written {
        modified: SystemTime,
        stamp: Stamp,
        words: Words,
        tags: Tags,
    },
    /// See [`SaveOutcome::Conflict`]; `disk` comes with its text.
    Conflict { disk: Entry },
}

/// The title of a note: its first non-blank line after any front matter, without Markdown heading
/// marks, and at most [`TITLE_CHARS`] long.
pub fn title(text: &str) -> &str {
    // Not the YAML front matter's `---`: the first line after it.
    let text = tags::front_matter(text).map_or(text, |(_, body)| body);
    let line = text
        .lines()
        .map(|line| line.trim().trim_start_matches('#').trim())
        .find(|line| !line.is_empty())
        .unwrap_or("");
    match line.char_indices().nth(TITLE_CHARS) {
        Some((end, _)) => line[..end].trim_end(),
        None => line,
    }
}

/// Many notes start with a paragraph, not a heading. The list shows about
/// 40 characters of a title; every one kept is shaped for each row in view
/// (~200 bytes of glyphs each) and matched at every search keystroke.
pub const TITLE_CHARS: usize = 100;

/// What a save did.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveOutcome {
    Saved {
        modified: SystemTime,
    },
    /// The file changed on disk since the app last saw it; nothing was
    /// written. `disk` is what is there now.
    Conflict {
        disk: NoteFile,
    },
}

/// Why a save failed. The text stays in the app, and saving is retried.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaveError {
    #[error("the disk is full. Free some space; BrainDump keeps your text and retries")]
    DiskFull,
    #[error(
        "the notes folder is read-only. Make it writable or choose another folder in Settings; BrainDump keeps your text and retries"
    )]
    ReadOnly,
    #[error(
        "this note's file is read-only, so BrainDump does not change it. To edit it, make it writable (in a terminal: chmod u+w on the file, or untick Read-only in its properties); BrainDump keeps your text and saves it once it is"
    )]
    ReadOnlyNote,
    #[error(
        "permission was denied. Check the notes folder's permissions or choose another folder in Settings; BrainDump keeps your text and retries"
    )]
    PermissionDenied,
    #[error("{0}. BrainDump keeps your text and retries")]
    Other(String),
}

impl SaveError {
    pub fn from_io(error: &io::Error) -> Self {
        match error.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => Self::DiskFull,
            io::ErrorKind::ReadOnlyFilesystem => Self::ReadOnly,
            io::ErrorKind::PermissionDenied => Self::PermissionDenied,
            _ => Self::Other(error.to_string()),
        }
    }
}

/// A folder-level problem: the notes folder itself, or moving a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("cannot use the folder {path}: {reason}")]
    Folder { path: PathBuf, reason: String },
    #[error("could not move {name}: {reason}")]
    Move { name: String, reason: String },
    #[error("the disk task stopped unexpectedly: {0}")]
    Task(String),
}

impl StoreError {
    fn folder(path: &Path, error: &io::Error) -> Self {
        Self::Folder {
            path: path.to_path_buf(),
            reason: error.to_string(),
        }
    }
}

/// A note moved to the trash folder; enough to put it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trashed {
    pub id: NoteId,
    pub path: PathBuf,
}

impl Trashed {
    /// Its path in the trash, as an id is (`Projects/Garden.md`, or a
    /// numbered one): what follows the last `.trash` in its path (no
    /// folder inside the trash is hidden, so that one is the trash).
    pub fn file_name(&self) -> &str {
        let Some(path) = self.path.to_str() else {
            return self.id.as_str();
        };
        let marker = format!("{}{}", store::TRASH_DIR, std::path::MAIN_SEPARATOR);
        path.rfind(&marker)
            .map_or(self.id.as_str(), |at| &path[at + marker.len()..])
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, tokio::task::JoinError> {
    tokio::task::spawn_blocking(work).await
}

/// The words of notes listed without them: from the words cache for a
/// note whose text is the one it kept words of, else read from its file.
/// A file that no longer holds what `stamp` says (changed since it was
/// listed) or is gone is left out: the change reaches the app on its own
/// (the folder watcher, or a rescan), read afresh and with its words.
///
/// When `whole` (the first search: every note's words asked for) and some
/// were read from files, the words cache is written again with them all.
pub fn index_notes(
    dir: &Path,
    notes: Vec<(NoteId, Stamp)>,
    vocabulary: &index::Shared,
    whole: bool,
) -> Vec<(NoteId, Stamp, Words)> {
    index_notes_telling(dir, notes, vocabulary, whole).0
}

/// [`index_notes`], and whether some words were read from files (not all
/// found in the words cache).
pub fn index_notes_telling(
    dir: &Path,
    notes: Vec<(NoteId, Stamp)>,
    vocabulary: &index::Shared,
    whole: bool,
) -> (Vec<(NoteId, Stamp, Words)>, bool) {
    let kept = cache::KeptWords::load(dir);
    let mut kept_words = kept.as_ref().and_then(|kept| kept.words(dir));
    let mut found = Vec::with_capacity(notes.len());
    let mut unread = Vec::new();
    {
        let mut vocabulary = Vocabulary::lock(vocabulary);
        for (id, stamp) in notes {
            match kept_words
                .as_mut()
                .and_then(|kept| kept.get(id.as_str(), stamp, &mut vocabulary))
            {
                Some(words) => found.push((id, stamp, words)),
                None => unread.push((id, stamp)),
            }
        }
    }
    drop(kept_words);
    drop(kept);
    let read_any = !unread.is_empty();
    let (ids, listed): (Vec<NoteId>, Vec<Stamp>) = unread.into_iter().unzip();
    Vocabulary::lock(vocabulary).reserve_for(listed.iter().map(Stamp::bytes).sum());
    let read = store::read_each(dir, ids.into_iter(), |position, file| {
        let Body::Text(text) = &file.body else {
            return None;
        };
        let stamp = Stamp::of(text);
        let words =
            (stamp == listed[position]).then(|| Vocabulary::lock(vocabulary).words(text))?;
        Some((file.take_id(), stamp, words))
    });
    found.extend(read.into_iter().flatten());
    if whole && read_any {
        let vocabulary = Vocabulary::lock(vocabulary);
        if let Err(error) = cache::write_words(dir, &vocabulary, &found) {
            tracing::debug!("the words cache could not be written: {error}");
        }
    }
    if found.len() >= crate::memory::BIG_FOLDER {
        crate::memory::give_back_now();
    }
    (found, read_any)
}

/// [`index_notes_telling`] on a blocking thread.
pub async fn index_all(
    dir: PathBuf,
    notes: Vec<(NoteId, Stamp)>,
    vocabulary: index::Shared,
    whole: bool,
) -> (Vec<(NoteId, Stamp, Words)>, bool) {
    blocking(move || index_notes_telling(&dir, notes, &vocabulary, whole))
        .await
        .unwrap_or_default()
}

/// Reads the given notes again, with their text; `None` for each one that
/// is gone.
pub fn reread(
    dir: &Path,
    ids: Vec<NoteId>,
    vocabulary: &index::Shared,
) -> Vec<(NoteId, Option<Entry>)> {
    ids.into_iter()
        .map(|id| {
            let entry = store::read_note(dir, &id).map(|file| file.index(vocabulary, true));
            (id, entry)
        })
        .collect()
}

/// [`reread`] on a blocking thread.
pub async fn reload(
    dir: PathBuf,
    ids: Vec<NoteId>,
    vocabulary: index::Shared,
) -> Vec<(NoteId, Option<Entry>)> {
    blocking(move || reread(&dir, ids, &vocabulary))
        .await
        .unwrap_or_default()
}

/// Saves `text` as note `id` if the file still holds what `base` stamps
/// (see [`store::save`]), and indexes what was written or found.
pub fn save_indexed(
    dir: &Path,
    id: &NoteId,
    text: &str,
    base: Option<Stamp>,
    vocabulary: &index::Shared,
) -> Result<Saved, SaveError> {
    Ok(match store::save(dir, id, text, base)? {
        SaveOutcome::Saved { modified } => Saved::Written {
            modified,
            stamp: Stamp::of(text),
            words: Vocabulary::lock(vocabulary).words(text),
            tags: Tags::of(text),
        },
        SaveOutcome::Conflict { disk } => Saved::Conflict {
            disk: disk.index(vocabulary, true),
        },
    })
}

/// [`save_indexed`] on a blocking thread.
pub async fn save(
    dir: PathBuf,
    id: NoteId,
    text: String,
    base: Option<Stamp>,
    vocabulary: index::Shared,
) -> Result<Saved, SaveError> {
    blocking(move || save_indexed(&dir, &id, &text, base, &vocabulary))
        .await
        .map_err(|error| SaveError::Other(error.to_string()))?
}

pub async fn trash(dir: PathBuf, id: NoteId, draft: Option<String>) -> Result<Trashed, StoreError> {
    blocking(move || store::trash(&dir, &id, draft.as_deref()))
        .await
        .map_err(|error| StoreError::Task(error.to_string()))?
}

pub async fn move_note(dir: PathBuf, id: NoteId, folder: String) -> Result<NoteId, StoreError> {
    blocking(move || store::move_note(&dir, &id, &folder))
        .await
        .map_err(|error| StoreError::Task(error.to_string()))?
}

pub async fn restore(dir: PathBuf, trashed: Trashed) -> Result<NoteId, StoreError> {
    blocking(move || store::restore(&dir, &trashed))
        .await
        .map_err(|error| StoreError::Task(error.to_string()))?
}

#[cfg(test)]
mod tests;
