//! Listing a notes folder: newest first, in parts for a big one, from the
//! listing cache when its files are as it says (see [`super::cache`]).

use std::path::{Path, PathBuf};

use super::index::{self, Vocabulary};
use super::tags::Tags;
use super::{Body, Content, Entry, NoteId, StoreError, blocking, cache, store};

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

/// Puts `entries` in the notes list's order (see [`store::newest_first`]).
/// Names are unique, so the order is total and an unstable sort gives the
/// same list, without the stable sort's buffer of half the entries.
pub fn sort_newest_first(entries: &mut [Entry]) {
    let order =
        |a: &Entry, b: &Entry| store::newest_first((a.modified, &a.id), (b.modified, &b.id));
    if !entries.is_sorted_by(|a, b| order(a, b).is_le()) {
        entries.sort_unstable_by(order);
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
    /// A listing of `entries` (newest first), with their folders and tags
    /// worked out (here, on the listing's thread).
    fn part(entries: Vec<Entry>, vocabulary: index::Shared, complete: bool) -> Self {
        Self {
            catalog: Some(Catalog::of_entries(&entries)),
            entries,
            vocabulary,
            complete,
        }
    }

    /// Adds a [`Part::More`]: notes older than those listed; whether they
    /// are the last.
    pub fn extend(&mut self, more: Vec<Entry>, last: bool) {
        self.entries.extend(more);
        self.complete = last;
        // Worked out for fewer notes.
        self.catalog = None;
    }

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
            sort_newest_first(&mut self.entries);
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

/// Whether to find the words of every note while listing a folder.
///
/// Only search needs them, so the folder is first listed without them
/// (titles and stamps); the first search has them found ([`super::index_all`])
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
            (Part::More(more, last), Some(Ok(listing))) => listing.extend(more, last),
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
                let listing = Listing::part(entries, vocabulary.clone(), false);
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
                Some(vocabulary) => {
                    send(Part::First(Ok(Listing::part(entries, vocabulary, false))))
                }
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
        Some(vocabulary) => send(Part::First(Ok(Listing::part(part, vocabulary, true)))),
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
