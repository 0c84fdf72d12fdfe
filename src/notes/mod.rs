//! Notes: plain Markdown files in a folder, readable by any other editor.
//!
//! No iced in here: plain data, and async functions that do their disk work
//! on tokio's blocking threads so the UI thread never waits for the disk.

pub mod cache;
pub mod conflict;
pub mod history;
pub mod index;
pub mod pins;
pub mod runs;
pub mod search;
pub mod store;
pub mod tags;
pub mod trashed;
pub mod undo;
pub mod watch;

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

/// The folders and tags of some notes, as offered for narrowing the list:
/// sorted, each once (a tag in one of its spellings, the same every time).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    pub folders: Vec<String>,
    pub tags: Vec<String>,
}

impl Catalog {
    pub fn of<'a>(notes: impl Iterator<Item = (&'a NoteId, &'a Tags)>) -> Self {
        use std::collections::{BTreeMap, HashSet};
        // Without an allocation per note: most notes share their folder
        // and tags, so the distinct ones are found first (by their bytes),
        // and only those lowercased.
        let mut folders: HashSet<&str> = HashSet::new();
        let mut written: HashSet<&str> = HashSet::new();
        for (id, tags) in notes {
            let mut folder = id.folder();
            while !folder.is_empty() && folders.insert(folder) {
                folder = folder.rsplit_once('/').map_or("", |(above, _)| above);
            }
            written.extend(tags.iter());
        }
        let mut folders: Vec<String> = folders.into_iter().map(str::to_owned).collect();
        folders.sort_unstable();
        let mut tags: BTreeMap<String, &str> = BTreeMap::new();
        for tag in written {
            // Of two spellings, the same one every time.
            let entry = tags.entry(tag.to_lowercase()).or_insert(tag);
            if tag < *entry {
                *entry = tag;
            }
        }
        let tags: Vec<String> = tags.into_values().map(str::to_owned).collect();
        Self { folders, tags }
    }

    /// The catalog of `entries` (those that could be read have tags).
    pub fn of_entries(entries: &[Entry]) -> Self {
        static NONE: std::sync::LazyLock<Tags> = std::sync::LazyLock::new(Tags::default);
        Self::of(entries.iter().map(|entry| match &entry.content {
            Content::Text(indexed) => (&entry.id, &indexed.tags),
            Content::Unreadable(_) => (&entry.id, &*NONE),
        }))
    }
}

/// The notes of a folder as read at start-up, newest first, and the
/// vocabulary their words are in.
#[derive(Debug, Clone)]
pub struct Listing {
    pub entries: Vec<Entry>,
    pub vocabulary: index::Shared,
    /// Whether these are all the notes, or more follow (see [`Part`]).
    pub complete: bool,
    /// Their folders and tags, if worked out (on the listing's thread, for
    /// a big folder: not on the UI thread).
    pub catalog: Option<Catalog>,
}

impl Listing {
    /// Applies a [`Part::Checked`]: the notes `changed` in place of those
    /// listed, and those `gone` taken out.
    pub fn checked(&mut self, changed: Vec<Entry>, gone: Vec<NoteId>) {
        let replaced: std::collections::HashSet<NoteId> = changed
            .iter()
            .map(|entry| entry.id.clone())
            .chain(gone)
            .collect();
        if !replaced.is_empty() {
            self.entries.retain(|entry| !replaced.contains(&entry.id));
        }
        if !changed.is_empty() {
            self.entries.extend(changed);
            self.entries.sort_unstable_by(|a, b| {
                store::newest_first((a.modified, &a.id), (b.modified, &b.id))
            });
        }
        self.complete = true;
        self.catalog = None;
    }

    pub fn empty() -> Self {
        Self {
            entries: Vec::new(),
            vocabulary: Vocabulary::shared(),
            complete: true,
            catalog: None,
        }
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

/// Whether to find the words of every note while listing a folder.
///
/// Only search needs them, so the folder is first listed without them
/// (titles and stamps); the first search has them found ([`index_all`])
/// and from then on they are kept up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indexing {
    /// Titles and stamps only.
    Later,
    Now,
}

/// Reads every note in `dir`, holding one text at a time: titles and
/// stamps, and their words (into `vocabulary`) if `indexing` says so.
/// Notes the listing cache holds as they are are not read (see [`cache`]).
pub fn read_listing(
    dir: &Path,
    vocabulary: index::Shared,
    indexing: Indexing,
) -> Result<Listing, StoreError> {
    let mut listing = None;
    list_in_parts(dir, vocabulary, indexing, FIRST_WAIT, |part| {
        match (part, &mut listing) {
            (Part::First(first), _) => listing = Some(first),
            (Part::More(more, last), Some(Ok(listing))) => {
                listing.entries.extend(more);
                listing.complete = last;
                listing.catalog = None;
            }
            (Part::Checked(changed, gone), Some(Ok(listing))) => listing.checked(changed, gone),
            (Part::More(..) | Part::Checked(..), _) => {}
        }
        true
    });
    listing.unwrap_or_else(|| Err(StoreError::Task("the listing stopped".into())))
}

/// A folder's notes, listed in parts: the newest first, as soon as they
/// are known, then the rest.
#[derive(Debug, Clone)]
pub enum Part {
    /// The newest notes, and the vocabulary. Always sent, first.
    First(Result<Listing, StoreError>),
    /// More notes, each older than those sent before it; whether they are
    /// the last.
    More(Vec<Entry>, bool),
    /// The last part of a folder first shown as its cache had it: the
    /// notes changed or new since, and the notes gone.
    Checked(Vec<Entry>, Vec<NoteId>),
}

/// How many notes the first part holds: more than a window shows.
const FIRST_PART: usize = 100;
/// How long the notes are read before the first part is sent: a folder
/// listed from its cache is sent whole, in one part.
pub const FIRST_WAIT: std::time::Duration = std::time::Duration::from_millis(150);
/// A folder of this many notes to read is sent in parts at once, without
/// the first wait: reading them takes longer than the wait.
const MANY_TO_READ: usize = 5_000;
/// How often a part is sent after the first, while notes are being read.
const PART_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

/// Lists `dir`, newest first, handing each part to `send` (which says
/// whether it is still wanted).
///
/// A folder listed before is shown at once as its listing cache has it
/// (see [`cache`]), then looked at: every note's file is `stat`ed, a note
/// whose file is not as the cache says is read, and what changed and what
/// is gone follow in a last part ([`Part::Checked`]). In a folder of
/// 100,000 notes that look takes 0.3 s here, and reading every note 1 s.
///
/// A folder never listed (or listed with words, `indexing`) is looked at
/// first, to put its notes in order; its newest notes are sent once notes
/// have been read for `first_wait` (at once in a folder of thousands),
/// then the rest as they are read.
///
/// The cache is written again, off the UI thread like all of this, when
/// what it holds changed.
pub fn list_in_parts(
    dir: &Path,
    vocabulary: index::Shared,
    indexing: Indexing,
    first_wait: std::time::Duration,
    mut send: impl FnMut(Part) -> bool,
) {
    use std::time::{Instant, SystemTime};

    if let Err(error) = std::fs::create_dir_all(dir).and_then(|()| std::fs::read_dir(dir)) {
        send(Part::First(Err(StoreError::folder(dir, &error))));
        return;
    }
    let made = SystemTime::now();
    let index = (indexing == Indexing::Now).then_some(&vocabulary);
    let mut kept = cache::Kept::load(dir);
    // Shown as kept, then checked.
    let mut checking = false;
    if index.is_none()
        && let Some(kept_file) = &kept
    {
        match kept_file.entries(dir) {
            Some(entries) if !entries.is_empty() => {
                checking = true;
                let listing = Listing {
                    catalog: Some(Catalog::of_entries(&entries)),
                    entries,
                    vocabulary: vocabulary.clone(),
                    complete: false,
                };
                if !send(Part::First(Ok(listing))) {
                    return;
                }
            }
            Some(_) => {}
            // Damaged, and set aside.
            None => kept = None,
        }
    }
    let mut kept_notes = kept.as_ref().and_then(|kept| kept.notes(dir));

    let mut files: Vec<(NoteId, Option<cache::Seen>, SystemTime)> = store::note_names(dir)
        .into_iter()
        .map(|name| {
            let metadata = std::fs::metadata(dir.join(&name)).ok();
            let modified = metadata
                .as_ref()
                .and_then(|metadata| metadata.modified().ok())
                .unwrap_or(SystemTime::UNIX_EPOCH);
            let seen = metadata
                .filter(std::fs::Metadata::is_file)
                .map(|metadata| cache::Seen::of(&metadata));
            (NoteId::new(name), seen, modified)
        })
        .collect();
    files.sort_unstable_by(|a, b| store::newest_first((a.2, &a.0), (b.2, &b.0)));
    // Kept notes no longer in the folder.
    let gone: Vec<NoteId> = match kept_notes.as_ref().filter(|_| checking) {
        Some(kept) => {
            let found: std::collections::HashSet<&str> =
                files.iter().map(|(id, ..)| id.as_str()).collect();
            kept.names()
                .filter(|name| !found.contains(name))
                .map(NoteId::new)
                .collect()
        }
        None => Vec::new(),
    };

    let mut making = cache::Making::new(made);
    let mut changed = !gone.is_empty();
    let mut buffer = Vec::new();
    let mut part = Vec::with_capacity(FIRST_PART.min(files.len()));
    let mut first = (!checking).then(|| vocabulary.clone());
    let mut sent = Instant::now();
    let count = files.len();
    for (position, (id, seen, modified)) in files.into_iter().enumerate() {
        let kept = match (&mut kept_notes, &seen, index) {
            (Some(kept), Some(seen), None) => kept.get(id.as_str(), seen, &mut making),
            _ => None,
        };
        let entry = match kept {
            // Already shown as it is.
            Some(_) if checking => continue,
            Some(kept) => cache::entry(id, modified, kept),
            None => {
                let Some(mut file) = store::read_note_into(dir, id, std::mem::take(&mut buffer))
                else {
                    continue;
                };
                let entry = file.entry(index, false);
                if let Body::Text(text) = file.body {
                    buffer = text.into_bytes();
                }
                changed |= matches!(entry.content, Content::Text(_));
                if let Some(seen) = &seen {
                    making.add(&entry, seen);
                }
                entry
            }
        };
        part.push(entry);
        if checking {
            continue;
        }
        let due = match first {
            Some(_) => {
                part.len() >= FIRST_PART && (count >= MANY_TO_READ || sent.elapsed() >= first_wait)
            }
            None => sent.elapsed() >= PART_EVERY,
        };
        if due && position + 1 < count {
            let entries = std::mem::take(&mut part);
            let wanted = match first.take() {
                Some(vocabulary) => send(Part::First(Ok(Listing {
                    catalog: Some(Catalog::of_entries(&entries)),
                    entries,
                    vocabulary,
                    complete: false,
                }))),
                None => send(Part::More(entries, false)),
            };
            if !wanted {
                return;
            }
            sent = Instant::now();
        }
    }
    match first.take() {
        _ if checking => send(Part::Checked(part, gone)),
        Some(vocabulary) => send(Part::First(Ok(Listing {
            catalog: Some(Catalog::of_entries(&part)),
            entries: part,
            vocabulary,
            complete: true,
        }))),
        None => send(Part::More(part, true)),
    };
    drop(buffer);
    // Nothing kept before and nothing to keep (a new or empty folder, or
    // notes all changed a moment ago): no cache, nor `.braindump`, is made.
    changed = match &kept_notes {
        Some(kept) => changed || kept.len() != making.len(),
        None => !making.is_empty(),
    };
    drop(kept_notes);
    drop(kept);
    let kept = making.len();
    if changed && let Err(error) = making.write(dir) {
        tracing::debug!("the listing cache could not be written: {error}");
    }
    if count.max(kept) >= crate::memory::BIG_FOLDER {
        crate::memory::give_back_now();
    }
}

/// [`list_in_parts`] on a blocking thread, as a stream of parts. A stream
/// dropped (another folder chosen) stops the listing at its next part.
pub fn listing(
    dir: PathBuf,
    vocabulary: index::Shared,
) -> impl futures::Stream<Item = Part> + Send + 'static {
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    let start = move || {
        tokio::task::spawn_blocking(move || {
            list_in_parts(&dir, vocabulary, Indexing::Later, FIRST_WAIT, |part| {
                sender.send(part).is_ok()
            });
        });
    };
    futures::stream::unfold(
        (Some(start), receiver, false),
        |(start, mut receiver, mut first_sent)| async move {
            if let Some(start) = start {
                start();
            }
            let part = match receiver.recv().await {
                Some(part) => part,
                // Ended (a panic in the listing) before its first part:
                // the app is told, not left waiting.
                None if !first_sent => Part::First(Err(StoreError::Task(
                    "reading the notes folder stopped unexpectedly".into(),
                ))),
                None => return None,
            };
            first_sent = true;
            Some((part, (None, receiver, first_sent)))
        },
    )
}

/// [`read_listing`] on a blocking thread.
pub async fn load_dir(
    dir: PathBuf,
    vocabulary: index::Shared,
    indexing: Indexing,
) -> Result<Listing, StoreError> {
    blocking(move || read_listing(&dir, vocabulary, indexing))
        .await
        .map_err(|error| StoreError::Task(error.to_string()))?
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
